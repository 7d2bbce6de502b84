//! Exact money from webhook text: decimal dollars (`"300.34"`) and minor units (`"1012"`) to
//! integer cents, never through floating point (docs/decisions.md#webhook-amounts).
//!
//! **Decisions** (the docs show only `"300.34"` and `"1012"`, see `docs` §6.2): surrounding
//! whitespace is ignored; a leading `-` is a negative amount (a credit); a `$` after the sign is
//! accepted (the `AmountFormatted` style); thousands separators are accepted only in proper
//! groups (`1,234.50`, never `1,2345`); more than two decimals are accepted only when the extra
//! digits are zeros (`300.340`), since anything else is not a whole number of cents; the result
//! must stay within ±(2^53 − 1) cents so it is exact in JavaScript too. Anything else is refused,
//! never guessed.

use crate::validate::limits::MAX_SAFE_INTEGER;

/// The digits of an integer part, with or without proper thousands groups, or `None`.
fn whole(s: &str) -> Option<String> {
    if s.is_empty() {
        return None;
    }
    let groups: Vec<&str> = s.split(',').collect();
    let ok = groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
        && (groups.len() == 1
            || ((1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3)));
    (ok && !groups[0].is_empty()).then(|| groups.concat())
}

/// `(negative, rest)`: a leading `-` (and then a `$`) taken off.
fn sign(s: &str) -> (bool, &str) {
    let s = s.trim();
    let (neg, s) = s.strip_prefix('-').map_or((false, s), |r| (true, r));
    (neg, s.strip_prefix('$').unwrap_or(s))
}

/// ASCII digits (leading zeros allowed) to signed cents within ±(2^53 − 1).
fn cents(neg: bool, digits: &str) -> Option<i64> {
    let t = digits.trim_start_matches('0');
    let v: i64 = if t.is_empty() { 0 } else { t.parse().ok()? };
    (v <= MAX_SAFE_INTEGER).then_some(if neg { -v } else { v })
}

/// Decimal dollars (`"300.34"`, `"$1,234.5"`, `"-3.25"`) to cents; `None` when the text is not
/// an exact amount by the rules above.
///
/// ```
/// use paystar::webhook::dollars_to_cents;
/// assert_eq!(dollars_to_cents("300.34"), Some(30034));
/// assert_eq!(dollars_to_cents("$1,234.50"), Some(123450));
/// assert_eq!(dollars_to_cents("300.345"), None);
/// assert_eq!(dollars_to_cents("1,2345"), None);
/// ```
pub fn dollars_to_cents(text: &str) -> Option<i64> {
    let (neg, s) = sign(text);
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if s.ends_with('.') || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (kept, rest) = frac.split_at(frac.len().min(2));
    if rest.bytes().any(|b| b != b'0') {
        return None;
    }
    cents(neg, &(whole(int)? + kept + &"0".repeat(2 - kept.len())))
}

/// Cents as decimal dollars, the form [`dollars_to_cents`] reads back: `30034` is `"300.34"`,
/// `-325` is `"-3.25"` (the mock's webhook `amount`, its session page, the fuzz check).
pub(crate) fn cents_to_dollars(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    format!("{sign}{}.{:02}", c / 100, c % 100)
}

/// Minor units (`"1012"`, `"1,012"`, `"-5"`) to cents; `None` for anything else (a decimal
/// point included: a minor-unit amount is whole).
///
/// ```
/// assert_eq!(paystar::webhook::minor_units("1012"), Some(1012));
/// assert_eq!(paystar::webhook::minor_units("10.12"), None);
/// ```
pub fn minor_units(text: &str) -> Option<i64> {
    let (neg, s) = sign(text);
    cents(neg, &whole(s)?)
}

#[cfg(test)]
mod tests {
    use super::{dollars_to_cents as d, minor_units as m};

    #[test]
    fn dollars() {
        for (text, want) in [
            ("300.34", Some(30034)),
            ("300", Some(30000)),
            ("300.3", Some(30030)),
            ("0.01", Some(1)),
            ("0", Some(0)),
            ("000.10", Some(10)),
            (" 300.34\n", Some(30034)),
            ("$300.34", Some(30034)),
            ("-$3.25", Some(-325)),
            ("-3.25", Some(-325)),
            ("1,234.50", Some(123_450)),
            ("1,234,567.89", Some(123_456_789)),
            ("300.340", Some(30034)),
            ("90071992547409.91", Some(9_007_199_254_740_991)),
            ("90071992547409.92", None),
            ("99999999999999999999999", None),
            ("300.345", None),
            ("1,2345.00", None),
            (",123", None),
            ("1,23", None),
            ("", None),
            (" ", None),
            ("$", None),
            ("300.", None),
            (".5", None),
            ("1e3", None),
            ("+5", None),
            ("3 00", None),
            ("abc", None),
            ("--5", None),
            ("$-5", None),
            ("٣٠٠", None),
            ("NaN", None),
        ] {
            assert_eq!(d(text), want, "{text:?}");
        }
    }

    #[test]
    fn minor() {
        for (text, want) in [
            ("1012", Some(1012)),
            ("0", Some(0)),
            ("-5", Some(-5)),
            ("1,012", Some(1012)),
            ("9007199254740991", Some(9_007_199_254_740_991)),
            ("9007199254740992", None),
            ("10.12", None),
            ("", None),
            ("x", None),
        ] {
            assert_eq!(m(text), want, "{text:?}");
        }
    }
}
