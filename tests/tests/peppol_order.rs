//! The Peppol order leg against the official validators: random orders written by the buyer-side
//! T01 writer validate as T01 (UBL 2.1 XSD and the 2026.5 schematron) and read back equal; the
//! T76 Order Responses to them, over random decisions, validate as T76 with zero fatal asserts;
//! hostile UBL is refused with its exact code, message and location. Each batch of documents is
//! validated in one run.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

use punchout_plugin::model::{format_money, Address, Credential, Property};
use punchout_plugin::order::{Charge, Contact, Money, OrderLine, OrderType, PurchaseOrder};
use punchout_plugin::peppol::order::{
    identify_order, read_order, write_order, OrderEndpoints, PeppolOrder, ORDER_CUSTOMIZATION_ID,
    ORDER_PROFILE_IDS,
};
use punchout_plugin::peppol::order_response::{
    order_response, LineDecision, LineResponseStatus, OrderResponseDecision, ResponseCode,
};
use punchout_plugin::peppol::EndpointId;
use punchout_plugin::ErrorCode;
use punchout_tests::peppol::{validate_peppol_batch, Transaction};
use punchout_tests::spec_dir;
use rust_decimal::{Decimal, RoundingStrategy};

/// Participants whose identifiers pass the schematron's checksums (GLN, Norwegian and Swedish
/// organisation numbers).
const PARTICIPANTS: [(&str, &str); 4] = [
    ("0088", "7300010000001"),
    ("0192", "987654325"),
    ("0192", "123456785"),
    ("0007", "5541277710"),
];

/// Text as buyers write it, with the characters XML must escape; never blank at either end.
fn text() -> impl Strategy<Value = String> {
    "[A-Z][A-Za-z0-9 &<>'\"éΩ.,-]{0,14}[a-z0-9]"
}

fn amount() -> impl Strategy<Value = String> {
    (0u32..5000, 0u32..100).prop_map(|(units, cents)| format!("{units}.{cents:02}"))
}

fn date() -> impl Strategy<Value = String> {
    (2024u32..2028, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}"))
}

fn address(with_contact: bool) -> impl Strategy<Value = Address> {
    (
        text(),
        prop::option::of("[0-9]{4,8}"),
        prop::collection::vec(text(), 0..4),
        text(),
        prop::option::of(text()),
        prop::option::of("[0-9]{4,5}"),
        prop::sample::select(vec!["NO", "SE", "DK", "DE"]),
        prop::option::of(text()),
        prop::option::of("[a-z]{1,8}@example\\.com"),
    )
        .prop_map(
            move |(name, id, street, city, state, postal, country, deliver_to, email)| Address {
                name,
                address_id: id.filter(|_| with_contact),
                deliver_to: deliver_to.filter(|_| with_contact).into_iter().collect(),
                street,
                city,
                state,
                postal_code: postal,
                country_code: country.to_owned(),
                email: email.filter(|_| with_contact),
            },
        )
}

fn line(currency: &'static str) -> impl Strategy<Value = OrderLine> {
    (
        (1u32..500, prop::bool::ANY),
        prop::sample::select(vec!["EA", "NAR", "KGM", "C62", "DAY"]),
        prop::option::of(amount()),
        "[A-Z]{1,3}-[0-9]{1,6}",
        prop::option::of("[a-z0-9-]{1,12}"),
        text(),
        text(),
        prop::option::of(("[0-9]{4,8}", prop::sample::select(vec!["MP", "STI", "SRS"]))),
        prop::option::of(date()),
        prop::option::of((amount(), text())),
        prop::option::of(text()),
        prop::collection::vec((text(), text()), 0..3),
    )
        .prop_map(
            move |(
                (quantity, half),
                unit,
                price,
                part,
                line_ref,
                name,
                description,
                classification,
                delivery,
                charge,
                note,
                properties,
            )| {
                let mut extrinsics = vec![Property::new("Name", name)];
                extrinsics.extend(
                    properties
                        .into_iter()
                        .filter(|(name, _)| name != "line-ref")
                        .map(|(name, value)| Property::new(name, value)),
                );
                OrderLine {
                    line_number: 0,
                    quantity: if half {
                        format!("{quantity}.5")
                    } else {
                        quantity.to_string()
                    },
                    supplier_part_id: part,
                    supplier_part_auxiliary_id: line_ref,
                    unit: unit.to_owned(),
                    shop_unit: None,
                    unit_price: price.map(|amount| Money {
                        amount,
                        currency: currency.to_owned(),
                    }),
                    description: Some(description),
                    classification: classification.map(|(code, list)| Property::new(list, code)),
                    manufacturer_part_id: None,
                    manufacturer_name: None,
                    requested_delivery_date: delivery,
                    ship_to: None,
                    shipping: charge.map(|(amount, reason)| Charge {
                        money: Money {
                            amount,
                            currency: currency.to_owned(),
                        },
                        description: Some(reason),
                    }),
                    tax: None,
                    distributions: Vec::new(),
                    comments: note,
                    extrinsics,
                }
            },
        )
}

