//! The HTML page that posts a T77 cart from the buyer's browser to the buyer's system, for
//! profiles whose `peppol.delivery` is a `form`.
//!
//! One `<form>`, its action the return URL checked against the profile, one hidden field named
//! by the profile carrying the cart as XML text (`raw`, which the browser URL-encodes on posting)
//! or base64-encoded (`base64`). The page submits itself and shows a button for browsers without
//! scripts. The action and the value are escaped for a double-quoted attribute; the field name
//! was checked when the profile was compiled (letters, digits, `-`, `_`, `.`, `:`) and is escaped
//! all the same.

use base64::Engine as _;

use super::settings::DeliveryEncoding;

/// Renders the self-submitting page that posts `document` in the field `field` to `action`
/// (already checked against the profile's `return_urls`).
pub fn cart_form(action: &str, field: &str, encoding: DeliveryEncoding, document: &str) -> String {
    let value_len = match encoding {
        DeliveryEncoding::Raw => document.len().saturating_add(document.len() / 4),
        DeliveryEncoding::Base64 => base64::encoded_len(document.len(), true).unwrap_or(0),
    };
    let mut page =
        String::with_capacity(value_len.saturating_add(action.len()).saturating_add(512));
    page.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Returning your cart</title>\n</head>\n<body>\n",
    );
    page.push_str("<form id=\"punchout-cart-return\" method=\"post\" action=\"");
    push_attribute_value(&mut page, action);
    page.push_str("\" accept-charset=\"UTF-8\" enctype=\"application/x-www-form-urlencoded\">\n");
    page.push_str("<input type=\"hidden\" name=\"");
    push_attribute_value(&mut page, field);
    page.push_str("\" value=\"");
    match encoding {
        DeliveryEncoding::Raw => push_attribute_value(&mut page, document),
        // Letters, digits, `+`, `/` and `=`: nothing to escape in an attribute value.
        DeliveryEncoding::Base64 => {
            base64::engine::general_purpose::STANDARD.encode_string(document, &mut page);
        }
    }
    page.push_str("\">\n<p>Your cart is being returned to your procurement system.</p>\n");
    page.push_str("<button type=\"submit\">Return the cart</button>\n</form>\n");
    page.push_str(
        "<script>document.getElementById(\"punchout-cart-return\").submit();</script>\n\
         </body>\n</html>\n",
    );
    page
}

/// Escapes text for a double-quoted HTML attribute value: `&` and `"` end the value or start a
/// reference there; `<`, `>` and `'` are escaped too, so that no reader (a proxy's filter, a
/// careless scraper) sees markup in it. Everything else, the XML's line ends included, is kept,
/// so the buyer's system receives the document's characters exactly.
fn push_attribute_value(page: &mut String, text: &str) {
    let mut run_start = 0;
    for (index, byte) in text.bytes().enumerate() {
        let replacement = match byte {
            b'&' => "&amp;",
            b'"' => "&quot;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // Every escaped byte is ASCII, so both ends are character boundaries.
        page.push_str(text.get(run_start..index).unwrap_or_default());
        page.push_str(replacement);
        run_start = index.saturating_add(1);
    }
    page.push_str(text.get(run_start..).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hostile_document_and_action_cannot_leave_their_attributes() {
        let document = "<cbc:Name>\"><script>alert(1)</script>' & </textarea></cbc:Name>";
        let page = cart_form(
            "https://buyer.example/r?a=1&b=\"2\"><script>",
            "punchout-cart",
            DeliveryEncoding::Raw,
            document,
        );
        assert_eq!(page.matches("<form").count(), 1);
        assert_eq!(
            page.matches("<script>").count(),
            1,
            "only the page's own script"
        );
        assert!(page.contains(
            "action=\"https://buyer.example/r?a=1&amp;b=&quot;2&quot;&gt;&lt;script&gt;\""
        ));
        assert!(page.contains(
            "name=\"punchout-cart\" value=\"&lt;cbc:Name&gt;&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39; &amp; &lt;/textarea&gt;&lt;/cbc:Name&gt;\""
        ));
    }

    #[test]
    fn base64_carries_the_document_exactly() {
        let document = "<Catalogue>ü & \"x\"</Catalogue>";
        let page = cart_form(
            "https://b.example/",
            "cart",
            DeliveryEncoding::Base64,
            document,
        );
        let value = page
            .split("name=\"cart\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(value)
            .unwrap();
        assert_eq!(decoded, document.as_bytes());
    }
}
