use std::path::PathBuf;

use super::*;

/// The Peppol examples folder: `$PUNCHOUT_SPEC_DIR/peppol/examples`, else `../shared/spec`
/// beside the project.
fn example(name: &str) -> String {
    let dir = std::env::var_os("PUNCHOUT_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec"));
    let path = dir.join("peppol/examples").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (place shared/spec beside the project or set PUNCHOUT_SPEC_DIR)",
            path.display()
        )
    })
}

fn read(name: &str) -> PeppolOrder {
    read_order(example(name).as_bytes(), "buyer").unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn endpoint(scheme: &str, id: &str) -> EndpointId {
    EndpointId {
        scheme: scheme.to_owned(),
        id: id.to_owned(),
    }
}

fn properties(pairs: &[(&str, &str)]) -> Vec<Property> {
    pairs.iter().map(|(n, v)| Property::new(*n, *v)).collect()
}

#[test]
fn the_official_order_example_is_read_value_by_value() {
    let read = read("Order_Example.xml");
    assert_eq!(
        identify_order(example("Order_Example.xml").as_bytes()).unwrap(),
        read.endpoints
    );
    assert_eq!(read.endpoints.buyer, endpoint("0192", "987654325"));
    assert_eq!(read.endpoints.seller, endpoint("0192", "123456785"));
    assert_eq!(
        read.customization_id,
        "urn:fdc:peppol.eu:poacc:trns:order:3"
    );
    assert_eq!(read.profile_id, "urn:fdc:peppol.eu:poacc:bis:order_only:3");
    assert_eq!(
        (read.buyer_name.as_str(), read.seller_name.as_str()),
        ("Helseforetak AS", "Medical AS")
    );
    assert_eq!(read.line_ids, ["1", "2"]);
    let order = &read.order;
    assert_eq!(order.buyer_id, "buyer");
    assert_eq!(
        (order.order_id.as_str(), order.payload_id.as_str()),
        ("34", "34")
    );
    assert_eq!(order.order_date, "2018-09-01T12:30:00");
    assert_eq!(order.order_type, OrderType::New);
    assert_eq!(
        order.buyer,
        Credential {
            domain: "0192".into(),
            identity: "987654325".into()
        }
    );
    assert_eq!(
        order.supplier,
        Credential {
            domain: "0192".into(),
            identity: "123456785".into()
        }
    );
    assert_eq!(order.currency, "NOK");
    assert_eq!(
        order.total,
        Money {
            amount: "6363".into(),
            currency: "NOK".into()
        }
    );
    assert_eq!(order.supplier_order_id.as_deref(), Some("112233"));
    assert_eq!(
        order.comments.as_deref(),
        Some("Information text for the whole order")
    );
    assert_eq!(
        order.ship_to,
        Some(Address {
            name: "Helseavdeling".into(),
            address_id: Some("7300010000001".into()),
            deliver_to: vec!["Ole".into()],
            street: vec![
                "Solheimsveien 10".into(),
                "Add".into(),
                "3rd Address line".into()
            ],
            city: "Lørenskog".into(),
            state: Some("Region".into()),
            postal_code: Some("1473".into()),
            country_code: "NO".into(),
            email: Some("ole@helseforetak.no".into()),
        })
    );
    let bill_to = order.bill_to.as_ref().unwrap();
    assert_eq!(bill_to.name, "Accounting");
    assert_eq!(
        bill_to.street,
        ["Sinsenveien 42", "Oppgang A", "Address Line 3"]
    );
    // 400.00 charged, 652.50 allowed.
    assert_eq!(
        order.shipping,
        Some(Charge {
            money: Money {
                amount: "-252.50".into(),
                currency: "NOK".into()
            },
            description: Some("Miscellaneous services; Discount".into()),
        })
    );
    assert_eq!(order.tax.as_ref().unwrap().money.amount, "100.00");
    assert_eq!(
        order.contacts,
        [Contact {
            role: Some("buyer".into()),
            name: "Ole Olsen".into(),
            email: Some("post@helseforetak.no".into()),
            phone: Some("23055000".into()),
        }]
    );
    assert_eq!(
        order.extrinsics,
        properties(&[
            ("CustomerReference", "9000012345"),
            ("AccountingCost", "Project123"),
            ("ContractID", "34322"),
            ("ProjectID", "PID33"),
            ("QuotationID", "QuoteID123"),
            ("CatalogueID", "Cat2023-03-07"),
            ("RequestedDeliveryStartDate", "2012-10-10"),
            ("RequestedDeliveryEndDate", "2012-10-20"),
        ])
    );
    let first = &order.lines[0];
    assert_eq!(first.line_number, 1);
    assert_eq!(
        (first.quantity.as_str(), first.unit.as_str()),
        ("120", "EA")
    );
    assert_eq!(first.supplier_part_id, "121212");
    assert_eq!(first.supplier_part_auxiliary_id, None);
    assert_eq!(first.shop_unit, None);
    assert_eq!(
        first.unit_price,
        Some(Money {
            amount: "50.000".into(),
            currency: "NOK".into()
        })
    );
    assert_eq!(first.description.as_deref(), Some("Needle 4mm"));
    assert_eq!(first.classification, Some(Property::new("MP", "12345678")));
    assert_eq!(first.manufacturer_part_id.as_deref(), Some("manid659"));
    assert_eq!(first.requested_delivery_date.as_deref(), Some("2010-02-10"));
    assert_eq!(first.shipping.as_ref().unwrap().money.amount, "300.00");
    assert_eq!(first.comments.as_deref(), Some("Freetext note on line 1"));
    assert_eq!(
        first.extrinsics,
        properties(&[
            ("Name", "Needle 4mm"),
            ("Length", "30 mm"),
            ("BuyersItemID", "123456"),
            ("StandardItemID", "7560000012345"),
            ("TaxCategory", "S"),
            ("TaxPercent", "25"),
            ("AccountingCost", "12345678"),
        ])
    );
    let second = &order.lines[1];
    assert_eq!(
        (
            second.line_number,
            second.quantity.as_str(),
            second.supplier_part_id.as_str()
        ),
        (2, "15", "SItemNo011")
    );
    assert_eq!(second.unit_price.as_ref().unwrap().amount, "15.000");
    assert_eq!(second.shipping, None);
    assert_eq!(
        second.requested_delivery_date.as_deref(),
        Some("2012-10-15")
    );
    assert_eq!(order.content_hash.len(), 64);
    assert_eq!(order.idempotency_key.len(), 64);
}

/// One line as `(number, quantity, unit, part, unit price, description)`.
type LineSummary = (
    u32,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

fn summary(line: &OrderLine) -> (u32, String, String, String, String, String) {
    (
        line.line_number,
        line.quantity.clone(),
        line.unit.clone(),
        line.supplier_part_id.clone(),
        line.unit_price
            .as_ref()
            .map(|p| p.amount.clone())
            .unwrap_or_default(),
        line.description.clone().unwrap_or_default(),
    )
}

#[test]
fn the_official_use_cases_are_read_value_by_value() {
    #[allow(clippy::type_complexity)]
    let cases: [(
        &str,
        &str,
        &str,
        (&str, &str),
        (&str, &str),
        &str,
        &str,
        Option<&str>,
        &[LineSummary],
    ); 6] = [
        (
            "UC1_Order.xml",
            "1",
            "2013-07-01T05:10:10",
            ("0088", "7300010000001"),
            ("0192", "987654325"),
            "EUR",
            "143.75",
            Some("28.75"),
            &[
                (1, "10", "NAR", "SN-33", "4", "1x12 pack sauce bags"),
                (2, "5", "NAR", "SN-34", "6", "1x12 pack sauce bags"),
                (3, "15", "NAR", "SN-35", "3", "1x12 pack sauce bags"),
            ],
        ),
        (
            "UC2_Order.xml",
            "1",
            "2013-07-01T14:15:20",
            ("0088", "7300010000001"),
            ("0088", "7300010000001"),
            "EUR",
            "875.00",
            Some("175.00"),
            &[
                (1, "10", "NAR", "", "40", "Free text description of item 1"),
                (2, "50", "NAR", "", "6", "Free text description of item 2"),
            ],
        ),
        (
            "UC3_Order.xml",
            "5",
            "2013-07-01T05:10:10",
            ("0088", "7300010000001"),
            ("0192", "987654325"),
            "EUR",
            "400",
            Some("0"),
            &[(
                1,
                "1",
                "DAY",
                "",
                "400",
                "Translation service Swedish - Spanish",
            )],
        ),
        (
            "UC4_Order.xml",
            "5",
            "2013-07-01T05:10:10",
            ("0007", "5541277710"),
            ("0192", "987654325"),
            "EUR",
            "55",
            Some("5"),
            &[(
                1,
                "50",
                "NAR",
                "SN-33",
                "1",
                "Aluminium snow shovel with left-handed grip",
            )],
        ),
        (
            "UC5_Order.xml",
            "5",
            "2019-09-30T05:10:10",
            ("0007", "5541277710"),
            ("0007", "5546577791"),
            "SEK",
            "143.75",
            Some("28.75"),
            &[
                (1, "10", "EA", "11111", "4", "1x12 pack waste bags 1 lit"),
                (2, "5", "EA", "111125", "6", "Waste bags 2,5 lit"),
                (3, "15", "EA", "11135", "3", "Black Plastic bags 25 lit"),
            ],
        ),
        (
            "UC6_Order.xml",
            "1",
            "2024-08-28T05:10:10",
            ("0088", "7300010000001"),
            ("0192", "987654325"),
            "EUR",
            "500",
            Some("100"),
            &[(
                1,
                "10",
                "NAR",
                "05704066204093",
                "40",
                "Surgical gloves, box of 100 pairs",
            )],
        ),
    ];
    for (name, id, date, buyer, seller, currency, total, tax, lines) in cases {
        let read = read(name);
        let order = &read.order;
        assert_eq!(
            identify_order(example(name).as_bytes()).unwrap(),
            read.endpoints,
            "{name}"
        );
        assert_eq!(read.endpoints.buyer, endpoint(buyer.0, buyer.1), "{name}");
        assert_eq!(
            read.endpoints.seller,
            endpoint(seller.0, seller.1),
            "{name}"
        );
        assert_eq!(
            (order.order_id.as_str(), order.order_date.as_str()),
            (id, date),
            "{name}"
        );
        assert_eq!(
            order.total,
            Money {
                amount: total.into(),
                currency: currency.into()
            },
            "{name}"
        );
        assert_eq!(
            order.tax.as_ref().map(|t| t.money.amount.as_str()),
            tax,
            "{name}"
        );
        let expected: Vec<_> = lines
            .iter()
            .map(|l| {
                (
                    l.0,
                    l.1.to_owned(),
                    l.2.to_owned(),
                    l.3.to_owned(),
                    l.4.to_owned(),
                    l.5.to_owned(),
                )
            })
            .collect();
        assert_eq!(
            order.lines.iter().map(summary).collect::<Vec<_>>(),
            expected,
            "{name}"
        );
    }
    // What only some use cases carry.
    let uc4 = read("UC4_Order.xml").order;
    assert_eq!(
        uc4.shipping,
        Some(Charge {
            money: Money {
                amount: "0.00".into(),
                currency: "EUR".into()
            },
            description: Some("Freight cost; Agreed discount".into()),
        })
    );
    assert_eq!(
        uc4.lines[0].classification,
        Some(Property::new("MP", "76455"))
    );
    assert_eq!(uc4.bill_to.as_ref().unwrap().name, "Swedish Hospitals");
    let uc5 = read("UC5_Order.xml");
    assert_eq!(uc5.profile_id, "urn:fdc:peppol.eu:poacc:bis:ordering:3");
    assert_eq!(
        uc5.order.ship_to.as_ref().unwrap().address_id.as_deref(),
        Some("73512333000108")
    );
    assert_eq!(
        uc5.order.ship_to.as_ref().unwrap().street,
        ["Sjukhusgatan 14", "Godsmottagningen", "Portkod 1234"]
    );
    let uc2 = read("UC2_Order.xml").order;
    assert_eq!(
        uc2.lines[0].extrinsics[..3],
        properties(&[("Name", "Item 1"), ("Color", "Red"), ("Size", "43")])[..]
    );
}

/// A small valid T01 with prefixes other than the usual ones, for the rules below.
const SMALL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<o:Order xmlns:o="urn:oasis:names:specification:ubl:schema:xsd:Order-2" xmlns:a="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:b="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <b:CustomizationID>urn:fdc:peppol.eu:poacc:trns:order:3</b:CustomizationID>
  <b:ProfileID>urn:fdc:peppol.eu:poacc:bis:ordering:3</b:ProfileID>
  <b:ID>PO-7</b:ID>
  <b:IssueDate>2026-11-30</b:IssueDate>
  <b:DocumentCurrencyCode>EUR</b:DocumentCurrencyCode>
  <a:BuyerCustomerParty><a:Party><b:EndpointID schemeID="0088">7300010000001</b:EndpointID><a:PartyLegalEntity><b:RegistrationName>Buyer</b:RegistrationName></a:PartyLegalEntity></a:Party></a:BuyerCustomerParty>
  <a:SellerSupplierParty><a:Party><b:EndpointID schemeID="0192">987654325</b:EndpointID><a:PostalAddress><a:Country><b:IdentificationCode>NO</b:IdentificationCode></a:Country></a:PostalAddress><a:PartyLegalEntity><b:RegistrationName>Shop</b:RegistrationName></a:PartyLegalEntity></a:Party></a:SellerSupplierParty>
  <a:OrderLine>
    <a:LineItem>
      <b:ID>LINE</b:ID>
      <b:Quantity unitCode="EA">3</b:Quantity>
      <a:Price><b:PriceAmount currencyID="EUR">25</b:PriceAmount><b:BaseQuantity unitCode="EA">10</b:BaseQuantity></a:Price>
      <a:Item>
        <b:Name>Paper</b:Name>
        <a:SellersItemIdentification><b:ID>P-1</b:ID></a:SellersItemIdentification>
        <a:AdditionalItemProperty><b:Name>line-ref</b:Name><b:Value>cart-line-9</b:Value></a:AdditionalItemProperty>
      </a:Item>
    </a:LineItem>
  </a:OrderLine>
</o:Order>
"#;

fn small_with(from: &str, to: &str) -> String {
    assert!(SMALL.contains(from), "{from}");
    SMALL.replacen(from, to, 1)
}

fn refused(document: &str) -> Error {
    read_order(document.as_bytes(), "buyer").unwrap_err()
}

#[test]
fn prefixes_are_resolved_and_the_line_ref_comes_from_the_item_property() {
    let read = read_order(SMALL.as_bytes(), "buyer").unwrap();
    let line = &read.order.lines[0];
    assert_eq!(
        line.supplier_part_auxiliary_id.as_deref(),
        Some("cart-line-9")
    );
    assert_eq!(line.extrinsics, properties(&[("Name", "Paper")]));
    // A non-numeric line ID gives the line its position; the ID is kept for the response.
    assert_eq!((line.line_number, read.line_ids[0].as_str()), (1, "LINE"));
    // Without a monetary total: 3 × 2.5.
    assert_eq!(
        read.order.total,
        Money {
            amount: "7.50".into(),
            currency: "EUR".into()
        }
    );
}

#[test]
fn the_unit_price_is_the_price_per_base_quantity_exactly() {
    let read = read_order(SMALL.as_bytes(), "buyer").unwrap();
    assert_eq!(
        read.order.lines[0].unit_price.as_ref().unwrap().amount,
        "2.5"
    );
    let error = refused(&small_with(">10</b:BaseQuantity>", ">3</b:BaseQuantity>"));
    assert_eq!(error.code(), ErrorCode::InvalidValue);
    assert_eq!(
        error.message(),
        "price `25` per `3` EA has no exact unit price: expected a base quantity that divides the price"
    );
    assert_eq!(
        error.location().path.as_deref(),
        Some("/o:Order/a:OrderLine/a:LineItem/a:Price/b:BaseQuantity")
    );
    let error = refused(&small_with(
        r#"<b:BaseQuantity unitCode="EA">"#,
        r#"<b:BaseQuantity unitCode="BX">"#,
    ));
    assert_eq!(
        error.message(),
        "expected the base quantity in the line's unit `EA`, found `BX`"
    );
    let error = refused(&small_with(">10</b:BaseQuantity>", ">0</b:BaseQuantity>"));
    assert_eq!(
        error.message(),
        "expected a base quantity greater than zero, found `0`"
    );
}

#[test]
fn identifiers_currency_and_line_ids_are_checked_with_their_location() {
    let cases = [
        (
            small_with(":order:3</b:CustomizationID>", ":catalogue:3</b:CustomizationID>"),
            "expected a `CustomizationID` starting with `urn:fdc:peppol.eu:poacc:trns:order:3`, found `urn:fdc:peppol.eu:poacc:trns:catalogue:3`",
            "/o:Order/b:CustomizationID",
        ),
        (
            small_with("bis:ordering:3", "bis:punch_out:3"),
            "expected a `ProfileID` of `urn:fdc:peppol.eu:poacc:bis:order_only:3`, `urn:fdc:peppol.eu:poacc:bis:ordering:3`, `urn:fdc:peppol.eu:poacc:bis:advanced_ordering:3`, found `urn:fdc:peppol.eu:poacc:bis:punch_out:3`",
            "/o:Order/b:ProfileID",
        ),
        (
            small_with(r#"<b:PriceAmount currencyID="EUR">"#, r#"<b:PriceAmount currencyID="SEK">"#),
            "expected the document currency `EUR`, found `SEK`",
            "/o:Order/a:OrderLine/a:LineItem/a:Price/b:PriceAmount",
        ),
        (
            small_with(">EUR</b:DocumentCurrencyCode>", ">euro</b:DocumentCurrencyCode>"),
            "expected a currency code such as `EUR`, found `euro`",
            "/o:Order/b:DocumentCurrencyCode",
        ),
        (
            small_with(">3</b:Quantity>", ">0</b:Quantity>"),
            "expected a quantity greater than zero, found `0`",
            "/o:Order/a:OrderLine/a:LineItem/b:Quantity",
        ),
    ];
    for (document, message, path) in cases {
        let error = refused(&document);
        assert_eq!(
            (error.code(), error.message()),
            (ErrorCode::InvalidValue, message)
        );
        assert_eq!(error.location().path.as_deref(), Some(path), "{message}");
    }
    let line = &SMALL[SMALL.find("  <a:OrderLine>").unwrap()..SMALL.find("</o:Order>").unwrap()];
    let twice = SMALL.replacen(line, &format!("{line}{line}"), 1);
    let error = refused(&twice);
    assert_eq!(
        error.message(),
        "line ID `LINE` occurs twice: expected each line ID once, found it first at line 12"
    );
    assert_eq!(error.location().line, Some(24));
    let clash = SMALL.replacen(line, &format!("{line}{}", line.replace(">LINE<", ">1<")), 1);
    let error = refused(&clash);
    assert_eq!(
        error.message(),
        "line ID `1` is line number 1, as line ID `LINE` is: expected line IDs that are distinct whole numbers or give distinct positions"
    );
}

#[test]
fn an_element_in_another_namespace_is_not_the_ubl_one() {
    let error = refused(&small_with(
        "<b:ID>PO-7</b:ID>",
        r#"<b:ID xmlns:b="urn:other">PO-7</b:ID>"#,
    ));
    assert_eq!(error.code(), ErrorCode::InvalidDocument);
    assert_eq!(error.message(), "missing element `cbc:ID` in `o:Order`");
    assert_eq!(error.location().path.as_deref(), Some("/o:Order"));
}

#[test]
fn two_deliveries_of_one_order_are_a_duplicate_and_a_changed_one_a_conflict() {
    use crate::order::redelivery::{check, OrderRecord, RedeliveryOutcome};
    let first = read_order(SMALL.as_bytes(), "buyer").unwrap().order;
    // The same document again, differently indented: the same key.
    let again = read_order(SMALL.replace("\n  ", "\n    ").as_bytes(), "buyer")
        .unwrap()
        .order;
    assert_eq!(again.idempotency_key, first.idempotency_key);
    let known = [OrderRecord::of(&first)];
    let duplicate = check(&again, &known);
    assert_eq!(duplicate.outcome, RedeliveryOutcome::Duplicate);
    assert_eq!(
        duplicate.message,
        "order `PO-7` is a duplicate, delivered again with the same payload ID: it is already applied and must not be applied twice"
    );
    let changed = read_order(
        small_with(">3</b:Quantity>", ">4</b:Quantity>").as_bytes(),
        "buyer",
    )
    .unwrap()
    .order;
    assert_ne!(changed.content_hash, first.content_hash);
    assert_eq!(check(&changed, &known).outcome, RedeliveryOutcome::Conflict);
    let other = read_order(
        small_with("<b:ID>PO-7</b:ID>", "<b:ID>PO-8</b:ID>").as_bytes(),
        "buyer",
    )
    .unwrap()
    .order;
    assert_eq!(check(&other, &known).outcome, RedeliveryOutcome::New);
}
