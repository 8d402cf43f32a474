//! `muted_until` as sent (§7.9): unlike the `chorus_kit::lenient` readers it
//! tells a wrong type (`400 Invalid muted_until`) from an absent value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

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
