//! Every case of `HOSTILE-INPUT.md` and the reproductions of issue 12, grouped as the checklist
//! groups them, each run natively AND through the engine component (`PUNCHOUT_COMPONENT`): both
//! must give the same typed error (code, message, location), the component within 100 ms
//! ([`punchout_tests::both`]). Positive controls must still pass both ways.
//!
//! The XML layer's exact messages are also pinned at the parser (`plugin/tests/hostile_xml.rs`);
//! here each document goes through a real entry point (`read-order-message`, or `setup` for the
//! setup request's limits). The host budgets (cases 22 and 23: traps, the largest documents within
//! half the deadline and half the memory cap) are in `component_budgets.rs`, whose tests run one
//! at a time so that their clocks measure the engine.
//!
//! Cases marked "issue 12" expect the hardened behaviour (typed refusals for huge carts and
//! forms, hook URL names, negative quantities and amounts, overflowing totals).

use punchout_plugin::model::{Cart, CartLine, Property};
use punchout_plugin::oci::OciCharset;
use punchout_plugin::ErrorCode::{self, *};
use punchout_tests::both::{assert_error, At, Both, Call};
use punchout_tests::{sample, spec_dir};

fn order_message_example() -> String {
    std::fs::read_to_string(spec_dir().join("cxml/examples/PunchOutOrderMessage.xml")).unwrap()
}

fn message(text: impl Into<Vec<u8>>) -> Call {
    Call::OrderMessage(text.into())
}

fn refused(call: Call, code: ErrorCode, needle: &str, at: At<'_>) {
    let error = Both::new().refused(&call);
    assert_error(&error, code, needle, at);
}

fn nested(depth: usize) -> String {
    format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth))
}

fn with_attributes(count: usize, prefix: &str) -> String {
    let mut document = String::from("<cXML");
    for i in 0..count {
        document.push_str(&format!(" {prefix}{i}=\"v\""));
    }
    document.push_str("/>");
    document
}

/// Cases 1–12: the XML layer, reached through `read-order-message` (orders' limits) or `setup`.
mod xml {
    use super::*;

    #[test]
    fn case_01_billion_laughs() {
        let mut dtd = String::from("<!ENTITY lol0 \"lol\">\n");
        for i in 1..10 {
            let refs = format!("&lol{};", i - 1).repeat(10);
            dtd.push_str(&format!("<!ENTITY lol{i} \"{refs}\">\n"));
        }
        let document =
            format!("<?xml version=\"1.0\"?>\n<!DOCTYPE cXML [\n{dtd}]>\n<cXML>&lol9;</cXML>");
        refused(
            message(document),
            ForbiddenXml,
            "internal DTD subset",
            At::Line(2, 1),
        );
    }

    #[test]
    fn case_01_quadratic_blowup() {
        let document = format!(
            "<!DOCTYPE cXML SYSTEM \"cXML.dtd\" [<!ENTITY a \"{}\">]><cXML>{}</cXML>",
            "x".repeat(100_000),
            "&a;".repeat(10_000)
        );
        refused(
            message(document),
            ForbiddenXml,
            "internal DTD subset",
            At::Line(1, 1),
        );
    }

    #[test]
    fn case_02_external_general_entities() {
        for target in ["file:///etc/passwd", "http://127.0.0.1:9/"] {
            let document = format!(
                "<?xml version=\"1.0\"?>\n<!DOCTYPE cXML [<!ENTITY xxe SYSTEM \"{target}\">]>\n<cXML>&xxe;</cXML>"
            );
            refused(
                message(document),
                ForbiddenXml,
                "internal DTD subset",
                At::Line(2, 1),
            );
        }
    }

    #[test]
    fn case_03_parameter_entities_and_cycles() {
        refused(
            message(
                "<!DOCTYPE cXML [<!ENTITY % pe SYSTEM \"http://127.0.0.1:9/e.dtd\"> %pe;]><cXML/>",
            ),
            ForbiddenXml,
            "internal DTD subset",
            At::Line(1, 1),
        );
        refused(
            message("<!DOCTYPE cXML SYSTEM \"cXML.dtd\" %pe;><cXML/>"),
            ForbiddenXml,
            "parameter entity",
            At::Line(1, 1),
        );
        refused(
            message("<!DOCTYPE cXML [<!ENTITY a \"&b;\"><!ENTITY b \"&a;\">]><cXML>&a;</cXML>"),
            ForbiddenXml,
            "internal DTD subset",
            At::Line(1, 1),
        );
    }

