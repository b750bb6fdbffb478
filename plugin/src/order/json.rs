//! The order leg's JSON inputs (the order as the engine read it, the shop's fulfilment data, its
//! records of earlier orders), read with located errors: a host hands them in as the bytes it
//! stored, so a wrong field is reported by its JSON pointer, not by a line of serde.

use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorCode, Result};

/// The most JSON the order leg reads in one input: a 10 MiB order read as JSON is about as large
/// again, and fulfilment data is smaller.
pub const MAX_JSON_BYTES: usize = 32 << 20;

/// Reads `what` (such as `order` or `confirmation`) from JSON bytes.
///
/// # Errors
/// `code` (`invalid-order` for orders and fulfilment data) at the JSON pointer of the first wrong
/// value; `limit-exceeded` for more than [`MAX_JSON_BYTES`].
pub fn read<T: DeserializeOwned>(bytes: &[u8], code: ErrorCode, what: &str) -> Result<T> {
    if bytes.len() > MAX_JSON_BYTES {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            format!(
                "the {what} JSON is {} bytes, more than the limit of {MAX_JSON_BYTES}",
                bytes.len()
            ),
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let pointer = crate::profile::json_pointer(error.path());
        located(code, what, error.inner(), &pointer)
    })?;
    deserializer
        .end()
        .map_err(|error| located(code, what, &error, ""))?;
    Ok(value)
}

fn located(code: ErrorCode, what: &str, error: &serde_json::Error, pointer: &str) -> Error {
    // serde's position is in the host's JSON, which the pointer locates better.
    let message = crate::profile::strip_serde_position(&error.to_string());
    let error = Error::new(code, format!("the {what} JSON is invalid: {message}"));
    if pointer.is_empty() {
        error
    } else {
        error.at_pointer(pointer)
    }
}

/// Writes a value the engine produced as JSON bytes.
pub fn write<T: serde::Serialize>(value: &T) -> Vec<u8> {
    // The order leg's types are plain strings, numbers, vectors and enums: serializing them
    // cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order::OrderReference;

    #[test]
    fn a_wrong_field_is_located_by_its_json_pointer() {
        let error = read::<Vec<OrderReference>>(
            br#"[{"order_id": "PO-1"}, {"order_id": 7}]"#,
            ErrorCode::InvalidOrder,
            "order",
        )
        .unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidOrder);
        assert_eq!(error.location().pointer.as_deref(), Some("/1/order_id"));
        assert!(error
            .message()
            .starts_with("the order JSON is invalid: invalid type"));
    }

    #[test]
    fn trailing_content_after_the_value_is_refused() {
        let error = read::<OrderReference>(
            br#"{"order_id": "PO-1"} {}"#,
            ErrorCode::InvalidOrder,
            "order",
        )
        .unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidOrder);
        assert!(error.message().contains("trailing characters"), "{error:?}");
    }
}