/// A random Peppol order as the reader gives it (sealed).
fn peppol_order() -> impl Strategy<Value = PeppolOrder> {
    prop::sample::select(vec!["EUR", "NOK", "SEK"]).prop_flat_map(|currency| {
        (
            (
                prop::sample::select(PARTICIPANTS.to_vec()),
                prop::sample::select(PARTICIPANTS.to_vec()),
                text(),
                text(),
                prop::sample::select(ORDER_PROFILE_IDS.to_vec()),
                "[A-Z0-9][A-Z0-9-]{0,9}",
                date(),
                prop::option::of("[01][0-9]:[0-5][0-9]:[0-5][0-9]"),
            ),
            (
                prop::collection::vec(line(currency), 1..6),
                prop::bool::ANY,
                prop::option::of(address(true)),
                prop::option::of(address(false)),
                prop::option::of((prop::bool::ANY, amount(), text())),
                prop::option::of(amount()),
                prop::option::of((text(), prop::option::of("[0-9+][0-9 +]{5,11}[0-9]"))),
                prop::option::of(text()),
                prop::option::of((date(), date())),
                prop::option::of("[A-Z0-9]{1,8}"),
            ),
        )
            .prop_map(
                move |(
                    (buyer, seller, buyer_name, seller_name, profile, id, date, time),
                    (
                        mut lines,
                        numeric_ids,
                        ship_to,
                        bill_to,
                        shipping,
                        tax,
                        contact,
                        note,
                        period,
                        contract,
                    ),
                )| {
                    let mut line_ids = Vec::new();
                    for (index, line) in lines.iter_mut().enumerate() {
                        line.line_number = u32::try_from(index + 1).unwrap();
                        line_ids.push(if numeric_ids {
                            (index + 1).to_string()
                        } else {
                            format!("L-{}", index + 1)
                        });
                    }
                    let shipping = shipping.map(|(allowance, amount, reason)| Charge {
                        money: Money {
                            amount: if allowance && amount != "0.00" {
                                format!("-{amount}")
                            } else {
                                amount
                            },
                            currency: currency.to_owned(),
                        },
                        description: Some(reason),
                    });
                    let tax = tax.map(|amount| Charge {
                        money: Money {
                            amount,
                            currency: currency.to_owned(),
                        },
                        description: None,
                    });
                    let mut extrinsics = Vec::new();
                    if let Some(contract) = contract {
                        extrinsics.push(Property::new("ContractID", contract));
                    }
                    if let Some((start, end)) = period {
                        let (start, end) = if start <= end {
                            (start, end)
                        } else {
                            (end, start)
                        };
                        extrinsics.push(Property::new("RequestedDeliveryStartDate", start));
                        extrinsics.push(Property::new("RequestedDeliveryEndDate", end));
                    }
                    let total = payable(&lines, shipping.as_ref(), tax.as_ref());
                    let endpoint = |(scheme, id): (&str, &str)| EndpointId {
                        scheme: scheme.to_owned(),
                        id: id.to_owned(),
                    };
                    let mut order = PurchaseOrder {
                        buyer_id: "peppol-buyer".to_owned(),
                        payload_id: id.clone(),
                        order_id: id,
                        order_date: match time {
                            Some(time) => format!("{date}T{time}"),
                            None => date,
                        },
                        order_type: OrderType::New,
                        order_version: None,
                        previous_order: None,
                        buyer: Credential {
                            domain: buyer.0.to_owned(),
                            identity: buyer.1.to_owned(),
                        },
                        supplier: Credential {
                            domain: seller.0.to_owned(),
                            identity: seller.1.to_owned(),
                        },
                        currency: currency.to_owned(),
                        total: Money {
                            amount: total,
                            currency: currency.to_owned(),
                        },
                        ship_to,
                        bill_to,
                        shipping,
                        tax,
                        payment: None,
                        contacts: contact
                            .map(|(name, phone)| Contact {
                                role: Some("buyer".to_owned()),
                                name,
                                email: None,
                                phone,
                            })
                            .into_iter()
                            .collect(),
                        comments: note,
                        extrinsics,
                        supplier_order_id: None,
                        lines,
                        content_hash: String::new(),
                        idempotency_key: String::new(),
                    };
                    order.seal();
                    PeppolOrder {
                        order,
                        customization_id: ORDER_CUSTOMIZATION_ID.to_owned(),
                        profile_id: profile.to_owned(),
                        endpoints: OrderEndpoints {
                            buyer: endpoint(buyer),
                            seller: endpoint(seller),
                        },
                        buyer_name,
                        seller_name,
                        seller_country: "NO".to_owned(),
                        line_ids,
                    }
                },
            )
    })
}