    #[test]
    fn case_04_internal_subsets_and_lowercase_doctype() {
        for document in [
            "<!DOCTYPE cXML SYSTEM \"cXML.dtd\" [<!ENTITY x \"y\">]><cXML>&x;</cXML>",
            "<!DOCTYPE cXML SYSTEM \"cXML.dtd\" [<!ENTITY x \"a>b\">]><cXML>&x;</cXML>",
            "<!DOCTYPE cXML SYSTEM \"cXML.dtd\" [<!-- > ]> --><!ENTITY x \"y\">]><cXML>&x;</cXML>",
            "<!DOCTYPE cXML SYSTEM \"cXML.dtd\" [<?pi > ]> ?><!ENTITY x \"y\">]><cXML>&x;</cXML>",
            "<!DOCTYPE cXML SYSTEM \"a]>\" [<!ENTITY x \"y\">]><cXML>&x;</cXML>",
        ] {
            refused(
                message(document),
                ForbiddenXml,
                "internal DTD subset",
                At::Line(1, 1),
            );
        }
        refused(
            message("<!doctype cXML SYSTEM \"cXML.dtd\"><cXML/>"),
            MalformedXml,
            "expected `<!DOCTYPE`, found `<!doctype`",
            At::Line(1, 1),
        );
    }

    #[test]
    fn case_05_undeclared_entities() {
        refused(
            message("<cXML>\n  <Identity>a&foo;b</Identity>\n</cXML>"),
            ForbiddenXml,
            "undeclared entity `&foo;`",
            At::Path("/cXML/Identity"),
        );
        // Located at the element's start tag (line and column); its path names the parent.
        refused(
            message("<cXML>\n  <Money currency=\"&foo;\"/>\n</cXML>"),
            ForbiddenXml,
            "undeclared entity `&foo;`",
            At::Line(2, 3),
        );
    }

    #[test]
    fn case_06_depth() {
        for depth in [129, 257, 100_000] {
            refused(
                message(nested(depth)),
                LimitExceeded,
                "element depth 129",
                At::Nowhere,
            );
        }
        refused(
            message("<a>".repeat(100_000)),
            LimitExceeded,
            "element depth 129",
            At::Nowhere,
        );
        // At the limit the parser passes and the reader names what is missing.
        let at_limit = format!("<cXML>{}</cXML>", nested(127));
        refused(message(at_limit), InvalidDocument, "", At::Nowhere);
    }

    #[test]
    fn case_07_attributes_and_namespace_declarations() {
        refused(
            message(with_attributes(257, "x")),
            LimitExceeded,
            "too many attributes on `cXML`",
            At::Line(1, 1),
        );
        refused(
            message(with_attributes(100_000, "x")),
            LimitExceeded,
            "expected at most 256",
            At::Line(1, 1),
        );
        refused(
            message(with_attributes(257, "xmlns:p")),
            LimitExceeded,
            "too many namespace declarations on `cXML`",
            At::Line(1, 1),
        );
    }

    #[test]
    fn case_08_size_text_and_name_limits() {
        // The setup request's cap (256 KiB) and the orders' (10 MiB), one byte over each.
        let mut setup = b"<cXML>".to_vec();
        setup.resize(256 * 1024 + 1, b'x');
        refused(
            Call::Setup(setup),
            LimitExceeded,
            "document of 262145 bytes exceeds the limit",
            At::Nowhere,
        );
        let text = format!(
            "<cXML><Description>{}</Description></cXML>",
            "x".repeat(1024 * 1024 + 1)
        );
        refused(
            message(text),
            LimitExceeded,
            "text node exceeds the limit",
            At::Path("/cXML/Description"),
        );
        refused(
            message(format!("<{}/>", "n".repeat(1001))),
            LimitExceeded,
            "element name of 1001 bytes",
            At::Line(1, 1),
        );
    }

