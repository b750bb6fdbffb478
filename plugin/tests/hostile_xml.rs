//! Hostile and broken XML (cases 1–11 of `HOSTILE-INPUT.md`) at the parser: each must end in a
//! typed, located error with its exact message, never a panic, a stack overflow, an expansion or
//! a fetch; valid documents still pass. The same cases through the engine's entry points,
//! natively and through the component, are in `tests/tests/hostile.rs`.

use std::path::PathBuf;

use punchout_plugin::error::{Error, ErrorCode};
use punchout_plugin::xml::{parse, DoctypePolicy, Document, ParseOptions, XmlLimits};

fn cxml() -> ParseOptions {
    ParseOptions::cxml_document()
}

fn refused(bytes: impl AsRef<[u8]>, options: &ParseOptions) -> Error {
    match parse(bytes.as_ref(), options) {
        Ok(document) => panic!("expected a refusal, parsed `{}`", document.root.name()),
        Err(error) => error,
    }
}

/// Refused with `code`, a message containing `needle`, and a line/column.
fn assert_refused(
    bytes: impl AsRef<[u8]>,
    options: &ParseOptions,
    code: ErrorCode,
    needle: &str,
) -> Error {
    let error = refused(bytes, options);
    assert_eq!(error.code(), code, "{error}");
    assert!(
        error.message().contains(needle),
        "`{needle}` not in: {error}"
    );
    assert!(
        error.location().line.is_some() && error.location().column.is_some(),
        "not located: {error}"
    );
    error
}

fn accepted(bytes: impl AsRef<[u8]>, options: &ParseOptions) -> Document {
    match parse(bytes.as_ref(), options) {
        Ok(document) => document,
        Err(error) => panic!("expected to parse, got {error}"),
    }
}

fn nested(depth: usize) -> String {
    format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth))
}

// 1. billion laughs, quadratic blow-up

#[test]
fn billion_laughs_is_refused_at_the_doctype() {
    let mut dtd = String::from("<!ENTITY lol0 \"lol\">\n");
    for i in 1..10 {
        let refs = format!("&lol{};", i - 1).repeat(10);
        dtd.push_str(&format!("<!ENTITY lol{i} \"{refs}\">\n"));
    }
    for root in ["lolz", "cXML"] {
        let document = format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE {root} [\n{dtd}]>\n<{root}>&lol9;</{root}>"
        );
        let error = assert_refused(
            &document,
            &cxml(),
            ErrorCode::ForbiddenXml,
            "internal DTD subset",
        );
        assert_eq!(
            (error.location().line, error.location().column),
            (Some(2), Some(1))
        );
        assert_refused(
            &document,
            &ParseOptions::ubl(),
            ErrorCode::ForbiddenXml,
            "DOCTYPE is not allowed",
        );
    }
}

#[test]
fn quadratic_blowup_is_refused_before_any_expansion() {
    let entity = "x".repeat(100_000);
    let document = format!(
        "<!DOCTYPE cXML SYSTEM \"cXML.dtd\" [<!ENTITY a \"{entity}\">]><cXML>{}</cXML>",
        "&a;".repeat(10_000)
    );
    assert_refused(
        &document,
        &cxml(),
        ErrorCode::ForbiddenXml,
        "internal DTD subset",
    );
    assert_refused(
        &document,
        &ParseOptions::ubl(),
        ErrorCode::ForbiddenXml,
        "DOCTYPE",
    );
}

// 2. external general entities

#[test]
fn external_general_entity_is_refused_without_io() {
    for target in ["file:///etc/passwd", "http://127.0.0.1:9/"] {
        let document = format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE cXML [<!ENTITY xxe SYSTEM \"{target}\">]>\n<cXML>&xxe;</cXML>"
        );
        let error = assert_refused(
            &document,
            &cxml(),
            ErrorCode::ForbiddenXml,
            "internal DTD subset",
        );
        // refused at the DOCTYPE, before the reference is even read
        assert_eq!(error.location().line, Some(2));
        assert!(!error.message().contains("root:"));
    }
}

