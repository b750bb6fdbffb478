//! The Peppol BIS Punch Out cart (T77) judged: read safely (the engine's UBL options refuse any
//! DOCTYPE), the UBL 2.1 `Catalogue` schema, the official T77 schematron, then its content.

use punchout_plugin::model::shorten;
use punchout_plugin::peppol::cart::CATALOGUE_NS;
use punchout_plugin::peppol::{cac, cbc};
use punchout_plugin::xml::{self, Element, NsElement, ParseOptions, QualifiedName};
use rust_decimal::Decimal;

use super::content::{check_currency, check_unit, indexed_path, read_decimal, Place};
use super::cxml::engine_finding;
use super::{
    validators, Check, Classification, Expectation, Finding, ReceivedLine, Validators, Verdict,
};

pub(super) const WELL_FORMED: &str = "well-formed XML";
pub(super) const SCHEMA: &str = "UBL 2.1 schema";
pub(super) const SCHEMATRON: &str = "Peppol schematron";
pub(super) const CART: &str = "T77 cart";
pub(super) const NUMBERS: &str = "quantities and prices";
pub(super) const UNITS: &str = "units";
pub(super) const CURRENCIES: &str = "currencies";
pub(super) const DESCRIPTIONS: &str = "descriptions";

pub(super) fn judge(document: &[u8], expected: &Expectation, validators: &Validators) -> Verdict {
    let mut verdict = Verdict::default();
    let parsed = match xml::parse(document, &ParseOptions::ubl()) {
        Ok(parsed) => parsed,
        Err(error) => {
            verdict
                .checks
                .push(Check::ran(WELL_FORMED, vec![engine_finding(&error)]));
            for name in [SCHEMA, SCHEMATRON] {
                verdict.checks.push(Check::not_run(
                    name,
                    "the document was refused before validation",
                ));
            }
            return verdict;
        }
    };
    verdict.checks.push(Check::ran(WELL_FORMED, Vec::new()));
    verdict.checks.push(validators::ubl_schema(
        document,
        "UBL-Catalogue-2.1.xsd",
        &parsed.root,
        validators,
    ));
    verdict.checks.push(validators::peppol_schematron(
        document,
        "PEPPOLBIS-T77.xslt",
        &parsed.root,
        validators,
    ));
    content(&parsed.root, expected, &mut verdict);
    verdict
}

fn place(element: &NsElement<'_>, line: usize) -> Place {
    let element = element.element();
    Place::element(element, indexed_path(element, &line_name(element), line))
}

/// The name the document gives `cac:CatalogueLine` (its prefix as written), for the path.
fn line_name(element: &Element) -> String {
    element
        .path()
        .split('/')
        .find(|segment| xml::split_name(segment).1 == "CatalogueLine")
        .unwrap_or("CatalogueLine")
        .to_owned()
}

/// The first element at the end of `path` below `from`.
fn descend<'a>(from: &NsElement<'a>, path: &[QualifiedName]) -> Option<NsElement<'a>> {
    let mut element = from.clone();
    for name in path {
        let next = element.elements_named(*name).next()?;
        element = next;
    }
    Some(element)
}

struct Findings {
    structure: Vec<Finding>,
    numbers: Vec<Finding>,
    units: Vec<Finding>,
    currencies: Vec<Finding>,
    descriptions: Vec<Finding>,
}

fn content(root: &Element, expected: &Expectation, verdict: &mut Verdict) {
    let mut findings = Findings {
        structure: Vec::new(),
        numbers: Vec::new(),
        units: Vec::new(),
        currencies: Vec::new(),
        descriptions: Vec::new(),
    };
    let root = match NsElement::root(root) {
        Ok(root) => root,
        Err(error) => {
            verdict
                .checks
                .push(Check::ran(CART, vec![engine_finding(&error)]));
            return;
        }
    };
    let catalogue = QualifiedName {
        namespace: CATALOGUE_NS,
        prefix: "",
        local: "Catalogue",
    };
    if !root.is(catalogue) {
        findings.structure.push(place(&root, 0).error(format!(
            "expected the root element `Catalogue` in `{CATALOGUE_NS}`, found `{}`",
            shorten(root.element().name())
        )));
        verdict.checks.push(Check::ran(CART, findings.structure));
        return;
    }
    // One currency for the cart: the first line's.
    let mut first: Option<String> = None;
    for (index, line) in root.elements_named(cac("CatalogueLine")).enumerate() {
        let number = index.saturating_add(1);
        let (read, price) = read_line(&line, number, expected, &mut findings);
        match (&first, price) {
            (None, _) if !read.currency.is_empty() => first = Some(read.currency.clone()),
            (Some(first), Some(price)) if !read.currency.is_empty() && read.currency != *first => {
                findings.currencies.push(price.error(format!(
                    "expected the cart's currency `{}` (of its first line), found `{}`",
                    shorten(first),
                    shorten(&read.currency)
                )));
            }
            _ => {}
        }
        verdict.lines.push(read);
    }
    if verdict.lines.is_empty() {
        findings
            .structure
            .push(place(&root, 0).error("the cart has no `cac:CatalogueLine`"));
    }
    verdict.currency = first;
    verdict.checks.push(Check::ran(CART, findings.structure));
    verdict.checks.push(Check::ran(NUMBERS, findings.numbers));
    verdict.checks.push(Check::ran(UNITS, findings.units));
    verdict
        .checks
        .push(Check::ran(CURRENCIES, findings.currencies));
    verdict
        .checks
        .push(Check::ran(DESCRIPTIONS, findings.descriptions));
}