    /// The orders' cap, one byte over, through the component within the refusal budget: the
    /// host copies the whole body into the guest before the guest can look at its length.
    #[test]
    fn case_08_an_order_one_byte_over_the_cap_is_refused_in_time() {
        let mut order = b"<cXML>".to_vec();
        order.resize(10 * 1024 * 1024 + 1, b'x');
        refused(
            message(order),
            LimitExceeded,
            "document of 10485761 bytes exceeds the limit",
            At::Nowhere,
        );
    }

    #[test]
    fn case_09_not_well_formed() {
        refused(
            message("<cXML>\n  <Header>\n"),
            MalformedXml,
            "`Header` is not closed",
            At::Path("/cXML/Header"),
        );
        refused(
            message("<cXML><!-- never closed </cXML>"),
            MalformedXml,
            "unterminated comment",
            At::Nowhere,
        );
        refused(
            message("<cXML><!--></cXML>"),
            MalformedXml,
            "unterminated comment",
            At::Nowhere,
        );
        refused(
            message("<!DOCTYPE ><cXML/>"),
            MalformedXml,
            "empty DOCTYPE",
            At::Line(1, 11),
        );
        for body in ["", "   \n", "<?xml version=\"1.0\"?>"] {
            refused(
                message(body),
                MalformedXml,
                "expected a root element, found end of input",
                At::Nowhere,
            );
        }
        let full = order_message_example();
        for cut in [full.len() / 3, full.len() / 2, full.len() - 2] {
            refused(
                message(&full.as_bytes()[..cut]),
                MalformedXml,
                "",
                At::Nowhere,
            );
        }
    }

    #[test]
    fn case_10_character_references_and_encodings() {
        for reference in ["&#0;", "&#1;", "&#xD800;", "&#x110000;", "&#44444444401;"] {
            refused(
                message(format!("<cXML>{reference}</cXML>")),
                ForbiddenXml,
                reference,
                At::Path("/cXML"),
            );
        }
        refused(
            message(&b"<cXML>\n  <a>\xC3\x28</a></cXML>"[..]),
            MalformedXml,
            "invalid UTF-8",
            At::Line(2, 6),
        );
        for label in ["UTF-16", "EBCDIC-CP-US", "IBM037", "Shift_JIS"] {
            let document = format!("<?xml version=\"1.0\" encoding=\"{label}\"?><cXML/>");
            refused(
                message(document),
                UnsupportedEncoding,
                &format!("`{label}`"),
                At::Nowhere,
            );
        }
    }

    #[test]
    fn case_11_stylesheets_and_xinclude_are_never_fetched() {
        let example = order_message_example();
        let plain = Both::new().accepted(&message(example.clone()));
        let with_pi = example.replacen(
            "<cXML",
            "<?xml-stylesheet type=\"text/xsl\" href=\"http://127.0.0.1:9/evil.xsl\"?>\n<cXML",
            1,
        );
        assert_eq!(Both::new().accepted(&message(with_pi)), plain);
    }

    #[test]
    fn case_12_wrong_root_version_and_missing_elements() {
        refused(
            message("<Order/>"),
            InvalidDocument,
            "expected `cXML`, found `Order`",
            At::Path("/Order"),
        );
        let example = order_message_example();
        let no_header = {
            let start = example.find("<Header>").unwrap();
            let end = example.find("</Header>").unwrap() + "</Header>".len();
            format!("{}{}", &example[..start], &example[end..])
        };
        refused(
            message(no_header),
            InvalidDocument,
            "`Header`",
            At::Path("/cXML"),
        );
    }
}

/// Cases 13–20: PunchOut requests, returns and the OCI call-up.
mod punchout {
    use super::*;