/// The payable amount the writer's sums lead to: the lines' prices plus their charges (each to
/// the cent), the document's net charge and the tax; never negative (PEPPOL-T01-R006).
fn payable(lines: &[OrderLine], shipping: Option<&Charge>, tax: Option<&Charge>) -> String {
    let parse = |text: &str| text.parse::<Decimal>().unwrap();
    let mut total = Decimal::ZERO;
    for line in lines {
        let price = line
            .unit_price
            .as_ref()
            .map_or(Decimal::ZERO, |p| parse(&p.amount));
        let charge = line
            .shipping
            .as_ref()
            .map_or(Decimal::ZERO, |c| parse(&c.money.amount));
        total += (parse(&line.quantity) * price + charge)
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    }
    for charge in [shipping, tax].into_iter().flatten() {
        total += parse(&charge.money.amount);
    }
    format_money(total.max(Decimal::ZERO))
}

/// A random decision for an order.
fn decision(order: &PeppolOrder) -> impl Strategy<Value = OrderResponseDecision> {
    let lines: Vec<u32> = order.order.lines.iter().map(|l| l.line_number).collect();
    let count = lines.len();
    (
        prop::sample::select(vec![
            ResponseCode::Accept,
            ResponseCode::Reject,
            ResponseCode::AcceptWithChanges,
            ResponseCode::AcceptWithChanges,
        ]),
        "[A-Z0-9]{1,8}",
        date(),
        prop::option::of(text()),
        prop::collection::vec(
            (
                0..count,
                prop::sample::select(vec![
                    LineResponseStatus::Accept,
                    LineResponseStatus::Reject,
                    LineResponseStatus::Changed,
                ]),
                prop::option::of(1u32..100),
                prop::option::of(amount()),
                prop::option::of(date()),
                prop::option::of(text()),
            ),
            1..4,
        ),
    )
        .prop_map(move |(code, id, issue_date, note, picks)| {
            let mut answered = std::collections::HashSet::new();
            let mut lines_out = Vec::new();
            if code == ResponseCode::AcceptWithChanges {
                for (index, status, quantity, price, delivery, line_note) in picks {
                    if !answered.insert(index) {
                        continue;
                    }
                    let changed = status == LineResponseStatus::Changed;
                    let (quantity, price) =
                        if changed && quantity.is_none() && price.is_none() && delivery.is_none() {
                            (Some(1), None)
                        } else {
                            (quantity, price)
                        };
                    lines_out.push(LineDecision {
                        line_number: lines[index],
                        status,
                        quantity: quantity.filter(|_| changed).map(|q| q.to_string()),
                        unit_price: price.filter(|_| changed),
                        delivery_date: delivery.filter(|_| changed),
                        note: line_note,
                    });
                }
            }
            OrderResponseDecision {
                response_id: id,
                issue_date,
                issue_time: Some("10:15:00".to_owned()),
                code: Some(code),
                sales_order_id: None,
                note,
                lines: lines_out,
            }
        })
}

#[test]
fn random_orders_validate_as_t01_read_back_equal_and_their_responses_validate_as_t76() {
    let mut runner = TestRunner::new(Config {
        cases: 220,
        failure_persistence: None,
        ..Config::default()
    });
    let mut orders = Vec::new();
    let mut responses = Vec::new();
    let mut codes = std::collections::HashMap::new();
    for _ in 0..220 {
        let order = peppol_order().new_tree(&mut runner).unwrap().current();
        let document = write_order(&order);
        let read = read_order(document.as_bytes(), "peppol-buyer")
            .unwrap_or_else(|e| panic!("{e}\n{document}"));
        assert_eq!(read, order, "{document}");
        assert_eq!(
            identify_order(document.as_bytes()).unwrap(),
            order.endpoints
        );
        let decision = decision(&read).new_tree(&mut runner).unwrap().current();
        let response =
            order_response(&read, None, &decision).unwrap_or_else(|e| panic!("{e}: {decision:?}"));
        *codes.entry(decision.code.unwrap().code()).or_insert(0) += 1;
        orders.push(document);
        responses.push(response);
    }
    // Every kind of answer was proven.
    assert!(codes.values().all(|count| *count >= 20), "{codes:?}");
    assert_eq!(codes.len(), 3);
    validate_peppol_batch(Transaction::Order, &orders).unwrap();
    validate_peppol_batch(Transaction::OrderResponse, &responses).unwrap();
}

