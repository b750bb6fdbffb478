//! Money in the order leg: ISO 4217 currencies with their minor units, and rounding to them.
//!
//! Every amount the engine computes (a line's subtotal, its tax, a document's totals) is rounded
//! to its currency's minor unit, half away from zero (`0.125 EUR` → `0.13`, `-0.125 EUR` →
//! `-0.13`, `12.5 JPY` → `13`, `1.2345 BHD` → `1.235`), and written with exactly that many
//! decimals. A code that is not an active ISO 4217 currency is refused: an amount in it could not
//! be rounded, and a buyer's system would refuse the document.
//!
//! ```
//! use punchout_plugin::order::money::{round, Currency};
//! use rust_decimal::Decimal;
//!
//! assert_eq!(round(Decimal::new(125, 3), "EUR")?, Decimal::new(13, 2));
//! assert_eq!(round(Decimal::new(125, 1), "JPY")?, Decimal::new(13, 0));
//! let dinar = Currency::of("BHD")?;
//! assert_eq!(dinar.minor_units(), 3);
//! assert_eq!(dinar.format(Decimal::new(12345, 4)), "1.235");
//! assert!(round(Decimal::ONE, "XYZ").is_err());
//! # Ok::<(), punchout_plugin::Error>(())
//! ```

use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::{Error, ErrorCode, Result};

