//! Lenient reading of query parameters and JSON fields: integers out of range are
//! clamped, garbage in a cursor is `400 Invalid <name>` (§23 D6), JSON scalars of
//! the wrong type are coerced.

use chorus_kit::ApiError;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::Value;

/// The first value of `name` in a decoded query string; empty counts as absent.
pub fn get<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

/// A decimal integer with an optional sign; too many digits clamp to the i64 range.
pub fn int(s: &str) -> Option<i64> {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude: i128 = digits.parse().unwrap_or(i128::MAX);
    let value = if neg { -magnitude } else { magnitude };
    Some(value.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
}

/// An integer query parameter, `400 Invalid <name>` when present but not an integer.
pub fn int_param(query: &[(String, String)], name: &str) -> Result<Option<i64>, ApiError> {
    match get(query, name) {
        None => Ok(None),
        Some(v) => int(v)
            .map(Some)
            .ok_or_else(|| ApiError::bad_request(format!("Invalid {name}"))),
    }
}

/// `limit`, defaulted and clamped to `[1, max]`.
pub fn limit(query: &[(String, String)], default: i64, max: i64) -> Result<i64, ApiError> {
    Ok(int_param(query, "limit")?.unwrap_or(default).clamp(1, max))
}

/// A timestamp in the §1.5 form (`2026-03-01 14:07:09.52113+00`) or RFC 3339.
pub fn timestamp(s: &str) -> Option<DateTime<Utc>> {
    // chrono accepts signed years of any width; PostgreSQL only 4713 BC–294276 AD.
    // Anything outside four-digit years is bad input, not a 500.
    use chrono::Datelike;
    parse_timestamp_any(s).filter(|t| (1..=9999).contains(&t.year()))
}

fn parse_timestamp_any(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    // Clients append `Z` to our format before parsing; accept that too.
    let s = s.strip_suffix('Z').unwrap_or(s);
    for fmt in ["%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M:%S%.f%#z"] {
        if let Ok(t) = DateTime::parse_from_str(s, fmt) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for fmt in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t.and_utc());
        }
    }
    None
}

/// A JSON field as a string: strings as they are, numbers and booleans in their
/// JSON text, null and absence as `None`; arrays and objects are bad input.
pub fn str_field(body: &Value, key: &str) -> Result<Option<String>, ()> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(v @ (Value::Number(_) | Value::Bool(_))) => Ok(Some(v.to_string())),
        Some(_) => Err(()),
    }
}

/// A JSON field as an integer: numbers (fractions truncated, clamped), numeric
/// strings; anything else is `0` (the field's "none").
pub fn int_field(body: &Value, key: &str) -> i64 {
    match body.get(key) {
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_u64().map(|_| i64::MAX))
            .or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
            .unwrap_or(0),
        Some(Value::String(s)) => int(s.trim()).unwrap_or(0),
        _ => 0,
    }
}

/// A JSON field as a flag: `true`, `"true"`/`"1"`, non-zero numbers.
pub fn flag_field(body: &Value, key: &str) -> bool {
    match body.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => matches!(s.as_str(), "true" | "1"),
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_clamp_instead_of_overflowing() {
        assert_eq!(int("42"), Some(42));
        assert_eq!(int("-3"), Some(-3));
        assert_eq!(int("99999999999999999999999"), Some(i64::MAX));
        assert_eq!(int("1.5"), None);
        assert_eq!(int("abc"), None);
        assert_eq!(int("-"), None);
    }

    #[test]
    fn timestamps_are_read_in_the_contract_form_and_rfc_3339() {
        let a = timestamp("2026-03-01 14:07:09.52113+00");
        let b = timestamp("2026-03-01T14:07:09.52113Z");
        let c = timestamp("2026-03-01 14:07:09.52113+00Z");
        assert!(a.is_some());
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(
            timestamp("2026-03-01 14:07:09+00").map(|t| t.timestamp()),
            Some(1_772_374_029)
        );
        assert_eq!(timestamp("yesterday"), None);
    }
}