/// A line as the buyer reads it, and where its price stands.
fn read_line(
    line: &NsElement<'_>,
    number: usize,
    expected: &Expectation,
    findings: &mut Findings,
) -> (ReceivedLine, Option<Place>) {
    let at_line = place(line, number);
    let text = |element: &NsElement<'_>| element.element().trimmed_text();
    let mut read = ReceivedLine {
        number,
        part_id: String::new(),
        reference: descend(line, &[cbc("ID")]).map(|id| text(&id)),
        description: String::new(),
        quantity: Decimal::ZERO,
        unit: String::new(),
        unit_price: Decimal::ZERO,
        currency: String::new(),
        classification: None,
    };
    if read.reference.is_none() {
        findings
            .structure
            .push(at_line.error("missing element `cbc:ID` in `cac:CatalogueLine`"));
    }
    let item = descend(line, &[cac("Item")]);
    match &item {
        Some(item) => {
            read.part_id = descend(item, &[cac("SellersItemIdentification"), cbc("ID")])
                .map(|id| text(&id))
                .unwrap_or_default();
            let name = descend(item, &[cbc("Name")]);
            let description = descend(item, &[cbc("Description")]);
            read.description = description
                .as_ref()
                .or(name.as_ref())
                .map(text)
                .unwrap_or_default();
            match &name {
                Some(name) if text(name).is_empty() => findings
                    .descriptions
                    .push(place(name, number).error("item name is empty")),
                Some(_) => {}
                None => findings
                    .descriptions
                    .push(place(item, number).error("missing element `cbc:Name` in `cac:Item`")),
            }
            read.classification = descend(
                item,
                &[
                    cac("CommodityClassification"),
                    cbc("ItemClassificationCode"),
                ],
            )
            .map(|code| Classification {
                domain: code
                    .element()
                    .attribute("listID")
                    .unwrap_or_default()
                    .to_owned(),
                code: text(&code),
            });
        }
        None => findings
            .structure
            .push(at_line.error("missing element `cac:Item` in `cac:CatalogueLine`")),
    }
    let location = descend(line, &[cac("RequiredItemLocationQuantity")]);
    let quantity = location
        .as_ref()
        .and_then(|location| descend(location, &[cac("DeliveryUnit"), cbc("BatchQuantity")]));
    match &quantity {
        Some(quantity) => {
            let at = place(quantity, number);
            if let Some(value) =
                read_decimal(&text(quantity), &at, "quantity", &mut findings.numbers)
            {
                if value <= Decimal::ZERO {
                    findings.numbers.push(at.error(format!(
                        "expected a quantity greater than zero, found `{}`",
                        shorten(&text(quantity))
                    )));
                }
                read.quantity = value;
            }
            match quantity.element().attribute("unitCode") {
                Some(unit) => {
                    read.unit = unit.to_owned();
                    findings.units.extend(check_unit(unit, &at, true));
                }
                None => findings
                    .units
                    .push(at.error("missing attribute `unitCode` on `cbc:BatchQuantity`")),
            }
        }
        None => findings.structure.push(at_line.error(
            "missing element `cac:RequiredItemLocationQuantity/cac:DeliveryUnit/cbc:BatchQuantity`",
        )),
    }
    let price = location
        .as_ref()
        .and_then(|location| descend(location, &[cac("Price")]));
    let mut price_place = None;
    match price
        .as_ref()
        .and_then(|price| descend(price, &[cbc("PriceAmount")]))
    {
        Some(amount) => {
            let at = place(&amount, number);
            price_place = Some(at.clone());
            match amount.element().attribute("currencyID") {
                Some(currency) => {
                    read.currency = currency.to_owned();
                    findings.currencies.extend(check_currency(
                        currency,
                        &at,
                        expected.currency.as_deref(),
                    ));
                }
                None => findings
                    .currencies
                    .push(at.error("missing attribute `currencyID` on `cbc:PriceAmount`")),
            }
            if let Some(value) = read_decimal(&text(&amount), &at, "price", &mut findings.numbers) {
                let base = price
                    .as_ref()
                    .and_then(|price| descend(price, &[cbc("BaseQuantity")]))
                    .and_then(|base| {
                        let at = place(&base, number);
                        read_decimal(&text(&base), &at, "base quantity", &mut findings.numbers)
                    })
                    .filter(|base| !base.is_zero())
                    .unwrap_or(Decimal::ONE);
                read.unit_price = value.checked_div(base).unwrap_or(value);
            }
        }
        None => {
            findings.structure.push(at_line.error(
                "missing element `cac:RequiredItemLocationQuantity/cac:Price/cbc:PriceAmount`",
            ))
        }
    }
    (read, price_place)
}