#[test]
fn external_doctype_is_recorded_never_fetched() {
    for target in ["file:///etc/passwd", "http://127.0.0.1:9/"] {
        let document = accepted(
            format!("<!DOCTYPE cXML SYSTEM \"{target}\"><cXML>x</cXML>"),
            &cxml(),
        );
        assert_eq!(document.doctype_system_id.as_deref(), Some(target));
        assert_eq!(document.root.deep_text(), "x");
        // an entity the external DTD might declare is still undeclared here
        let reference = format!("<!DOCTYPE cXML SYSTEM \"{target}\"><cXML>&passwd;</cXML>");
        assert_refused(&reference, &cxml(), ErrorCode::ForbiddenXml, "`&passwd;`");
    }
}

// 3. parameter entities, cyclic entities

#[test]
fn external_parameter_entity_is_refused() {
    let document =
        "<!DOCTYPE cXML [<!ENTITY % pe SYSTEM \"http://127.0.0.1:9/evil.dtd\"> %pe;]><cXML/>";
    assert_refused(
        document,
        &cxml(),
        ErrorCode::ForbiddenXml,
        "internal DTD subset",
    );
    let outside_subset = "<!DOCTYPE cXML SYSTEM \"cXML.dtd\" %pe;><cXML/>";
    assert_refused(
        outside_subset,
        &cxml(),
        ErrorCode::ForbiddenXml,
        "parameter entity",
    );
}

#[test]
fn parameter_laughs_are_refused() {
    let mut dtd = String::from("<!ENTITY % p0 \"lol\">");
    for i in 1..10 {
        let refs = format!("%p{};", i - 1).repeat(10);
        dtd.push_str(&format!("<!ENTITY % p{i} \"{refs}\">"));
    }
    let document = format!("<!DOCTYPE cXML [{dtd} %p9;]><cXML/>");
    assert_refused(
        &document,
        &cxml(),
        ErrorCode::ForbiddenXml,
        "internal DTD subset",
    );
}

#[test]
fn cyclic_entities_are_refused() {
    let document = "<!DOCTYPE cXML [<!ENTITY a \"&b;\"><!ENTITY b \"&a;\">]><cXML>&a;</cXML>";
    assert_refused(
        document,
        &cxml(),
        ErrorCode::ForbiddenXml,
        "internal DTD subset",
    );
    // without the DOCTYPE the reference is simply undeclared
    assert_refused(
        "<cXML>&a;</cXML>",
        &cxml(),
        ErrorCode::ForbiddenXml,
        "undeclared entity `&a;`",
    );
}

// 4. internal subsets on the cXML DOCTYPE, lowercase doctype

#[test]
fn cxml_doctype_with_internal_subset_is_refused() {
    for document in [
        "<!DOCTYPE cXML SYSTEM \"cXML.dtd\" [<!ENTITY x \"y\">]><cXML>&x;</cXML>",
        "<!DOCTYPE cXML SYSTEM \"cXML.dtd\" []><cXML/>",
        // `>` hidden in quotes, comments and processing instructions
        "<!DOCTYPE cXML SYSTEM \"cXML.dtd\" [<!ENTITY x \"a>b\">]><cXML>&x;</cXML>",
        "<!DOCTYPE cXML SYSTEM \"cXML.dtd\" [<!ENTITY x 'a>b'>]><cXML>&x;</cXML>",
        "<!DOCTYPE cXML SYSTEM \"cXML.dtd\" [<!-- > ]> --><!ENTITY x \"y\">]><cXML>&x;</cXML>",
        "<!DOCTYPE cXML SYSTEM \"cXML.dtd\" [<?pi > ]> ?><!ENTITY x \"y\">]><cXML>&x;</cXML>",
        // `]>` hidden in the system literal
        "<!DOCTYPE cXML SYSTEM \"a]>\" [<!ENTITY x \"y\">]><cXML>&x;</cXML>",
    ] {
        assert_refused(
            document,
            &cxml(),
            ErrorCode::ForbiddenXml,
            "internal DTD subset",
        );
    }
}

