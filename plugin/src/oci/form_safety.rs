//! What may become a hidden input of the cart form besides the engine's own `NEW_ITEM-*` fields.
//!
//! The `HOOK_URL`'s query parameters are carried as hidden inputs (SAP puts `sap-client`,
//! `~OkCode`, `~TARGET`, `~CALLER` there). The rule: such a parameter never uses a name the
//! protocol or the page uses, compared ASCII case-insensitively ([`is_reserved_form_name`]):
//!
//! - `NEW_ITEM-*`: an item field, which would enter the cart beside (before) the shop's value;
//! - a property of the HTML form element (`submit`, `action`, `method`, `target`, `elements`,
//!   `length`, `id`, …, and every `on*` handler): an input of that name shadows the property
//!   (forms are `[LegacyOverrideBuiltIns]`), so `form.submit()` or `form.action` would read the
//!   input and the page could stop submitting itself;
//! - a name of digits only: `form[0]` is the form's first element.
//!
//! The engine writes no `~` parameter of its own, so the SAP `~` parameters stay allowed.
//! [`reserved_hook_url_parameter`] applies the rule to a `HOOK_URL`: at call-up
//! (`return-url-not-allowed`) and again when a stored session is rendered (`invalid-session`).

/// Properties and methods of `HTMLFormElement` and of the interfaces it inherits (`HTMLElement`,
/// `Element`, `Node`, `EventTarget`) and of every JavaScript object, lowercased. Event handlers
/// (`on*`) are covered by their prefix.
const FORM_PROPERTIES: &[&str] = &[
    // HTMLFormElement
    "acceptcharset",
    "action",
    "autocomplete",
    "checkvalidity",
    "elements",
    "encoding",
    "enctype",
    "length",
    "method",
    "name",
    "novalidate",
    "rel",
    "rellist",
    "reportvalidity",
    "requestsubmit",
    "reset",
    "submit",
    "target",
    // HTMLElement
    "accesskey",
    "accesskeylabel",
    "attachinternals",
    "autocapitalize",
    "autofocus",
    "blur",
    "click",
    "contenteditable",
    "dataset",
    "dir",
    "draggable",
    "enterkeyhint",
    "focus",
    "hidden",
    "hidepopover",
    "inert",
    "innertext",
    "inputmode",
    "iscontenteditable",
    "lang",
    "nonce",
    "offsetheight",
    "offsetleft",
    "offsetparent",
    "offsettop",
    "offsetwidth",
    "outertext",
    "popover",
    "showpopover",
    "spellcheck",
    "style",
    "tabindex",
    "title",
    "togglepopover",
    "translate",
    // Element
    "after",
    "animate",
    "append",
    "assignedslot",
    "attachshadow",
    "attributes",
    "before",
    "childelementcount",
    "children",
    "classlist",
    "classname",
    "clientheight",
    "clientleft",
    "clienttop",
    "clientwidth",
    "closest",
    "firstelementchild",
    "getattribute",
    "getattributenames",
    "getboundingclientrect",
    "getelementsbyclassname",
    "getelementsbytagname",
    "hasattribute",
    "hasattributes",
    "id",
    "innerhtml",
    "insertadjacentelement",
    "insertadjacenthtml",
    "insertadjacenttext",
    "lastelementchild",
    "localname",
    "matches",
    "namespaceuri",
    "nextelementsibling",
    "outerhtml",
    "part",
    "prefix",
    "prepend",
    "previouselementsibling",
    "queryselector",
    "queryselectorall",
    "remove",
    "removeattribute",
    "replacechildren",
    "replacewith",
    "scroll",
    "scrollheight",
    "scrollintoview",
    "scrollleft",
    "scrollto",
    "scrolltop",
    "scrollwidth",
    "setattribute",
    "shadowroot",
    "slot",
    "tagname",
    "toggleattribute",
    // Node
    "appendchild",
    "baseuri",
    "childnodes",
    "clonenode",
    "comparedocumentposition",
    "contains",
    "firstchild",
    "getrootnode",
    "haschildnodes",
    "insertbefore",
    "isconnected",
    "isequalnode",
    "issamenode",
    "lastchild",
    "nextsibling",
    "nodename",
    "nodetype",
    "nodevalue",
    "normalize",
    "ownerdocument",
    "parentelement",
    "parentnode",
    "previoussibling",
    "removechild",
    "replacechild",
    "textcontent",
    // EventTarget
    "addeventlistener",
    "dispatchevent",
    "removeeventlistener",
    // Object.prototype
    "__proto__",
    "constructor",
    "hasownproperty",
    "isprototypeof",
    "propertyisenumerable",
    "tolocalestring",
    "tostring",
    "valueof",
];

