//! `OrderRequest` intake on the bundled sample cXML buyer: the specification's example, every
//! header and line part, the reverse unit map, refusals with their exact codes and locations,
//! hostile XML, the line budget, the content hash, and random orders written and read back.

use std::path::PathBuf;
use std::process::Command;

use proptest::prelude::*;
use proptest::strategy::ValueTree;

use super::*;
use crate::error::{ErrorCode, Location};
use crate::model::Address;
use crate::profile::{ResolvedSecret, Secret};

const PROFILE: &str = include_str!("../../../../host-example/samples/cxml-buyer-profile.json");
const OCI_PROFILE: &str = include_str!("../../../../host-example/samples/oci-buyer-profile.json");
const SETUP_REQUEST: &str = include_str!("../../../../host-example/samples/cxml-setup-request.xml");

/// The specification folder: `$PUNCHOUT_SPEC_DIR`, else `../shared/spec` beside the project.
fn spec_dir() -> PathBuf {
    let dir = std::env::var_os("PUNCHOUT_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec"));
    assert!(
        dir.join("cxml/1.2.069/cXML.dtd").is_file(),
        "specification folder `{}` is missing: place shared/spec beside the project or set PUNCHOUT_SPEC_DIR",
        dir.display()
    );
    dir
}

fn spec_example(name: &str) -> String {
    let path = spec_dir().join("cxml/examples").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Validates cXML documents against the 1.2.069 DTD with xmllint, never fetching anything.
fn validate(documents: &[&str]) {
    let dir = std::env::temp_dir().join(format!(
        "punchout-order-request-{}-{}",
        std::process::id(),
        documents.len()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let files: Vec<PathBuf> = documents
        .iter()
        .enumerate()
        .map(|(index, document)| {
            let file = dir.join(format!("doc-{index}.xml"));
            std::fs::write(&file, document).unwrap();
            file
        })
        .collect();
    let output = Command::new("xmllint")
        .args(["--noout", "--nonet", "--dtdvalid"])
        .arg(spec_dir().join("cxml/1.2.069/cXML.dtd"))
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run xmllint (apt-get install libxml2-utils): {e}"));
    assert!(
        output.status.success(),
        "not valid against cXML.dtd ({}): {}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn profile_with(json: &str) -> BuyerProfile {
    BuyerProfile::compile(
        json,
        &[
            ResolvedSecret {
                name: "ACME_ARIBA_SHARED_SECRET".into(),
                value: Secret::new("s3cr3t"),
            },
            ResolvedSecret {
                name: "ACME_SRM_OCI_PASSWORD".into(),
                value: Secret::new("oci-p4ss"),
            },
        ],
    )
    .unwrap()
}

fn profile() -> BuyerProfile {
    profile_with(PROFILE)
}

fn read(document: &str) -> Result<PurchaseOrder> {
    read_order_request(&profile(), document.as_bytes())
}

fn refused(document: &str) -> Error {
    match read(document) {
        Ok(order) => panic!("expected a refusal, read {order:?}"),
        Err(error) => error,
    }
}

fn envelope() -> Envelope {
    Envelope {
        payload_id: "1700001001.77.44444@shop.example.com".into(),
        timestamp: "2026-01-16T09:00:02+01:00".into(),
    }
}

fn credential(domain: &str, identity: &str) -> Credential {
    Credential {
        domain: domain.into(),
        identity: identity.into(),
    }
}

fn money(amount: &str, currency: &str) -> Money {
    Money {
        amount: amount.into(),
        currency: currency.into(),
    }
}

fn berlin(id: &str, name: &str) -> Address {
    Address {
        name: name.into(),
        address_id: Some(id.into()),
        deliver_to: Vec::new(),
        street: vec!["Hauptstr. 1".into()],
        city: "Berlin".into(),
        state: None,
        postal_code: Some("10115".into()),
        country_code: "DE".into(),
        email: None,
    }
}

#[test]
fn the_specification_example_reads_with_exact_values() {
    let order = read(&spec_example("OrderRequest.xml")).unwrap();
    let mut expected = PurchaseOrder {
        buyer_id: "acme-ariba".into(),
        payload_id: "1700001000.4242.33333@buyer.example.com".into(),
        order_id: "PO-4711".into(),
        order_date: "2026-01-16T09:00:00+01:00".into(),
        order_type: OrderType::New,
        order_version: None,
        previous_order: None,
        buyer: credential("NetworkID", "AN01000000001"),
        supplier: credential("DUNS", "123456789"),
        currency: "EUR".into(),
        total: money("53.55", "EUR"),
        ship_to: Some(berlin("HQ", "Buyer HQ")),
        bill_to: Some(berlin("AP", "Buyer AP")),
        shipping: None,
        tax: None,
        payment: None,
        contacts: Vec::new(),
        comments: None,
        extrinsics: Vec::new(),
        supplier_order_id: None,
        lines: vec![OrderLine {
            line_number: 1,
            quantity: "2".into(),
            supplier_part_id: "ABC-123".into(),
            supplier_part_auxiliary_id: Some("cart-9:line-1".into()),
            unit: "EA".into(),
            // The sample profile maps the shop's `PCE` to `EA`.
            shop_unit: Some("PCE".into()),
            unit_price: Some(money("20.00", "EUR")),
            description: Some("Copy paper A4 80g, 500 sheets".into()),
            classification: Some(Property::new("UNSPSC", "14111507")),
            manufacturer_part_id: None,
            manufacturer_name: None,
            requested_delivery_date: Some("2026-01-20".into()),
            ship_to: None,
            shipping: None,
            tax: None,
            distributions: Vec::new(),
            comments: None,
            extrinsics: Vec::new(),
        }],
        content_hash: String::new(),
        idempotency_key: String::new(),
    };
    expected.seal();
    assert_eq!(order, expected);
    assert_eq!(order.content_hash.len(), 64);
}

/// An order with every part the reader knows, valid against cXML.dtd.
const FULL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd">
<cXML payloadID="po-2@buyer.example.com" timestamp="2026-01-17T09:00:00+01:00" version="1.2.050">
  <Header>
    <From><Credential domain="NetworkID"><Identity>AN01000000001</Identity></Credential></From>
    <To><Credential domain="DUNS"><Identity>123456789</Identity></Credential></To>
    <Sender><Credential domain="NetworkID"><Identity>AN01000000001</Identity><SharedSecret>s3cr3t</SharedSecret></Credential><UserAgent>Buyer 1.0</UserAgent></Sender>
  </Header>
  <Request>
    <OrderRequest>
      <OrderRequestHeader orderID="PO-4711" orderDate="2026-01-17T09:00:00+01:00" type="update" orderVersion="2">
        <Total><Money currency="EUR">71.40</Money></Total>
        <ShipTo><Address addressID="HQ"><Name xml:lang="en">Buyer HQ</Name><PostalAddress><DeliverTo>Jane Doe</DeliverTo><DeliverTo>Room 4</DeliverTo><Street>Hauptstr. 1</Street><Street>Hof 2</Street><City>Berlin</City><State>BE</State><PostalCode>10115</PostalCode><Country isoCountryCode="DE">Germany</Country></PostalAddress><Email>goods@buyer.example</Email></Address></ShipTo>
        <BillTo><Address addressID="AP"><Name xml:lang="en">Buyer AP</Name></Address></BillTo>
        <Shipping><Money currency="EUR">5.00</Money><Description xml:lang="en">Express</Description></Shipping>
        <Tax><Money currency="EUR">11.40</Money><Description xml:lang="en">VAT 19%</Description></Tax>
        <Payment><PCard number="4111111111111234" expiration="2027-12-31" name="Jane Doe"/></Payment>
        <Contact role="purchasingAgent"><Name xml:lang="en">Jane Doe</Name><Email>jane@buyer.example</Email><Phone><TelephoneNumber><CountryCode isoCountryCode="DE">49</CountryCode><AreaOrCityCode>30</AreaOrCityCode><Number>1234567</Number><Extension>12</Extension></TelephoneNumber></Phone></Contact>
        <Contact><Name xml:lang="en">Receiving</Name></Contact>
        <Comments xml:lang="en">Deliver before noon</Comments>
        <Comments xml:lang="en">Call first</Comments>
        <DocumentReference payloadID="po-1@buyer.example.com"/>
        <SupplierOrderInfo orderID="SO-99"/>
        <Extrinsic name="CostCenter">  4711 </Extrinsic>
        <Extrinsic name="Requester">Jane <Name xml:lang="en">Doe</Name></Extrinsic>
      </OrderRequestHeader>
      <ItemOut quantity="3.5" lineNumber="10" requestedDeliveryDate="2026-01-20">
        <ItemID><SupplierPartID> SKU-1 </SupplierPartID><SupplierPartAuxiliaryID>cart-9:line-1</SupplierPartAuxiliaryID></ItemID>
        <ItemDetail>
          <UnitPrice><Money currency="EUR">10.00</Money></UnitPrice>
          <Description xml:lang="de">Kopierpapier A4<ShortName>Papier</ShortName></Description>
          <UnitOfMeasure>KGM</UnitOfMeasure>
          <Classification domain="UNSPSC">14111507</Classification>
          <Classification domain="eCl@ss">24-32-01-01</Classification>
          <ManufacturerPartID>MPN-1</ManufacturerPartID>
          <ManufacturerName>Paper Co</ManufacturerName>
          <Extrinsic name="Colour">white</Extrinsic>
        </ItemDetail>
        <ShipTo><Address addressID="WH"><Name xml:lang="en">Warehouse</Name></Address></ShipTo>
        <Shipping><Money currency="EUR">1.00</Money><Description xml:lang="en">Pallet</Description></Shipping>
        <Tax><Money currency="EUR">6.65</Money><Description xml:lang="en">VAT</Description></Tax>
        <Distribution><Accounting name="DistributionCharge"><AccountingSegment id="4711"><Name xml:lang="en">CostCenter</Name><Description xml:lang="en">Office</Description></AccountingSegment><AccountingSegment id="6000"><Name xml:lang="en">GLAccount</Name><Description xml:lang="en">Supplies</Description></AccountingSegment></Accounting><Charge><Money currency="EUR">35.00</Money></Charge></Distribution>
        <Distribution><Accounting name="Legacy"><Segment type="Project" id="P-1" description="Move"/></Accounting><Charge><Money currency="EUR">0</Money></Charge></Distribution>
        <Comments xml:lang="en">Line note</Comments>
      </ItemOut>
      <ItemOut quantity="1">
        <ItemID><SupplierPartID>SKU-2</SupplierPartID></ItemID>
      </ItemOut>
    </OrderRequest>
  </Request>
</cXML>
"#;

#[test]
fn every_header_and_line_part_is_read() {
    validate(&[FULL]);
    let order = read(FULL).unwrap();
    assert_eq!(order.order_type, OrderType::Update);
    assert_eq!(order.order_version, Some(2));
    assert_eq!(
        order.previous_order,
        Some(OrderReference {
            order_id: "PO-4711".into(),
            payload_id: Some("po-1@buyer.example.com".into()),
            order_date: None,
        })
    );
    assert_eq!(order.total, money("71.40", "EUR"));
    assert_eq!(
        order.ship_to,
        Some(Address {
            name: "Buyer HQ".into(),
            address_id: Some("HQ".into()),
            deliver_to: vec!["Jane Doe".into(), "Room 4".into()],
            street: vec!["Hauptstr. 1".into(), "Hof 2".into()],
            city: "Berlin".into(),
            state: Some("BE".into()),
            postal_code: Some("10115".into()),
            country_code: "DE".into(),
            email: Some("goods@buyer.example".into()),
        })
    );
    assert_eq!(
        order.bill_to,
        Some(Address {
            name: "Buyer AP".into(),
            address_id: Some("AP".into()),
            ..Address::default()
        })
    );
    assert_eq!(
        order.shipping,
        Some(Charge {
            money: money("5.00", "EUR"),
            description: Some("Express".into())
        })
    );
    assert_eq!(
        order.tax,
        Some(Charge {
            money: money("11.40", "EUR"),
            description: Some("VAT 19%".into())
        })
    );
    assert_eq!(
        order.payment,
        Some(Payment {
            method: "pcard".into(),
            card_last_digits: Some("1234".into()),
            card_name: Some("Jane Doe".into()),
            expiration: Some("2027-12-31".into()),
        })
    );
    assert_eq!(
        order.contacts,
        vec![
            Contact {
                role: Some("purchasingAgent".into()),
                name: "Jane Doe".into(),
                email: Some("jane@buyer.example".into()),
                phone: Some("+49 30 1234567 ext. 12".into()),
            },
            Contact {
                role: None,
                name: "Receiving".into(),
                email: None,
                phone: None,
            }
        ]
    );
    assert_eq!(
        order.comments.as_deref(),
        Some("Deliver before noon\nCall first")
    );
    assert_eq!(
        order.extrinsics,
        vec![
            Property::new("CostCenter", "4711"),
            Property::new("Requester", "Jane Doe")
        ]
    );
    assert_eq!(order.supplier_order_id.as_deref(), Some("SO-99"));

    let line = &order.lines[0];
    assert_eq!(line.line_number, 10);
    assert_eq!(line.quantity, "3.5");
    assert_eq!(line.supplier_part_id, "SKU-1");
    assert_eq!(
        line.supplier_part_auxiliary_id.as_deref(),
        Some("cart-9:line-1")
    );
    assert_eq!(line.requested_delivery_date.as_deref(), Some("2026-01-20"));
    assert_eq!(line.unit_price, Some(money("10.00", "EUR")));
    // The short name is not part of the description's own text.
    assert_eq!(line.description.as_deref(), Some("Kopierpapier A4"));
    assert_eq!(line.unit, "KGM");
    // Not in the profile's map and a Rec 20 code: the shop sent it as it is.
    assert_eq!(line.shop_unit.as_deref(), Some("KGM"));
    assert_eq!(
        line.classification,
        Some(Property::new("UNSPSC", "14111507"))
    );
    assert_eq!(line.manufacturer_part_id.as_deref(), Some("MPN-1"));
    assert_eq!(line.manufacturer_name.as_deref(), Some("Paper Co"));
    assert_eq!(line.extrinsics, vec![Property::new("Colour", "white")]);
    assert_eq!(
        line.ship_to.as_ref().map(|a| a.name.as_str()),
        Some("Warehouse")
    );
    assert_eq!(
        line.shipping,
        Some(Charge {
            money: money("1.00", "EUR"),
            description: Some("Pallet".into())
        })
    );
    assert_eq!(
        line.tax.as_ref().map(|t| t.money.amount.as_str()),
        Some("6.65")
    );
    assert_eq!(
        line.distributions,
        vec![
            Distribution {
                name: "DistributionCharge".into(),
                segments: vec![
                    AccountingSegment {
                        kind: "CostCenter".into(),
                        id: "4711".into(),
                        description: Some("Office".into()),
                    },
                    AccountingSegment {
                        kind: "GLAccount".into(),
                        id: "6000".into(),
                        description: Some("Supplies".into()),
                    },
                ],
                charge: money("35.00", "EUR"),
            },
            Distribution {
                name: "Legacy".into(),
                segments: vec![AccountingSegment {
                    kind: "Project".into(),
                    id: "P-1".into(),
                    description: Some("Move".into()),
                }],
                charge: money("0", "EUR"),
            }
        ]
    );
    assert_eq!(line.comments.as_deref(), Some("Line note"));
    // The second line has no lineNumber: it gets its position.
    assert_eq!(order.lines[1].line_number, 2);
}

#[test]
fn the_card_number_is_never_kept() {
    let order = read(FULL).unwrap();
    let json = serde_json::to_string(&order).unwrap();
    let debug = format!("{order:?}");
    for text in [&json, &debug] {
        assert!(!text.contains("4111111111111234"));
        assert!(!text.contains("411111"));
    }
    assert_eq!(
        last_digits("4111 1111 1111 1234", 4).as_deref(),
        Some("1234")
    );
    assert_eq!(last_digits("12", 4).as_deref(), Some("12"));
    assert_eq!(last_digits("xxxx", 4), None);
}

#[test]
fn a_bare_item_id_line_has_no_price_description_or_unit() {
    let order = read(FULL).unwrap();
    let bare = &order.lines[1];
    assert_eq!(bare.supplier_part_id, "SKU-2");
    assert_eq!(bare.supplier_part_auxiliary_id, None);
    assert_eq!(bare.quantity, "1");
    assert_eq!(bare.unit, "");
    assert_eq!(bare.shop_unit, None);
    assert_eq!(bare.unit_price, None);
    assert_eq!(bare.description, None);
    assert_eq!(bare.classification, None);
}

#[test]
fn a_latin1_order_is_read() {
    let text = spec_example("OrderRequest.xml")
        .replacen("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"", 1)
        .replace(
            "Copy paper A4 80g, 500 sheets",
            "Kopierpapier Größe A4 – weiß",
        )
        .replace("Hauptstr. 1", "Königsallee 1");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    assert!(bytes.contains(&0xF6), "the document is Latin-1, not UTF-8");
    let order = read_order_request(&profile(), &bytes).unwrap();
    assert_eq!(
        order.lines[0].description.as_deref(),
        Some("Kopierpapier Größe A4 – weiß")
    );
    assert_eq!(
        order.ship_to.map(|address| address.street),
        Some(vec!["Königsallee 1".to_owned()])
    );
}

fn with_header_attributes(attributes: &str, reference: &str) -> String {
    spec_example("OrderRequest.xml")
        .replace("type=\"new\"", attributes)
        .replace("</BillTo>", &format!("</BillTo>{reference}"))
}

#[test]
fn update_and_delete_carry_the_earlier_order() {
    for (kind, order_type) in [("update", OrderType::Update), ("delete", OrderType::Delete)] {
        let document = with_header_attributes(
            &format!("type=\"{kind}\" orderVersion=\"3\""),
            "<DocumentReference payloadID=\"earlier@buyer.example.com\"/>",
        );
        validate(&[&document]);
        let order = read(&document).unwrap();
        assert_eq!(order.order_type, order_type);
        assert_eq!(order.order_version, Some(3));
        assert_eq!(
            order.previous_order,
            Some(OrderReference {
                order_id: "PO-4711".into(),
                payload_id: Some("earlier@buyer.example.com".into()),
                order_date: None,
            })
        );
    }
    // Without a DocumentReference the order is still read: the shop matches by orderID.
    let order = read(&with_header_attributes("type=\"update\"", "")).unwrap();
    assert_eq!(
        order.previous_order,
        Some(OrderReference {
            order_id: "PO-4711".into(),
            payload_id: None,
            order_date: None,
        })
    );
    // No type is a new order, whatever reference it carries.
    let order = read(&with_header_attributes(
        "",
        "<DocumentReference payloadID=\"x\"/>",
    ))
    .unwrap();
    assert_eq!(
        (order.order_type, order.previous_order),
        (OrderType::New, None)
    );
}

#[test]
fn an_unknown_order_type_or_version_is_refused_at_the_header() {
    for (attributes, message) in [
        (
            "type=\"cancel\"",
            "expected order type `new`, `update` or `delete`, found `cancel`",
        ),
        (
            "orderVersion=\"two\"",
            "expected an order version such as `2`, found `two`",
        ),
    ] {
        let error = refused(&with_header_attributes(attributes, ""));
        assert_eq!(error.code(), ErrorCode::InvalidValue, "{attributes}");
        assert_eq!(error.message(), message);
        assert_eq!(
            error.location(),
            &Location::in_document(11, 7, "/cXML/Request/OrderRequest/OrderRequestHeader")
        );
    }
}

#[test]
fn a_wrong_secret_or_an_unknown_sender_is_refused_without_echoing_the_secret() {
    let example = spec_example("OrderRequest.xml");
    let wrong_secret = example.replace("s3cr3t", "guessed-secret");
    let error = refused(&wrong_secret);
    assert_eq!(error.code(), ErrorCode::AuthenticationFailed);
    assert_eq!(
        error.message(),
        "the sender's credentials were not accepted"
    );
    assert_eq!(
        error.location(),
        &Location::in_document(7, 5, "/cXML/Header/Sender")
    );
    let response = crate::cxml::status::error_response(&error, &envelope());
    for text in [error.to_string(), format!("{error:?}"), response.clone()] {
        assert!(!text.contains("guessed-secret") && !text.contains("s3cr3t"));
    }
    assert!(response.contains("<Status code=\"401\" text=\"Unauthorized\""));

    let unknown = example.replace("AN01000000001", "AN09999999999");
    let error = refused(&unknown);
    assert_eq!(error.code(), ErrorCode::AuthenticationFailed);
    let profile = profile();
    let error = identify_order(&[&profile], unknown.as_bytes()).unwrap_err();
    assert_eq!(error.code(), ErrorCode::UnknownBuyer);
    assert_eq!(
        error.message(),
        "no buyer profile recognises the sender's `From` credentials"
    );
    assert_eq!(error.location().path.as_deref(), Some("/cXML/Header/From"));
    let error = identify_order(&[&profile], wrong_secret.as_bytes()).unwrap_err();
    assert_eq!(error.code(), ErrorCode::AuthenticationFailed);
    assert!(!error.to_string().contains("guessed-secret"));
}

#[test]
fn identify_order_routes_among_several_buyers_with_the_order_limits() {
    let other = profile_with(
        &PROFILE
            .replace("acme-ariba", "other")
            .replace("AN01000000001", "AN02000000002"),
    );
    let acme = profile();
    let example = spec_example("OrderRequest.xml");
    assert_eq!(identify_order(&[&other, &acme], example.as_bytes()), Ok(1));
    // An order over the setup request's 256 KiB is routed: the order limits apply.
    let big = order_with_lines(3000);
    assert!(big.len() > 256 * 1024);
    assert_eq!(identify_order(&[&other, &acme], big.as_bytes()), Ok(1));
    assert_eq!(read(&big).unwrap().lines.len(), 3000);
    let oci = profile_with(OCI_PROFILE);
    for error in [
        identify_order(&[&acme, &oci], example.as_bytes()).unwrap_err(),
        read_order_request(&oci, example.as_bytes()).unwrap_err(),
    ] {
        assert_eq!(error.code(), ErrorCode::UnsupportedOperation);
        assert_eq!(error.message(), "buyer `acme-srm` speaks OCI, not cXML");
    }
}

#[test]
fn a_setup_request_is_not_an_order() {
    let error = refused(SETUP_REQUEST);
    assert_eq!(error.code(), ErrorCode::InvalidDocument);
    assert_eq!(
        error.message(),
        "expected `OrderRequest`, found `PunchOutSetupRequest` in `Request`"
    );
    assert_eq!(error.location().path.as_deref(), Some("/cXML/Request"));
}

/// One `ItemOut` with line number `n`.
fn item_out(n: usize) -> String {
    format!(
        "<ItemOut quantity=\"1\" lineNumber=\"{n}\"><ItemID><SupplierPartID>SKU-{n}</SupplierPartID></ItemID></ItemOut>"
    )
}

/// `count` lines numbered from `first`.
fn items(first: usize, count: usize) -> String {
    (first..first + count).map(item_out).collect()
}

#[test]
fn a_repeated_line_number_is_refused_at_the_second_line() {
    let document = spec_example("OrderRequest.xml").replace(
        "</OrderRequest>",
        "<ItemOut quantity=\"1\" lineNumber=\"2\"><ItemID><SupplierPartID>B</SupplierPartID></ItemID></ItemOut>\n<ItemOut quantity=\"1\" lineNumber=\"1\"><ItemID><SupplierPartID>C</SupplierPartID></ItemID></ItemOut></OrderRequest>",
    );
    let error = refused(&document);
    assert_eq!(error.code(), ErrorCode::InvalidValue);
    assert_eq!(
        error.message(),
        "line number `1` occurs twice: expected each `lineNumber` once, found it first at line 16"
    );
    assert_eq!(
        error.location(),
        &Location::in_document(26, 1, "/cXML/Request/OrderRequest/ItemOut")
    );
}

#[test]
fn bad_quantities_and_amounts_are_refused_where_they_are() {
    let example = spec_example("OrderRequest.xml");
    let item = Location::in_document(16, 7, "/cXML/Request/OrderRequest/ItemOut");
    for (quantity, message) in [
        ("-2", "expected a quantity greater than zero, found `-2`"),
        ("0", "expected a quantity greater than zero, found `0`"),
        (
            "1,5",
            "expected a decimal number such as `12.50`, found `1,5`",
        ),
        (
            "1e3",
            "expected a decimal number such as `12.50`, found `1e3`",
        ),
        (
            "1000000000000000",
            "`1000000000000000` has more than 15 digits before the decimal point",
        ),
    ] {
        let error =
            refused(&example.replace("quantity=\"2\"", &format!("quantity=\"{quantity}\"")));
        assert_eq!(error.code(), ErrorCode::InvalidValue, "{quantity}");
        assert_eq!(error.message(), message);
        assert_eq!(error.location(), &item);
    }
    let error = refused(&example.replace("lineNumber=\"1\"", "lineNumber=\"-1\""));
    assert_eq!(
        error.message(),
        "expected a line number such as `1`, found `-1`"
    );
    assert_eq!(error.location(), &item);

    let error = refused(&example.replace(">20.00<", ">20.0.0<"));
    assert_eq!(error.code(), ErrorCode::InvalidValue);
    assert_eq!(
        error.message(),
        "expected a decimal number such as `12.50`, found `20.0.0`"
    );
    assert_eq!(
        error.location().path.as_deref(),
        Some("/cXML/Request/OrderRequest/ItemOut/ItemDetail/UnitPrice/Money")
    );
    let error = refused(&example.replace(
        "<Money currency=\"EUR\">53.55",
        "<Money currency=\"euro\">53.55",
    ));
    assert_eq!(
        error.message(),
        "expected a currency code such as `EUR`, found `euro`"
    );
    assert_eq!(
        error.location(),
        &Location::in_document(
            12,
            16,
            "/cXML/Request/OrderRequest/OrderRequestHeader/Total/Money"
        )
    );
}

#[test]
fn missing_parts_are_refused_where_they_are_missing() {
    let example = spec_example("OrderRequest.xml");
    for (from, to, code, message, path) in [
        (
            "<Total><Money currency=\"EUR\">53.55</Money></Total>",
            "",
            ErrorCode::InvalidDocument,
            "missing element `Total` in `OrderRequestHeader`",
            "/cXML/Request/OrderRequest/OrderRequestHeader",
        ),
        (
            " orderID=\"PO-4711\"",
            "",
            ErrorCode::InvalidDocument,
            "missing attribute `orderID` on `OrderRequestHeader`",
            "/cXML/Request/OrderRequest/OrderRequestHeader",
        ),
        (
            "<UnitOfMeasure>EA</UnitOfMeasure>",
            "",
            ErrorCode::InvalidDocument,
            "missing element `UnitOfMeasure` in `ItemDetail`",
            "/cXML/Request/OrderRequest/ItemOut/ItemDetail",
        ),
        (
            "<Total>",
            "<Total><Money currency=\"EUR\">1</Money></Total><Total>",
            ErrorCode::InvalidDocument,
            "`Total` occurs 2 times, expected at most once",
            "/cXML/Request/OrderRequest/OrderRequestHeader/Total",
        ),
    ] {
        let error = refused(&example.replacen(from, to, 1));
        assert_eq!((error.code(), error.message()), (code, message), "{from}");
        assert_eq!(error.location().path.as_deref(), Some(path));
    }
    let start = example.find("<ItemOut").unwrap();
    let end = example.find("</OrderRequest>").unwrap();
    let mut no_lines = example.clone();
    no_lines.replace_range(start..end, "");
    let error = refused(&no_lines);
    assert_eq!(
        error.message(),
        "missing element `ItemOut` in `OrderRequest`"
    );
    assert_eq!(
        error.location().path.as_deref(),
        Some("/cXML/Request/OrderRequest")
    );
}

#[test]
fn hostile_xml_is_refused_before_authentication_with_the_exact_code() {
    let example = spec_example("OrderRequest.xml");
    let profile = profile();
    let doctype = "<!DOCTYPE cXML SYSTEM \"http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd\">";
    let depth = format!("{}{}", "<x>".repeat(130), "</x>".repeat(130));
    let mut oversized = example.clone().into_bytes();
    oversized.resize(10 * 1024 * 1024 + 1, b' ');
    let cases: Vec<(&str, Vec<u8>, ErrorCode, &str)> = vec![
        (
            "internal subset",
            example
                .replace(doctype, "<!DOCTYPE cXML SYSTEM \"cXML.dtd\" [<!ELEMENT x ANY>]>")
                .into_bytes(),
            ErrorCode::ForbiddenXml,
            "internal DTD subset `[` is not allowed: expected `<!DOCTYPE cXML SYSTEM \"…\">`",
        ),
        (
            "billion laughs",
            example
                .replace(
                    doctype,
                    "<!DOCTYPE cXML [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>",
                )
                .replace("Buyer HQ", "&b;")
                .into_bytes(),
            ErrorCode::ForbiddenXml,
            "internal DTD subset `[` is not allowed: expected `<!DOCTYPE cXML SYSTEM \"…\">`",
        ),
        (
            "undeclared entity",
            example.replace("Buyer HQ", "&b;").into_bytes(),
            ErrorCode::ForbiddenXml,
            "undeclared entity `&b;`: expected `&lt;`, `&gt;`, `&amp;`, `&apos;`, `&quot;` or a character reference",
        ),
        (
            "too deep",
            example
                .replace("<UnitOfMeasure>", &format!("{depth}<UnitOfMeasure>"))
                .into_bytes(),
            ErrorCode::LimitExceeded,
            "element depth 129 exceeds the limit: expected at most 128 nested elements",
        ),
        (
            "over 10 MiB",
            oversized,
            ErrorCode::LimitExceeded,
            "document of 10485761 bytes exceeds the limit: expected at most 10485760 bytes",
        ),
    ];
    for (name, bytes, code, message) in cases {
        for error in [
            read_order_request(&profile, &bytes).unwrap_err(),
            identify_order(&[&profile], &bytes).unwrap_err(),
        ] {
            assert_eq!((error.code(), error.message()), (code, message), "{name}");
        }
    }
}

/// The spec example with `count` lines instead of its one.
fn order_with_lines(count: usize) -> String {
    spec_example("OrderRequest.xml").replace(
        "</OrderRequest>",
        &format!("{}</OrderRequest>", items(2, count - 1)),
    )
}

#[test]
fn ten_thousand_lines_are_read_within_the_default_limits() {
    let order = read(&order_with_lines(10_000)).unwrap();
    assert_eq!(order.lines.len(), 10_000);
    assert_eq!(order.lines[9_999].line_number, 10_000);
    assert_eq!(order.lines[9_999].supplier_part_id, "SKU-10000");
    let error = refused(&order_with_lines(10_001));
    assert_eq!(error.code(), ErrorCode::LimitExceeded);
    assert_eq!(
        error.message(),
        "10001 lines exceed the limit `max_cart_lines` of 10000"
    );
    assert_eq!(
        error.location(),
        &Location::in_document(10, 5, "/cXML/Request/OrderRequest")
    );
    // A profile's own budget applies to orders too.
    let limited = profile_with(&PROFILE.replacen(
        "\"return_urls\"",
        "\"limits\": {\"max_cart_lines\": 2}, \"return_urls\"",
        1,
    ));
    let error = read_order_request(&limited, order_with_lines(3).as_bytes()).unwrap_err();
    assert_eq!(
        error.message(),
        "3 lines exceed the limit `max_cart_lines` of 2"
    );
}

#[test]
fn the_content_hash_ignores_the_delivery_and_follows_the_content() {
    let example = spec_example("OrderRequest.xml");
    let first = read(&example).unwrap();
    let redelivered = read(
        &example
            .replace(
                "1700001000.4242.33333@buyer.example.com",
                "1700009999.1.2@buyer.example.com",
            )
            .replace(
                "timestamp=\"2026-01-16T09:00:00+01:00\"",
                "timestamp=\"2026-01-18T11:00:00Z\"",
            ),
    )
    .unwrap();
    assert_eq!(first.content_hash, redelivered.content_hash);
    assert_ne!(first.idempotency_key, redelivered.idempotency_key);
    let changed = read(&example.replace("quantity=\"2\"", "quantity=\"3\"")).unwrap();
    assert_ne!(first.content_hash, changed.content_hash);
    assert_ne!(first.idempotency_key, changed.idempotency_key);
    // Read twice, the same delivery has the same key.
    assert_eq!(
        read(&example).unwrap().idempotency_key,
        first.idempotency_key
    );
}

#[test]
fn the_buyers_unit_is_read_back_through_the_profiles_unit_map() {
    let profile = profile_with(&PROFILE.replace(
        "\"map\": {\n        \"PCE\": \"EA\"\n      }",
        "\"map\": {\"Stück\": \"PCE\", \"piece\": \"C62\", \"pc\": \"C62\", \"EA\": \"H87\"}",
    ));
    let units = ShopUnits::new(&profile);
    assert_eq!(units.shop_unit("PCE").as_deref(), Some("Stück"));
    // Two shop units map to C62: the map cannot tell.
    assert_eq!(units.shop_unit("C62"), None);
    // Not a target and a known code the shop sends as it is.
    assert_eq!(units.shop_unit("KGM").as_deref(), Some("KGM"));
    // `EA` is a shop unit the map translates (into H87): the buyer's EA is not the shop's EA.
    assert_eq!(units.shop_unit("EA"), None);
    assert_eq!(units.shop_unit("H87").as_deref(), Some("EA"));
    // Unknown codes and the empty unit of the bare form.
    assert_eq!(units.shop_unit("Stück"), None);
    assert_eq!(units.shop_unit("ZZZ"), None);
    assert_eq!(units.shop_unit(""), None);
}

#[test]
fn the_response_accepts_with_200_and_validates() {
    let response = order_response(&envelope());
    assert_eq!(
        response,
        spec_example("OrderRequest.response.xml")
            .replace(
                "  <Response><Status code=\"200\" text=\"OK\"/></Response>\n",
                "  <Response>\n    <Status code=\"200\" text=\"OK\"/>\n  </Response>\n"
            )
            .replace("<cXML ", "<cXML version=\"1.2.069\" ")
    );
    validate(&[&response]);
}

#[test]
fn refused_orders_are_answered_with_400_401_403_or_406() {
    use crate::cxml::status::{error_response, status_for};
    let example = spec_example("OrderRequest.xml");
    let profile = profile();
    let oci = profile_with(OCI_PROFILE);
    let cases: Vec<(Error, u16)> = vec![
        (refused("<cXML"), 400),
        (
            refused(&example.replace("quantity=\"2\"", "quantity=\"-2\"")),
            400,
        ),
        (refused(&example.replace("<Total>", "<Totals>")), 400),
        (refused(&order_with_lines(10_001)), 400),
        (refused(&example.replace("s3cr3t", "x")), 401),
        (
            identify_order(
                &[&profile],
                example.replace("AN01000000001", "AN0").as_bytes(),
            )
            .unwrap_err(),
            401,
        ),
        (Error::new(ErrorCode::ReturnUrlNotAllowed, "refused"), 403),
        (
            read_order_request(&oci, example.as_bytes()).unwrap_err(),
            406,
        ),
    ];
    let mut responses = Vec::new();
    for (error, code) in &cases {
        assert_eq!(status_for(error.code()).0, *code, "{error}");
        let response = error_response(error, &envelope());
        assert!(
            response.contains(&format!("<Status code=\"{code}\"")),
            "{response}"
        );
        responses.push(response);
    }
    validate(&responses.iter().map(String::as_str).collect::<Vec<_>>());
}

// Random orders, written with the engine's own writer and read back.

/// Writes an order as a buyer's system would, with the sample buyer's secret.
fn write_order(order: &PurchaseOrder) -> String {
    let envelope = Envelope {
        payload_id: order.payload_id.clone(),
        timestamp: "2026-01-16T09:00:00Z".to_owned(),
    };
    super::write_order_request(order, "s3cr3t", &envelope)
}

/// Text as a buyer writes it: markup characters, accents and inner spaces, never leading or
/// trailing whitespace (XML whitespace around a value is not part of it).
fn text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9äöüßé€&<>\"' .,:/-]{0,12}".prop_map(|s| s.trim().to_owned())
}

fn word() -> impl Strategy<Value = String> {
    "[A-Za-z0-9-]{1,10}"
}

fn amount() -> impl Strategy<Value = String> {
    ("[0-9]{1,6}", proptest::option::of("[0-9]{1,3}")).prop_map(
        |(whole, fraction)| match fraction {
            Some(fraction) => format!("{whole}.{fraction}"),
            None => whole,
        },
    )
}

fn quantity() -> impl Strategy<Value = String> {
    ("[1-9][0-9]{0,4}", proptest::option::of("[0-9]{1,3}")).prop_map(|(whole, fraction)| {
        match fraction {
            Some(fraction) => format!("{whole}.{fraction}"),
            None => whole,
        }
    })
}

fn currency() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("EUR".to_owned()),
        Just("USD".to_owned()),
        Just("CHF".to_owned())
    ]
}

fn money_strategy() -> impl Strategy<Value = Money> {
    (amount(), currency()).prop_map(|(amount, currency)| Money { amount, currency })
}

fn charge_strategy() -> impl Strategy<Value = Charge> {
    (money_strategy(), text()).prop_map(|(money, description)| Charge {
        money,
        description: Some(description),
    })
}

fn address_strategy() -> impl Strategy<Value = Address> {
    (
        text(),
        proptest::option::of(word()),
        proptest::collection::vec(text(), 0..2),
        proptest::collection::vec(text(), 0..3),
        text(),
        proptest::option::of(word()),
        "[A-Z]{2}",
        proptest::option::of(word()),
    )
        .prop_map(
            |(name, address_id, deliver_to, street, city, postal_code, country, email)| {
                let postal = !street.is_empty();
                Address {
                    name,
                    address_id,
                    deliver_to: if postal { deliver_to } else { Vec::new() },
                    city: if postal { city } else { String::new() },
                    postal_code: postal_code.filter(|_| postal),
                    country_code: if postal { country } else { String::new() },
                    street,
                    state: None,
                    email,
                }
            },
        )
}

fn property_strategy() -> impl Strategy<Value = Property> {
    (word(), text()).prop_map(|(name, value)| Property::new(name, value))
}

fn line_strategy() -> impl Strategy<Value = OrderLine> {
    (
        (
            quantity(),
            word(),
            proptest::option::of(word()),
            proptest::option::of((
                money_strategy(),
                text(),
                prop_oneof![Just("EA"), Just("PCE"), Just("KGM"), Just("C62")],
                property_strategy(),
                proptest::option::of(word()),
                proptest::option::of(text()),
                proptest::collection::vec(property_strategy(), 0..3),
            )),
        ),
        (
            proptest::option::of("2026-0[1-9]-[12][0-9]"),
            proptest::option::of(address_strategy()),
            proptest::option::of(charge_strategy()),
            proptest::option::of(charge_strategy()),
            proptest::collection::vec(
                (
                    word(),
                    proptest::collection::vec((word(), word(), text()), 1..3),
                    money_strategy(),
                ),
                0..3,
            ),
            proptest::option::of(text()),
        ),
    )
        .prop_map(
            |(
                (quantity, part, auxiliary, detail),
                (date, ship_to, shipping, tax, distributions, comments),
            )| {
                let mut line = OrderLine {
                    line_number: 0,
                    quantity,
                    supplier_part_id: part,
                    supplier_part_auxiliary_id: auxiliary,
                    unit: String::new(),
                    shop_unit: None,
                    unit_price: None,
                    description: None,
                    classification: None,
                    manufacturer_part_id: None,
                    manufacturer_name: None,
                    requested_delivery_date: date,
                    ship_to,
                    shipping,
                    tax,
                    distributions: distributions
                        .into_iter()
                        .map(|(name, segments, charge)| Distribution {
                            name,
                            segments: segments
                                .into_iter()
                                .map(|(kind, id, description)| AccountingSegment {
                                    kind,
                                    id,
                                    description: Some(description),
                                })
                                .collect(),
                            charge,
                        })
                        .collect(),
                    comments,
                    extrinsics: Vec::new(),
                };
                if let Some((price, description, unit, classification, mpn, maker, extrinsics)) =
                    detail
                {
                    line.unit_price = Some(price);
                    line.description = Some(description);
                    line.unit = unit.to_owned();
                    // The sample profile maps the shop's PCE to EA.
                    line.shop_unit = match unit {
                        "EA" => Some("PCE".to_owned()),
                        "PCE" => None,
                        other => Some(other.to_owned()),
                    };
                    line.classification = Some(classification);
                    line.manufacturer_part_id = mpn;
                    line.manufacturer_name = maker;
                    line.extrinsics = extrinsics;
                }
                line
            },
        )
}

fn order_strategy() -> impl Strategy<Value = PurchaseOrder> {
    (
        (
            word(),
            word(),
            prop_oneof![
                Just(OrderType::New),
                Just(OrderType::Update),
                Just(OrderType::Delete)
            ],
            proptest::option::of(1u32..50),
            proptest::option::of(word()),
            money_strategy(),
            proptest::option::of(address_strategy()),
            address_strategy(),
        ),
        (
            proptest::option::of(charge_strategy()),
            proptest::option::of(charge_strategy()),
            proptest::collection::vec(
                (
                    proptest::option::of("[a-zA-Z]{1,8}"),
                    text(),
                    proptest::option::of(word()),
                ),
                0..3,
            ),
            proptest::option::of(text()),
            proptest::option::of(word()),
            proptest::collection::vec(property_strategy(), 0..3),
            proptest::collection::vec(line_strategy(), 1..6),
        ),
    )
        .prop_map(
            |(
                (payload, order_id, order_type, order_version, reference, total, ship_to, bill_to),
                (shipping, tax, contacts, comments, supplier_order_id, extrinsics, lines),
            )| {
                let mut order = PurchaseOrder {
                    buyer_id: "acme-ariba".into(),
                    payload_id: format!("{payload}@buyer.example.com"),
                    previous_order: match order_type {
                        OrderType::New => None,
                        _ => Some(OrderReference {
                            order_id: order_id.clone(),
                            payload_id: reference,
                            order_date: None,
                        }),
                    },
                    order_id,
                    order_date: "2026-01-16T09:00:00+01:00".into(),
                    order_type,
                    order_version,
                    buyer: credential("NetworkID", "AN01000000001"),
                    supplier: credential("DUNS", "123456789"),
                    currency: total.currency.clone(),
                    total,
                    ship_to,
                    bill_to: Some(bill_to),
                    shipping,
                    tax,
                    payment: None,
                    contacts: contacts
                        .into_iter()
                        .map(|(role, name, email)| Contact {
                            role,
                            name,
                            email,
                            phone: None,
                        })
                        .collect(),
                    comments,
                    extrinsics,
                    supplier_order_id,
                    lines,
                    content_hash: String::new(),
                    idempotency_key: String::new(),
                };
                for (index, line) in order.lines.iter_mut().enumerate() {
                    line.line_number = u32::try_from(index).unwrap() * 10 + 1;
                }
                order.seal();
                order
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn random_orders_read_back_with_equal_values(order in order_strategy()) {
        let document = write_order(&order);
        let read = read_order_request(&profile(), document.as_bytes())
            .map_err(|error| TestCaseError::fail(format!("{error}\n{document}")))?;
        prop_assert_eq!(read, order);
    }
}

#[test]
fn random_orders_are_valid_cxml() {
    // The property's documents are what a buyer sends: a sample of them against the DTD.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let documents: Vec<String> = (0..50)
        .map(|_| write_order(&order_strategy().new_tree(&mut runner).unwrap().current()))
        .collect();
    validate(&documents.iter().map(String::as_str).collect::<Vec<_>>());
}

#[test]
fn the_content_hash_is_the_sha256_of_the_orders_json_without_its_delivery() {
    use sha2::{Digest, Sha256};
    let order = read(FULL).unwrap();
    let content = PurchaseOrder {
        payload_id: String::new(),
        content_hash: String::new(),
        idempotency_key: String::new(),
        ..order.clone()
    };
    let digest = Sha256::digest(serde_json::to_vec(&content).unwrap());
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    assert_eq!(order.content_hash, hex);
    assert_eq!(order.payload_id, "po-2@buyer.example.com");
}