#[test]
fn only_the_strict_external_cxml_doctype_is_accepted() {
    let single = accepted("<!DOCTYPE  cXML\n SYSTEM\t'cXML.dtd' ><cXML/>", &cxml());
    assert_eq!(single.doctype_system_id.as_deref(), Some("cXML.dtd"));
    assert_refused(
        "<!DOCTYPE cXML PUBLIC \"-//x\" \"cXML.dtd\"><cXML/>",
        &cxml(),
        ErrorCode::ForbiddenXml,
        "public identifier",
    );
    assert_refused(
        "<!DOCTYPE html SYSTEM \"cXML.dtd\"><cXML/>",
        &cxml(),
        ErrorCode::ForbiddenXml,
        "expected DOCTYPE root `cXML`, found `html`",
    );
    assert_refused(
        "<!DOCTYPE cXML><cXML/>",
        &cxml(),
        ErrorCode::ForbiddenXml,
        "expected `<!DOCTYPE cXML SYSTEM",
    );
    assert_refused(
        "<!DOCTYPE cXML SYSTEM \"a\"><!DOCTYPE cXML SYSTEM \"b\"><cXML/>",
        &cxml(),
        ErrorCode::MalformedXml,
        "at most one DOCTYPE",
    );
    assert_refused(
        "<cXML><!DOCTYPE cXML SYSTEM \"a\"></cXML>",
        &cxml(),
        ErrorCode::MalformedXml,
        "before the root element",
    );
    assert_refused(
        "<cXML/><!DOCTYPE cXML SYSTEM \"a\">",
        &cxml(),
        ErrorCode::MalformedXml,
        "before the root element",
    );
    assert_refused(
        "<!DOCTYPE cXML SYSTEM \"cXML.dtd\"><cXML/>",
        &ParseOptions::ubl(),
        ErrorCode::ForbiddenXml,
        "DOCTYPE is not allowed",
    );
}

#[test]
fn lowercase_doctype_is_refused() {
    let error = assert_refused(
        "<!doctype cXML SYSTEM \"cXML.dtd\"><cXML/>",
        &cxml(),
        ErrorCode::MalformedXml,
        "expected `<!DOCTYPE`, found `<!doctype`",
    );
    assert_eq!(
        (error.location().line, error.location().column),
        (Some(1), Some(1))
    );
}

// 5. undeclared entities

#[test]
fn undeclared_entity_in_text_is_refused() {
    let error = assert_refused(
        "<cXML>\n  <Identity>a&foo;b</Identity>\n</cXML>",
        &cxml(),
        ErrorCode::ForbiddenXml,
        "undeclared entity `&foo;`",
    );
    assert_eq!(error.location().path.as_deref(), Some("/cXML/Identity"));
    assert_eq!(
        (error.location().line, error.location().column),
        (Some(2), Some(14))
    );
}

#[test]
fn undeclared_entity_in_attribute_is_refused() {
    let error = assert_refused(
        "<cXML>\n  <Money currency=\"&foo;\"/>\n</cXML>",
        &cxml(),
        ErrorCode::ForbiddenXml,
        "undeclared entity `&foo;`",
    );
    assert_eq!(error.location().line, Some(2));
    // the five predefined entities are fine in both places
    let document = accepted(
        "<a v=\"&lt;&gt;&amp;&apos;&quot;\">&lt;&gt;&amp;&apos;&quot;</a>",
        &cxml(),
    );
    assert_eq!(document.root.attribute("v"), Some("<>&'\""));
    assert_eq!(document.root.text(), "<>&'\"");
}

// 6. depth

#[test]
fn depth_at_the_limit_passes() {
    let document = accepted(nested(128), &cxml());
    assert_eq!(document.root.name(), "a");
}

#[test]
fn depth_129_is_refused() {
    let error = assert_refused(
        nested(129),
        &cxml(),
        ErrorCode::LimitExceeded,
        "element depth 129",
    );
    assert_eq!(
        error
            .location()
            .path
            .as_deref()
            .map(|p| p.matches('/').count()),
        Some(128)
    );
}

#[test]
fn depth_257_is_refused_even_when_configured_higher() {
    let mut options = cxml();
    options.limits.max_depth = 1_000;
    accepted(nested(256), &options);
    assert_refused(
        nested(257),
        &options,
        ErrorCode::LimitExceeded,
        "element depth 257",
    );
}

#[test]
fn depth_100_000_is_refused_without_stack_overflow() {
    assert_refused(
        nested(100_000),
        &cxml(),
        ErrorCode::LimitExceeded,
        "element depth 129",
    );
    let unclosed = "<a>".repeat(100_000);
    assert_refused(
        unclosed,
        &cxml(),
        ErrorCode::LimitExceeded,
        "element depth 129",
    );
}

// 7. attributes and namespace declarations

