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
}
