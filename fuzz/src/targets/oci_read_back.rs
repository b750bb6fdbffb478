//! An OCI cart-return form body from arbitrary bytes, read back in both charsets: a typed error
//! (`limit-exceeded`, `invalid-document`) or a post whose items have ascending indices from 1,
//! and which, written again as a form body, reads back identically (one value per field of an
//! item: no two spellings of one index, `[1]` and `[01]`, carry two values).

use punchout_plugin::oci::{read_form, OciCharset, OciFormPost};
use punchout_plugin::ErrorCode;

/// A post written as a form body again: its parameters, then each item's fields and long text.
pub fn encode_post(post: &OciFormPost, charset: OciCharset) -> Vec<u8> {
    let mut inputs: Vec<(String, String)> = post
        .parameters
        .iter()
        .map(|property| (property.name.clone(), property.value.clone()))
        .collect();
    for item in &post.items {
        for field in &item.fields {
            inputs.push((
                format!("{}[{}]", field.name, item.index),
                field.value.clone(),
            ));
        }
        // An item posted with an empty long text only still exists.
        if !item.longtext.is_empty() || item.fields.is_empty() {
            inputs.push((
                format!("NEW_ITEM-LONGTEXT_{}:132[]", item.index),
                item.longtext.clone(),
            ));
        }
    }
    crate::page::post_body(&inputs, charset)
}

pub fn run(data: &[u8]) {
    for charset in [OciCharset::Latin1, OciCharset::Utf8] {
        let post = match read_form(data, charset) {
            Ok(post) => post,
            Err(error) => {
                assert!(
                    matches!(
                        error.code(),
                        ErrorCode::LimitExceeded | ErrorCode::InvalidDocument
                    ),
                    "unexpected error code: {error:?}"
                );
                continue;
            }
        };
        let mut previous = 0;
        for item in &post.items {
            assert!(
                item.index > previous,
                "item indices not ascending: {post:?}"
            );
            previous = item.index;
        }
        if crate::skipped("read-back-spellings") {
            let spelled_twice = post.items.iter().any(|item| {
                item.fields.iter().enumerate().any(|(position, field)| {
                    item.fields[..position]
                        .iter()
                        .any(|earlier| earlier.name == field.name)
                })
            });
            if spelled_twice {
                continue;
            }
        }
        let again = read_form(&encode_post(&post, charset), charset)
            .unwrap_or_else(|error| panic!("the post written again is refused: {error}\n{post:?}"));
        assert_eq!(again, post, "the post does not read back identically");
    }
}