fn with_attributes(count: usize, prefix: &str) -> String {
    let mut document = String::from("<a");
    for i in 0..count {
        document.push_str(&format!(" {prefix}{i}=\"v\""));
    }
    document.push_str("/>");
    document
}

#[test]
fn attributes_at_the_limit_pass() {
    let document = accepted(with_attributes(256, "x"), &cxml());
    assert_eq!(document.root.attributes().count(), 256);
}

#[test]
fn attributes_over_the_limit_are_refused() {
    assert_refused(
        with_attributes(257, "x"),
        &cxml(),
        ErrorCode::LimitExceeded,
        "too many attributes on `a`",
    );
}

#[test]
fn hundred_thousand_distinct_attributes_finish_fast() {
    // Counting stops at the 257th attribute; before quick-xml 0.41 the duplicate check alone was
    // quadratic (RUSTSEC-2026-0194).
    let document = with_attributes(100_000, "x");
    let started = std::time::Instant::now();
    let error = assert_refused(
        document,
        &cxml(),
        ErrorCode::LimitExceeded,
        "expected at most 256",
    );
    let elapsed = started.elapsed();
    assert!(
        elapsed < std::time::Duration::from_millis(100),
        "{elapsed:?} to refuse: {error}"
    );
}

#[test]
fn namespace_declarations_over_the_limit_are_refused() {
    assert_refused(
        with_attributes(257, "xmlns:p"),
        &cxml(),
        ErrorCode::LimitExceeded,
        "too many namespace declarations on `a`",
    );
    // counted apart from the attributes
    let mut both = with_attributes(256, "xmlns:p");
    both.truncate(both.len() - 2);
    both.push_str(&with_attributes(256, "x")[2..]);
    assert_eq!(accepted(both, &cxml()).root.attributes().count(), 512);
}

#[test]
fn duplicate_attribute_is_refused() {
    assert_refused(
        "<a b=\"1\" b=\"2\"/>",
        &cxml(),
        ErrorCode::MalformedXml,
        "duplicate attribute `b`",
    );
}

// 8. size, text and name limits

#[test]
fn document_over_the_size_cap_is_refused_without_reading_it() {
    let limits = XmlLimits::setup_request();
    let mut bytes = b"<a>".to_vec();
    // invalid UTF-8 after the prefix: decoding would report malformed XML instead
    bytes.resize(limits.max_document_bytes + 1, 0xFF);
    let error = refused(&bytes, &ParseOptions::cxml_setup_request());
    assert_eq!(error.code(), ErrorCode::LimitExceeded);
    assert_eq!(
        error.message(),
        "document of 262145 bytes exceeds the limit: expected at most 262144 bytes"
    );
    // exactly at the cap is parsed
    let mut at_cap = b"<a>".to_vec();
    at_cap.resize(limits.max_document_bytes - 4, b'x');
    at_cap.extend_from_slice(b"</a>");
    accepted(&at_cap, &ParseOptions::cxml_setup_request());
}

#[test]
fn text_node_over_the_cap_is_refused() {
    let limit = XmlLimits::order().max_text_bytes;
    let over = format!(
        "<cXML><Description>{}</Description></cXML>",
        "x".repeat(limit + 1)
    );
    let error = assert_refused(
        &over,
        &cxml(),
        ErrorCode::LimitExceeded,
        "text node exceeds the limit",
    );
    assert_eq!(error.location().path.as_deref(), Some("/cXML/Description"));
    // split by a comment, a CDATA section and references, it is still one text node
    let half = "x".repeat(limit / 2);
    let split = format!("<a>{half}<!-- --><![CDATA[{half}]]>&amp;</a>");
    assert_refused(
        &split,
        &cxml(),
        ErrorCode::LimitExceeded,
        "text node exceeds the limit",
    );
    let at_limit = format!("<a>{}</a>", "x".repeat(limit));
    accepted(&at_limit, &cxml());
    let attribute = format!("<a v=\"{}\"/>", "x".repeat(limit + 1));
    assert_refused(
        &attribute,
        &cxml(),
        ErrorCode::LimitExceeded,
        "value of attribute `v`",
    );
}

