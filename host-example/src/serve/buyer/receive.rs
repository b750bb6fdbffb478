//! What the return endpoint receives, decoded as the buyer's system decodes it: the OCI form
//! body in the charset the call-up asked for, the cXML message from its `cxml-urlencoded` or
//! `cxml-base64` field, the Peppol T77 from its form field (text or base64).

use anyhow::{bail, Context as _};
use base64::Engine as _;
use punchout_plugin::oci::settings::{OciCharset, OciVersion};

use super::verdict::ReceivedCart;

/// The largest body the return endpoint reads (as the engine's form read-back, 10 MiB).
pub const MAX_RETURN_BYTES: usize = 10 * 1024 * 1024;

fn check_size(length: usize) -> anyhow::Result<()> {
    if length > MAX_RETURN_BYTES {
        bail!("the posted body has {length} bytes, more than the {MAX_RETURN_BYTES} the return endpoint reads");
    }
    Ok(())
}

/// Decodes one `application/x-www-form-urlencoded` component in `charset`.
fn decode_component(raw: &str, charset: OciCharset) -> anyhow::Result<String> {
    let spaced = raw.replace('+', " ");
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(&spaced).collect();
    match charset {
        OciCharset::Utf8 => String::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("expected UTF-8, found other bytes in `{raw}`")),
        OciCharset::Latin1 => Ok(encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(&bytes)
            .0
            .into_owned()),
    }
}

/// Base64 as forms carry it, line breaks (MIME wraps at 76) and spaces left out.
fn decode_base64(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    let compact: String = text
        .chars()
        .filter(|character| !character.is_ascii_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD.decode(compact)
}

/// The fields of a form body in posted order, decoded in `charset` (what a browser sends for a
/// page in that charset): the OCI cart as [`ReceivedCart::Oci`] reads it.
///
/// # Errors
/// A body over [`MAX_RETURN_BYTES`], bytes that are not percent-encoded, or (UTF-8) a value
/// that is not UTF-8.
pub fn oci_fields_from_body(
    body: &[u8],
    charset: OciCharset,
) -> anyhow::Result<Vec<(String, String)>> {
    check_size(body.len())?;
    let text = std::str::from_utf8(body)
        .ok()
        .filter(|text| text.is_ascii())
        .context("the form body holds bytes that are not percent-encoded")?;
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((
                decode_component(name, charset)?,
                decode_component(value, charset)?,
            ))
        })
        .collect()
}

/// The OCI cart of a form body (see [`oci_fields_from_body`]).
///
/// # Errors
/// As [`oci_fields_from_body`].
pub fn oci_from_body(
    body: &[u8],
    charset: OciCharset,
    version: OciVersion,
) -> anyhow::Result<ReceivedCart> {
    Ok(ReceivedCart::Oci {
        fields: oci_fields_from_body(body, charset)?,
        version,
    })
}

/// The cXML `PunchOutOrderMessage` of a returned form's decoded fields: `cxml-urlencoded` as
/// text, or `cxml-base64` decoded.
///
/// # Errors
/// When neither field is present, both are, or the base64 is not valid.
pub fn cxml_from_form(fields: &[(String, String)]) -> anyhow::Result<ReceivedCart> {
    let find = |name: &str| {
        fields
            .iter()
            .filter(|(field, _)| field.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
            .collect::<Vec<_>>()
    };
    let (text, base64) = (find("cxml-urlencoded"), find("cxml-base64"));
    let message = match (text.as_slice(), base64.as_slice()) {
        ([text], []) => text.as_bytes().to_vec(),
        ([], [encoded]) => {
            check_size(encoded.len())?;
            decode_base64(encoded).context("the `cxml-base64` field is not valid base64")?
        }
        ([], []) => bail!("the form has no `cxml-urlencoded` or `cxml-base64` field"),
        _ => bail!("the form carries more than one cXML message field"),
    };
    Ok(ReceivedCart::Cxml { message })
}

/// The Peppol T77 of a returned form's decoded fields: the field `field`, base64 or the XML as
/// text.
///
/// # Errors
/// When the field is missing or repeated, or the base64 is not valid.
pub fn peppol_from_form(
    fields: &[(String, String)],
    field: &str,
    base64: bool,
) -> anyhow::Result<ReceivedCart> {
    let values: Vec<&String> = fields
        .iter()
        .filter(|(name, _)| name == field)
        .map(|(_, value)| value)
        .collect();
    let [value] = values.as_slice() else {
        bail!("expected one form field `{field}`, found {}", values.len());
    };
    let document = if base64 {
        check_size(value.len())?;
        decode_base64(value).with_context(|| format!("the field `{field}` is not valid base64"))?
    } else {
        value.as_bytes().to_vec()
    };
    Ok(ReceivedCart::Peppol { document })
}
