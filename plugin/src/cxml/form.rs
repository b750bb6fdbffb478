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
    let value = match encoding {
        FormEncoding::CxmlUrlencoded => std::borrow::Cow::Borrowed(message),
        FormEncoding::CxmlBase64 => {
            std::borrow::Cow::Owned(base64::engine::general_purpose::STANDARD.encode(message))
        }
    };
    // Escaping grows XML text by about a third (every `<`, `>` and `"` becomes an entity).
    let mut page = String::with_capacity(value.len() * 3 / 2 + 1024);
    page.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Returning your cart</title>\n</head>\n<body>\n",
    );
    page.push_str("<form id=\"punchout-cart-return\" method=\"post\" action=\"");
    push_escaped(&mut page, action);
    page.push_str("\" accept-charset=\"UTF-8\" enctype=\"application/x-www-form-urlencoded\">\n");
    page.push_str("<input type=\"hidden\" name=\"");
    page.push_str(encoding.field_name());
    page.push_str("\" value=\"");
    push_escaped(&mut page, &value);
    page.push_str("\">\n<p>");
    page.push_str("Your cart is being returned to your procurement system.");
    page.push_str("</p>\n<button type=\"submit\">Return the cart</button>\n</form>\n");
    page.push_str(
        "<script>document.getElementById(\"punchout-cart-return\").submit();</script>\n\
         </body>\n</html>\n",
    );
    page
}

/// Whether a byte must be replaced by an entity in HTML text or a quoted attribute.
static HTML_SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    table[b'&' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'"' as usize] = true;
    table[b'\'' as usize] = true;
    table
};

/// Escapes `&`, `<`, `>`, `"` and `'`, which makes text safe in element content and in quoted
/// attribute values alike. Hand-written because this is the hot path of every cart return (the
/// message is large and dense with markup): a table scan that copies clean runs whole takes a
/// fraction of the instructions of the escaping crates measured here (html-escape,
/// askama_escape).
fn push_escaped(page: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut run_start = 0;
    while let Some(offset) = bytes.get(run_start..).and_then(|rest| {
        rest.iter()
            .position(|&byte| HTML_SPECIAL[usize::from(byte)])
    }) {
        let index = run_start + offset;
        let entity = match bytes.get(index) {
            Some(b'&') => "&amp;",
            Some(b'<') => "&lt;",
            Some(b'>') => "&gt;",
            Some(b'"') => "&quot;",
            _ => "&#39;",
        };
        // Every special byte is ASCII, so `run_start..index` lies on character boundaries.
        page.push_str(text.get(run_start..index).unwrap_or_default());
        page.push_str(entity);
        run_start = index + 1;
    }
    page.push_str(text.get(run_start..).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_html_special_character() {
        let mut page = String::new();
        push_escaped(&mut page, "a<b>&\"c'ü");
        assert_eq!(page, "a&lt;b&gt;&amp;&quot;c&#39;ü");
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
        assert!(page.contains("value=\"&lt;cXML a=&quot;1&quot;/&gt;\""));
    }
}
