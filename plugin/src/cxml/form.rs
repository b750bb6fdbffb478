//! The HTML page that posts a `PunchOutOrderMessage` back to the buyer's system.
//!
//! One `<form>`, its action the validated return URL, one hidden field named by the profile
//! (`cxml-urlencoded`: the message as text, which the browser URL-encodes on posting;
//! `cxml-base64`: the message base64-encoded). The page submits itself and shows a button for
//! browsers without scripts. Every value is escaped for its HTML context.

use base64::Engine as _;
use html_escape::{encode_double_quoted_attribute, encode_text};

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
    let value = encode_double_quoted_attribute(&value);
    let action = encode_double_quoted_attribute(action);
    let mut page = String::with_capacity(value.len() + 1024);
    page.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Returning your cart</title>\n</head>\n<body>\n",
    );
    page.push_str("<form id=\"punchout-cart-return\" method=\"post\" action=\"");
    page.push_str(&action);
    page.push_str("\" accept-charset=\"UTF-8\" enctype=\"application/x-www-form-urlencoded\">\n");
    page.push_str("<input type=\"hidden\" name=\"");
    page.push_str(encoding.field_name());
    page.push_str("\" value=\"");
    page.push_str(&value);
    page.push_str("\">\n<p>");
    page.push_str(&encode_text(
        "Your cart is being returned to your procurement system.",
    ));
    page.push_str("</p>\n<button type=\"submit\">Return the cart</button>\n</form>\n");
    page.push_str(
        "<script>document.getElementById(\"punchout-cart-return\").submit();</script>\n\
         </body>\n</html>\n",
    );
    page
}