    /// Every refused setup fixture (`tests/fixtures/cxml-setup-refused`), including two `To` and
    /// two `Sender` (case 13): the snapshot's code and location, both ways, in time.
    #[test]
    fn case_12_to_15_refused_setup_fixtures() {
        let dir = punchout_tests::workspace().join("tests/fixtures/cxml-setup-refused");
        let mut both = Both::new();
        let mut count = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|ext| ext != "xml") {
                continue;
            }
            let error = both.refused(&Call::Setup(std::fs::read(&path).unwrap()));
            let snapshot: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(path.with_extension("error.json")).unwrap(),
            )
            .unwrap();
            assert_eq!(
                serde_json::to_value(&error).unwrap(),
                snapshot,
                "{}",
                path.display()
            );
            count += 1;
        }
        assert!(count >= 25, "{count} fixtures");
    }

    #[test]
    fn case_13_two_to_and_two_senders() {
        let dir = punchout_tests::workspace().join("tests/fixtures/cxml-setup-refused");
        let read = |name: &str| Call::Setup(std::fs::read(dir.join(name)).unwrap());
        refused(
            read("two-to.xml"),
            InvalidDocument,
            "`To` occurs 2 times, expected at most once",
            At::Path("/cXML/Header/To"),
        );
        refused(
            read("two-senders.xml"),
            InvalidDocument,
            "`Sender` occurs 2 times, expected at most once",
            At::Path("/cXML/Header/Sender"),
        );
        refused(
            message("<cXML/><cXML/>"),
            MalformedXml,
            "second root element `cXML`",
            At::Nowhere,
        );
    }

    #[test]
    fn case_16_return_urls_in_the_hook_url() {
        let encode = |text: &str| {
            percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC)
                .to_string()
        };
        let mut both = Both::new();
        for hook in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "\tjavascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox",
            "//evil.example/",
            "https://evil.example/sap/bc/bsp/sap/bbp_catalog/",
            "https://srm.example.com.evil.com/sap/bc/bsp/sap/bbp_catalog/",
            "https://srm.example.com@evil.com/sap/bc/bsp/sap/bbp_catalog/",
            "http://srm.example.com/sap/bc/bsp/sap/bbp_catalog/",
        ] {
            let body = format!(
                "USERNAME=SRM_ACME&PASSWORD=oci-p4ss&HOOK_URL={}",
                encode(hook)
            );
            let error = both.refused(&Call::CallUp(body.into_bytes()));
            assert_error(&error, ReturnUrlNotAllowed, "", At::Field("HOOK_URL"));
        }
        // The buyer's own URL passes.
        let own = format!(
            "USERNAME=SRM_ACME&PASSWORD=oci-p4ss&HOOK_URL={}",
            encode("https://srm.example.com/sap/bc/bsp/sap/bbp_catalog/hook.htm")
        );
        both.accepted(&Call::CallUp(own.into_bytes()));
    }

    #[test]
    fn case_17_hostile_text_is_escaped_in_both_forms() {
        let hostile = "\"><script>alert(1)</script> ' & </textarea> \u{7}";
        let mut cart: Cart = serde_json::from_str(&sample("cart.json")).unwrap();
        cart.lines[0].description = hostile.into();
        let mut both = Both::new();
        both.accepted(&Call::CxmlCart(cart.clone()));
        both.accepted(&Call::OciCart(cart.clone()));
        // What the page holds is read with html5ever by the fuzz targets' invariants.
        for (target, call) in [("cxml_cart_form", 'c'), ("oci_cart_form", 'o')] {
            let case = punchout_fuzz::cart_case::CartCase {
                flags: if call == 'o' {
                    "u".into()
                } else {
                    String::new()
                },
                text: "sap-client=100&~OkCode=ADDI".into(),
                target: String::new(),
                cart: cart.clone(),
            };
            (punchout_fuzz::target(target).unwrap().body)(&case.encode());
        }
    }

    #[test]
    fn case_18_oci_query() {
        let hook = "https%3A%2F%2Fsrm.example.com%2Fsap%2Fbc%2Fbsp%2Fsap%2Fbbp_catalog%2Fhook.htm";
        let auth = format!("USERNAME=SRM_ACME&PASSWORD=oci-p4ss&HOOK_URL={hook}");
        let mut both = Both::new();
        let cases: Vec<(String, ErrorCode, At<'_>)> = vec![
            (
                format!("{auth}&HOOK_URL={hook}"),
                InvalidDocument,
                At::Field("HOOK_URL"),
            ),
            (
                format!("{auth}&x={}", "a".repeat(16 * 1024)),
                LimitExceeded,
                At::Nowhere,
            ),
            (
                format!("{auth}&~TARGET=mainframe"),
                InvalidValue,
                At::Field("~TARGET"),
            ),
            (
                format!("{auth}&PASSWORD=again"),
                InvalidDocument,
                At::Field("PASSWORD"),
            ),
        ];
        for (body, code, at) in cases {
            let error = both.refused(&Call::CallUp(body.into_bytes()));
            assert_error(&error, code, "", at);
            let shown = format!(
                "{error} {error:?} {}",
                serde_json::to_string(&error).unwrap()
            );
            assert!(!shown.contains("oci-p4ss"), "{shown}");
        }
    }

    #[test]
    fn case_20_buyer_cookie_is_echoed_verbatim() {
        let request = sample("cxml-setup-request.xml")
            .replace("c0ffee-42-ACME", "  &lt;odd &amp; spaced&gt;  ");
        let answer = Both::new().accepted(&Call::Setup(request.clone().into_bytes()));
        assert!(
            answer.contains("buyer_cookie: \"  <odd & spaced>  \""),
            "{answer}"
        );
        let forged = request.replace(">s3cr3t<", ">  &lt;odd &amp; spaced&gt;  <");
        refused(
            Call::Setup(forged.into_bytes()),
            AuthenticationFailed,
            "",
            At::Path("/cXML/Header/Sender"),
        );
    }
}

