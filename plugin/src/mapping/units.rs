//! Unit codes: the profile's table, the shop's default, and the check against UN/ECE Rec 20.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::rec20::REC20_CODES;

/// Codes outside the current Rec 20 list that cXML and OCI traffic still uses.
pub const COMMON_NON_STANDARD_UNITS: &[&str] = &["BX", "PCE", "PCS", "PK"];

/// Whether a code is in Rec 20 or one of the common non-standard codes.
pub fn is_known_unit(code: &str) -> bool {
    // Every known code has at most three ASCII bytes: packed into a number, the check is a
    // binary search over integers (it runs for every line of every cart).
    let Some(key) = pack_code(code.as_bytes()) else {
        return false;
    };
    REC20_PACKED.binary_search(&key).is_ok() || NON_STANDARD_PACKED.contains(&key)
}

/// [`REC20_CODES`] packed by [`pack_code`], built by the compiler: a table built at first use
/// (a sort of 2 000 numbers) cost a fresh WebAssembly instance about half of its first profile
/// compile. Packing keeps the codes' order, so the table is sorted as the list is.
static REC20_PACKED: [u32; REC20_CODES.len()] = pack_codes(REC20_CODES);

/// [`COMMON_NON_STANDARD_UNITS`] packed.
static NON_STANDARD_PACKED: [u32; COMMON_NON_STANDARD_UNITS.len()] =
    pack_codes(COMMON_NON_STANDARD_UNITS);

const _: () = assert!(
    strictly_increasing(&REC20_PACKED),
    "REC20_CODES must be sorted and unique for the binary search"
);

/// Each code packed; a code that cannot be packed stops the build. Only the `static` tables
/// above call it, and the compiler evaluates those: its `panic!` is a build error, never a trap
/// at run time.
const fn pack_codes<const N: usize>(codes: &[&str]) -> [u32; N] {
    let mut packed = [0; N];
    let mut index = 0;
    while index < N {
        packed[index] = match pack_code(codes[index].as_bytes()) {
            Some(key) => key,
            None => panic!("a unit code of one to three bytes, none of them zero"),
        };
        index = index.saturating_add(1);
    }
    packed
}

const fn strictly_increasing(keys: &[u32]) -> bool {
    let mut index = 1;
    while index < keys.len() {
        if keys[index.saturating_sub(1)] >= keys[index] {
            return false;
        }
        index = index.saturating_add(1);
    }
    true
}

/// Every UN/ECE Rec 20 code (with the Rec 21 codes prefixed by `X`), sorted: Peppol's unit list.
pub fn rec20_codes() -> &'static [&'static str] {
    REC20_CODES
}

/// Whether a code is in UN/ECE Rec 20 itself (with the Rec 21 codes prefixed by `X`): the only
/// units Peppol accepts, so PCE, PCS, PK and BX are refused.
pub fn is_rec20_unit(code: &str) -> bool {
    pack_code(code.as_bytes()).is_some_and(|key| REC20_PACKED.binary_search(&key).is_ok())
}

/// A code of one to three non-zero bytes as one number: its bytes from the most significant,
/// padded with zeros, so that numbers compare as the codes do; `None` otherwise.
const fn pack_code(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 3 {
        return None;
    }
    let mut key: u32 = 0;
    let mut index = 0;
    while index < 3 {
        let byte = if index < bytes.len() { bytes[index] } else { 0 };
        if byte == 0 && index < bytes.len() {
            return None;
        }
        key = key.wrapping_shl(8) | byte as u32;
        index = index.saturating_add(1);
    }
    Some(key)
}

/// The profile's unit rules: shop code → buyer code, and the code for lines without a unit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitRules {
    /// Shop unit → buyer unit (`{"Stück": "PCE", "PCE": "EA"}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(schema_with = "unit_map_schema")]
    pub map: BTreeMap<String, String>,
    /// The unit of lines that have none, as the shop writes units: it goes through `map` like
    /// a line's own unit, so it is a key of `map` or a UN/ECE Rec 20 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

/// The schema of `units.map`: any shop unit, each translated into a known code.
fn unit_map_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let codes: Vec<&str> = REC20_CODES
        .iter()
        .chain(COMMON_NON_STANDARD_UNITS)
        .copied()
        .collect();
    schemars::json_schema!({
        "description": "Shop unit → buyer unit (`{\"Stück\": \"PCE\", \"PCE\": \"EA\"}`): a UN/ECE Rec 20 code or PCE, PCS, PK, BX.",
        "type": "object",
        "additionalProperties": {"type": "string", "enum": codes}
    })
}

impl UnitRules {
    /// Checks `default`: a shop unit the table translates, or a known code.
    ///
    /// # Errors
    /// A message naming the unit and what would be accepted.
    pub fn check_default(&self) -> Result<(), String> {
        match &self.default {
            Some(unit) if !self.map.contains_key(unit) && !is_known_unit(unit) => Err(format!(
                "unit `{}` is neither a key of `units.map` nor a UN/ECE Rec 20 code (nor PCE, PCS, PK, BX): add `\"{}\": \"C62\"` (or the buyer's code) to `units.map`, or use a Rec 20 code",
                crate::model::shorten(unit),
                crate::model::shorten(unit).escape_default()
            )),
            _ => Ok(()),
        }
    }

