//! The documents that follow an order — `ConfirmationRequest`, `ShipNoticeRequest`,
//! `InvoiceDetailRequest` — from the sample order and shop data in `tests/fulfilment/`: each
//! validated with xmllint against its cXML 1.2.069 DTD (`Fulfill.dtd`, `InvoiceDetail.dtd`),
//! their values asserted exactly (computed totals, rounding per currency), every refusal with its
//! code, JSON pointer and message, and a property test whose 1 000 random orders with random
//! shop data all give documents that validate.
//!
//! The specification folder is `$PUNCHOUT_SPEC_DIR`, else `../shared/spec` beside the project;
//! the tests fail when it or xmllint (`apt-get install libxml2-utils`) is missing.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rust_decimal::Decimal;
use serde_json::{json, Value};

use punchout_plugin::cxml::confirmation::confirmation_request;
use punchout_plugin::cxml::invoice::invoice_detail_request;
use punchout_plugin::cxml::ship_notice::ship_notice_request;
use punchout_plugin::error::ErrorCode;
use punchout_plugin::limits::InputLimits;
use punchout_plugin::model::Envelope;
use punchout_plugin::order::fulfilment::{Confirmation, Invoice, ShipNotice};
use punchout_plugin::order::money::Currency;
use punchout_plugin::order::PurchaseOrder;
use punchout_plugin::profile::{BuyerProfile, ResolvedSecret, Secret};
use punchout_plugin::Error;

const PROFILE: &str = include_str!("../../host-example/samples/cxml-buyer-profile.json");
const ORDER: &str = include_str!("fulfilment/order.json");
const CONFIRMATION: &str = include_str!("fulfilment/confirmation.json");
const SHIP_NOTICE: &str = include_str!("fulfilment/ship-notice.json");
const INVOICE: &str = include_str!("fulfilment/invoice.json");
const CREDIT_MEMO: &str = include_str!("fulfilment/credit-memo.json");

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn profile() -> BuyerProfile {
    BuyerProfile::compile(
        PROFILE,
        &[ResolvedSecret {
            name: "ACME_ARIBA_SHARED_SECRET".into(),
            value: Secret::new("s3cr3t"),
        }],
    )
    .unwrap()
}

fn envelope() -> Envelope {
    Envelope {
        payload_id: "1764234000.1.9@shop.example.com".into(),
        timestamp: "2026-11-27T10:00:00+01:00".into(),
    }
}

fn order() -> PurchaseOrder {
    serde_json::from_str(ORDER).unwrap()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// `text` with the value at `pointer` replaced (or removed, for `Value::Null` on an object key).
fn changed(text: &str, pointer: &str, value: Value) -> Value {
    let mut document = json(text);
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let target = document.pointer_mut(parent).unwrap();
    match target {
        Value::Object(map) if value.is_null() => {
            map.remove(key);
        }
        Value::Object(map) => {
            map.insert(key.to_owned(), value);
        }
        Value::Array(items) => items[key.parse::<usize>().unwrap()] = value,
        _ => panic!("{pointer} is not in an object or array"),
    }
    document
}

fn from<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).unwrap()
}

fn confirmation_doc(confirmation: &Confirmation) -> String {
    confirmation_request(&profile(), &order(), confirmation, &envelope()).unwrap()
}

fn ship_notice_doc(notice: &ShipNotice) -> String {
    ship_notice_request(&profile(), &order(), notice, &envelope()).unwrap()
}

fn invoice_doc_for(order: &PurchaseOrder, invoice: &Invoice) -> String {
    invoice_detail_request(&profile(), order, invoice, &envelope()).unwrap()
}

/// The specification folder, or a failure that says how to provide it.
fn spec_dir() -> PathBuf {
    let dir = std::env::var_os("PUNCHOUT_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec"));
    assert!(
        dir.join("cxml/1.2.069/Fulfill.dtd").is_file(),
        "the cXML DTDs are missing in `{}`: place shared/spec beside the project or set PUNCHOUT_SPEC_DIR",
        dir.display()
    );
    dir
}

/// Which DTD a document is validated against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dtd {
    Fulfill,
    InvoiceDetail,
}

impl Dtd {
    fn file(self) -> &'static str {
        match self {
            Dtd::Fulfill => "cxml/1.2.069/Fulfill.dtd",
            Dtd::InvoiceDetail => "cxml/1.2.069/InvoiceDetail.dtd",
        }
    }

    /// The DTD to hand xmllint: the specification's, without its comments. xmllint reads the
    /// DTD again for every file it validates, and these are 420 KB, four fifths comments; the
    /// copy has exactly the same declarations (counted here), so it validates the same and
    /// twice as fast.
    fn path(self) -> PathBuf {
        use std::sync::OnceLock;
        static PATHS: [OnceLock<PathBuf>; 2] = [OnceLock::new(), OnceLock::new()];
        PATHS[self as usize]
            .get_or_init(|| {
                let original = spec_dir().join(self.file());
                let text = std::fs::read_to_string(&original).unwrap();
                let mut stripped = String::with_capacity(text.len() / 4);
                let mut rest = text.as_str();
                while let Some(start) = rest.find("<!--") {
                    stripped.push_str(&rest[..start]);
                    let end = rest[start..].find("-->").expect("a closed comment") + start + 3;
                    rest = &rest[end..];
                }
                stripped.push_str(rest);
                for declaration in [
                    "<!ELEMENT",
                    "<!ATTLIST",
                    "<!ENTITY",
                    "#REQUIRED",
                    "#IMPLIED",
                ] {
                    assert_eq!(
                        stripped.matches(declaration).count(),
                        text.matches(declaration).count()
                            - comments(&text).matches(declaration).count(),
                        "{declaration} in {}",
                        original.display()
                    );
                }
                // One copy for every run, replaced whole (a rename) so that runs side by side
                // never read half a file.
                let dir = std::env::temp_dir().join("punchout-dtd-without-comments");
                std::fs::create_dir_all(&dir).unwrap();
                let path = dir.join(original.file_name().unwrap());
                let partial = dir.join(format!("{}.{}", std::process::id(), self as usize));
                std::fs::write(&partial, stripped).unwrap();
                std::fs::rename(&partial, &path).unwrap();
                path
            })
            .clone()
    }
}

/// The text of every comment in `text`.
fn comments(text: &str) -> String {
    text.split("<!--")
        .skip(1)
        .filter_map(|part| part.split("-->").next())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Validates documents with xmllint: many files per run, runs side by side. On failure the
/// files stay on disk and the panic names them with xmllint's report.
fn validate_all(dtd: Dtd, documents: &[(String, String)]) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dtd_path = dtd.path();
    let dir = std::env::temp_dir().join(format!(
        "punchout-fulfilment-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::with_capacity(documents.len());
    for (name, document) in documents {
        let file = dir.join(format!("{name}.xml"));
        std::fs::write(&file, document).unwrap();
        files.push(file);
    }
    let runs = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 8));
    let children: Vec<_> = files
        .chunks(files.len().div_ceil(runs).max(1))
        .map(|batch| {
            Command::new("xmllint")
                .args(["--noout", "--nonet", "--dtdvalid"])
                .arg(&dtd_path)
                .args(batch)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap_or_else(|error| {
                    panic!("cannot run xmllint (apt-get install libxml2-utils): {error}")
                })
        })
        .collect();
    let mut report = String::new();
    for child in children {
        let output = child.wait_with_output().unwrap();
        if !output.status.success() {
            // --nonet: xmllint says it did not fetch the DOCTYPE's URL; only validity counts.
            for line in String::from_utf8_lossy(&output.stderr)
                .lines()
                .filter(|line| {
                    line.contains("validity error")
                        || line.contains("does not validate")
                        || line.contains("parser error")
                })
            {
                report.push_str(line);
                report.push('\n');
            }
            report.push_str("(xmllint failed)\n");
        }
    }
    assert!(
        report.is_empty(),
        "documents do not validate against {} (kept in {}):\n{}",
        spec_dir().join(dtd.file()).display(),
        dir.display(),
        report.lines().take(40).collect::<Vec<_>>().join("\n")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The text of the first `<element …>…</element>` (or `<element …/>`) in `document`.
fn element<'a>(document: &'a str, element: &str) -> &'a str {
    let start = document
        .find(&format!("<{element}"))
        .unwrap_or_else(|| panic!("no <{element}> in\n{document}"));
    let rest = &document[start..];
    let end = rest
        .find(&format!("</{element}>"))
        .map(|end| end + element.len() + 3)
        .unwrap_or_else(|| rest.find("/>").unwrap() + 2);
    &rest[..end]
}

