//! The code lists the engine embeds for Peppol are the ones the official 2026.5 validation
//! artefacts check (`PEPPOLBIS-T77.xslt`'s `cl…` variables), and UNCL 5305 is Peppol's published
//! list; each is sorted for binary search.

use punchout_plugin::mapping::units::rec20_codes;
use punchout_plugin::peppol::code_lists;
use punchout_tests::spec_dir;

/// The codes of one `<xsl:variable name="NAME" select="tokenize('…', '\s')"/>`.
fn xslt_list(xslt: &str, name: &str) -> Vec<String> {
    let start = format!("name=\"{name}\" select=\"tokenize('");
    let at = xslt
        .find(&start)
        .unwrap_or_else(|| panic!("no variable `{name}`"))
        + start.len();
    let end = xslt[at..].find('\'').unwrap() + at;
    let mut codes: Vec<String> = xslt[at..end]
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

fn embedded(list: &[&str]) -> Vec<String> {
    assert!(
        list.windows(2).all(|pair| pair[0] < pair[1]),
        "sorted and without duplicates"
    );
    list.iter().map(|code| (*code).to_owned()).collect()
}

#[test]
fn the_embedded_lists_match_the_official_validation_artefacts() {
    let xslt =
        std::fs::read_to_string(spec_dir().join("peppol/compiled-2026.5/PEPPOLBIS-T77.xslt"))
            .unwrap();
    for (name, list) in [
        ("cleas", code_lists::EAS),
        ("clICD", code_lists::ICD),
        ("clISO3166", code_lists::ISO3166),
        ("clISO4217", code_lists::ISO4217),
        ("clUNCL7143", code_lists::UNCL7143),
        ("clMimeCode", code_lists::MIME_CODES),
        ("clImage", code_lists::IMAGE_CODES),
        ("clUNCL1001", code_lists::UNCL1001),
        ("clUNECERec20", rec20_codes()),
    ] {
        assert_eq!(embedded(list), xslt_list(&xslt, name), "{name}");
    }
}

#[test]
fn uncl5305_is_peppols_published_list() {
    let xml = std::fs::read_to_string(spec_dir().join("peppol/codelist/UNCL5305.xml")).unwrap();
    let mut published: Vec<String> = xml
        .split("<Id>")
        .skip(1)
        .map(|rest| rest.split("</Id>").next().unwrap().trim().to_owned())
        .collect();
    published.sort();
    assert_eq!(embedded(code_lists::UNCL5305), published);
}