/// Issue 12: reproductions of the outside review, each ending in a typed error in bounded time.
mod issue_12 {
    use super::*;

    fn line(n: usize) -> CartLine {
        CartLine {
            line_ref: format!("line-{n}"),
            sku: format!("SKU-{n}"),
            quantity: "1".into(),
            unit_price: "1.00".into(),
            unit: "EA".into(),
            description: "paper".into(),
            attributes: vec![Property::new("classification", "14111507")],
        }
    }

    fn cart(lines: usize) -> Cart {
        Cart {
            currency: "EUR".into(),
            lines: (0..lines).map(line).collect(),
            shipping: None,
            tax: None,
        }
    }

    #[test]
    fn utf16_utf32_and_ebcdic_documents_are_refused() {
        let utf16: Vec<u8> = "\u{FEFF}<cXML/>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let utf16_be: Vec<u8> = "\u{FEFF}<cXML/>"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let utf32: Vec<u8> = "\u{FEFF}<cXML/>"
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        // `<?xml` in EBCDIC (code page 037), as an IBM host sends it.
        let ebcdic: Vec<u8> = vec![0x4C, 0x6F, 0xA7, 0x94, 0x93, 0x40, 0x6F, 0x6E];
        for (name, bytes) in [
            ("utf-16le", utf16),
            ("utf-16be", utf16_be),
            ("utf-32le", utf32),
            ("ebcdic", ebcdic),
        ] {
            let mut both = Both::new();
            let error = both.refused(&message(bytes.clone()));
            assert!(
                matches!(error.code(), UnsupportedEncoding | MalformedXml),
                "{name}: {error}"
            );
            let setup_error = both.refused(&Call::Setup(bytes));
            assert_eq!(setup_error.code(), error.code(), "{name}");
        }
    }

    #[test]
    fn extreme_numbers_in_a_cart_are_refused() {
        let max = "79228162514264337593543950335";
        let mut both = Both::new();
        let mut huge = cart(1);
        huge.lines[0].quantity = max.into();
        huge.lines[0].unit_price = max.into();
        // Refused at the quantity: at most 15 digits before the point, so that no sum or
        // product of cart amounts can overflow the decimal type.
        assert_error(
            &both.refused(&Call::CxmlCart(huge)),
            InvalidCart,
            "has more than 15 digits before the decimal point",
            At::Pointer("/lines/0/quantity"),
        );
        let mut float = cart(1);
        float.lines[0].unit_price = "1e308".into();
        assert_error(
            &both.refused(&Call::CxmlCart(float)),
            InvalidCart,
            "",
            At::Pointer("/lines/0/unit_price"),
        );
        let mut over = cart(1);
        over.lines[0].quantity = "79228162514264337593543950336".into();
        assert_error(
            &both.refused(&Call::CxmlCart(over)),
            InvalidCart,
            "",
            At::Pointer("/lines/0/quantity"),
        );
    }

