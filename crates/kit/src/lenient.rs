//! Lenient field reading (CONTRACT §1.2): wire structs name their fields with
//! their real types and read them through these `deserialize_with` helpers, so
//! a number sent as a string, a `null` or a value of the wrong JSON type never
//! fails the whole body — it becomes the field's documented default instead.
//! Every helper accepts any JSON value; pair it with `#[serde(default)]` so an
//! absent field takes the default too:
//!
//! ```
//! #[derive(serde::Deserialize)]
//! struct Body {
//!     #[serde(default, deserialize_with = "chorus_kit::lenient::opt_int")]
//!     file_id: Option<i64>,
//! }
//! ```

use serde::de::value::MapAccessDeserializer;
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;

/// A JSON scalar as text: strings as they are, numbers and booleans in their
/// JSON text; `None` for null, arrays and objects.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(_) | Value::Bool(_) => Some(value.to_string()),
        _ => None,
    }
}

/// A decimal integer with an optional sign; too many digits clamp to the i64 range.
pub fn parse_int(s: &str) -> Option<i64> {
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

/// A JSON value as an integer: integers, fractions truncated, numbers out of
/// range clamped, and strings holding a decimal integer; `None` otherwise.
pub fn int_of(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_u64().map(|_| i64::MAX))
            .or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64)),
        Value::String(s) => parse_int(s.trim()),
        _ => None,
    }
}

/// A JSON value as a flag: `true`, `"true"` / `"1"`, non-zero numbers.
pub fn flag_of(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::String(s) => matches!(s.as_str(), "true" | "1"),
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        _ => false,
    }
}

fn any<'de, D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
    Value::deserialize(d)
}

/// Text; null as `""`, any other non-string value in its JSON text.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match any(d)? {
        Value::Null => String::new(),
        Value::String(s) => s,
        other => other.to_string(),
    })
}

/// Optional text; null, arrays and objects as `None`, numbers and booleans in
/// their JSON text.
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(scalar_text(&any(d)?))
}

/// Text of a field that is present (a patch): null as `Some("")`, other values
/// in their JSON text; absent (with `#[serde(default)]`) as `None`.
pub fn present_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    text(d).map(Some)
}

/// Optional integer, see [`int_of`]; anything else as `None`.
pub fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(int_of(&any(d)?))
}

/// Integer, see [`int_of`]; anything else as `0` (the field's "none").
pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(int_of(&any(d)?).unwrap_or(0))
}

/// An id as clients send it: a JSON integer or a string holding one
/// (surrounding spaces allowed); fractions, other strings and other types are
/// not ids.
pub fn id_of(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Optional JSON integer, strictly: strings, fractions and anything else are
/// `None` (for fields the contract reads as integers only, e.g. §5.8 `file_id`
/// and the WebSocket's `chat_id`).
pub fn opt_json_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(any(d)?.as_i64())
}

/// Optional id newtype (`UserId`, `FileId`, …), see [`id_of`]; anything else
/// is absent.
pub fn opt_id<'de, D: Deserializer<'de>, T: From<i64>>(d: D) -> Result<Option<T>, D::Error> {
    Ok(id_of(&any(d)?).map(T::from))
}

/// A list of ids, see [`id_of`]: other items are skipped, a value that is not
/// a list is an empty list.
pub fn ids<'de, D: Deserializer<'de>, T: From<i64>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(match any(d)? {
        Value::Array(items) => items.iter().filter_map(id_of).map(T::from).collect(),
        _ => Vec::new(),
    })
}

/// Text that is absent when null: strings as they are, any other value (even
/// an array) in its JSON text, so `"type": 5` is the text `5`, not a default.
pub fn opt_coerced_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match any(d)? {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    })
}

/// A body that must be a JSON object. serde's derived structs also accept a
/// JSON array (its items as the fields in order); here anything but an object
/// fails, so the extractor answers `400 Invalid JSON` (or the route's text).
#[derive(Debug)]
pub struct Object<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Only<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Only<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_map(Only(PhantomData)).map(Object)
    }
}

/// A body read as an object when it is one and as `T::default()` (`{}`) when
/// it is any other JSON value, for routes that answer a missing field rather
/// than `Invalid JSON` (`[1,2]` to `/auth/refresh` → `refresh_token required`).
#[derive(Debug)]
pub struct ObjectOrDefault<T>(pub T);

impl<'de, T: DeserializeOwned + Default> Deserialize<'de> for ObjectOrDefault<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match any(d)? {
            object @ Value::Object(_) => T::deserialize(object)
                .map(Self)
                .map_err(serde::de::Error::custom),
            _ => Ok(Self(T::default())),
        }
    }
}

/// A flag, see [`flag_of`].
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(flag_of(&any(d)?))
}

/// An optional flag: booleans, `"true"`/`"false"`, `"1"`/`"0"`, numbers; `None`
/// for null and anything unrecognised.
pub fn opt_flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match any(d)? {
        Value::Bool(b) => Some(b),
        Value::String(s) => match s.as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        Value::Number(n) => n.as_f64().map(|f| f != 0.0),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Body {
        #[serde(deserialize_with = "text")]
        name: String,
        #[serde(deserialize_with = "opt_int")]
        file_id: Option<i64>,
        #[serde(deserialize_with = "ids")]
        member_ids: Vec<i64>,
        #[serde(deserialize_with = "present_text")]
        title: Option<String>,
        #[serde(deserialize_with = "flag")]
        on: bool,
    }

    fn body(json: &str) -> Option<Body> {
        serde_json::from_str(json).ok()
    }

    #[test]
    fn numbers_given_as_strings_and_wrong_types_never_fail_the_body() {
        let b =
            body(r#"{"name": 5, "file_id": "12", "member_ids": [1, "2", "x", null], "on": "1"}"#);
        let b = b.unwrap_or_default();
        assert_eq!(b.name, "5");
        assert_eq!(b.file_id, Some(12));
        assert_eq!(b.member_ids, vec![1, 2]);
        assert!(b.on);
        let b = body(r#"{"name": null, "file_id": [1], "member_ids": "1,2", "title": null}"#);
        let b = b.unwrap_or_default();
        assert_eq!(b.name, "");
        assert_eq!(b.file_id, None);
        assert!(b.member_ids.is_empty());
        assert_eq!(b.title.as_deref(), Some(""));
    }

    #[test]
    fn only_objects_are_bodies_or_default_to_empty() {
        assert!(serde_json::from_str::<Object<Body>>("{}").is_ok());
        assert!(serde_json::from_str::<Object<Body>>(r#"["x", 1]"#).is_err());
        assert!(serde_json::from_str::<Object<Body>>("5").is_err());
        let b = serde_json::from_str::<ObjectOrDefault<Body>>("[1, 2]").map(|b| b.0);
        assert!(b.is_ok_and(|b| b.file_id.is_none() && b.name.is_empty()));
    }

    #[test]
    fn absent_fields_take_their_defaults() {
        let b = body("{}").unwrap_or_default();
        assert_eq!(b.title, None);
        assert_eq!(b.file_id, None);
        assert!(!b.on);
    }

    #[test]
    fn integers_clamp_instead_of_overflowing() {
        assert_eq!(parse_int("42"), Some(42));
        assert_eq!(parse_int("-3"), Some(-3));
        assert_eq!(parse_int("99999999999999999999999"), Some(i64::MAX));
        assert_eq!(parse_int("1.5"), None);
        assert_eq!(parse_int("-"), None);
    }
}
