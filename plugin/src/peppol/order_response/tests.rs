use super::*;
use crate::peppol::order::read_order;

/// The official Order example, read.
fn order() -> PeppolOrder {
    let dir = std::env::var_os("PUNCHOUT_SPEC_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec")
        });
    let path = dir.join("peppol/examples/Order_Example.xml");
    let document = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    read_order(&document, "buyer").unwrap()
}

fn decision(code: Option<ResponseCode>, lines: Vec<LineDecision>) -> OrderResponseDecision {
    OrderResponseDecision {
        response_id: "R-1".into(),
        issue_date: "2026-11-30".into(),
        issue_time: Some("10:00:00".into()),
        code,
        sales_order_id: None,
        note: None,
        lines,
    }
}

fn line(line_number: u32, status: LineResponseStatus) -> LineDecision {
    LineDecision {
        line_number,
        status,
        quantity: None,
        unit_price: None,
        delivery_date: None,
        note: None,
    }
}

#[test]
fn an_accepted_order_is_answered_without_lines() {
    let response = order_response(
        &order(),
        None,
        &decision(Some(ResponseCode::Accept), vec![]),
    )
    .unwrap();
    assert!(response.contains("<cbc:OrderResponseCode>AP</cbc:OrderResponseCode>"));
    assert!(response.contains("<cbc:SalesOrderID>112233</cbc:SalesOrderID>"));
    assert!(response.contains("<cac:OrderReference>\n    <cbc:ID>34</cbc:ID>"));
    assert!(response.contains(
        "<cbc:EndpointID schemeID=\"0192\">123456785</cbc:EndpointID>\n      <cac:PartyLegalEntity>\n        <cbc:RegistrationName>Medical AS</cbc:RegistrationName>"
    ));
    assert!(!response.contains("<cac:OrderLine>"));
}

#[test]
fn changes_are_written_per_line_and_unnamed_lines_accepted_as_ordered() {
    let mut changed = line(1, LineResponseStatus::Changed);
    changed.quantity = Some("100".into());
    changed.unit_price = Some("49.5".into());
    changed.delivery_date = Some("2026-12-24".into());
    let response = order_response(
        &order(),
        None,
        &decision(Some(ResponseCode::AcceptWithChanges), vec![changed]),
    )
    .unwrap();
    let first = &response
        [response.find("<cac:OrderLine>").unwrap()..response.find("</cac:OrderLine>").unwrap()];
    assert_eq!(
        first,
        "<cac:OrderLine>
    <cac:LineItem>
      <cbc:ID>1</cbc:ID>
      <cbc:LineStatusCode>3</cbc:LineStatusCode>
      <cbc:Quantity unitCode=\"EA\">100</cbc:Quantity>
      <cac:Delivery>
        <cac:PromisedDeliveryPeriod>
          <cbc:StartDate>2026-12-24</cbc:StartDate>
          <cbc:EndDate>2026-12-24</cbc:EndDate>
        </cac:PromisedDeliveryPeriod>
      </cac:Delivery>
      <cac:Price>
        <cbc:PriceAmount currencyID=\"NOK\">49.50</cbc:PriceAmount>
      </cac:Price>
      <cac:Item>
        <cbc:Name>Needle 4mm</cbc:Name>
        <cac:SellersItemIdentification>
          <cbc:ID>121212</cbc:ID>
        </cac:SellersItemIdentification>
      </cac:Item>
    </cac:LineItem>
    <cac:OrderLineReference>
      <cbc:LineID>1</cbc:LineID>
    </cac:OrderLineReference>
  "
    );
    assert!(response.contains("<cbc:ID>2</cbc:ID>\n      <cbc:LineStatusCode>5</cbc:LineStatusCode>\n      <cbc:Quantity unitCode=\"EA\">15</cbc:Quantity>"));
}

#[test]
fn a_decision_that_does_not_fit_is_refused_at_its_pointer() {
    let changes = |edit: &dyn Fn(&mut LineDecision)| {
        let mut answer = line(1, LineResponseStatus::Changed);
        answer.quantity = Some("1".into());
        edit(&mut answer);
        decision(Some(ResponseCode::AcceptWithChanges), vec![answer])
    };
    let cases: Vec<(OrderResponseDecision, &str, &str)> = vec![
        (
            decision(Some(ResponseCode::Accept), vec![line(1, LineResponseStatus::Accept)]),
            "/lines",
            "a response of code `accept` answers the whole order and has no lines: use `accept_with_changes` to answer lines",
        ),
        (
            decision(Some(ResponseCode::AcceptWithChanges), vec![]),
            "/lines",
            "a response of code `accept_with_changes` needs at least one line",
        ),
        (changes(&|l| l.line_number = 9), "/lines/0/line_number", "the order has no line 9"),
        (
            changes(&|l| l.quantity = None),
            "/lines/0/status",
            "status `changed` needs a new `quantity`, `unit_price` or `delivery_date`",
        ),
        (
            changes(&|l| l.status = LineResponseStatus::Reject),
            "/lines/0/quantity",
            "a new `quantity` needs status `changed`, found `reject`",
        ),
        (
            changes(&|l| l.quantity = Some("0".into())),
            "/lines/0/quantity",
            "expected a quantity greater than zero, found `0`",
        ),
        (
            changes(&|l| l.unit_price = Some("-1".into())),
            "/lines/0/unit_price",
            "expected a price of zero or more, found `-1`",
        ),
        (
            changes(&|l| l.delivery_date = Some("2026-02-30".into())),
            "/lines/0/delivery_date",
            "expected a date such as `2026-12-01`, found `2026-02-30`",
        ),
        (
            OrderResponseDecision {
                issue_time: Some("25:00:00".into()),
                ..decision(Some(ResponseCode::Accept), vec![])
            },
            "/issue_time",
            "expected a time such as `14:30:00`, found `25:00:00`",
        ),
        (
            OrderResponseDecision {
                response_id: " ".into(),
                ..decision(Some(ResponseCode::Accept), vec![])
            },
            "/response_id",
            "the response ID is empty",
        ),
        (
            decision(None, vec![]),
            "/code",
            "without a reconciliation the decision needs a `code`",
        ),
    ];
    let order = order();
    for (decision, pointer, message) in cases {
        let error = order_response(&order, None, &decision).unwrap_err();
        assert_eq!(
            (error.code(), error.message()),
            (ErrorCode::InvalidOrder, message)
        );
        assert_eq!(
            error.location().pointer.as_deref(),
            Some(pointer),
            "{message}"
        );
    }
    let twice = decision(
        Some(ResponseCode::AcceptWithChanges),
        vec![
            line(2, LineResponseStatus::Reject),
            line(2, LineResponseStatus::Accept),
        ],
    );
    let error = order_response(&order, None, &twice).unwrap_err();
    assert_eq!(
        error.message(),
        "line 2 is answered twice: expected one answer per line"
    );
    assert_eq!(
        error.location().pointer.as_deref(),
        Some("/lines/1/line_number")
    );
}

#[test]
fn dates_are_calendar_dates() {
    for good in ["2024-02-29", "2026-12-31", "2000-02-29"] {
        check_date(good, "/d").unwrap();
    }
    for bad in [
        "2026-02-29",
        "1900-02-29",
        "2026-13-01",
        "2026-00-10",
        "2026-1-01",
        "26-01-01x",
        "2026-01-32",
        "0000-01-01",
    ] {
        assert!(check_date(bad, "/d").is_err(), "{bad}");
    }
}