#[test]
fn name_over_1000_bytes_is_refused() {
    let long = "n".repeat(1001);
    assert_refused(
        format!("<{long}/>"),
        &cxml(),
        ErrorCode::LimitExceeded,
        "element name of 1001 bytes",
    );
    assert_refused(
        format!("<a {long}=\"v\"/>"),
        &cxml(),
        ErrorCode::LimitExceeded,
        "attribute name of 1001 bytes",
    );
    let at_limit = "n".repeat(1000);
    accepted(format!("<{at_limit} {at_limit}=\"v\"/>"), &cxml());
}

#[test]
fn deep_long_paths_are_bounded() {
    // 128 levels of 1000-byte names give 128 KB paths; repeating small siblings under them
    // must hit the tree limit instead of amplifying a small document into gigabytes.
    let name = "n".repeat(1000);
    let mut document = format!("<{name}>").repeat(127);
    document.push_str(&"<b/>".repeat(100_000));
    document.push_str(&format!("</{name}>").repeat(127));
    assert_refused(
        document,
        &cxml(),
        ErrorCode::LimitExceeded,
        "parsed tree exceeds the limit",
    );
}

// 9. not well-formed

#[test]
fn unclosed_tag_is_refused() {
    let error = assert_refused(
        "<cXML>\n  <Header>\n",
        &cxml(),
        ErrorCode::MalformedXml,
        "`Header` is not closed",
    );
    assert_eq!(error.location().path.as_deref(), Some("/cXML/Header"));
    assert_refused(
        "<cXML><Header",
        &cxml(),
        ErrorCode::MalformedXml,
        "unclosed tag",
    );
    assert_refused(
        "<cXML></Header></cXML>",
        &cxml(),
        ErrorCode::MalformedXml,
        "expected `</cXML>`, found `</Header>`",
    );
}

#[test]
fn unterminated_comment_is_refused() {
    assert_refused(
        "<cXML><!-- never closed </cXML>",
        &cxml(),
        ErrorCode::MalformedXml,
        "unterminated comment",
    );
}

#[test]
fn comment_start_without_end_is_refused() {
    assert_refused(
        "<cXML><!--></cXML>",
        &cxml(),
        ErrorCode::MalformedXml,
        "unterminated comment",
    );
    assert_refused(
        "<!--><cXML/>",
        &cxml(),
        ErrorCode::MalformedXml,
        "unterminated comment",
    );
}

#[test]
fn empty_doctype_is_refused() {
    assert_refused(
        "<!DOCTYPE ><cXML/>",
        &cxml(),
        ErrorCode::MalformedXml,
        "empty DOCTYPE",
    );
    assert_refused(
        "<!DOCTYPE><cXML/>",
        &cxml(),
        ErrorCode::MalformedXml,
        "empty DOCTYPE",
    );
}

#[test]
fn truncated_document_is_refused() {
    let full = std::fs::read(spec_dir().join("cxml/examples/OrderRequest.xml"))
        .unwrap_or_else(|e| panic!("reading the OrderRequest example: {e}"));
    for cut in [
        full.len() / 3,
        full.len() / 2,
        full.len() - 10,
        full.len() - 2,
    ] {
        let error = refused(&full[..cut], &cxml());
        assert_eq!(
            error.code(),
            ErrorCode::MalformedXml,
            "cut at {cut}: {error}"
        );
        assert!(error.location().line.is_some());
    }
}

#[test]
fn empty_body_is_refused() {
    for body in [
        "",
        "   \n",
        "<?xml version=\"1.0\"?>",
        "<!-- only a comment -->",
    ] {
        assert_refused(
            body,
            &cxml(),
            ErrorCode::MalformedXml,
            "expected a root element, found end of input",
        );
    }
}

#[test]
fn text_outside_the_root_and_second_root_are_refused() {
    assert_refused(
        "junk<cXML/>",
        &cxml(),
        ErrorCode::MalformedXml,
        "before the root element",
    );
    assert_refused(
        "<cXML/>junk",
        &cxml(),
        ErrorCode::MalformedXml,
        "after the root element",
    );
    assert_refused(
        "<cXML/><cXML/>",
        &cxml(),
        ErrorCode::MalformedXml,
        "second root element `cXML`",
    );
}

// 10. character references, UTF-8, encodings

