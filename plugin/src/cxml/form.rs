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
    let mut form = FormWriter::new(action, encoding, value_len);
    form.push_message(message);
    form.finish(message)
}

/// Writes the page while its message is being written: each part of the message is escaped
/// (or base64-encoded) into the page just after it was written, while it is still in the cache,
/// instead of in a second pass over the finished document ([`cart_form`] is the same page in
/// one go).
#[derive(Debug)]
pub(crate) struct FormWriter {
    page: String,
    encoding: FormEncoding,
    /// How many bytes of the message are in the page already.
    written: usize,
}

impl FormWriter {
    /// The page up to the value, with room for `value_len` bytes of value and what follows it.
    pub(crate) fn new(action: &str, encoding: FormEncoding, value_len: usize) -> Self {
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
        page.push_str(
            "\" accept-charset=\"UTF-8\" enctype=\"application/x-www-form-urlencoded\">\n",
        );
        page.push_str("<input type=\"hidden\" name=\"");
        page.push_str(encoding.field_name());
        page.push_str("\" value=\"");
        FormWriter {
            page,
            encoding,
            written: 0,
        }
    }

    /// Adds what `message` (the message so far, which only grows) has beyond what is in the
    /// page already. Base64 takes whole groups of three bytes; the rest waits for the next part
    /// or for [`FormWriter::finish`].
    pub(crate) fn push_message(&mut self, message: &str) {
        let rest = message.len().saturating_sub(self.written);
        let upto = match self.encoding {
            FormEncoding::CxmlUrlencoded => message.len(),
            FormEncoding::CxmlBase64 => self.written.saturating_add((rest / 3).saturating_mul(3)),
        };
        let Some(part) = message.get(self.written..upto) else {
            return;
        };
        match self.encoding {
            FormEncoding::CxmlUrlencoded => push_attribute_value(&mut self.page, part),
            // Letters, digits, `+`, `/` and `=`: nothing to escape in an attribute value.
            FormEncoding::CxmlBase64 => base64::engine::general_purpose::STANDARD
                .encode_string(part.as_bytes(), &mut self.page),
        }
        self.written = upto;
    }

    /// The page with the whole `message` (the one given to [`FormWriter::push_message`]).
    pub(crate) fn finish(mut self, message: &str) -> String {
        if let Some(rest) = message.as_bytes().get(self.written..) {
            match self.encoding {
                FormEncoding::CxmlUrlencoded => push_attribute_value(
                    &mut self.page,
                    message.get(self.written..).unwrap_or_default(),
                ),
                FormEncoding::CxmlBase64 => {
                    base64::engine::general_purpose::STANDARD.encode_string(rest, &mut self.page);
                }
            }
        }
        let page = &mut self.page;
        page.push_str("\">\n<p>");
        page.push_str("Your cart is being returned to your procurement system.");
        page.push_str("</p>\n<button type=\"submit\">Return the cart</button>\n</form>\n");
        page.push_str(
            "<script>document.getElementById(\"punchout-cart-return\").submit();</script>\n\
             </body>\n</html>\n",
        );
        self.page
    }
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
    fn a_page_written_part_by_part_is_the_page_written_at_once() {
        let message = "<cXML a=\"1\">ü & \"x\" € 😀 &amp; y</cXML>\n";
        for encoding in [FormEncoding::CxmlUrlencoded, FormEncoding::CxmlBase64] {
            let whole = cart_form("https://buyer.example/r?a=1&b=\"2", encoding, message);
            // Every way of cutting the message in two or three parts at character boundaries.
            let cuts: Vec<usize> = (0..=message.len())
                .filter(|&cut| message.is_char_boundary(cut))
                .collect();
            for &first in &cuts {
                for &second in cuts.iter().filter(|&&cut| cut >= first) {
                    let mut form =
                        FormWriter::new("https://buyer.example/r?a=1&b=\"2", encoding, 0);
                    form.push_message(&message[..first]);
                    form.push_message(&message[..second]);
                    assert_eq!(
                        form.finish(message),
                        whole,
                        "{encoding:?} cut at {first}, {second}"
                    );
                }
            }
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