/// The `Money` text of the first `<element>` inside `within`.
fn money_in<'a>(within: &'a str, element_name: &str) -> &'a str {
    let part = element(within, element_name);
    let start = part.find("\">").unwrap() + 2;
    let end = part.find("</Money>").unwrap();
    &part[start..end]
}

fn refusal(error: Error) -> (ErrorCode, String, String) {
    (
        error.code(),
        error.location().pointer.clone().unwrap_or_default(),
        error.message().to_owned(),
    )
}

// ---------------------------------------------------------------------------------------------
// Validity of the sample documents
// ---------------------------------------------------------------------------------------------

#[test]
fn every_sample_document_validates_against_its_dtd() {
    let accept_all: Confirmation = from(json!({
        "confirm_id": "CONF-2", "notice_date": "2026-11-26T11:30:00Z", "kind": "accept"
    }));
    let accept_lines: Confirmation = from(json!({
        "confirm_id": "CONF-3", "notice_date": "2026-11-26T11:30:00Z", "kind": "accept",
        "lines": [{"line_number": 2, "status": "accept", "delivery_date": "2026-12-01T12:00:00-05:00"}]
    }));
    let reject: Confirmation = from(json!({
        "confirm_id": "CONF-4", "notice_date": "2026-11-26T11:30:00.250+01:00", "kind": "reject",
        "comments": "we no longer sell toner"
    }));
    let bare_notice: ShipNotice = from(changed(SHIP_NOTICE, "/carrier", Value::Null));
    let complete: ShipNotice = from(changed(
        &changed(SHIP_NOTICE, "/fulfilment", json!("complete")).to_string(),
        "/lines/2/already_shipped",
        json!("2"),
    ));
    validate_all(
        Dtd::Fulfill,
        &[
            (
                "confirmation-detail".into(),
                confirmation_doc(&from(json(CONFIRMATION))),
            ),
            ("confirmation-accept".into(), confirmation_doc(&accept_all)),
            (
                "confirmation-accept-lines".into(),
                confirmation_doc(&accept_lines),
            ),
            ("confirmation-reject".into(), confirmation_doc(&reject)),
            (
                "ship-notice".into(),
                ship_notice_doc(&from(json(SHIP_NOTICE))),
            ),
            ("ship-notice-bare".into(), ship_notice_doc(&bare_notice)),
            ("ship-notice-complete".into(), ship_notice_doc(&complete)),
        ],
    );
    let untaxed: Invoice = from(json!({
        "invoice_id": "INV-3", "invoice_date": "2026-11-27T10:00:00Z",
        "lines": [{"line_number": 3, "quantity": "5"}]
    }));
    validate_all(
        Dtd::InvoiceDetail,
        &[
            (
                "invoice".into(),
                invoice_doc_for(&order(), &from(json(INVOICE))),
            ),
            (
                "credit-memo".into(),
                invoice_doc_for(&order(), &from(json(CREDIT_MEMO))),
            ),
            (
                "invoice-untaxed".into(),
                invoice_doc_for(&order(), &untaxed),
            ),
            (
                "invoice-jpy".into(),
                invoice_doc_for(&yen_order(), &yen_invoice("standard", "1")),
            ),
            (
                "invoice-bhd".into(),
                invoice_doc_for(&dinar_order(), &dinar_invoice()),
            ),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// What the documents say
// ---------------------------------------------------------------------------------------------

#[test]
fn the_header_is_from_the_shop_to_the_buyer_with_the_shared_secret() {
    let document = ship_notice_doc(&from(json(SHIP_NOTICE)));
    assert!(document.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE cXML SYSTEM \"http://xml.cxml.org/schemas/cXML/1.2.069/Fulfill.dtd\">\n\
         <cXML version=\"1.2.069\" payloadID=\"1764234000.1.9@shop.example.com\" timestamp=\"2026-11-27T10:00:00+01:00\" xml:lang=\"en-US\">\n\
         \x20 <Header>\n\
         \x20   <From>\n\
         \x20     <Credential domain=\"DUNS\">\n\
         \x20       <Identity>123456789</Identity>\n\
         \x20     </Credential>\n\
         \x20   </From>\n\
         \x20   <To>\n\
         \x20     <Credential domain=\"NetworkID\">\n\
         \x20       <Identity>AN01000000001</Identity>\n\
         \x20     </Credential>\n\
         \x20   </To>\n\
         \x20   <Sender>\n\
         \x20     <Credential domain=\"DUNS\">\n\
         \x20       <Identity>123456789</Identity>\n\
         \x20       <SharedSecret>s3cr3t</SharedSecret>\n\
         \x20     </Credential>\n\
         \x20     <UserAgent>Example Shop PunchOut 1.0</UserAgent>\n\
         \x20   </Sender>\n\
         \x20 </Header>\n\
         \x20 <Request>\n"
    ), "{document}");
    assert_eq!(
        element(&document, "OrderReference"),
        "<OrderReference orderID=\"PO-4711\" orderDate=\"2026-11-26T09:00:00+01:00\">\n          \
         <DocumentReference payloadID=\"1764100000.4711.7@procurement.example.com\"/>\n        \
         </OrderReference>"
    );
    let invoice = invoice_doc_for(&order(), &from(json(INVOICE)));
    assert!(invoice.contains(
        "<!DOCTYPE cXML SYSTEM \"http://xml.cxml.org/schemas/cXML/1.2.069/InvoiceDetail.dtd\">"
    ));
    assert!(invoice.contains("<SharedSecret>s3cr3t</SharedSecret>"));
}

#[test]
fn the_confirmation_groups_portions_by_order_line_and_writes_changes_as_detail() {
    let document = confirmation_doc(&from(json(CONFIRMATION)));
    let request = &document[document.find("<ConfirmationRequest>").unwrap()..];
    assert_eq!(
        request,
        "<ConfirmationRequest>
      <ConfirmationHeader type=\"detail\" noticeDate=\"2026-11-26T11:30:00+01:00\" confirmID=\"CONF-4711-1\" operation=\"new\">
        <Comments xml:lang=\"en\">two staplers follow in December</Comments>
      </ConfirmationHeader>
      <OrderReference orderID=\"PO-4711\" orderDate=\"2026-11-26T09:00:00+01:00\">
        <DocumentReference payloadID=\"1764100000.4711.7@procurement.example.com\"/>
      </OrderReference>
      <ConfirmationItem quantity=\"12\" lineNumber=\"1\">
        <UnitOfMeasure>PK</UnitOfMeasure>
        <ConfirmationStatus quantity=\"12\" type=\"accept\" deliveryDate=\"2026-11-30T12:00:00+01:00\">
          <UnitOfMeasure>PK</UnitOfMeasure>
        </ConfirmationStatus>
      </ConfirmationItem>
      <ConfirmationItem quantity=\"2\" lineNumber=\"2\">
        <UnitOfMeasure>PCE</UnitOfMeasure>
        <ConfirmationStatus quantity=\"2\" type=\"detail\">
          <UnitOfMeasure>PCE</UnitOfMeasure>
          <UnitPrice>
            <Money currency=\"EUR\">84.50</Money>
          </UnitPrice>
          <Comments xml:lang=\"en\">price as agreed by phone</Comments>
        </ConfirmationStatus>
      </ConfirmationItem>
      <ConfirmationItem quantity=\"5\" lineNumber=\"3\">
        <UnitOfMeasure>EA</UnitOfMeasure>
        <ConfirmationStatus quantity=\"3\" type=\"accept\" shipmentDate=\"2026-11-27T08:00:00+01:00\">
          <UnitOfMeasure>EA</UnitOfMeasure>
        </ConfirmationStatus>
        <ConfirmationStatus quantity=\"2\" type=\"backordered\" deliveryDate=\"2026-12-14T12:00:00+01:00\">
          <UnitOfMeasure>EA</UnitOfMeasure>
        </ConfirmationStatus>
      </ConfirmationItem>
    </ConfirmationRequest>
  </Request>
</cXML>
"
    );
}

#[test]
fn a_rejection_has_a_header_with_the_reason_and_no_items() {
    let reject: Confirmation = from(json!({
        "confirm_id": "CONF-4", "notice_date": "2026-11-26T11:30:00Z", "kind": "reject",
        "comments": "out of stock"
    }));
    let document = confirmation_doc(&reject);
    assert_eq!(
        element(&document, "ConfirmationHeader"),
        "<ConfirmationHeader type=\"reject\" noticeDate=\"2026-11-26T11:30:00Z\" confirmID=\"CONF-4\" operation=\"new\">\n        \
         <Comments xml:lang=\"en\">out of stock</Comments>\n      </ConfirmationHeader>"
    );
    assert!(!document.contains("ConfirmationItem"));
}

#[test]
fn the_ship_notice_carries_carrier_tracking_and_each_shipped_portion() {
    let document = ship_notice_doc(&from(json(SHIP_NOTICE)));
    let request = &document[document.find("<ShipNoticeRequest>").unwrap()..];
    assert_eq!(
        request,
        "<ShipNoticeRequest>
      <ShipNoticeHeader shipmentID=\"SHIP-4711-1\" noticeDate=\"2026-11-27T09:00:00+01:00\" shipmentDate=\"2026-11-27T08:00:00+01:00\" deliveryDate=\"2026-11-30T12:00:00+01:00\" operation=\"new\" shipmentType=\"actual\" fulfillmentType=\"partial\"/>
      <ShipControl>
        <CarrierIdentifier domain=\"companyName\">DHL</CarrierIdentifier>
        <ShipmentIdentifier trackingURL=\"https://www.dhl.com/track?id=00340434161234567890\">00340434161234567890</ShipmentIdentifier>
      </ShipControl>
      <ShipNoticePortion>
        <OrderReference orderID=\"PO-4711\" orderDate=\"2026-11-26T09:00:00+01:00\">
          <DocumentReference payloadID=\"1764100000.4711.7@procurement.example.com\"/>
        </OrderReference>
        <ShipNoticeItem quantity=\"12\" lineNumber=\"1\" shipNoticeLineNumber=\"1\">
          <ItemID>
            <SupplierPartID>ABC-123</SupplierPartID>
            <SupplierPartAuxiliaryID>cart-9:line-1</SupplierPartAuxiliaryID>
          </ItemID>
          <UnitOfMeasure>PK</UnitOfMeasure>
        </ShipNoticeItem>
        <ShipNoticeItem quantity=\"2\" lineNumber=\"2\" shipNoticeLineNumber=\"2\">
          <ItemID>
            <SupplierPartID>TON-9000</SupplierPartID>
            <SupplierPartAuxiliaryID>cart-9:line-2</SupplierPartAuxiliaryID>
          </ItemID>
          <UnitOfMeasure>PCE</UnitOfMeasure>
        </ShipNoticeItem>
        <ShipNoticeItem quantity=\"3\" lineNumber=\"3\" shipNoticeLineNumber=\"3\">
          <ItemID>
            <SupplierPartID>STA-77</SupplierPartID>
          </ItemID>
          <UnitOfMeasure>EA</UnitOfMeasure>
        </ShipNoticeItem>
      </ShipNoticePortion>
    </ShipNoticeRequest>
  </Request>
</cXML>
"
    );
}

#[test]
fn invoice_totals_are_computed_per_line_rounded_and_summed() {
    let order = order();
    let invoice: Invoice = from(json(INVOICE));
    let computed = invoice.compute(&order, &InputLimits::DEFAULT).unwrap();
    let amounts: Vec<(String, String)> = computed
        .lines
        .iter()
        .map(|line| {
            (
                line.subtotal.to_string(),
                line.tax.as_ref().unwrap().amount.to_string(),
            )
        })
        .collect();
    // 12 × 4.20 (the order's price) = 50.40, 19 % = 9.576 → 9.58; 2 × 84.50 = 169.00, 32.11;
    // 3 × 1.99 = 5.97, 1.1343 → 1.13; shipping 5.00, 0.95.
    assert_eq!(
        amounts,
        [("50.40", "9.58"), ("169.00", "32.11"), ("5.97", "1.13")]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    assert_eq!(computed.subtotal.to_string(), "225.37");
    assert_eq!(computed.tax.to_string(), "43.77");
    assert_eq!(computed.total.to_string(), "274.14");

    let document = invoice_doc_for(&order, &invoice);
    let summary = element(&document, "InvoiceDetailSummary");
    assert_eq!(
        summary,
        "<InvoiceDetailSummary>
        <SubtotalAmount>
          <Money currency=\"EUR\">225.37</Money>
        </SubtotalAmount>
        <Tax>
          <Money currency=\"EUR\">43.77</Money>
          <Description xml:lang=\"en\">vat 19%</Description>
          <TaxDetail category=\"vat\" percentageRate=\"19\">
            <TaxableAmount>
              <Money currency=\"EUR\">230.37</Money>
            </TaxableAmount>
            <TaxAmount>
              <Money currency=\"EUR\">43.77</Money>
            </TaxAmount>
          </TaxDetail>
        </Tax>
        <ShippingAmount>
          <Money currency=\"EUR\">5.00</Money>
        </ShippingAmount>
        <GrossAmount>
          <Money currency=\"EUR\">274.14</Money>
        </GrossAmount>
        <NetAmount>
          <Money currency=\"EUR\">274.14</Money>
        </NetAmount>
        <DueAmount>
          <Money currency=\"EUR\">274.14</Money>
        </DueAmount>
      </InvoiceDetailSummary>"
    );
    let first = element(&document, "InvoiceDetailItem");
    assert_eq!(
        first,
        "<InvoiceDetailItem invoiceLineNumber=\"1\" quantity=\"12\">
          <UnitOfMeasure>PK</UnitOfMeasure>
          <UnitPrice>
            <Money currency=\"EUR\">4.20</Money>
          </UnitPrice>
          <InvoiceDetailItemReference lineNumber=\"1\">
            <ItemID>
              <SupplierPartID>ABC-123</SupplierPartID>
              <SupplierPartAuxiliaryID>cart-9:line-1</SupplierPartAuxiliaryID>
            </ItemID>
            <Description xml:lang=\"en\">Copy paper A4 80 g/m², 500 sheets</Description>
            <Classification domain=\"UNSPSC\">14111507</Classification>
            <ManufacturerPartID>MNTR-0113</ManufacturerPartID>
            <ManufacturerName xml:lang=\"en\">Paper Mill AG</ManufacturerName>
          </InvoiceDetailItemReference>
          <SubtotalAmount>
            <Money currency=\"EUR\">50.40</Money>
          </SubtotalAmount>
          <Tax>
            <Money currency=\"EUR\">9.58</Money>
            <Description xml:lang=\"en\">vat 19%</Description>
            <TaxDetail category=\"vat\" percentageRate=\"19\">
              <TaxableAmount>
                <Money currency=\"EUR\">50.40</Money>
              </TaxableAmount>
              <TaxAmount>
                <Money currency=\"EUR\">9.58</Money>
              </TaxAmount>
            </TaxDetail>
          </Tax>
        </InvoiceDetailItem>"
    );
    let header = element(&document, "InvoiceDetailRequestHeader");
    assert_eq!(
        header,
        "<InvoiceDetailRequestHeader invoiceID=\"INV-2026-1001\" purpose=\"standard\" operation=\"new\" invoiceDate=\"2026-11-27T10:00:00+01:00\">
        <InvoiceDetailHeaderIndicator/>
        <InvoiceDetailLineIndicator isTaxInLine=\"yes\"/>
        <InvoicePartner>
          <Contact role=\"remitTo\">
            <Name xml:lang=\"en\">Example Shop GmbH</Name>
          </Contact>
        </InvoicePartner>
      </InvoiceDetailRequestHeader>"
    );
    assert!(document.contains("<SupplierOrderInfo orderID=\"SO-2026-0815\"/>"));
}

#[test]
fn a_credit_memo_is_a_line_level_credit_memo_with_negative_amounts_and_its_original_invoice() {
    let document = invoice_doc_for(&order(), &from(json(CREDIT_MEMO)));
    assert_eq!(
        element(&document, "InvoiceDetailRequestHeader"),
        "<InvoiceDetailRequestHeader invoiceID=\"CM-2026-0007\" purpose=\"lineLevelCreditMemo\" operation=\"new\" invoiceDate=\"2026-12-02T10:00:00+01:00\">
        <InvoiceDetailHeaderIndicator/>
        <InvoiceDetailLineIndicator isTaxInLine=\"yes\"/>
        <InvoicePartner>
          <Contact role=\"remitTo\">
            <Name xml:lang=\"en\">Example Shop GmbH</Name>
          </Contact>
        </InvoicePartner>
        <DocumentReference payloadID=\"1764234000.1.9@shop.example.com\"/>
        <InvoiceIDInfo invoiceID=\"INV-2026-1001\" invoiceDate=\"2026-11-27T10:00:00+01:00\"/>
        <Comments xml:lang=\"en\">one stapler arrived broken</Comments>
      </InvoiceDetailRequestHeader>"
    );
    let item = element(&document, "InvoiceDetailItem");
    assert!(item.starts_with("<InvoiceDetailItem invoiceLineNumber=\"1\" quantity=\"-1\">"));
    // The price stays positive; -1 × 1.99 = -1.99, 19 % = -0.3781 → -0.38.
    assert_eq!(money_in(item, "UnitPrice"), "1.99");
    assert_eq!(money_in(item, "SubtotalAmount"), "-1.99");
    assert_eq!(money_in(item, "TaxAmount"), "-0.38");
    let summary = element(&document, "InvoiceDetailSummary");
    assert_eq!(money_in(summary, "SubtotalAmount"), "-1.99");
    assert_eq!(money_in(summary, "Tax"), "-0.38");
    assert_eq!(money_in(summary, "DueAmount"), "-2.37");
}

fn yen_order() -> PurchaseOrder {
    let mut order = order();
    order.currency = "JPY".into();
    order.total.currency = "JPY".into();
    for (line, price) in order.lines.iter_mut().zip(["250", "12.5", "105"]) {
        line.unit_price = Some(punchout_plugin::order::Money {
            amount: price.into(),
            currency: "JPY".into(),
        });
    }
    order
}

fn yen_invoice(purpose: &str, sign: &str) -> Invoice {
    let quantity = |q: &str| {
        if sign == "-1" {
            format!("-{q}")
        } else {
            q.to_owned()
        }
    };
    let mut value = json!({
        "invoice_id": "INV-JP-1", "invoice_date": "2026-11-27T10:00:00+09:00", "purpose": purpose,
        "lines": [
            {"line_number": 1, "quantity": quantity("1"), "tax": {"category": "consumption", "rate": "5"}},
            {"line_number": 2, "quantity": quantity("1"), "tax": {"category": "consumption", "rate": "10"}},
            {"line_number": 3, "quantity": quantity("3"), "tax": {"category": "consumption", "rate": "8"}}
        ]
    });
    if purpose == "credit_memo" {
        value["original_invoice"] = json!({"invoice_id": "INV-JP-0", "payload_id": "p@shop"});
    }
    from(value)
}

fn dinar_order() -> PurchaseOrder {
    let mut order = order();
    order.currency = "BHD".into();
    order.lines[0].unit_price = Some(punchout_plugin::order::Money {
        amount: "1.2345".into(),
        currency: "BHD".into(),
    });
    order
}

fn dinar_invoice() -> Invoice {
    from(json!({
        "invoice_id": "INV-BH-1", "invoice_date": "2026-11-27T10:00:00+03:00",
        "lines": [{"line_number": 1, "quantity": "1", "tax": {"category": "vat", "rate": "10"}}],
        "shipping": {"amount": "2.500"}
    }))
}

#[test]
fn yen_amounts_have_no_decimals_and_halves_round_away_from_zero() {
    let order = yen_order();
    let invoice = yen_invoice("standard", "1");
    let computed = invoice.compute(&order, &InputLimits::DEFAULT).unwrap();
    // 250 × 5 % = 12.5 → 13; 12.5 → 13 (subtotal), × 10 % = 1.3 → 1; 315 × 8 % = 25.2 → 25.
    let lines: Vec<(String, String)> = computed
        .lines
        .iter()
        .map(|line| {
            (
                line.subtotal.to_string(),
                line.tax.as_ref().unwrap().amount.to_string(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [("250", "13"), ("13", "1"), ("315", "25")].map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    assert_eq!(computed.subtotal.to_string(), "578");
    assert_eq!(computed.tax.to_string(), "39");
    assert_eq!(computed.total.to_string(), "617");
    let document = invoice_doc_for(&order, &yen_invoice("standard", "1"));
    let summary = element(&document, "InvoiceDetailSummary");
    assert_eq!(money_in(summary, "SubtotalAmount"), "578");
    assert_eq!(money_in(summary, "DueAmount"), "617");
    // The unit price keeps the decimals the order gave it.
    assert!(document.contains("<Money currency=\"JPY\">12.5</Money>"));

    // The same halves in a credit memo round away from zero too: -12.5 → -13.
    let credit_memo = yen_invoice("credit_memo", "-1");
    let credit = credit_memo.compute(&order, &InputLimits::DEFAULT).unwrap();
    let taxes: Vec<String> = credit
        .lines
        .iter()
        .map(|line| line.tax.as_ref().unwrap().amount.to_string())
        .collect();
    assert_eq!(taxes, ["-13", "-1", "-25"]);
    assert_eq!(
        credit
            .lines
            .iter()
            .map(|line| line.subtotal.to_string())
            .collect::<Vec<_>>(),
        ["-250", "-13", "-315"]
    );
    assert_eq!(credit.total.to_string(), "-617");
}

#[test]
fn dinar_amounts_have_three_decimals() {
    let order = dinar_order();
    let invoice = dinar_invoice();
    let computed = invoice.compute(&order, &InputLimits::DEFAULT).unwrap();
    // 1 × 1.2345 = 1.2345 → 1.235 (a half, away from zero); 10 % = 0.1235 → 0.124.
    assert_eq!(computed.lines[0].subtotal.to_string(), "1.235");
    assert_eq!(
        computed.lines[0].tax.as_ref().unwrap().amount.to_string(),
        "0.124"
    );
    assert_eq!(computed.total.to_string(), "3.859");
    let document = invoice_doc_for(&order, &dinar_invoice());
    let summary = element(&document, "InvoiceDetailSummary");
    assert_eq!(money_in(summary, "SubtotalAmount"), "1.235");
    assert_eq!(money_in(summary, "Tax"), "0.124");
    assert_eq!(money_in(summary, "ShippingAmount"), "2.500");
    assert_eq!(money_in(summary, "DueAmount"), "3.859");
    assert!(document.contains("<Money currency=\"BHD\">1.2345</Money>"));
}

// ---------------------------------------------------------------------------------------------
// Refusals: code, pointer and message, before anything is written
// ---------------------------------------------------------------------------------------------

fn confirmation_refusal(value: Value) -> (ErrorCode, String, String) {
    let confirmation: Confirmation = from(value);
    refusal(confirmation_request(&profile(), &order(), &confirmation, &envelope()).unwrap_err())
}

fn ship_notice_refusal(value: Value) -> (ErrorCode, String, String) {
    let notice: ShipNotice = from(value);
    refusal(ship_notice_request(&profile(), &order(), &notice, &envelope()).unwrap_err())
}

fn invoice_refusal_for(order: &PurchaseOrder, value: Value) -> (ErrorCode, String, String) {
    let invoice: Invoice = from(value);
    refusal(invoice_detail_request(&profile(), order, &invoice, &envelope()).unwrap_err())
}

fn invoice_refusal(value: Value) -> (ErrorCode, String, String) {
    invoice_refusal_for(&order(), value)
}

fn expect(refusal: (ErrorCode, String, String), pointer: &str, message: &str) {
    assert_eq!(
        refusal,
        (
            ErrorCode::InvalidOrder,
            pointer.to_owned(),
            message.to_owned()
        )
    );
}

#[test]
fn confirmations_that_would_be_invalid_are_refused_where_they_go_wrong() {
    let c = CONFIRMATION;
    expect(
        confirmation_refusal(changed(c, "/confirm_id", json!("  "))),
        "/confirm_id",
        "confirmation id is empty",
    );
    expect(
        confirmation_refusal(changed(c, "/notice_date", json!("2026-11-26"))),
        "/notice_date",
        "expected a date and time with a time zone such as `2026-01-20T12:00:00+01:00`, found `2026-11-26`",
    );
    expect(
        confirmation_refusal(changed(c, "/lines/1/line_number", json!(7))),
        "/lines/1/line_number",
        "line `7` is not a line of the order",
    );
    expect(
        confirmation_refusal(changed(c, "/lines/0/quantity", json!("-12"))),
        "/lines/0/quantity",
        "expected a quantity greater than zero, found `-12`",
    );
    expect(
        confirmation_refusal(changed(c, "/lines/0/quantity", json!("0"))),
        "/lines/0/quantity",
        "expected a quantity greater than zero, found `0`",
    );
    expect(
        confirmation_refusal(changed(c, "/lines/0/quantity", json!("1e3"))),
        "/lines/0/quantity",
        "expected a decimal number such as `12.50`, found `1e3`",
    );
    expect(
        confirmation_refusal(changed(c, "/lines/0/quantity", json!("13"))),
        "/lines/0/quantity",
        "the statuses of line 1 cover `13`, more than the `12` ordered: a confirmation cannot raise a quantity",
    );
    expect(
        confirmation_refusal(changed(c, "/lines/3/quantity", json!("1"))),
        "/lines/3/quantity",
        "the statuses of line 3 cover `4` of the `5` ordered: give the rest a status (`reject` or `backordered`)",
    );
    expect(
        confirmation_refusal(changed(c, "/lines/2/quantity", Value::Null)),
        "/lines/2/quantity",
        "line 3 has several statuses: give each its `quantity`",
    );
    expect(
        confirmation_refusal(changed(c, "/lines/0/unit_price", json!("4.00"))),
        "/lines/0/unit_price",
        "a new price needs status `changed`, found `accept`",
    );
    expect(
        confirmation_refusal(changed(c, "/lines/1/unit_price", json!("-84.50"))),
        "/lines/1/unit_price",
        "expected a price of zero or more, found `-84.50`",
    );
    expect(
        confirmation_refusal(changed(c, "/lines/1/unit_price", Value::Null)),
        "/lines/1/status",
        "status `changed` needs a new `unit_price` or `delivery_date`: a lower quantity is an `accept` of that quantity and a `reject` or `backordered` of the rest",
    );
    expect(
        confirmation_refusal(changed(c, "/lines/3/status", json!("reject"))),
        "/lines/3/delivery_date",
        "a rejected portion has no `delivery_date`",
    );
    expect(
        confirmation_refusal(changed(c, "/lines/0/delivery_date", json!("2026-11-30T25:00:00Z"))),
        "/lines/0/delivery_date",
        "expected a date and time with a time zone such as `2026-01-20T12:00:00+01:00`, found `2026-11-30T25:00:00Z`",
    );
    expect(
        confirmation_refusal(changed(c, "/kind", json!("accept"))),
        "/lines/1/status",
        "a confirmation of kind `accept` may only accept lines, found `changed`: use kind `detail`",
    );
    expect(
        confirmation_refusal(changed(c, "/kind", json!("reject"))),
        "/lines",
        "a confirmation of kind `reject` refuses the whole order and has no lines: say why in `comments`, or use kind `detail` to reject some lines",
    );
    expect(
        confirmation_refusal(changed(c, "/lines", json!([]))),
        "/lines",
        "a confirmation of kind `detail` needs at least one line",
    );
    // A changed price in a currency the order cannot be priced in.
    let mut bad_currency = order();
    bad_currency.lines[1].unit_price.as_mut().unwrap().currency = "EURO".into();
    let confirmation: Confirmation = from(json(c));
    expect(
        refusal(
            confirmation_request(&profile(), &bad_currency, &confirmation, &envelope())
                .unwrap_err(),
        ),
        "/currency",
        "the order's currency: expected an active ISO 4217 currency code such as `EUR`, found `EURO`",
    );
}

#[test]
fn ship_notices_that_would_be_invalid_are_refused_where_they_go_wrong() {
    let s = SHIP_NOTICE;
    expect(
        ship_notice_refusal(changed(s, "/lines/0/quantity", json!("13"))),
        "/lines/0/quantity",
        "line 1 ships `13`, more than the `12` ordered",
    );
    // Across the entries of one notice.
    let mut split = json(s);
    split["lines"] = json!([
        {"line_number": 3, "quantity": "3"},
        {"line_number": 1, "quantity": "1"},
        {"line_number": 3, "quantity": "2.5"}
    ]);
    expect(
        ship_notice_refusal(split),
        "/lines/2/quantity",
        "line 3 ships `5.5`, more than the `5` ordered",
    );
    // With what earlier notices shipped.
    expect(
        ship_notice_refusal(changed(s, "/lines/2/already_shipped", json!("2.5"))),
        "/lines/2/quantity",
        "line 3 ships `3` after `2.5` shipped before, more than the `5` ordered",
    );
    let mut inconsistent = json(s);
    inconsistent["lines"] = json!([
        {"line_number": 3, "quantity": "1", "already_shipped": "1"},
        {"line_number": 3, "quantity": "1", "already_shipped": "2"}
    ]);
    expect(
        ship_notice_refusal(inconsistent),
        "/lines/1/already_shipped",
        "the entries of line 3 give different `already_shipped`: `1` at /lines/0 and `2`",
    );
    expect(
        ship_notice_refusal(changed(s, "/lines/1/already_shipped", json!("-1"))),
        "/lines/1/already_shipped",
        "expected a quantity of zero or more, found `-1`",
    );
    expect(
        ship_notice_refusal(changed(s, "/lines/1/quantity", json!("-2"))),
        "/lines/1/quantity",
        "expected a quantity greater than zero, found `-2`",
    );
    expect(
        ship_notice_refusal(changed(s, "/lines/1/quantity", json!("0.000"))),
        "/lines/1/quantity",
        "expected a quantity greater than zero, found `0.000`",
    );
    expect(
        ship_notice_refusal(changed(s, "/lines/1/line_number", json!(0))),
        "/lines/1/line_number",
        "line `0` is not a line of the order",
    );
    expect(
        ship_notice_refusal(changed(s, "/lines", json!([]))),
        "/lines",
        "a ship notice needs at least one line",
    );
    expect(
        ship_notice_refusal(changed(
            s,
            "/carrier/tracking_url",
            json!("javascript:alert(1)"),
        )),
        "/carrier/tracking_url",
        "expected an `http` or `https` URL, found `javascript:alert(1)`",
    );
    expect(
        ship_notice_refusal(changed(s, "/carrier/tracking_number", json!(""))),
        "/carrier/tracking_number",
        "tracking number is empty",
    );
    expect(
        ship_notice_refusal(changed(s, "/shipment_date", json!("2026-02-30T08:00:00+01:00"))),
        "/shipment_date",
        "expected a date and time with a time zone such as `2026-01-20T12:00:00+01:00`, found `2026-02-30T08:00:00+01:00`",
    );
    expect(
        ship_notice_refusal(changed(s, "/lines/0/quantity", json!("1000000000000000"))),
        "/lines/0/quantity",
        "`1000000000000000` has more than 15 digits before the decimal point",
    );
}

#[test]
fn invoices_that_would_be_invalid_are_refused_where_they_go_wrong() {
    let i = INVOICE;
    expect(
        invoice_refusal(changed(i, "/lines/0/quantity", json!("-12"))),
        "/lines/0/quantity",
        "expected a quantity greater than zero in a standard invoice, found `-12` (a credit is purpose `credit_memo`)",
    );
    expect(
        invoice_refusal(changed(i, "/lines/0/quantity", json!("0"))),
        "/lines/0/quantity",
        "expected a quantity greater than zero in a standard invoice, found `0` (a credit is purpose `credit_memo`)",
    );
    expect(
        invoice_refusal(changed(i, "/lines/0/quantity", json!("12.5"))),
        "/lines/0/quantity",
        "line 1 invoices `12.5`, more than the `12` ordered",
    );
    expect(
        invoice_refusal(changed(i, "/lines/2/line_number", json!(4))),
        "/lines/2/line_number",
        "line `4` is not a line of the order",
    );
    expect(
        invoice_refusal(changed(i, "/lines/1/unit_price", json!("-1"))),
        "/lines/1/unit_price",
        "expected a price of zero or more, found `-1`",
    );
    expect(
        invoice_refusal(changed(i, "/lines/1/tax/rate", json!("-19"))),
        "/lines/1/tax/rate",
        "expected a tax rate of zero or more, found `-19`",
    );
    expect(
        invoice_refusal(changed(i, "/lines/1/tax/category", json!(""))),
        "/lines/1/tax/category",
        "tax category is empty",
    );
    expect(
        invoice_refusal(changed(i, "/shipping/amount", json!("-5.00"))),
        "/shipping/amount",
        "expected shipping of zero or more in a standard invoice, found `-5.00`",
    );
    expect(
        invoice_refusal(changed(i, "/shipping/amount", json!("4.999"))),
        "/shipping/amount",
        "shipping `4.999` has more decimals than `EUR` has (2)",
    );
    expect(
        invoice_refusal(changed(i, "/invoice_date", json!("27.11.2026"))),
        "/invoice_date",
        "expected a date and time with a time zone such as `2026-01-20T12:00:00+01:00`, found `27.11.2026`",
    );
    expect(
        invoice_refusal(changed(i, "/lines", json!([]))),
        "/lines",
        "an invoice needs at least one line",
    );
    expect(
        invoice_refusal(changed(
            i,
            "/original_invoice",
            json!({"invoice_id": "INV-1", "payload_id": "p@shop"}),
        )),
        "/original_invoice",
        "a standard invoice credits no earlier invoice: `original_invoice` is for purpose `credit_memo`",
    );

    let m = CREDIT_MEMO;
    expect(
        invoice_refusal(changed(m, "/lines/0/quantity", json!("1"))),
        "/lines/0/quantity",
        "a credit memo credits quantities below zero (cXML: negative amounts are credit), found `1`",
    );
    expect(
        invoice_refusal(changed(m, "/shipping", json!({"amount": "5.00"}))),
        "/shipping/amount",
        "expected shipping of zero or less in a credit memo, found `5.00`",
    );
    expect(
        invoice_refusal(changed(m, "/original_invoice", Value::Null)),
        "/original_invoice",
        "a credit memo names the invoice it credits: give `original_invoice`",
    );
    expect(
        invoice_refusal(changed(m, "/lines/0/quantity", json!("-6"))),
        "/lines/0/quantity",
        "line 3 credits `6`, more than the `5` ordered",
    );
    expect(
        invoice_refusal(changed(m, "/original_invoice/payload_id", json!(""))),
        "/original_invoice/payload_id",
        "payload id is empty",
    );

    // What the order lacks or gets wrong.
    let mut unpriced = order();
    unpriced.lines[2].unit_price = None;
    expect(
        invoice_refusal_for(&unpriced, json(i)),
        "/lines/2/unit_price",
        "order line 3 has no price: give `unit_price`",
    );
    let mut dollars = order();
    dollars.lines[0].unit_price.as_mut().unwrap().currency = "USD".into();
    expect(
        invoice_refusal_for(&dollars, json(i)),
        "/lines/0/unit_price",
        "order line 1 is priced in `USD`, not in the order's currency `EUR`: give `unit_price` in `EUR`",
    );
    for (code, message) in [
        ("XYZ", "the order's currency: expected an active ISO 4217 currency code such as `EUR`, found `XYZ`"),
        ("XAU", "the order's currency: currency `XAU` has no minor unit (a precious metal, fund or testing code): expected the ISO 4217 code of a currency such as `EUR`"),
    ] {
        let mut unknown = order();
        unknown.currency = code.into();
        expect(invoice_refusal_for(&unknown, json(i)), "/currency", message);
    }
    let mut garbled = order();
    garbled.lines[1].quantity = "two".into();
    expect(
        invoice_refusal_for(&garbled, json(i)),
        "/lines/1/quantity",
        "the order's line 2: expected a decimal number such as `12.50`, found `two`",
    );
}

#[test]
fn an_order_of_another_buyer_or_an_oci_profile_is_refused_before_the_shop_data() {
    let confirmation: Confirmation = from(json(CONFIRMATION));
    let mut foreign = order();
    foreign.buyer_id = "globex-coupa".into();
    expect(
        refusal(
            confirmation_request(&profile(), &foreign, &confirmation, &envelope()).unwrap_err(),
        ),
        "/buyer_id",
        "the order belongs to buyer `globex-coupa`, not to `acme-ariba`",
    );
    let mut stranger = order();
    stranger.buyer.identity = "AN09999999999".into();
    expect(
        refusal(
            confirmation_request(&profile(), &stranger, &confirmation, &envelope()).unwrap_err(),
        ),
        "/buyer",
        "the order's buyer credential `AN09999999999` (domain `NetworkID`) is not one of buyer `acme-ariba`'s credentials",
    );
    let oci = BuyerProfile::compile(
        include_str!("../../host-example/samples/oci-buyer-profile.json"),
        &[ResolvedSecret {
            name: "ACME_SRM_OCI_PASSWORD".into(),
            value: Secret::new("oci-p4ss"),
        }],
    )
    .unwrap();
    let error = confirmation_request(&oci, &order(), &confirmation, &envelope()).unwrap_err();
    assert_eq!(error.code(), ErrorCode::UnsupportedOperation);
    assert!(!format!("{error} {error:?}").contains("s3cr3t"));
}

#[test]
fn lines_over_the_profile_budget_are_refused_before_any_is_read() {
    let mut value = json(SHIP_NOTICE);
    value["lines"] = Value::Array(vec![json!({"line_number": 99, "quantity": "1"}); 10_001]);
    let (code, pointer, message) = ship_notice_refusal(value);
    assert_eq!(code, ErrorCode::LimitExceeded);
    assert_eq!(pointer, "/lines");
    assert_eq!(
        message,
        "10001 lines exceed the limit `max_cart_lines` of 10000"
    );
}

#[test]
fn the_shop_data_refuses_unknown_fields() {
    let error =
        serde_json::from_value::<Invoice>(changed(INVOICE, "/total", json!("274.14"))).unwrap_err();
    assert!(
        error.to_string().starts_with("unknown field `total`"),
        "{error}"
    );
    let error =
        serde_json::from_value::<ShipNotice>(changed(SHIP_NOTICE, "/fulfilment", json!("done")))
            .unwrap_err();
    assert!(
        error.to_string().starts_with("unknown variant `done`"),
        "{error}"
    );
}

// ---------------------------------------------------------------------------------------------
// Property: random orders with random shop data give valid documents
// ---------------------------------------------------------------------------------------------

/// Text with what XML must escape or cannot hold, and more than ASCII.
fn text() -> impl Strategy<Value = String> {
    prop::string::string_regex("[a-zA-Z0-9 <>&\"'\t\n\r\u{1}\u{b}€üß中🙂-]{1,12}").unwrap()
}

fn decimal_text(mantissa: u64, scale: u32) -> String {
    Decimal::new(i64::try_from(mantissa).unwrap(), scale).to_string()
}

const CURRENCIES: &[&str] = &[
    "EUR", "USD", "JPY", "BHD", "KWD", "CLF", "KRW", "TND", "GBP",
];
const UNITS: &[&str] = &["EA", "PCE", "KGM", "PK", "H87"];

#[derive(Clone, Debug)]
struct LineSpec {
    number: u32,
    quantity: (u64, u32),
    price: Option<(u64, u32)>,
    unit: usize,
    part: String,
    auxiliary: Option<String>,
    description: Option<String>,
    classified: bool,
}

fn line_spec() -> impl Strategy<Value = LineSpec> {
    (
        (1u64..=5_000, 0u32..=3),
        prop::option::weighted(0.9, (0u64..=10_000_000, 0u32..=4)),
        0..UNITS.len(),
        text(),
        prop::option::of(text()),
        prop::option::of(text()),
        any::<bool>(),
    )
        .prop_map(
            |(quantity, price, unit, part, auxiliary, description, classified)| LineSpec {
                number: 0,
                quantity,
                price,
                unit,
                part,
                auxiliary,
                description,
                classified,
            },
        )
}

fn order_strategy() -> impl Strategy<Value = (PurchaseOrder, u64)> {
    (
        0..CURRENCIES.len(),
        prop::collection::btree_set(1u32..100_000, 1..=8),
        prop::collection::vec(line_spec(), 8),
        text(),
        any::<u64>(),
    )
        .prop_map(|(currency, numbers, specs, order_id, seed)| {
            let currency = CURRENCIES[currency];
            let lines: Vec<Value> = numbers
                .iter()
                .zip(specs)
                .map(|(number, spec)| {
                    let spec = LineSpec {
                        number: *number,
                        ..spec
                    };
                    let mut line = json!({
                        "line_number": spec.number,
                        "quantity": decimal_text(spec.quantity.0, spec.quantity.1),
                        "supplier_part_id": spec.part,
                        "unit": UNITS[spec.unit],
                    });
                    if let Some((mantissa, scale)) = spec.price {
                        line["unit_price"] =
                            json!({"amount": decimal_text(mantissa, scale), "currency": currency});
                    }
                    if let Some(auxiliary) = spec.auxiliary {
                        line["supplier_part_auxiliary_id"] = json!(auxiliary);
                    }
                    if let Some(description) = spec.description {
                        line["description"] = json!(description);
                    }
                    if spec.classified {
                        line["classification"] = json!({"name": "UNSPSC", "value": "14111507"});
                        line["manufacturer_part_id"] = json!("M-1");
                        line["manufacturer_name"] = json!("Maker & Söhne");
                    }
                    line
                })
                .collect();
            let mut value = json(ORDER);
            value["currency"] = json!(currency);
            value["total"] = json!({"amount": "1", "currency": currency});
            value["order_id"] = json!(order_id);
            value["lines"] = Value::Array(lines);
            (from(value), seed)
        })
}

/// A small deterministic generator for the shop's choices, seeded by the case.
struct Choices(u64);

impl Choices {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn date(&mut self) -> String {
        format!(
            "2026-{:02}-{:02}T{:02}:{:02}:00{}",
            1 + self.below(12),
            1 + self.below(28),
            self.below(24),
            self.below(60),
            ["Z", "+01:00", "-05:00", "+09:00"][self.below(4) as usize]
        )
    }

    /// `quantity` cut into `parts` positive pieces at its own scale (fewer when it is too small).
    fn split(&mut self, quantity: Decimal, parts: usize) -> Vec<Decimal> {
        let scale = quantity.scale();
        let units = u64::try_from(quantity.mantissa()).unwrap();
        let parts = (parts as u64).min(units).max(1);
        let mut cuts: Vec<u64> = Vec::new();
        while (cuts.len() as u64) < parts - 1 {
            let cut = 1 + self.below(units - 1);
            if !cuts.contains(&cut) {
                cuts.push(cut);
            }
        }
        cuts.sort_unstable();
        cuts.push(units);
        let mut previous = 0;
        cuts.into_iter()
            .map(|cut| {
                let piece = Decimal::new(i64::try_from(cut - previous).unwrap(), scale);
                previous = cut;
                piece
            })
            .collect()
    }

    fn pick<'o>(&mut self, order: &'o PurchaseOrder) -> Vec<&'o punchout_plugin::order::OrderLine> {
        let mut picked: Vec<_> = order.lines.iter().filter(|_| self.chance(60)).collect();
        if picked.is_empty() {
            picked.push(&order.lines[self.below(order.lines.len() as u64) as usize]);
        }
        picked
    }
}

fn random_confirmation(order: &PurchaseOrder, choices: &mut Choices) -> Confirmation {
    let kind = ["accept", "reject", "detail"][choices.below(3) as usize];
    let mut lines = Vec::new();
    if kind != "reject" && (kind == "detail" || choices.chance(50)) {
        for line in choices.pick(order) {
            let ordered: Decimal = line.quantity.parse().unwrap();
            let parts = if kind == "accept" {
                1
            } else {
                1 + choices.below(3) as usize
            };
            let pieces = choices.split(ordered, parts);
            let several = pieces.len() > 1;
            for piece in pieces {
                let status = if kind == "accept" {
                    "accept"
                } else {
                    ["accept", "reject", "backordered", "changed"][choices.below(4) as usize]
                };
                let mut entry = json!({"line_number": line.line_number, "status": status});
                if several || choices.chance(30) {
                    entry["quantity"] = json!(piece.to_string());
                }
                if status == "changed" || (status != "reject" && choices.chance(30)) {
                    entry["delivery_date"] = json!(choices.date());
                }
                if status == "changed" && choices.chance(60) {
                    entry["unit_price"] = json!(decimal_text(choices.below(1_000_000), 2));
                }
                if status != "reject" && choices.chance(20) {
                    entry["shipment_date"] = json!(choices.date());
                }
                if choices.chance(20) {
                    entry["comments"] = json!("about <this> & \"that\"");
                }
                lines.push(entry);
            }
        }
    }
    let mut value = json!({
        "confirm_id": format!("CONF-{}", choices.next()),
        "notice_date": choices.date(),
        "kind": kind,
        "lines": lines,
    });
    if choices.chance(40) {
        value["comments"] = json!("shop <notes> & more");
    }
    from(value)
}

fn random_ship_notice(order: &PurchaseOrder, choices: &mut Choices) -> ShipNotice {
    let mut lines = Vec::new();
    for line in choices.pick(order) {
        let ordered: Decimal = line.quantity.parse().unwrap();
        // Earlier shipments, this notice's portions, and what stays unshipped.
        let parts = 1 + choices.below(4) as usize;
        let pieces = choices.split(ordered, parts);
        let earlier = if pieces.len() > 1 && choices.chance(50) {
            Some(pieces[0])
        } else {
            None
        };
        let shipped = &pieces[usize::from(earlier.is_some())..];
        let keep = shipped.len().min(1 + choices.below(2) as usize);
        for piece in &shipped[..keep] {
            let mut entry = json!({"line_number": line.line_number, "quantity": piece.to_string()});
            if let Some(earlier) = earlier {
                entry["already_shipped"] = json!(earlier.to_string());
            }
            lines.push(entry);
        }
    }
    let mut value = json!({
        "shipment_id": format!("SHIP-{}", choices.next()),
        "notice_date": choices.date(),
        "shipment_date": choices.date(),
        "fulfilment": if choices.chance(50) { "partial" } else { "complete" },
        "lines": lines,
    });
    if choices.chance(50) {
        value["delivery_date"] = json!(choices.date());
    }
    if choices.chance(60) {
        value["carrier"] = json!({"name": "UPS & Sons", "tracking_number": "1Z<999>"});
        if choices.chance(50) {
            value["carrier"]["tracking_url"] = json!("https://track.example/?a=1&b=\"2\"");
        }
    }
    if choices.chance(30) {
        value["comments"] = json!("fragile");
    }
    from(value)
}

fn random_invoice(order: &PurchaseOrder, choices: &mut Choices) -> Invoice {
    let credit = choices.chance(35);
    let currency = Currency::of(&order.currency).unwrap();
    let sign = |amount: Decimal| if credit { -amount } else { amount };
    let tax = |choices: &mut Choices| {
        let category = ["vat", "gst", "sales"][choices.below(3) as usize];
        let rate = decimal_text(choices.below(2_501), choices.below(3) as u32);
        json!({"category": category, "rate": rate})
    };
    let mut lines = Vec::new();
    for line in choices.pick(order) {
        let ordered: Decimal = line.quantity.parse().unwrap();
        let parts = 1 + choices.below(3) as usize;
        let pieces = choices.split(ordered, parts);
        for piece in pieces.iter().take(1 + choices.below(2) as usize) {
            let mut entry =
                json!({"line_number": line.line_number, "quantity": sign(*piece).to_string()});
            if line.unit_price.is_none() || choices.chance(25) {
                entry["unit_price"] = json!(decimal_text(
                    choices.below(10_000_000),
                    choices.below(5) as u32
                ));
            }
            if choices.chance(70) {
                entry["tax"] = tax(choices);
            }
            lines.push(entry);
        }
    }
    let mut value = json!({
        "invoice_id": format!("INV-{}", choices.next()),
        "invoice_date": choices.date(),
        "purpose": if credit { "credit_memo" } else { "standard" },
        "lines": lines,
    });
    if credit {
        value["original_invoice"] = json!({"invoice_id": "INV-1", "payload_id": "1@shop"});
        if choices.chance(50) {
            value["original_invoice"]["invoice_date"] = json!(choices.date());
        }
    }
    if choices.chance(60) {
        let amount = Decimal::new(
            i64::try_from(choices.below(100_000)).unwrap(),
            currency.minor_units(),
        );
        value["shipping"] = json!({"amount": sign(amount).to_string()});
        if choices.chance(50) {
            value["shipping"]["tax"] = tax(choices);
        }
    }
    if choices.chance(50) {
        value["remit_to"] = json!("Shop & Co <billing>");
    }
    if choices.chance(30) {
        value["comments"] = json!("thank you");
    }
    from(value)
}

/// Every amount of a computed invoice has the currency's decimals at most, the sign of the
/// document, and the totals are the sums of the lines.
fn check_invoice_arithmetic(order: &PurchaseOrder, invoice: &Invoice) -> Result<(), TestCaseError> {
    let computed = invoice.compute(order, &InputLimits::DEFAULT).unwrap();
    let currency = computed.currency;
    let credit = invoice.purpose == punchout_plugin::order::fulfilment::InvoicePurpose::CreditMemo;
    let mut subtotal = Decimal::ZERO;
    let mut tax = Decimal::ZERO;
    for line in &computed.lines {
        prop_assert_eq!(
            line.subtotal,
            currency.round(line.quantity * line.unit_price)
        );
        let signed = if credit {
            line.subtotal <= Decimal::ZERO
        } else {
            line.subtotal >= Decimal::ZERO
        };
        prop_assert!(signed, "line subtotal {} has the wrong sign", line.subtotal);
        subtotal += line.subtotal;
        if let Some(line_tax) = &line.tax {
            prop_assert_eq!(
                line_tax.amount,
                currency.round(line.subtotal * line_tax.rate / Decimal::ONE_HUNDRED)
            );
            tax += line_tax.amount;
        }
    }
    let shipping = computed
        .shipping
        .as_ref()
        .map_or(Decimal::ZERO, |s| s.amount);
    if let Some(shipping_tax) = computed.shipping.as_ref().and_then(|s| s.tax.as_ref()) {
        tax += shipping_tax.amount;
    }
    prop_assert_eq!(computed.subtotal, subtotal);
    prop_assert_eq!(computed.tax, tax);
    prop_assert_eq!(computed.total, subtotal + tax + shipping);
    prop_assert!(currency.is_exact(computed.total));
    let signed = if credit {
        computed.total <= Decimal::ZERO
    } else {
        computed.total >= Decimal::ZERO
    };
    prop_assert!(signed, "total {} has the wrong sign", computed.total);
    Ok(())
}

#[test]
fn a_thousand_random_orders_with_random_shop_data_give_documents_that_validate() {
    let profile = profile();
    let fulfil = RefCell::new(Vec::new());
    let invoices = RefCell::new(Vec::new());
    let mut runner = TestRunner::new(Config {
        cases: 1_000,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&order_strategy(), |(order, seed)| {
            let mut choices = Choices(seed);
            let confirmation = random_confirmation(&order, &mut choices);
            let notice = random_ship_notice(&order, &mut choices);
            let invoice = random_invoice(&order, &mut choices);
            let written = (
                confirmation_request(&profile, &order, &confirmation, &envelope()),
                ship_notice_request(&profile, &order, &notice, &envelope()),
                invoice_detail_request(&profile, &order, &invoice, &envelope()),
            );
            let (Ok(confirmed), Ok(shipped), Ok(invoiced)) = written else {
                return Err(TestCaseError::fail(format!(
                    "valid shop data was refused: {written:?}\n{confirmation:?}\n{notice:?}\n{invoice:?}"
                )));
            };
            check_invoice_arithmetic(&order, &invoice)?;
            let case = invoices.borrow().len();
            fulfil.borrow_mut().push((format!("confirmation-{case}"), confirmed));
            fulfil.borrow_mut().push((format!("ship-notice-{case}"), shipped));
            invoices.borrow_mut().push((format!("invoice-{case}"), invoiced));
            Ok(())
        })
        .unwrap();
    let fulfil = fulfil.into_inner();
    let invoices = invoices.into_inner();
    assert!(invoices.len() >= 1_000, "{} cases ran", invoices.len());
    validate_all(Dtd::Fulfill, &fulfil);
    validate_all(Dtd::InvoiceDetail, &invoices);
}

proptest! {
    #[test]
    fn shipping_more_than_ordered_is_always_refused_at_the_line(
        (order, seed) in order_strategy(),
        excess in 1u64..1_000,
    ) {
        let mut choices = Choices(seed);
        let line = &order.lines[choices.below(order.lines.len() as u64) as usize];
        let ordered: Decimal = line.quantity.parse().unwrap();
        let quantity = ordered + Decimal::new(i64::try_from(excess).unwrap(), 3);
        let notice: ShipNotice = from(json!({
            "shipment_id": "S", "notice_date": "2026-01-01T00:00:00Z",
            "shipment_date": "2026-01-01T00:00:00Z", "fulfilment": "partial",
            "lines": [{"line_number": line.line_number, "quantity": quantity.to_string()}]
        }));
        let error = ship_notice_request(&profile(), &order, &notice, &envelope()).unwrap_err();
        prop_assert_eq!(error.code(), ErrorCode::InvalidOrder);
        prop_assert_eq!(error.location().pointer.as_deref(), Some("/lines/0/quantity"));
    }
}