#[test]
fn character_references_outside_char_are_refused() {
    for reference in ["&#0;", "&#1;", "&#xD800;", "&#x110000;", "&#44444444401;"] {
        let text = format!("<cXML>{reference}</cXML>");
        assert_refused(&text, &cxml(), ErrorCode::ForbiddenXml, reference);
        let attribute = format!("<cXML a=\"{reference}\"/>");
        assert_refused(&attribute, &cxml(), ErrorCode::ForbiddenXml, reference);
    }
    let document = accepted("<a>&#9;&#x10FFFF;&#xE000;&#65;</a>", &cxml());
    assert_eq!(document.root.text(), "\t\u{10FFFF}\u{E000}A");
}

#[test]
fn raw_characters_outside_char_are_refused() {
    assert_refused("<a>\u{1}</a>", &cxml(), ErrorCode::MalformedXml, "`U+0001`");
    assert_refused(
        "<a>\u{FFFF}</a>",
        &cxml(),
        ErrorCode::MalformedXml,
        "`U+FFFF`",
    );
}

#[test]
fn invalid_utf8_is_refused_with_position() {
    let error = assert_refused(
        b"<cXML>\n  <a>\xC3\x28</a></cXML>",
        &cxml(),
        ErrorCode::MalformedXml,
        "invalid UTF-8",
    );
    assert_eq!(
        (error.location().line, error.location().column),
        (Some(2), Some(6))
    );
    assert_refused(
        b"<cXML>\xE2\x82",
        &cxml(),
        ErrorCode::MalformedXml,
        "invalid UTF-8",
    );
}

#[test]
fn unsupported_declared_encoding_is_refused() {
    for label in ["UTF-16", "utf-16le", "EBCDIC-CP-US", "IBM037", "Shift_JIS"] {
        let document = format!("<?xml version=\"1.0\" encoding=\"{label}\"?><cXML/>");
        assert_refused(
            &document,
            &cxml(),
            ErrorCode::UnsupportedEncoding,
            &format!("`{label}`"),
        );
    }
    // UTF-16 recognised by its byte order mark
    let utf16: Vec<u8> = "\u{FEFF}<cXML/>"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_refused(utf16, &cxml(), ErrorCode::UnsupportedEncoding, "`UTF-16`");
}

#[test]
fn latin1_is_decoded() {
    let document = accepted(
        b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>M\xFCller \xE4</a>",
        &cxml(),
    );
    assert_eq!(document.root.text(), "Müller ä");
}

// 11. stylesheets and XInclude

#[test]
fn xml_stylesheet_is_ignored_never_fetched() {
    let document = accepted(
        "<?xml version=\"1.0\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"http://127.0.0.1:9/evil.xsl\"?>\n<cXML><?xml-stylesheet href=\"file:///etc/passwd\"?>x</cXML>",
        &cxml(),
    );
    assert_eq!(document.root.text(), "x");
}

#[test]
fn xinclude_is_just_an_element() {
    let document = accepted(
        "<cXML xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"file:///etc/passwd\" parse=\"text\"/></cXML>",
        &cxml(),
    );
    let include = document
        .root
        .required_child("xi:include")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(include.attribute("href"), Some("file:///etc/passwd"));
    assert!(include.nodes().is_empty());
    assert_eq!(document.root.deep_text(), "");
}

// positive controls

fn spec_dir() -> PathBuf {
    match std::env::var_os("PUNCHOUT_SPEC_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec"),
    }
}

#[test]
fn every_cxml_example_parses() {
    let dir = spec_dir().join("cxml/examples");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the cXML examples are missing at {} ({e}); set PUNCHOUT_SPEC_DIR to the spec directory",
            dir.display()
        )
    });
    let mut parsed = 0;
    for entry in entries {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.extension().and_then(|e| e.to_str()) != Some("xml") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let document = parse(&bytes, &ParseOptions::cxml_document())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(document.root.name(), "cXML", "{}", path.display());
        assert!(document.doctype_system_id.is_some(), "{}", path.display());
        parsed += 1;
    }
    assert!(parsed > 0, "no .xml files in {}", dir.display());
}

#[test]
fn setup_request_examples_parse_under_setup_limits() {
    let dir = spec_dir().join("cxml/examples");
    for name in [
        "PunchOutSetupRequest.create.xml",
        "PunchOutSetupRequest.edit.xml",
    ] {
        let bytes = std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let options = ParseOptions {
            limits: XmlLimits::setup_request(),
            doctype: DoctypePolicy::CxmlExternalOnly,
        };
        accepted(&bytes, &options);
    }
}