    /// Shipping and tax were added with plain `+`: two huge values trapped the guest.
    #[test]
    fn overflowing_shipping_and_tax_are_refused_not_trapped() {
        let mut overflowing = cart(1);
        overflowing.shipping = Some("79228162514264337593543950335".into());
        overflowing.tax = Some("79228162514264337593543950335".into());
        let error = Both::new().refused(&Call::CxmlCart(overflowing));
        assert_eq!(error.code(), InvalidCart, "{error}");
    }

    /// Negative shipping and tax were accepted.
    #[test]
    fn negative_shipping_and_tax_are_refused() {
        for (field, pointer) in [("shipping", "/shipping"), ("tax", "/tax")] {
            let mut negative = cart(1);
            match field {
                "shipping" => negative.shipping = Some("-5.00".into()),
                _ => negative.tax = Some("-5.00".into()),
            }
            assert_error(
                &Both::new().refused(&Call::CxmlCart(negative)),
                InvalidCart,
                "",
                At::Pointer(pointer),
            );
        }
    }

    /// The OCI cart accepted `-5` and `-0`, which the cXML path refused.
    #[test]
    fn negative_oci_quantities_are_refused() {
        for quantity in ["-5", "-0"] {
            let mut negative = cart(1);
            negative.lines[0].quantity = quantity.into();
            let error = Both::new().refused(&Call::OciCart(negative));
            assert_eq!(error.code(), InvalidCart, "{quantity}: {error}");
            assert!(
                error
                    .location()
                    .pointer
                    .as_deref()
                    .is_some_and(|pointer| pointer.starts_with("/lines/0")),
                "{quantity}: {error}"
            );
        }
    }

    /// No limit on cart lines: a 100 000-line cart ran seconds before anything refused it.
    #[test]
    fn a_100_000_line_cart_is_refused_before_the_work() {
        let huge = cart(100_000);
        let mut both = Both::new();
        for call in [Call::CxmlCart(huge.clone()), Call::OciCart(huge)] {
            let error = both.refused(&call);
            assert_error(&error, LimitExceeded, "", At::Pointer("/lines"));
        }
    }

    /// A cart handed over as JSON is refused by a scan of its structure, before any line is
    /// decoded, with the typed cart's error. (The scan is linear in the JSON's bytes, 5 MB here,
    /// and runs in the host's unoptimised test build: 100 000 lines would time the build, not
    /// the engine.)
    #[test]
    fn a_30_000_line_cart_in_json_is_refused_before_any_line_is_read() {
        let json = serde_json::to_vec(&cart(30_000)).expect("json");
        let error = Both::new().refused(&Call::CxmlCartJson(json));
        assert_error(
            &error,
            LimitExceeded,
            "30000 lines exceed the limit `max_cart_lines` of 10000",
            At::Pointer("/lines"),
        );
    }

