//! Reading request bodies the way this service always has (§1.2), where
//! `chorus_kit::lenient` has no helper for the rule: bodies must be JSON
//! objects, ids are integers or strings holding one (nothing else, not even
//! fractions), and `muted_until` tells a wrong type from an absent value.

use serde::de::value::MapAccessDeserializer;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;

/// A body that must be a JSON object. serde's derived structs also accept a JSON
/// array (its items as the fields in order); a body that is not an object is
/// "not JSON" here, as it always was (`400 Invalid JSON`, or the route's own text).
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

/// An integer id: JSON integers, or strings holding one (surrounding spaces allowed).
pub fn int_field(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// An optional id, see [`int_field`]; anything else is absent.
pub fn opt_id<'de, D: Deserializer<'de>, T: From<i64>>(d: D) -> Result<Option<T>, D::Error> {
    Ok(int_field(&Value::deserialize(d)?).map(T::from))
}

/// A list of ids, see [`int_field`]; other items are skipped, a value that is not
/// a list is an empty list.
pub fn ids<'de, D: Deserializer<'de>, T: From<i64>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items.iter().filter_map(int_field).map(T::from).collect(),
        _ => Vec::new(),
    })
}

/// Text that defaults when null: `None` for null, strings as they are, any other
/// value in its JSON text (so `"type": 5` is the text `5`, not the default).
pub fn non_null_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    })
}

/// `muted_until` as sent: absent or null mute indefinitely, a string is parsed by
/// the handler, anything else is refused (`400 Invalid muted_until`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub enum MutedUntil {
    #[default]
    Indefinitely,
    At(String),
    NotAString,
}

impl<'de> Deserialize<'de> for MutedUntil {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Null => Self::Indefinitely,
            Value::String(s) => Self::At(s),
            _ => Self::NotAString,
        })
    }
}

// For the document's default value (null): what was sent, where it was text.
impl Serialize for MutedUntil {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::At(text) => s.serialize_str(text),
            Self::Indefinitely | Self::NotAString => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chorus_proto::UserId;

    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Body {
        #[serde(deserialize_with = "ids")]
        member_ids: Vec<UserId>,
        #[serde(deserialize_with = "non_null_text")]
        kind: Option<String>,
    }

    fn object(json: &str) -> Option<Body> {
        serde_json::from_str::<Object<Body>>(json).ok().map(|o| o.0)
    }

    #[test]
    fn only_objects_are_bodies() {
        assert!(object("{}").is_some());
        assert!(object("[]").is_none());
        assert!(object(r#"[[1], "group"]"#).is_none());
        assert!(object("5").is_none());
    }

    #[test]
    fn ids_are_integers_or_integer_strings_and_nothing_else() {
        let body = object(r#"{"member_ids": [1, " 2 ", 3.5, "x", null, true]}"#);
        let ids = body.map(|b| b.member_ids).unwrap_or_default();
        assert_eq!(ids, vec![UserId(1), UserId(2)]);
        let body = object(r#"{"member_ids": "1,2"}"#);
        assert_eq!(body.map(|b| b.member_ids.len()), Some(0));
    }

    #[test]
    fn null_text_is_absent_but_other_values_are_their_json_text() {
        assert_eq!(object(r#"{"kind": null}"#).and_then(|b| b.kind), None);
        assert_eq!(
            object(r#"{"kind": 5}"#).and_then(|b| b.kind).as_deref(),
            Some("5")
        );
        assert_eq!(
            object(r#"{"kind": ["group"]}"#)
                .and_then(|b| b.kind)
                .as_deref(),
            Some(r#"["group"]"#)
        );
    }
}