fn example(name: &str) -> String {
    std::fs::read_to_string(spec_dir().join("peppol/examples").join(name)).unwrap()
}

#[test]
fn responses_to_every_official_order_validate_as_t76() {
    let mut responses = Vec::new();
    for name in [
        "Order_Example.xml",
        "UC1_Order.xml",
        "UC2_Order.xml",
        "UC3_Order.xml",
        "UC4_Order.xml",
        "UC5_Order.xml",
        "UC6_Order.xml",
    ] {
        let order = read_order(example(name).as_bytes(), "buyer").unwrap();
        let first = order.order.lines[0].line_number;
        for (code, lines) in [
            (ResponseCode::Accept, vec![]),
            (ResponseCode::Reject, vec![]),
            (
                ResponseCode::AcceptWithChanges,
                vec![LineDecision {
                    line_number: first,
                    status: LineResponseStatus::Changed,
                    quantity: Some("2".into()),
                    unit_price: Some("9.99".into()),
                    delivery_date: Some("2026-12-24".into()),
                    note: Some("two left".into()),
                }],
            ),
        ] {
            let decision = OrderResponseDecision {
                response_id: "R-1".into(),
                issue_date: "2026-11-30".into(),
                issue_time: None,
                code: Some(code),
                sales_order_id: Some("SO-1".into()),
                note: Some("thank you".into()),
                lines,
            };
            responses.push(order_response(&order, None, &decision).unwrap());
        }
    }
    validate_peppol_batch(Transaction::OrderResponse, &responses).unwrap();
}

/// Every official order, read and written again by the buyer-side writer, validates as T01 (and
/// passes the fuzz target's invariants).
#[test]
fn the_official_example_written_again_validates_as_t01() {
    let documents: Vec<String> = [
        "Order_Example.xml",
        "UC1_Order.xml",
        "UC4_Order.xml",
        "UC5_Order.xml",
    ]
    .iter()
    .map(|name| write_order(&read_order(example(name).as_bytes(), "buyer").unwrap()))
    .collect();
    validate_peppol_batch(Transaction::Order, &documents).unwrap();
}

/// Hostile UBL, refused natively and through the component alike, each with its exact code,
/// message and location.
mod hostile {
    use super::*;
    use punchout_tests::both::{Both, Call};

    /// The refusal of `read_order`, which identification, the engine component (through the
    /// host) and the native core give alike.
    fn refused(document: &[u8]) -> punchout_plugin::Error {
        let error = read_order(document, "buyer").unwrap_err();
        let identified = identify_order(document).unwrap_err();
        assert_eq!(identified, error, "identify and read refuse alike");
        let mut both = Both::new();
        assert_eq!(both.refused(&Call::PeppolOrder(document.to_vec())), error);
        assert_eq!(
            both.refused(&Call::PeppolIdentify(document.to_vec())),
            error
        );
        error
    }

    fn assert_refused(
        document: &[u8],
        code: ErrorCode,
        message: &str,
        (line, column, path): (u32, u32, Option<&str>),
    ) {
        let error = refused(document);
        assert_eq!((error.code(), error.message()), (code, message));
        let location = error.location();
        assert_eq!(
            (location.line, location.column, location.path.as_deref()),
            (Some(line), Some(column), path)
        );
    }

    fn order_example() -> String {
        example("Order_Example.xml")
    }

    #[test]
    fn a_doctype_is_refused() {
        let document = order_example().replacen(
            "<Order ",
            "<!DOCTYPE Order SYSTEM \"http://example.com/order.dtd\">\n<Order ",
            1,
        );
        assert_refused(
            document.as_bytes(),
            ErrorCode::ForbiddenXml,
            "DOCTYPE is not allowed in this document",
            (3, 1, None),
        );
    }

    #[test]
    fn an_entity_declaration_is_refused_before_anything_is_expanded() {
        let document = order_example()
            .replacen(
                "<Order ",
                "<!DOCTYPE Order [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<Order ",
                1,
            )
            .replacen("<cbc:ID>34</cbc:ID>", "<cbc:ID>&xxe;</cbc:ID>", 1);
        assert_refused(
            document.as_bytes(),
            ErrorCode::ForbiddenXml,
            "DOCTYPE is not allowed in this document",
            (3, 1, None),
        );
    }

