//! How this service reads requests beyond the kit's extractors: query strings
//! (first value wins, empty counts as absent, garbage in a number is
//! `400 Invalid <name>`, §23 D6), path ids, JSON bodies that must be objects,
//! and the few JSON field rules `chorus_kit::lenient` has no helper for.

use chorus_kit::ApiError;
use chorus_kit::lenient::parse_int;
use chorus_proto::{ChatId, MessageId};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

pub use chorus_kit::http::Params;

/// An integer query parameter: absent is `None`, anything but a decimal
/// integer is `400 Invalid <name>`; too many digits clamp.
pub fn int_param(value: Option<&str>, name: &str) -> Result<Option<i64>, ApiError> {
    value
        .map(|v| parse_int(v).ok_or_else(|| ApiError::bad_request(format!("Invalid {name}"))))
        .transpose()
}

/// `limit`, defaulted and clamped to `[1, max]`.
pub fn limit(value: Option<&str>, default: i64, max: i64) -> Result<i64, ApiError> {
    Ok(int_param(value, "limit")?.unwrap_or(default).clamp(1, max))
}

/// A path id. Ids start at 1, so a segment that is not an id reads as id 0,
/// which names nothing: the endpoint answers as for any unknown id (§1.2).
pub fn path_id<T: From<i64>>(segment: &str) -> T {
    T::from(chorus_kit::http::parse_id(segment).unwrap_or(0))
}

pub fn chat_id(segment: &str) -> ChatId {
    path_id(segment)
}

pub fn message_id(segment: &str) -> MessageId {
    path_id(segment)
}

pub use chorus_kit::lenient::Object;

/// A text field where an array or object is bad input, not absence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Text {
    /// Absent or null.
    #[default]
    Absent,
    Given(String),
    /// An array or an object.
    Invalid,
}

impl Text {
    /// The text, or `400 Invalid <name>` for an array, an object or a NUL
    /// character (PostgreSQL text cannot hold it).
    pub fn read(self, name: &'static str) -> Result<Option<String>, crate::error::Error> {
        match self {
            Self::Absent => Ok(None),
            Self::Given(s) if !s.contains('\0') => Ok(Some(s)),
            _ => Err(crate::error::Error::InvalidText(name)),
        }
    }
}

/// For the OpenAPI document's defaults: absent is `null`.
impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Given(text) => s.serialize_str(text),
            _ => s.serialize_none(),
        }
    }
}

/// [`Text`]: strings as they are, numbers and booleans in their JSON text.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => Text::Absent,
        Value::Array(_) | Value::Object(_) => Text::Invalid,
        other => chorus_kit::lenient::scalar_text(&other).map_or(Text::Invalid, Text::Given),
    })
}

/// Only a JSON string is text; any other value is `None`.
pub fn string_only<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        _ => None,
    })
}

/// A list of message ids as sent: `None` when not an array; an item is `None`
/// unless it is an integer or a string of decimal digits.
pub fn id_items<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<Option<i64>>>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => Some(
            items
                .iter()
                .map(|v| match v {
                    Value::Number(n) => n.as_i64(),
                    Value::String(s) => parse_int(s),
                    _ => None,
                })
                .collect(),
        ),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, Deserialize)]
    #[serde(default)]
    struct Body {
        #[serde(deserialize_with = "text")]
        content: Text,
        #[serde(deserialize_with = "string_only")]
        emoji: Option<String>,
        #[serde(deserialize_with = "id_items")]
        ids: Option<Vec<Option<i64>>>,
    }

    fn body(json: &str) -> Option<Body> {
        serde_json::from_str::<Object<Body>>(json).ok().map(|o| o.0)
    }

    #[test]
    fn only_objects_are_bodies() {
        assert!(body("{}").is_some());
        assert!(body(r#"["hi"]"#).is_none());
        assert!(body("[]").is_none());
        assert!(body("5").is_none());
    }

    #[test]
    fn text_fields_refuse_structures_and_nul() {
        let b = body(r#"{"content": 5, "emoji": 5, "ids": [1, "2", 1.5, "x", -3]}"#);
        let b = b.unwrap_or_default();
        assert_eq!(
            b.content.read("content").ok().flatten().as_deref(),
            Some("5")
        );
        assert_eq!(b.emoji, None);
        assert_eq!(b.ids, Some(vec![Some(1), Some(2), None, None, Some(-3)]));
        let b = body(r#"{"content": [1], "ids": "1,2"}"#).unwrap_or_default();
        assert!(b.content.read("content").is_err());
        assert_eq!(b.ids, None);
        let b = body(r#"{"content": "a\u0000b"}"#).unwrap_or_default();
        assert!(b.content.read("content").is_err());
        let b = body(r#"{"content": null}"#).unwrap_or_default();
        assert_eq!(b.content.read("content").ok().flatten(), None);
    }

    #[derive(Debug, Default, Deserialize)]
    struct Query {
        q: Option<String>,
        limit: Option<String>,
    }

    async fn query(uri: &str) -> anyhow::Result<Query> {
        let (mut parts, ()) = axum::http::Request::builder()
            .uri(uri)
            .body(())?
            .into_parts();
        let Ok(Params(q)) =
            <Params<Query> as axum::extract::FromRequestParts<()>>::from_request_parts(
                &mut parts,
                &(),
            )
            .await;
        Ok(q)
    }

    #[tokio::test]
    async fn the_first_value_of_a_parameter_counts_and_empty_is_absent() -> anyhow::Result<()> {
        let q = query("/x?q=a+b%2B&q=c&limit=5&other=1").await?;
        assert_eq!(q.q.as_deref(), Some("a b+"));
        assert_eq!(q.limit.as_deref(), Some("5"));
        let q = query("/x?q=&q=c").await?;
        assert_eq!(q.q, None);
        Ok(())
    }

    #[test]
    fn query_numbers_are_integers_or_400() {
        assert_eq!(int_param(Some("42"), "after_id").ok().flatten(), Some(42));
        assert_eq!(
            int_param(Some("1.5"), "after_id").err().map(|e| e.message),
            Some("Invalid after_id".to_string())
        );
        assert_eq!(limit(None, 50, 100).ok(), Some(50));
        assert_eq!(limit(Some("1000"), 50, 100).ok(), Some(100));
        assert_eq!(limit(Some("-5"), 50, 100).ok(), Some(1));
    }

    #[test]
    fn path_segments_that_are_not_ids_name_nothing() {
        assert_eq!(chat_id("12"), ChatId(12));
        assert_eq!(chat_id("12a"), ChatId(0));
        assert_eq!(message_id("-1"), MessageId(0));
        assert_eq!(message_id("99999999999999999999"), MessageId(0));
    }
}
