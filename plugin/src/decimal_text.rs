//! Decimals written straight into a document: the text of `Decimal`'s `Display` after
//! `normalize` (and a minimum of decimals for money), without a `String` per number.

use rust_decimal::Decimal;

/// Mantissas from here on are written by `Decimal` itself: padding them to `min_decimals` could
/// leave the type's range, where `rescale` has its own rules.
const LARGE_MANTISSA: u128 = 10_u128.pow(26);

/// Appends `number` without trailing zeros, with at least `min_decimals` decimals: the text of
/// [`crate::model::format_quantity`] (`min_decimals` 0) and [`crate::model::format_money`] (2).
pub fn push_decimal(out: &mut String, number: Decimal, min_decimals: u32) {
    let normalized = number.normalize();
    let mut mantissa = normalized.mantissa().unsigned_abs();
    let mut scale = normalized.scale();
    if mantissa >= LARGE_MANTISSA {
        let mut padded = normalized;
        if padded.scale() < min_decimals {
            padded.rescale(min_decimals);
        }
        out.push_str(&padded.to_string());
        return;
    }
    // `normalize` already dropped the trailing zeros; this keeps the loop honest if it did not.
    while scale > 0 && mantissa.checked_rem(10) == Some(0) {
        mantissa = mantissa.checked_div(10).unwrap_or_default();
        scale = scale.saturating_sub(1);
    }
    if normalized.is_sign_negative() && mantissa != 0 {
        out.push('-');
    }
    let mut buffer = itoa::Buffer::new();
    let digits = buffer.format(mantissa);
    let scale_len = usize::try_from(scale).unwrap_or(usize::MAX);
    if scale_len == 0 {
        out.push_str(digits);
    } else if digits.len() <= scale_len {
        out.push_str("0.");
        push_zeros(out, scale_len.saturating_sub(digits.len()));
        out.push_str(digits);
    } else {
        let (whole, fraction) = digits.split_at(digits.len().saturating_sub(scale_len));
        out.push_str(whole);
        out.push('.');
        out.push_str(fraction);
    }
    if scale < min_decimals {
        if scale == 0 {
            out.push('.');
        }
        push_zeros(
            out,
            usize::try_from(min_decimals.saturating_sub(scale)).unwrap_or_default(),
        );
    }
}

fn push_zeros(out: &mut String, count: usize) {
    const ZEROS: &str = "0000000000000000000000000000000000000000";
    let mut left = count;
    while left > 0 {
        let take = left.min(ZEROS.len());
        out.push_str(ZEROS.get(..take).unwrap_or_default());
        left = left.saturating_sub(take);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pushed(number: Decimal, min_decimals: u32) -> String {
        let mut out = String::new();
        push_decimal(&mut out, number, min_decimals);
        out
    }

    fn by_decimal(number: Decimal, min_decimals: u32) -> String {
        let mut normalized = number.normalize();
        if normalized.scale() < min_decimals {
            normalized.rescale(min_decimals);
        }
        normalized.to_string()
    }

    #[test]
    fn writes_what_decimal_writes() {
        for text in [
            "0",
            "-0",
            "0.000",
            "-0.00",
            "1",
            "10",
            "100.00",
            "2.5000",
            "0.125",
            "-3.10",
            "0.0001",
            "19243.6305",
            "99999999999.999",
            "123456789012345",
            "0.00000001",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "7922816251426433759354395.0335",
            "1.0000000000000000000000000001",
        ] {
            let number: Decimal = text.parse().unwrap();
            for min in [0, 1, 2, 3] {
                assert_eq!(pushed(number, min), by_decimal(number, min), "{text} {min}");
            }
        }
    }

    proptest! {
        #[test]
        fn writes_what_decimal_writes_for_any_number(mantissa in any::<i64>(), scale in 0u32..=20, min in 0u32..=4) {
            let number = Decimal::new(mantissa, scale);
            prop_assert_eq!(pushed(number, min), by_decimal(number, min));
        }
    }
}