    #[test]
    fn an_undeclared_entity_is_refused() {
        let document = order_example().replacen("<cbc:ID>34</cbc:ID>", "<cbc:ID>&xxe;</cbc:ID>", 1);
        assert_refused(
            document.as_bytes(),
            ErrorCode::ForbiddenXml,
            "undeclared entity `&xxe;`: expected `&lt;`, `&gt;`, `&amp;`, `&apos;`, `&quot;` or a character reference",
            (8, 10, Some("/Order/cbc:ID")),
        );
    }

    #[test]
    fn a_schema_location_is_refused_by_rule_b00109() {
        let document = order_example().replacen(
            "<Order ",
            "<Order xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2 http://example.com/UBL-Order-2.1.xsd\" ",
            1,
        );
        assert_refused(
            document.as_bytes(),
            ErrorCode::ForbiddenXml,
            "`xsi:schemaLocation` on `Order` is not allowed: a Peppol document must not contain a schema location (PEPPOL-T01-B00109)",
            (3, 1, Some("/Order")),
        );
        // Anywhere in the document, whatever its prefix.
        let document = order_example().replacen(
            "<cac:OrderLine>",
            "<cac:OrderLine xmlns:s=\"http://www.w3.org/2001/XMLSchema-instance\" s:noNamespaceSchemaLocation=\"x.xsd\">",
            1,
        );
        let error = refused(document.as_bytes());
        assert_eq!(error.code(), ErrorCode::ForbiddenXml);
        assert_eq!(
            error.message(),
            "`s:noNamespaceSchemaLocation` on `cac:OrderLine` is not allowed: a Peppol document must not contain a schema location (PEPPOL-T01-B00109)"
        );
        assert_eq!(
            error.location().path.as_deref(),
            Some("/Order/cac:OrderLine")
        );
    }

    #[test]
    fn depth_beyond_the_limit_is_refused() {
        let deep = format!("{}{}", "<cbc:Note>".repeat(200), "</cbc:Note>".repeat(200));
        let document = order_example().replacen(
            "<cbc:Note>Information text for the whole order</cbc:Note>",
            &deep,
            1,
        );
        let error = refused(document.as_bytes());
        assert_eq!(error.code(), ErrorCode::LimitExceeded);
        assert_eq!(
            error.message(),
            "element depth 129 exceeds the limit: expected at most 128 nested elements"
        );
        assert_eq!(error.location().line, Some(13));
    }

    #[test]
    fn a_document_one_byte_over_ten_mebibytes_is_refused_by_its_size() {
        let example = order_example();
        let padding = 10 * 1024 * 1024 + 1 - example.len();
        let document = format!("{example}{}", " ".repeat(padding));
        assert_eq!(document.len(), 10 * 1024 * 1024 + 1);
        let error = refused(document.as_bytes());
        assert_eq!(error.code(), ErrorCode::LimitExceeded);
        assert_eq!(
            error.message(),
            "document of 10485761 bytes exceeds the limit: expected at most 10485760 bytes"
        );
        // Exactly at the limit it is read.
        let document = format!("{example}{}", " ".repeat(padding - 1));
        read_order(document.as_bytes(), "buyer").unwrap();
    }

    #[test]
    fn another_root_or_namespace_is_refused() {
        let catalogue = example("PunchOut_Example.xml");
        let error = refused(catalogue.as_bytes());
        assert_eq!(error.code(), ErrorCode::InvalidDocument);
        assert_eq!(error.message(), "expected `Order`, found `Catalogue`");
        assert_eq!(error.location().path.as_deref(), Some("/Catalogue"));

        let document = order_example().replacen(
            "xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\"",
            "xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-1\"",
            1,
        );
        assert_refused(
            document.as_bytes(),
            ErrorCode::InvalidDocument,
            "expected `Order` in namespace `urn:oasis:names:specification:ubl:schema:xsd:Order-2`, found namespace `urn:oasis:names:specification:ubl:schema:xsd:Order-1`",
            (3, 1, Some("/Order")),
        );
        let document = order_example().replacen(
            "xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\"",
            "",
            1,
        );
        assert_refused(
            document.as_bytes(),
            ErrorCode::InvalidDocument,
            "expected `Order` in namespace `urn:oasis:names:specification:ubl:schema:xsd:Order-2`, found no namespace",
            (3, 1, Some("/Order")),
        );
        let document = order_example()
            .replacen("<Order ", "<u:Order ", 1)
            .replacen("</Order>", "</u:Order>", 1);
        assert_refused(
            document.as_bytes(),
            ErrorCode::InvalidDocument,
            "undeclared namespace prefix `u` on `u:Order`",
            (3, 1, Some("/u:Order")),
        );
    }

