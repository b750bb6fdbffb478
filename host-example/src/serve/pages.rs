//! The pages: minijinja templates compiled into the binary, HTML-escaped by default (every
//! template name ends in `.html`, which turns minijinja's auto-escaping on).

use minijinja::Environment;

/// Every template, by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("home.html", include_str!("templates/home.html")),
    ("problem.html", include_str!("templates/problem.html")),
    (
        "auto_submit.html",
        include_str!("templates/auto_submit.html"),
    ),
    (
        "shop_catalog.html",
        include_str!("templates/shop_catalog.html"),
    ),
    (
        "shop_orders.html",
        include_str!("templates/shop_orders.html"),
    ),
    ("shop_order.html", include_str!("templates/shop_order.html")),
    (
        "reconciliation.html",
        include_str!("templates/reconciliation.html"),
    ),
    ("buyer_cart.html", include_str!("templates/buyer_cart.html")),
    (
        "buyer_order.html",
        include_str!("templates/buyer_order.html"),
    ),
    (
        "buyer_frame.html",
        include_str!("templates/buyer_frame.html"),
    ),
];

pub(super) struct Pages {
    environment: Environment<'static>,
}

impl Pages {
    pub(super) fn new() -> anyhow::Result<Self> {
        let mut environment = Environment::new();
        environment.add_filter("code_spans", code_spans);
        for (name, source) in TEMPLATES {
            environment
                .add_template(name, source)
                .map_err(|error| anyhow::anyhow!("template `{name}`: {error:#}"))?;
        }
        Ok(Pages { environment })
    }

    pub(super) fn render(&self, name: &str, context: minijinja::Value) -> anyhow::Result<String> {
        let template = self
            .environment
            .get_template(name)
            .map_err(|error| anyhow::anyhow!("{error:#}"))?;
        template
            .render(context)
            .map_err(|error| anyhow::anyhow!("{error:#}"))
    }
}

/// The engine's messages quote values in backticks (``unit `XX9` is not in Rec 20``): on a page
/// each quoted value is escaped and shown as code. A message with an unpaired backtick is shown
/// as it is, escaped.
fn code_spans(message: String) -> minijinja::Value {
    let parts: Vec<&str> = message.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return minijinja::Value::from(message);
    }
    let mut html = String::with_capacity(message.len().saturating_add(16));
    for (index, part) in parts.iter().enumerate() {
        let escaped = minijinja::HtmlEscape(part);
        if !index.is_multiple_of(2) {
            html.push_str(&format!("<code>{escaped}</code>"));
        } else {
            html.push_str(&escaped.to_string());
        }
    }
    minijinja::Value::from_safe_string(html)
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_are_escaped_in_pages() {
        let pages = super::Pages::new().unwrap();
        let html = pages
            .render(
                "problem.html",
                minijinja::context! { title => "<script>x</script>", detail => "\"'&" },
            )
            .unwrap();
        assert!(
            html.contains("&lt;script&gt;x&lt;&#x2f;script&gt;"),
            "{html}"
        );
        assert!(html.contains("&quot;&#x27;&amp;"), "{html}");
        assert!(!html.contains("<script>x"));
    }

    #[test]
    fn quoted_values_in_messages_become_escaped_code() {
        assert_eq!(
            super::code_spans("unit `<b>` at `NEW_ITEM-UNIT[1]`".to_owned()).to_string(),
            "unit <code>&lt;b&gt;</code> at <code>NEW_ITEM-UNIT[1]</code>"
        );
        // An unpaired backtick is text, and the message is escaped when it is rendered.
        let value = super::code_spans("a ` <b>".to_owned());
        assert!(!value.is_safe());
        assert_eq!(value.to_string(), "a ` <b>");
    }
}