/// The active ISO 4217 currencies and their minor units (the digits after the decimal point),
/// sorted by code: the ISO 4217 code list as Peppol publishes it (`ISO4217_2015.xml`, checked by
/// a test) plus `XCG` (the Caribbean guilder, 2025), without the codes that have no minor unit
/// (precious metals, bond-market units, `XDR`, `XSU`, `XUA`, `XTS`, `XXX`), which price nothing a
/// shop sells.
const CURRENCIES: &[(&str, u8)] = &[
    ("AED", 2),
    ("AFN", 2),
    ("ALL", 2),
    ("AMD", 2),
    ("ANG", 2),
    ("AOA", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("AWG", 2),
    ("AZN", 2),
    ("BAM", 2),
    ("BBD", 2),
    ("BDT", 2),
    ("BGN", 2),
    ("BHD", 3),
    ("BIF", 0),
    ("BMD", 2),
    ("BND", 2),
    ("BOB", 2),
    ("BOV", 2),
    ("BRL", 2),
    ("BSD", 2),
    ("BTN", 2),
    ("BWP", 2),
    ("BYN", 2),
    ("BZD", 2),
    ("CAD", 2),
    ("CDF", 2),
    ("CHE", 2),
    ("CHF", 2),
    ("CHW", 2),
    ("CLF", 4),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("COU", 2),
    ("CRC", 2),
    ("CUP", 2),
    ("CVE", 2),
    ("CZK", 2),
    ("DJF", 0),
    ("DKK", 2),
    ("DOP", 2),
    ("DZD", 2),
    ("EGP", 2),
    ("ERN", 2),
    ("ETB", 2),
    ("EUR", 2),
    ("FJD", 2),
    ("FKP", 2),
    ("GBP", 2),
    ("GEL", 2),
    ("GHS", 2),
    ("GIP", 2),
    ("GMD", 2),
    ("GNF", 0),
    ("GTQ", 2),
    ("GYD", 2),
    ("HKD", 2),
    ("HNL", 2),
    ("HTG", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("IRR", 2),
    ("ISK", 0),
    ("JMD", 2),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KGS", 2),
    ("KHR", 2),
    ("KMF", 0),
    ("KPW", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("KYD", 2),
    ("KZT", 2),
    ("LAK", 2),
    ("LBP", 2),
    ("LKR", 2),
    ("LRD", 2),
    ("LSL", 2),
    ("LYD", 3),
    ("MAD", 2),
    ("MDL", 2),
    ("MGA", 2),
    ("MKD", 2),
    ("MMK", 2),
    ("MNT", 2),
    ("MOP", 2),
    ("MRU", 2),
    ("MUR", 2),
    ("MVR", 2),
    ("MWK", 2),
    ("MXN", 2),
    ("MXV", 2),
    ("MYR", 2),
    ("MZN", 2),
    ("NAD", 2),
    ("NGN", 2),
    ("NIO", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PAB", 2),
    ("PEN", 2),
    ("PGK", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("PYG", 0),
    ("QAR", 2),
    ("RON", 2),
    ("RSD", 2),
    ("RUB", 2),
    ("RWF", 0),
    ("SAR", 2),
    ("SBD", 2),
    ("SCR", 2),
    ("SDG", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("SHP", 2),
    ("SLE", 2),
    ("SOS", 2),
    ("SRD", 2),
    ("SSP", 2),
    ("STN", 2),
    ("SVC", 2),
    ("SYP", 2),
    ("SZL", 2),
    ("THB", 2),
    ("TJS", 2),
    ("TMT", 2),
    ("TND", 3),
    ("TOP", 2),
    ("TRY", 2),
    ("TTD", 2),
    ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("USN", 2),
    ("UYI", 0),
    ("UYU", 2),
    ("UYW", 4),
    ("UZS", 2),
    ("VED", 2),
    ("VES", 2),
    ("VND", 0),
    ("VUV", 0),
    ("WST", 2),
    ("XAF", 0),
    ("XCD", 2),
    ("XCG", 2),
    ("XOF", 0),
    ("XPF", 0),
    ("YER", 2),
    ("ZAR", 2),
    ("ZMW", 2),
    ("ZWG", 2),
];

/// The ISO 4217 codes that name no currency with a minor unit: refused with their own reason.
const WITHOUT_MINOR_UNIT: &[&str] = &[
    "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX",
];

/// An active ISO 4217 currency: its code and its minor unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Currency {
    code: &'static str,
    minor_units: u32,
}

impl Currency {
    /// The currency of an ISO 4217 code (upper case, as every document writes it).
    ///
    /// # Errors
    /// `invalid-value` for a code that is not an active currency with a minor unit; the caller
    /// adds the location.
    pub fn of(code: &str) -> Result<Currency> {
        match CURRENCIES.binary_search_by(|(known, _)| (*known).cmp(code)) {
            Ok(index) => {
                let (code, minor_units) = CURRENCIES.get(index).copied().unwrap_or(("XXX", 0));
                Ok(Currency {
                    code,
                    minor_units: u32::from(minor_units),
                })
            }
            Err(_) if WITHOUT_MINOR_UNIT.contains(&code) => Err(Error::new(
                ErrorCode::InvalidValue,
                format!(
                    "currency `{code}` has no minor unit (a precious metal, fund or testing code): expected the ISO 4217 code of a currency such as `EUR`"
                ),
            )),
            Err(_) => Err(Error::new(
                ErrorCode::InvalidValue,
                format!(
                    "expected an active ISO 4217 currency code such as `EUR`, found `{}`",
                    crate::model::shorten(code)
                ),
            )),
        }
    }

    /// The three-letter code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The digits after the decimal point of an amount in this currency (`JPY` 0, `EUR` 2,
    /// `BHD` 3).
    pub fn minor_units(&self) -> u32 {
        self.minor_units
    }

    /// `amount` rounded to the minor unit, half away from zero.
    pub fn round(&self, amount: Decimal) -> Decimal {
        amount.round_dp_with_strategy(self.minor_units, RoundingStrategy::MidpointAwayFromZero)
    }

    /// Whether `amount` needs no rounding in this currency (no digit beyond the minor unit).
    pub fn is_exact(&self, amount: Decimal) -> bool {
        self.round(amount) == amount
    }

    /// `amount` rounded and written with exactly the currency's decimals (`40` EUR → `40.00`,
    /// `1234.5` JPY → `1235`).
    pub fn format(&self, amount: Decimal) -> String {
        let mut rounded = self.round(amount);
        rounded.rescale(self.minor_units);
        // `-0.00` is no amount a buyer's system should see.
        if rounded.is_zero() {
            rounded.set_sign_positive(true);
        }
        rounded.to_string()
    }
}

/// `amount` rounded to the minor unit of `currency`, half away from zero.
///
/// # Errors
/// `invalid-value` when `currency` is not an active ISO 4217 code (see [`Currency::of`]); the
/// caller adds the location.
pub fn round(amount: Decimal, currency: &str) -> Result<Decimal> {
    Ok(Currency::of(currency)?.round(amount))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decimal(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn the_table_is_sorted_and_unique_so_that_lookup_finds_every_code() {
        for pair in CURRENCIES.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
        for (code, units) in CURRENCIES {
            assert_eq!(Currency::of(code).unwrap().minor_units(), u32::from(*units));
        }
    }

    #[test]
    fn zero_and_three_decimal_currencies_have_their_minor_units() {
        for code in [
            "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI",
            "VND", "VUV", "XAF", "XOF", "XPF",
        ] {
            assert_eq!(Currency::of(code).unwrap().minor_units(), 0, "{code}");
        }
        for code in ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"] {
            assert_eq!(Currency::of(code).unwrap().minor_units(), 3, "{code}");
        }
        for code in ["CLF", "UYW"] {
            assert_eq!(Currency::of(code).unwrap().minor_units(), 4, "{code}");
        }
        for code in ["EUR", "USD", "GBP", "CHF", "HUF", "IDR", "MGA", "XCG"] {
            assert_eq!(Currency::of(code).unwrap().minor_units(), 2, "{code}");
        }
    }

    #[test]
    fn rounds_half_away_from_zero_to_the_minor_unit() {
        for (amount, currency, expected) in [
            ("0.125", "EUR", "0.13"),
            ("-0.125", "EUR", "-0.13"),
            ("0.124999", "EUR", "0.12"),
            ("2.675", "USD", "2.68"),
            ("12.5", "JPY", "13"),
            ("-12.5", "JPY", "-13"),
            ("13.49", "KRW", "13"),
            ("1.2345", "BHD", "1.235"),
            ("-1.2345", "KWD", "-1.235"),
            ("0.0005", "TND", "0.001"),
            ("1.00005", "CLF", "1.0001"),
            ("40", "EUR", "40"),
        ] {
            assert_eq!(
                round(decimal(amount), currency).unwrap(),
                decimal(expected),
                "{amount} {currency}"
            );
        }
    }

    #[test]
    fn formats_with_exactly_the_currency_decimals() {
        let format = |amount: &str, code: &str| Currency::of(code).unwrap().format(decimal(amount));
        assert_eq!(format("40", "EUR"), "40.00");
        assert_eq!(format("40.5", "EUR"), "40.50");
        assert_eq!(format("1234.5", "JPY"), "1235");
        assert_eq!(format("1234.000", "JPY"), "1234");
        assert_eq!(format("7.6", "BHD"), "7.600");
        assert_eq!(format("-0.001", "EUR"), "0.00");
        assert_eq!(format("-3.105", "EUR"), "-3.11");
    }

    #[test]
    fn an_unknown_currency_is_refused_naming_it() {
        let error = round(Decimal::ONE, "XYZ").unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidValue);
        assert_eq!(
            error.message(),
            "expected an active ISO 4217 currency code such as `EUR`, found `XYZ`"
        );
        for code in ["eur", "", "EURO", "€"] {
            assert_eq!(
                Currency::of(code).unwrap_err().code(),
                ErrorCode::InvalidValue
            );
        }
        let gold = Currency::of("XAU").unwrap_err();
        assert_eq!(
            gold.message(),
            "currency `XAU` has no minor unit (a precious metal, fund or testing code): expected the ISO 4217 code of a currency such as `EUR`"
        );
    }

    #[test]
    fn the_table_is_the_published_iso_4217_list() {
        let spec = std::env::var_os("PUNCHOUT_SPEC_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec")
            });
        let path = spec.join("peppol/codelist/ISO4217_2015.xml");
        let xml = std::fs::read_to_string(&path).unwrap_or_else(|error| {
            panic!(
                "the ISO 4217 code list `{}` is missing (PUNCHOUT_SPEC_DIR): {error}",
                path.display()
            )
        });
        let mut published: Vec<&str> = xml
            .split("<Id>")
            .skip(1)
            .filter_map(|rest| rest.split("</Id>").next())
            .collect();
        published.sort_unstable();
        let mut ours: Vec<&str> = CURRENCIES
            .iter()
            .map(|(code, _)| *code)
            .filter(|code| *code != "XCG")
            .chain(WITHOUT_MINOR_UNIT.iter().copied())
            .collect();
        ours.sort_unstable();
        assert_eq!(ours, published);
    }
}