    #[test]
    fn a_missing_endpoint_is_refused_at_its_party() {
        let document = order_example().replacen(
            "<cbc:EndpointID schemeID=\"0192\">123456785</cbc:EndpointID>",
            "",
            1,
        );
        assert_refused(
            document.as_bytes(),
            ErrorCode::InvalidDocument,
            "missing element `cbc:EndpointID` in `cac:Party`",
            (101, 3, Some("/Order/cac:SellerSupplierParty/cac:Party")),
        );
    }
}

/// What a Peppol order carries is what the one reconciliation reads: a T01 sent for a returned
/// cart (part numbers, `line-ref` item properties, units, prices, the shipping charge) reconciles
/// line by line by reference, and a changed quantity is found. (The Peppol profile's own cart
/// mapping joins with the buyer profile; here the cXML sample profile maps the cart.)
#[test]
fn a_peppol_order_for_a_returned_cart_reconciles_with_the_shared_reconciliation() {
    use punchout_plugin::model::{Cart, CartLine};
    use punchout_plugin::order::reconcile::{reconcile, LineOutcome, MatchedBy, Verdict};
    use punchout_plugin::profile::{BuyerProfile, ResolvedSecret, Secret};

    let secrets: Vec<ResolvedSecret> = punchout_tests::sample_secrets()
        .into_iter()
        .map(|(name, value)| ResolvedSecret {
            name,
            value: Secret::new(value),
        })
        .collect();
    let profile =
        BuyerProfile::compile(&punchout_tests::sample("cxml-buyer-profile.json"), &secrets)
            .unwrap();
    let cart = Cart {
        currency: "EUR".to_owned(),
        lines: (1..=3)
            .map(|n| CartLine {
                line_ref: format!("cart-7:line-{n}"),
                sku: format!("SKU-{n:05}"),
                quantity: n.to_string(),
                unit_price: format!("{n}0.50"),
                unit: "EA".to_owned(),
                description: format!("Product {n}"),
                attributes: Vec::new(),
            })
            .collect(),
        shipping: Some("5.00".to_owned()),
        tax: None,
    };
    let order_for = |quantity_of_second: &str| {
        let mut order = peppol_order()
            .new_tree(&mut TestRunner::deterministic())
            .unwrap()
            .current();
        order.order.currency = "EUR".to_owned();
        order.order.ship_to = None;
        order.order.tax = None;
        order.order.shipping = Some(Charge {
            money: Money {
                amount: "5.00".into(),
                currency: "EUR".into(),
            },
            description: Some("Freight".into()),
        });
        order.order.lines = cart
            .lines
            .iter()
            .enumerate()
            .map(|(index, line)| OrderLine {
                line_number: u32::try_from(index + 1).unwrap(),
                quantity: if index == 1 {
                    quantity_of_second.to_owned()
                } else {
                    line.quantity.clone()
                },
                supplier_part_id: line.sku.clone(),
                supplier_part_auxiliary_id: Some(line.line_ref.clone()),
                unit: line.unit.clone(),
                shop_unit: None,
                unit_price: Some(Money {
                    amount: line.unit_price.clone(),
                    currency: "EUR".into(),
                }),
                description: Some(line.description.clone()),
                classification: None,
                manufacturer_part_id: None,
                manufacturer_name: None,
                requested_delivery_date: None,
                ship_to: None,
                shipping: None,
                tax: None,
                distributions: Vec::new(),
                comments: None,
                extrinsics: vec![Property::new("Name", line.description.clone())],
            })
            .collect();
        order.line_ids = vec!["1".into(), "2".into(), "3".into()];
        order.order.total.currency = "EUR".into();
        order.order.total.amount = payable(&order.order.lines, order.order.shipping.as_ref(), None);
        let document = write_order(&order);
        read_order(document.as_bytes(), profile.id()).unwrap()
    };

    let as_returned = order_for("2");
    let reconciliation = reconcile(&profile, &as_returned.order, &cart, None).unwrap();
    assert_eq!(
        reconciliation.verdict,
        Verdict::Accept,
        "{}",
        reconciliation.message
    );
    assert!(reconciliation
        .lines
        .iter()
        .all(|line| line.outcome == LineOutcome::Unchanged
            && line.matched_by == Some(MatchedBy::LineRef)));

    let changed = order_for("5");
    let reconciliation = reconcile(&profile, &changed.order, &cart, None).unwrap();
    assert_eq!(
        reconciliation
            .lines
            .iter()
            .map(|line| line.outcome)
            .collect::<Vec<_>>(),
        [
            LineOutcome::Unchanged,
            LineOutcome::Changed,
            LineOutcome::Unchanged
        ]
    );
    // The sample profile accepts a changed quantity: the order is confirmed as the buyer sent it.
    assert_eq!(reconciliation.verdict, Verdict::AcceptWithChanges);
    // The response answers from the reconciliation when the shop gives no code: the buyer's
    // changes accepted, the order accepted as sent (`AP`).
    let decision = OrderResponseDecision {
        response_id: "R-9".into(),
        issue_date: "2026-11-30".into(),
        issue_time: None,
        code: None,
        sales_order_id: None,
        note: None,
        lines: Vec::new(),
    };
    let response = order_response(&changed, Some(&reconciliation), &decision).unwrap();
    assert!(response.contains("<cbc:OrderResponseCode>AP</cbc:OrderResponseCode>"));
    let mut held = reconciliation.clone();
    held.verdict = Verdict::Hold;
    let error = order_response(&changed, Some(&held), &decision).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidOrder);
    assert_eq!(
        error.message(),
        "the reconciliation holds the order for review: give the decision's `code`"
    );
    assert_eq!(error.location().pointer.as_deref(), Some("/code"));
    let mut rejected = reconciliation.clone();
    rejected.verdict = Verdict::Reject;
    rejected.message = "line 2 changed beyond the rules".into();
    let response = order_response(&changed, Some(&rejected), &decision).unwrap();
    assert!(response.contains(
        "<cbc:OrderResponseCode>RE</cbc:OrderResponseCode>\n  <cbc:Note>line 2 changed beyond the rules</cbc:Note>"
    ));
    let mut other = reconciliation;
    other.order_id = "ANOTHER".into();
    let error = order_response(&changed, Some(&other), &decision).unwrap_err();
    assert_eq!(error.location().pointer.as_deref(), Some("/order_id"));
    validate_peppol_batch(Transaction::OrderResponse, &[response]).unwrap();
}

