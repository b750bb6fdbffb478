//! The format rules Peppol applies to participant identifiers of some schemes (the fatal
//! `PEPPOL-COMMON-R040` … `R053` rules): checked when a profile is compiled, so that a cart never
//! carries an endpoint or a party identifier the buyer's access point refuses.

/// Why `id` is not a valid identifier of `scheme` (an EAS or ICD code), if Peppol checks that
/// scheme's format; `None` when it is valid or the scheme has no format rule.
pub fn format_problem(scheme: &str, id: &str) -> Option<&'static str> {
    let digits = !id.is_empty() && id.bytes().all(|byte| byte.is_ascii_digit());
    let valid = match scheme {
        "0088" => digits && gln_check_digit_holds(id),
        "0192" => digits && id.len() == 9 && mod11_holds(id),
        "0208" => digits && id.len() == 10 && belgian_mod97_holds(id),
        "0007" => digits && id.len() == 10 && luhn_holds(id),
        "0151" => digits && id.len() == 11 && abn_holds(id),
        "0096" => digits && id.len() == 10,
        "0184" => {
            (id.len() == 10
                && id.starts_with("DK")
                && id.bytes().skip(2).all(|byte| byte.is_ascii_digit()))
                || (digits && id.len() == 8)
        }
        "0198" => {
            id.len() == 10
                && id.starts_with("DK")
                && id.bytes().skip(2).all(|byte| byte.is_ascii_digit())
        }
        _ => true,
    };
    (!valid).then_some(match scheme {
        "0088" => "a GLN: digits with a valid GS1 check digit",
        "0192" => "a Norwegian organisation number: 9 digits with a valid mod-11 check digit",
        "0208" => "a Belgian enterprise number: 10 digits with valid mod-97 check digits",
        "0007" => "a Swedish organisation number: 10 digits with a valid check digit",
        "0151" => "an Australian Business Number: 11 digits with a valid checksum",
        "0096" => "a Danish P number: 10 digits",
        "0184" => "a Danish CVR number: `DK` and 8 digits, or 8 digits",
        _ => "a Danish SE number: `DK` and 8 digits",
    })
}

fn digit_values(id: &str) -> impl DoubleEndedIterator<Item = u32> + '_ {
    id.bytes().map(|byte| u32::from(byte.saturating_sub(b'0')))
}

/// GS1: from the right, excluding the check digit, weights 3, 1, 3, …
fn gln_check_digit_holds(id: &str) -> bool {
    let Some((body, check)) = id.len().checked_sub(1).map(|end| id.split_at(end)) else {
        return false;
    };
    let sum = digit_values(body)
        .rev()
        .enumerate()
        .fold(0_u32, |sum, (index, digit)| {
            let weight = if index % 2 == 0 { 3 } else { 1 };
            sum.wrapping_add(digit.wrapping_mul(weight)) % 10
        });
    digit_values(check).next() == Some(10_u32.wrapping_sub(sum) % 10)
}

/// Norway: from the right, excluding the check digit, weights 2, 3, 4, 5, 6, 7, 2, …
fn mod11_holds(id: &str) -> bool {
    let Some((body, check)) = id.len().checked_sub(1).map(|end| id.split_at(end)) else {
        return false;
    };
    let sum = digit_values(body)
        .rev()
        .enumerate()
        .fold(0_u32, |sum, (index, digit)| {
            let weight = u32::try_from(index % 6).unwrap_or(0).saturating_add(2);
            sum.wrapping_add(digit.wrapping_mul(weight)) % 11
        });
    id.bytes().any(|byte| byte != b'0')
        && digit_values(check).next() == Some(11_u32.wrapping_sub(sum) % 11)
}

/// Belgium: the last two digits are 97 minus the first eight modulo 97.
fn belgian_mod97_holds(id: &str) -> bool {
    let (body, check) = id.split_at(8);
    match (body.parse::<u32>(), check.parse::<u32>()) {
        (Ok(body), Ok(check)) => 97_u32.saturating_sub(body % 97) == check,
        _ => false,
    }
}

/// Sweden: Luhn over the first nine digits gives the tenth.
fn luhn_holds(id: &str) -> bool {
    let (body, check) = id.split_at(9);
    let sum = digit_values(body)
        .rev()
        .enumerate()
        .fold(0_u32, |sum, (index, digit)| {
            let value = if index % 2 == 0 {
                let doubled = digit.saturating_mul(2);
                (doubled % 10).wrapping_add(doubled / 10)
            } else {
                digit
            };
            sum.wrapping_add(value) % 10
        });
    digit_values(check).next() == Some(10_u32.wrapping_sub(sum) % 10)
}

/// Australia: the first digit less one, then weights 10, 1, 3, 5, …, 19; the sum divides by 89.
fn abn_holds(id: &str) -> bool {
    const WEIGHTS: [u32; 11] = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
    let mut digits = digit_values(id);
    let Some(first) = digits.next().and_then(|digit| digit.checked_sub(1)) else {
        return false;
    };
    let sum = std::iter::once(first)
        .chain(digits)
        .zip(WEIGHTS)
        .fold(0_u32, |sum, (digit, weight)| {
            sum.wrapping_add(digit.wrapping_mul(weight))
        });
    sum % 89 == 0
}

#[cfg(test)]
mod tests {
    use super::format_problem;

    #[test]
    fn the_official_examples_identifiers_pass() {
        // PunchOut_Example.xml and Order_Example.xml.
        for (scheme, id) in [
            ("0192", "987654325"),
            ("0192", "123456785"),
            ("0088", "5790000435951"),
            ("0088", "5790000435944"),
            ("0088", "7300010000001"),
            ("0208", "0123456749"),
            ("0007", "5560360793"),
            ("0151", "51824753556"),
            ("0184", "DK12345678"),
            ("9999", "anything"),
        ] {
            assert_eq!(format_problem(scheme, id), None, "{scheme}:{id}");
        }
    }

    #[test]
    fn wrong_check_digits_and_shapes_are_named() {
        for (scheme, id) in [
            ("0192", "987654324"),
            ("0192", "000000000"),
            ("0192", "98765432"),
            ("0088", "5790000435952"),
            ("0088", "57900004359x1"),
            ("0088", ""),
            ("0208", "0123456748"),
            ("0007", "5560360794"),
            ("0151", "51824753557"),
            ("0184", "DK1234567"),
            ("0198", "12345678"),
            ("0096", "123"),
        ] {
            assert!(format_problem(scheme, id).is_some(), "{scheme}:{id}");
        }
        assert_eq!(
            format_problem("0192", "987654324"),
            Some("a Norwegian organisation number: 9 digits with a valid mod-11 check digit")
        );
    }
}
