//! The HTML page that posts a `PunchOutOrderMessage` back to the buyer's system.
//!
//! One `<form>`, its action the validated return URL, one hidden field named by the profile
//! (`cxml-urlencoded`: the message as text, which the browser URL-encodes on posting;
//! `cxml-base64`: the message base64-encoded). The page submits itself and shows a button for
//! browsers without scripts. Every value is escaped for its HTML context.

use base64::Engine as _;

use crate::profile::FormEncoding;

/// Renders the self-submitting form for `message`, posting to `action` (already checked
/// against the buyer profile).
pub fn cart_form(action: &str, encoding: FormEncoding, message: &str) -> String {
    // The page's size is known before it is written: the markup, the escaped action, and the
    // value (base64's alphabet needs no escaping; text grows by its `&` and `"`).
    let value_len = match encoding {
        FormEncoding::CxmlUrlencoded => escaped_len(message),
        FormEncoding::CxmlBase64 => base64::encoded_len(message.len(), true).unwrap_or(0),
    };
    let mut page = String::with_capacity(
        PAGE_MARKUP_LEN
            .saturating_add(escaped_len(action))
            .saturating_add(encoding.field_name().len())
            .saturating_add(value_len),
    );
    page.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Returning your cart</title>\n</head>\n<body>\n",
    );
    page.push_str("<form id=\"punchout-cart-return\" method=\"post\" action=\"");
    push_attribute_value(&mut page, action);
    page.push_str("\" accept-charset=\"UTF-8\" enctype=\"application/x-www-form-urlencoded\">\n");
    page.push_str("<input type=\"hidden\" name=\"");
    page.push_str(encoding.field_name());
    page.push_str("\" value=\"");
    match encoding {
        FormEncoding::CxmlUrlencoded => push_attribute_value(&mut page, message),
        // Letters, digits, `+`, `/` and `=`: nothing to escape in an attribute value.
        FormEncoding::CxmlBase64 => {
            base64::engine::general_purpose::STANDARD.encode_string(message, &mut page);
        }
    }
    page.push_str("\">\n<p>");
    page.push_str("Your cart is being returned to your procurement system.");
    page.push_str("</p>\n<button type=\"submit\">Return the cart</button>\n</form>\n");
    page.push_str(
        "<script>document.getElementById(\"punchout-cart-return\").submit();</script>\n\
         </body>\n</html>\n",
    );
    page
}

/// The bytes of the page around the action, the field name and the value (checked by a test).
const PAGE_MARKUP_LEN: usize = 485;

/// The length of `text` once [`push_attribute_value`] has escaped it: `&` becomes 5 bytes and
/// `"` 6.
fn escaped_len(text: &str) -> usize {
    // One pass over the text (a large message does not stay in the cache for a second one).
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'&', b'"', bytes).fold(bytes.len(), |length, index| {
        length.saturating_add(if bytes.get(index) == Some(&b'&') {
            4
        } else {
            5
        })
    })
}

/// Escapes text for a double-quoted HTML attribute value: `&` and `"`, the only characters
/// that end the value or start a character reference there (what the HTML standard's own
/// serializer escapes in attribute values). `<` and `>` stay literal: inside quotes they are
/// plain characters, and leaving them halves the entities in a markup-dense message, the hot
/// path of every cart return.
fn push_attribute_value(page: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut run_start = 0;
    while let Some(offset) = bytes
        .get(run_start..)
        .and_then(|rest| memchr::memchr2(b'&', b'"', rest))
    {
        let index = run_start.saturating_add(offset);
        // Both special bytes are ASCII, so `run_start..index` lies on character boundaries.
        page.push_str(text.get(run_start..index).unwrap_or_default());
        page.push_str(if bytes.get(index) == Some(&b'&') {
            "&amp;"
        } else {
            "&quot;"
        });
        run_start = index.saturating_add(1);
    }
    page.push_str(text.get(run_start..).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_ends_a_quoted_attribute_value() {
        let mut page = String::new();
        push_attribute_value(&mut page, "a<b>&\"c'ü&&\"\"");
        assert_eq!(page, "a<b>&amp;&quot;c'ü&amp;&amp;&quot;&quot;");
    }

    #[test]
    fn a_hostile_message_cannot_leave_the_value() {
        let message = "\"><script>alert(1)</script><input value=\"&quot;";
        let page = cart_form(
            "https://buyer.example/r",
            FormEncoding::CxmlUrlencoded,
            message,
        );
        assert_eq!(page.matches('"').count() % 2, 0);
        assert!(page
            .contains("value=\"&quot;><script>alert(1)</script><input value=&quot;&amp;quot;\">"));
        assert_eq!(
            page.matches("<script>").count(),
            2,
            "the page's own script and the quoted text"
        );
    }

    #[test]
    fn the_page_is_written_at_the_size_reserved_for_it() {
        for encoding in [FormEncoding::CxmlUrlencoded, FormEncoding::CxmlBase64] {
            let message = "<cXML a=\"1\" b='&amp;'>ü \"x\" & y</cXML>";
            let page = cart_form("https://buyer.example/r?a=1&b=\"2", encoding, message);
            assert_eq!(page.len(), page.capacity(), "{encoding:?}");
        }
    }

    #[test]
    fn the_form_has_one_form_posting_to_the_action() {
        let page = cart_form(
            "https://buyer.example/r?a=1&b=\"2",
            FormEncoding::CxmlUrlencoded,
            "<cXML a=\"1\"/>",
        );
        assert_eq!(page.matches("<form").count(), 1);
        assert!(page.contains("action=\"https://buyer.example/r?a=1&amp;b=&quot;2\""));
        assert!(page.contains("value=\"<cXML a=&quot;1&quot;/>\""));
    }
}