/// The component answers as the native core does: the same endpoints, the same order, the same
/// response.
#[test]
fn the_component_reads_and_answers_peppol_orders_as_the_native_core() {
    use punchout_host::prelude::*;
    use punchout_tests::both::{Both, Call};

    let document = example("Order_Example.xml");
    let mut both = Both::new();
    // The official example's buyer is the sample profile's seller: no profile of the shop's.
    let error = both.refused(&Call::PeppolIdentify(document.clone().into_bytes()));
    assert_eq!(error.code(), punchout_plugin::ErrorCode::UnknownBuyer);
    both.accepted(&Call::PeppolOrder(document.clone().into_bytes()));
    let order = read_order(document.as_bytes(), "peppol-buyer").unwrap();
    let decision = OrderResponseDecision {
        response_id: "R-1".into(),
        issue_date: "2026-11-30".into(),
        issue_time: Some("08:00:00".into()),
        code: Some(ResponseCode::AcceptWithChanges),
        sales_order_id: None,
        note: Some("see line 2".into()),
        lines: vec![LineDecision {
            line_number: 2,
            status: LineResponseStatus::Reject,
            quantity: None,
            unit_price: None,
            delivery_date: None,
            note: Some("sold out".into()),
        }],
    };
    let native = both
        .native
        .peppol_order_response(&order, None, &decision)
        .unwrap();
    let component = both
        .worker
        .peppol_order_response(&order, None, &decision)
        .unwrap();
    assert_eq!(component, native);
    let mut wrong = decision;
    wrong.lines[0].line_number = 7;
    let native = both
        .native
        .peppol_order_response(&order, None, &wrong)
        .unwrap_err();
    let component = both
        .worker
        .peppol_order_response(&order, None, &wrong)
        .unwrap_err();
    assert_eq!(format!("{component:?}"), format!("{native:?}"));
}

