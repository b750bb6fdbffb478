//! A rendered page read back the way a browser reads it: decoded from its charset, parsed by
//! html5ever (scraper), its forms and their inputs in document order.

use punchout_plugin::oci::OciCharset;

/// One `<form>` as the browser builds it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadForm {
    pub action: Option<String>,
    pub method: Option<String>,
    pub target: Option<String>,
    /// `(name, value)` of every `<input>` inside the form, in document order.
    pub inputs: Vec<(String, String)>,
}

/// What a page holds that the invariants look at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadPage {
    pub forms: Vec<ReadForm>,
    /// Inputs anywhere in the page (outside a form too).
    pub inputs: usize,
    /// `<script>` elements and their text.
    pub scripts: Vec<String>,
    /// Elements carrying an event-handler attribute (`on…`).
    pub handlers: usize,
}

/// Decodes a page's bytes as the browser does for its charset.
///
/// # Panics
/// When a UTF-8 page is not UTF-8: the engine wrote bytes its own `Content-Type` contradicts.
pub fn decode(body: &[u8], charset: OciCharset) -> String {
    match charset {
        OciCharset::Utf8 => String::from_utf8(body.to_vec()).expect("a UTF-8 page is UTF-8"),
        OciCharset::Latin1 => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(body)
            .0
            .into_owned(),
    }
}

fn selector(css: &str) -> scraper::Selector {
    scraper::Selector::parse(css).expect("a valid selector")
}

/// Parses `html` as a document and reads its forms.
pub fn read(html: &str) -> ReadPage {
    let document = scraper::Html::parse_document(html);
    let inputs = selector("input");
    let forms = document
        .select(&selector("form"))
        .map(|form| ReadForm {
            action: form.value().attr("action").map(str::to_owned),
            method: form.value().attr("method").map(str::to_owned),
            target: form.value().attr("target").map(str::to_owned),
            inputs: form
                .select(&inputs)
                .map(|input| {
                    (
                        input.value().attr("name").unwrap_or_default().to_owned(),
                        input.value().attr("value").unwrap_or_default().to_owned(),
                    )
                })
                .collect(),
        })
        .collect();
    let handlers = document
        .select(&selector("*"))
        .filter(|element| {
            element
                .value()
                .attrs()
                .any(|(name, _)| name.to_ascii_lowercase().starts_with("on"))
        })
        .count();
    ReadPage {
        forms,
        inputs: document.select(&inputs).count(),
        scripts: document
            .select(&selector("script"))
            .map(|script| script.text().collect())
            .collect(),
        handlers,
    }
}

/// The form's inputs as the browser posts them (`application/x-www-form-urlencoded` in the
/// page's charset).
pub fn post_body(inputs: &[(String, String)], charset: OciCharset) -> Vec<u8> {
    let encode = |text: &str| {
        let bytes = match charset {
            OciCharset::Latin1 => encoding_rs::WINDOWS_1252.encode(text).0.into_owned(),
            OciCharset::Utf8 => text.as_bytes().to_vec(),
        };
        percent_encoding::percent_encode(&bytes, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let mut body = String::new();
    for (position, (name, value)) in inputs.iter().enumerate() {
        if position > 0 {
            body.push('&');
        }
        body.push_str(&encode(name));
        body.push('=');
        body.push_str(&encode(value));
    }
    body.into_bytes()
}