    /// Deeply nested JSON in a cart neither overflows the engine's stack nor traps: the reader
    /// expects a string and refuses the first bracket, located.
    #[test]
    fn a_cart_nested_100_000_deep_is_refused_without_a_trap() {
        let deep = format!(
            r#"{{"currency":"EUR","lines":[{{"line_ref":{}1{}}}]}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let error = Both::new().refused(&Call::CxmlCartJson(deep.into_bytes()));
        assert_error(
            &error,
            InvalidCart,
            "invalid type: sequence, expected a string",
            At::Pointer("/lines/0/line_ref"),
        );
    }

    /// The read-back took every item however many, in time quadratic in their number.
    #[test]
    fn a_100_000_item_form_is_refused_before_the_work() {
        let mut body = String::from("~OkCode=ADDI");
        for n in 1..=100_000 {
            body.push_str(&format!(
                "&NEW_ITEM-DESCRIPTION%5B{n}%5D=x&NEW_ITEM-QUANTITY%5B{n}%5D=1"
            ));
        }
        // Refused at item 10 001 by a scan of the field names, before any value is decoded.
        let error = Both::new().refused(&Call::ReadForm(body.into_bytes(), OciCharset::Utf8));
        assert_eq!(error.code(), LimitExceeded, "{error}");
        assert_eq!(
            error.location().field.as_deref(),
            Some("NEW_ITEM-DESCRIPTION[10001]")
        );
    }

    /// Hook URL query names became hidden inputs whatever their names.
    #[test]
    fn hook_url_parameters_with_reserved_names_are_refused() {
        let base = "https://srm.example.com/sap/bc/bsp/sap/bbp_catalog/hook.htm";
        let mut both = Both::new();
        for query in [
            "NEW_ITEM-PRICE[1]=0.01",
            "submit=x",
            "action=https://evil.example/",
            "onclick=x",
            "target=_blank",
        ] {
            let hook = format!("{base}?sap-client=100&{query}");
            let body = format!(
                "USERNAME=SRM_ACME&PASSWORD=oci-p4ss&HOOK_URL={}",
                percent_encoding::utf8_percent_encode(&hook, percent_encoding::NON_ALPHANUMERIC)
            );
            let error = both.refused(&Call::CallUp(body.into_bytes()));
            assert!(
                matches!(error.code(), ReturnUrlNotAllowed | InvalidValue),
                "{query}: {error}"
            );
            assert_eq!(
                error.location().field.as_deref(),
                Some("HOOK_URL"),
                "{query}"
            );
            let name = query.split('=').next().unwrap_or_default();
            assert!(
                error.message().contains(&format!("`{name}`")),
                "{query}: {error}"
            );
        }
        // The SAP parameters themselves pass.
        let hook = format!("{base}?sap-client=100&~OkCode=ADDI&~TARGET=_top&~CALLER=CTLG");
        let body = format!(
            "USERNAME=SRM_ACME&PASSWORD=oci-p4ss&HOOK_URL={}",
            percent_encoding::utf8_percent_encode(&hook, percent_encoding::NON_ALPHANUMERIC)
        );
        both.accepted(&Call::CallUp(body.into_bytes()));
    }
}

/// The purchase order (`orders.read-cxml-order`): the same XML layer and limits as every other
/// document, refused before authentication, natively and through the component alike.
mod orders {
    use super::*;

    fn order_example() -> String {
        std::fs::read_to_string(spec_dir().join("cxml/examples/OrderRequest.xml")).unwrap()
    }

    fn order(text: impl Into<Vec<u8>>) -> Call {
        Call::CxmlOrder(text.into())
    }

    #[test]
    fn the_specification_example_is_accepted_both_ways() {
        let answer = Both::new().accepted(&order(order_example()));
        assert!(answer.contains("order_id: \"PO-4711\""), "{answer}");
    }

    #[test]
    fn an_entity_expansion_is_refused_at_the_doctype() {
        let document = order_example().replace(
            "cXML.dtd\">",
            "cXML.dtd\" [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>",
        );
        refused(
            order(document),
            ForbiddenXml,
            "internal DTD subset",
            At::Line(2, 1),
        );
    }

    #[test]
    fn an_order_over_ten_mebibytes_is_refused_before_it_is_read() {
        let padding = format!("<Comments>{}</Comments>", "x".repeat(10 << 20));
        let document = order_example().replace(
            "</OrderRequestHeader>",
            &format!("{padding}</OrderRequestHeader>"),
        );
        refused(order(document), LimitExceeded, "10485760", At::Nowhere);
    }

    #[test]
    fn a_deep_nest_inside_a_line_is_refused_at_the_depth_limit() {
        let document =
            order_example().replace("<ItemDetail>", &format!("{}<ItemDetail>", nested(5_000)));
        let error = Both::new().refused(&order(document));
        assert_eq!(error.code(), LimitExceeded, "{error}");
        assert!(error.message().contains("depth"), "{error}");
    }

    #[test]
    fn a_wrong_secret_is_refused_without_echoing_it() {
        let document = order_example().replace(">s3cr3t<", ">hunter2-guess<");
        let error = Both::new().refused(&order(document));
        assert_eq!(error.code(), AuthenticationFailed, "{error}");
        assert!(!error.message().contains("hunter2"), "{error}");
        assert!(
            !format!("{:?}", error.location()).contains("hunter2"),
            "{error}"
        );
    }

    #[test]
    fn a_setup_request_sent_as_an_order_is_not_an_order() {
        let setup = sample("cxml-setup-request.xml");
        let error = Both::new().refused(&order(setup));
        assert_eq!(error.code(), InvalidDocument, "{error}");
        assert!(error.message().contains("OrderRequest"), "{error}");
    }
}