/// A T01 is routed to the profile whose buyer and seller endpoints are the order's, among
/// profiles of the same shop; an order for none of them is `unknown-buyer`, naming its buyer.
#[test]
fn an_order_is_routed_to_the_profile_with_its_buyer_and_seller_endpoints() {
    use punchout_plugin::peppol::order::identify_profile;
    use punchout_plugin::profile::BuyerProfile;

    let with_endpoints = |id: &str, buyer: &str, seller: &str| {
        let mut profile: serde_json::Value =
            serde_json::from_str(&punchout_tests::sample("peppol-buyer-profile.json")).unwrap();
        profile["id"] = id.into();
        profile["peppol"]["buyer"]["endpoint"]["id"] = buyer.into();
        profile["peppol"]["seller"]["endpoint"]["id"] = seller.into();
        BuyerProfile::compile(&profile.to_string(), &[]).unwrap()
    };
    // The official example: buyer 0192:987654325, seller 0192:123456785.
    let document = example("Order_Example.xml");
    let sample = with_endpoints("sample", "123456785", "987654325");
    let other_shop = with_endpoints("other-shop", "987654325", "987654325");
    let buyer = with_endpoints("buyer", "987654325", "123456785");
    assert_eq!(
        identify_profile(&[&sample, &other_shop, &buyer], document.as_bytes()).unwrap(),
        2
    );
    let error = identify_profile(&[&sample, &other_shop], document.as_bytes()).unwrap_err();
    assert_eq!(error.code(), punchout_plugin::ErrorCode::UnknownBuyer);
    assert_eq!(
        error.message(),
        "no Peppol buyer profile has buyer endpoint `0192:987654325` with seller endpoint `0192:123456785`"
    );
    assert_eq!(
        error.location().path.as_deref(),
        Some("/Order/BuyerCustomerParty/Party/EndpointID")
    );
}

/// Every official order is read and reconciled, with the shared reconciliation, against the
/// cart it would come from (each of its lines as a cart line): nothing changed, the verdict is
/// `accept`. Then one quantity changed by the buyer is found as such.
#[test]
fn every_official_order_is_reconciled_against_its_cart() {
    use punchout_plugin::model::{Cart, CartLine};
    use punchout_plugin::order::reconcile::{reconcile, LineOutcome, Verdict};
    use punchout_plugin::profile::BuyerProfile;

    let mut profile: serde_json::Value =
        serde_json::from_str(&punchout_tests::sample("peppol-buyer-profile.json")).unwrap();
    profile["id"] = "buyer".into();
    // The official orders use their own units: the shop writes them as they are.
    profile["mapping"]["units"] = serde_json::json!({});
    let profile = BuyerProfile::compile(&profile.to_string(), &[]).unwrap();
    for name in [
        "Order_Example.xml",
        "UC1_Order.xml",
        "UC2_Order.xml",
        "UC3_Order.xml",
        "UC4_Order.xml",
        "UC5_Order.xml",
        "UC6_Order.xml",
    ] {
        let read = read_order(example(name).as_bytes(), "buyer").unwrap();
        let order = &read.order;
        let cart = Cart {
            currency: order.currency.clone(),
            lines: order
                .lines
                .iter()
                .map(|line| CartLine {
                    line_ref: line
                        .supplier_part_auxiliary_id
                        .clone()
                        .unwrap_or_else(|| format!("{name}:{}", line.line_number)),
                    sku: line.supplier_part_id.clone(),
                    quantity: line.quantity.clone(),
                    unit_price: line
                        .unit_price
                        .as_ref()
                        .map_or_else(|| "0".to_owned(), |price| price.amount.clone()),
                    unit: line.unit.clone(),
                    description: line.description.clone().unwrap_or_default(),
                    attributes: Vec::new(),
                })
                .collect(),
            shipping: order
                .shipping
                .as_ref()
                .filter(|_| !net_allowance(order))
                .map(|charge| charge.money.amount.clone()),
            tax: order.tax.as_ref().map(|charge| charge.money.amount.clone()),
        };
        let reconciliation = reconcile(&profile, order, &cart, None)
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        assert!(
            reconciliation
                .lines
                .iter()
                .all(|line| line.outcome == LineOutcome::Unchanged),
            "{name}: {:?}",
            reconciliation.lines
        );
        // An allowance larger than the charges (Order_Example's) is not in a cart: it is a
        // header finding for a person, never a refusal; otherwise nothing changed.
        if net_allowance(order) {
            assert!(
                matches!(
                    reconciliation.verdict,
                    Verdict::Hold | Verdict::AcceptWithChanges
                ),
                "{name}: {:?}",
                reconciliation.reasons
            );
        } else {
            assert!(
                matches!(reconciliation.verdict, Verdict::Accept),
                "{name}: {:?}",
                reconciliation.reasons
            );
        }

        let mut changed = order.clone();
        changed.lines[0].quantity = format!("{}1", changed.lines[0].quantity);
        let reconciliation = reconcile(&profile, &changed, &cart, None).unwrap();
        assert_eq!(
            reconciliation.lines[0].outcome,
            LineOutcome::Changed,
            "{name}"
        );
    }
}

/// Whether an order's allowances exceed its charges (its `shipping` is below zero).
fn net_allowance(order: &PurchaseOrder) -> bool {
    order
        .shipping
        .as_ref()
        .is_some_and(|charge| charge.money.amount.starts_with('-'))
}
