//! Names a hidden input taken from the `HOOK_URL`'s query must never have (issue 12, finding 4):
//! the protocol's own fields, and every name an HTML form exposes as a property, which an input
//! of that name shadows (`form.submit` becomes the input, and the page's auto-submit fails).
//!
//! The engine's rule is `punchout_plugin::oci::form_safety`; this list is written apart from it
//! on purpose, as an independent oracle for the fuzz targets. It is deliberately wide: a name on
//! it that the engine accepts is a finding.

/// Properties and methods of `HTMLFormElement` (HTML standard) and the `Element`/`Node` members
/// scripts commonly reach through a form. Compared ASCII case-insensitively.
const FORM_PROPERTIES: &[&str] = &[
    "acceptCharset",
    "accept-charset",
    "action",
    "autocomplete",
    "checkValidity",
    "elements",
    "encoding",
    "enctype",
    "length",
    "method",
    "name",
    "noValidate",
    "rel",
    "relList",
    "reportValidity",
    "requestSubmit",
    "reset",
    "submit",
    "target",
    "id",
    "className",
    "classList",
    "children",
    "attributes",
    "parentNode",
    "parentElement",
    "ownerDocument",
    "innerHTML",
    "outerHTML",
    "textContent",
    "style",
    "dataset",
    "getAttribute",
    "setAttribute",
    "addEventListener",
    "dispatchEvent",
    "querySelector",
    "querySelectorAll",
    "appendChild",
    "nodeName",
    "nodeType",
    "tagName",
    "constructor",
    "__proto__",
    "prototype",
    "toString",
    "valueOf",
    "hasOwnProperty",
];

/// Call-up parameters the engine consumes and acts on; echoing them into the form would let the
/// query say something else than the call-up did.
const ENGINE_PARAMETERS: &[&str] = &[
    "HOOK_URL",
    "USERNAME",
    "PASSWORD",
    "returntarget",
    "http_content_charset",
];

/// Whether `name` may not be a hidden input from the hook URL's query.
pub fn is_reserved_form_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("new_item-")
        || lower.starts_with("on")
        || FORM_PROPERTIES
            .iter()
            .chain(ENGINE_PARAMETERS)
            .any(|reserved| reserved.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_fields_and_form_properties_are_reserved() {
        for name in [
            "NEW_ITEM-PRICE[1]",
            "new_item-x",
            "submit",
            "ACTION",
            "onclick",
            "target",
        ] {
            assert!(is_reserved_form_name(name), "{name}");
        }
        for name in ["sap-client", "~OkCode", "~TARGET", "~CALLER", "x"] {
            assert!(!is_reserved_form_name(name), "{name}");
        }
    }
}