    /// The buyer's unit for a shop unit: the table, then the default for empty units.
    ///
    /// # Errors
    /// A message when the result is not a known unit code.
    pub fn resolve(&self, shop_unit: &str) -> Result<String, String> {
        self.resolve_ref(shop_unit).map(str::to_owned)
    }

    /// [`UnitRules::resolve`] without a copy: the profile's code or the trimmed shop unit.
    ///
    /// # Errors
    /// As [`UnitRules::resolve`].
    pub fn resolve_ref<'a>(&'a self, shop_unit: &'a str) -> Result<&'a str, String> {
        let unit = self.translate(shop_unit)?;
        if !is_known_unit(unit) {
            return Err(format!(
                "unit `{}` is not a UN/ECE Rec 20 code (nor PCE, PCS, PK, BX): map it in the profile's `mapping.units.map`",
                crate::model::shorten(unit)
            ));
        }
        Ok(unit)
    }

    /// [`UnitRules::resolve_ref`] for Peppol, which accepts UN/ECE Rec 20 codes only.
    ///
    /// # Errors
    /// A message when the result is not a Rec 20 code.
    pub fn resolve_rec20_ref<'a>(&'a self, shop_unit: &'a str) -> Result<&'a str, String> {
        let unit = self.translate(shop_unit)?;
        if !is_rec20_unit(unit) {
            return Err(format!(
                "unit `{}` is not a UN/ECE Rec 20 code, the only units Peppol accepts: map it in the profile's `mapping.units.map` (PCE or PCS to `H87`, piece, or `C62`, one)",
                crate::model::shorten(unit)
            ));
        }
        Ok(unit)
    }

    /// The profile's code for a shop unit (the default for an empty one), not yet checked.
    fn translate<'a>(&'a self, shop_unit: &'a str) -> Result<&'a str, String> {
        let shop_unit = shop_unit.trim();
        let unit = if shop_unit.is_empty() {
            self.default.as_deref().unwrap_or_default()
        } else {
            shop_unit
        };
        let unit = self.map.get(unit).map_or(unit, String::as_str);
        if unit.is_empty() {
            return Err("the line has no unit and the profile sets no `units.default`".to_owned());
        }
        Ok(unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_for_binary_search() {
        assert!(REC20_CODES.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(REC20_CODES.iter().all(|code| is_known_unit(code)));
        for unknown in [
            "", "E", "EAA", "EACH", "ZZZ", "ea", "C6", "Stück", "\u{0}EA", "EA\u{0}", "C62\u{0}",
        ] {
            assert!(!is_known_unit(unknown), "{unknown}");
        }
        assert!(is_known_unit("EA") && is_known_unit("C62") && is_known_unit("PCE"));
        assert!(!is_known_unit("Stück") && !is_known_unit("ea"));
    }

    #[test]
    fn table_then_default_then_check() {
        let rules = UnitRules {
            map: [
                ("Stück".to_owned(), "PCE".to_owned()),
                ("PCE".to_owned(), "EA".to_owned()),
            ]
            .into_iter()
            .collect(),
            default: Some("C62".to_owned()),
        };
        assert_eq!(rules.resolve("PCE").unwrap(), "EA");
        assert_eq!(rules.resolve("Stück").unwrap(), "PCE");
        assert_eq!(rules.resolve("").unwrap(), "C62");
        assert!(rules.resolve("ZZZ").unwrap_err().contains("`ZZZ`"));
    }

    #[test]
    fn the_default_may_be_the_shops_own_unit_that_the_table_translates() {
        let rules = UnitRules {
            map: [("piece".to_owned(), "C62".to_owned())]
                .into_iter()
                .collect(),
            default: Some("piece".to_owned()),
        };
        assert_eq!(rules.check_default(), Ok(()));
        assert_eq!(rules.resolve("").unwrap(), "C62");
        let unmapped = UnitRules {
            default: Some("Stk".to_owned()),
            ..rules
        };
        assert!(unmapped
            .check_default()
            .unwrap_err()
            .starts_with("unit `Stk` is neither a key of `units.map` nor a UN/ECE Rec 20 code"));
    }

    #[test]
    fn matches_the_published_list() {
        let spec = std::env::var_os("PUNCHOUT_SPEC_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec")
            });
        let csv = std::fs::read(spec.join("units/UNECERec20-11e.csv"))
            .expect("the Rec 20 code list in the specification folder (PUNCHOUT_SPEC_DIR)");
        let text = String::from_utf8_lossy(&csv);
        let mut published: Vec<&str> = text
            .lines()
            .skip(1)
            .filter_map(|line| line.split(',').next())
            // Names may span lines inside quotes; codes are 1 to 3 letters and digits.
            .filter(|code| {
                (1..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric())
            })
            .collect();
        published.sort_unstable();
        published.dedup();
        assert_eq!(published, REC20_CODES);
    }
}