/// Why a hidden input may not have this name, or `None` when it may.
pub fn reserved_form_name_reason(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("new_item-") {
        Some("it is an OCI item field and would enter the cart")
    } else if lower.starts_with("on") {
        Some("it names an event handler of the form")
    } else if !lower.is_empty() && lower.bytes().all(|byte| byte.is_ascii_digit()) {
        Some("it is an index of the form's elements")
    } else if FORM_PROPERTIES.contains(&lower.as_str()) {
        Some("it would shadow a property of the form")
    } else {
        None
    }
}

/// Whether a hidden input of this name would change what the cart form submits or how it
/// behaves (see the [module documentation](self)). The fuzz targets assert that no input the
/// engine renders from a `HOOK_URL` has such a name.
pub fn is_reserved_form_name(name: &str) -> bool {
    reserved_form_name_reason(name).is_some()
}

/// The first query parameter of a `HOOK_URL` whose (decoded) name is reserved, with the reason.
pub fn reserved_hook_url_parameter(hook_url: &str) -> Option<(String, &'static str)> {
    super::cart_form::split_hook_url(hook_url)
        .1
        .into_iter()
        .find_map(|(name, _)| reserved_form_name_reason(&name).map(|reason| (name, reason)))
}

/// The message for a reserved `HOOK_URL` parameter.
pub(crate) fn reserved_parameter_message(name: &str, reason: &str) -> String {
    format!(
        "`HOOK_URL` parameter `{}` cannot become a hidden input of the cart form: {reason}",
        crate::model::shorten(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_and_form_property_names_are_reserved_case_insensitively() {
        for reserved in [
            "NEW_ITEM-PRICE[1]",
            "new_item-price[1]",
            "NEW_ITEM-LONGTEXT_1:132[]",
            "submit",
            "SUBMIT",
            "action",
            "method",
            "target",
            "elements",
            "length",
            "name",
            "id",
            "reset",
            "encoding",
            "enctype",
            "acceptCharset",
            "noValidate",
            "autocomplete",
            "rel",
            "relList",
            "requestSubmit",
            "onsubmit",
            "OnLoad",
            "on",
            "0",
            "12",
            "__proto__",
            "getAttribute",
        ] {
            assert!(is_reserved_form_name(reserved), "{reserved}");
        }
        for allowed in [
            "sap-client",
            "~OkCode",
            "~TARGET",
            "~CALLER",
            "OCI_VERSION",
            "x",
            "",
            "NEW_ITEMS",
            "1a",
            "submitter",
        ] {
            assert!(!is_reserved_form_name(allowed), "{allowed}");
        }
    }

    #[test]
    fn a_hook_url_names_its_first_reserved_parameter_decoded() {
        assert_eq!(
            reserved_hook_url_parameter(
                "https://srm.example/oci?sap-client=100&NEW_ITEM-PRICE%5B1%5D=0.01&submit=1"
            ),
            Some((
                "NEW_ITEM-PRICE[1]".to_owned(),
                "it is an OCI item field and would enter the cart"
            ))
        );
        assert_eq!(
            reserved_hook_url_parameter("https://srm.example/oci?~OkCode=ADDI&sap-client=100"),
            None
        );
    }
}
