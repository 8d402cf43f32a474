//! Timestamps on the wire (CONTRACT §1.5): `YYYY-MM-DD HH:MM:SS[.F]+00`, UTC,
//! fractional seconds only when non-zero, trailing zeros trimmed, microsecond precision.

use chrono::{DateTime, Datelike, NaiveDateTime, Timelike, Utc};

/// Renders a timestamp exactly as the contract's clients expect it.
pub fn format_ts(ts: DateTime<Utc>) -> String {
    match Rendered::of(ts) {
        Some(r) => r.as_str().to_owned(),
        None => format_any_year(ts),
    }
}

/// Years outside 0–9999 (never stored by us, but PostgreSQL can hold them):
/// chrono's own rendering of the year.
fn format_any_year(ts: DateTime<Utc>) -> String {
    let base = ts.format("%Y-%m-%d %H:%M:%S");
    let micros = ts.nanosecond() / 1_000 % 1_000_000;
    if micros == 0 {
        return format!("{base}+00");
    }
    let frac = format!("{micros:06}");
    format!("{base}.{}+00", frac.trim_end_matches('0'))
}

/// The §1.5 form written digit by digit into a stack buffer. A history page
/// renders a hundred timestamps; chrono's `format` parsed its pattern and
/// allocated three strings for each of them.
struct Rendered {
    buf: [u8; 29],
    len: usize,
}

impl Rendered {
    fn of(ts: DateTime<Utc>) -> Option<Self> {
        let year = u32::try_from(ts.year()).ok().filter(|y| *y <= 9999)?;
        let mut buf = *b"0000-00-00 00:00:00.000000+00";
        let mut put = |at: usize, mut value: u32, width: usize| {
            for slot in buf[at..at + width].iter_mut().rev() {
                *slot = b'0' + (value % 10) as u8;
                value /= 10;
            }
        };
        put(0, year, 4);
        put(5, ts.month(), 2);
        put(8, ts.day(), 2);
        put(11, ts.hour(), 2);
        put(14, ts.minute(), 2);
        put(17, ts.second(), 2);
        let micros = ts.nanosecond() / 1_000 % 1_000_000;
        let len = if micros == 0 {
            19
        } else {
            put(20, micros, 6);
            let trailing = micros_trailing_zeros(micros);
            20 + 6 - trailing as usize
        };
        buf[len..len + 3].copy_from_slice(b"+00");
        Some(Self { buf, len: len + 3 })
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits and separators were written.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

/// Decimal trailing zeros of a non-zero fraction in microseconds (at most 5).
fn micros_trailing_zeros(mut micros: u32) -> u32 {
    let mut zeros = 0;
    while micros.is_multiple_of(10) && zeros < 5 {
        micros /= 10;
        zeros += 1;
    }
    zeros
}

/// serde helpers: `#[serde(serialize_with = "chorus_kit::time::ser")]`.
pub fn ser<S: serde::Serializer>(ts: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    serialize(*ts, s)
}

fn serialize<S: serde::Serializer>(ts: DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    match Rendered::of(ts) {
        Some(r) => s.serialize_str(r.as_str()),
        None => s.serialize_str(&format_any_year(ts)),
    }
}

/// Like [`ser`] for optional timestamps (`null` when absent).
pub fn ser_opt<S: serde::Serializer>(ts: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match ts {
        Some(ts) => serialize(*ts, s),
        None => s.serialize_none(),
    }
}

/// Reads a timestamp given by a client: the §1.5 form (`2026-03-01 14:07:09.5+00`,
/// also with the `Z` clients append), RFC 3339 (§23 D7), or either without an
/// offset (read as UTC). Years outside 1–9999 are refused: chrono accepts them,
/// PostgreSQL does not, and such input is a 400, never a 500.
pub fn parse_ts(text: &str) -> Option<DateTime<Utc>> {
    parse_any(text).filter(|t| (1..=9999).contains(&t.year()))
}

fn parse_any(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    let text = text.strip_suffix('Z').unwrap_or(text);
    for format in ["%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M:%S%.f%#z"] {
        if let Ok(t) = DateTime::parse_from_str(text, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(t.and_utc());
        }
    }
    None
}

/// A timestamp in a wire struct: serialized in the §1.5 form, documented in the
/// OpenAPI document as a string with that pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<Utc>);

impl From<DateTime<Utc>> for Timestamp {
    fn from(ts: DateTime<Utc>) -> Self {
        Self(ts)
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize(self.0, s)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        parse_ts(&text)
            .map(Self)
            .ok_or_else(|| serde::de::Error::custom("not a timestamp"))
    }
}

impl utoipa::PartialSchema for Timestamp {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(
                r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00$",
            ))
            .description(Some("UTC, `YYYY-MM-DD HH:MM:SS[.F]+00` (CONTRACT §1.5)"))
            .examples([serde_json::json!("2026-03-01 14:07:09.52113+00")])
            .into()
    }
}

impl utoipa::ToSchema for Timestamp {}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(micros: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 14, 7, 9)
            .single()
            .map(|t| t + chrono::Duration::microseconds(i64::from(micros)))
            .unwrap_or_default()
    }

    #[test]
    fn whole_seconds_have_no_fraction() {
        assert_eq!(format_ts(at(0)), "2026-03-01 14:07:09+00");
    }

    #[test]
    fn fractions_are_trimmed_of_trailing_zeros() {
        assert_eq!(format_ts(at(521_130)), "2026-03-01 14:07:09.52113+00");
        assert_eq!(format_ts(at(500_000)), "2026-03-01 14:07:09.5+00");
        assert_eq!(format_ts(at(4_217)), "2026-03-01 14:07:09.004217+00");
    }

    #[test]
    fn the_digit_writer_agrees_with_chrono_over_years_and_fractions() {
        for (y, mo, d, h, mi, s) in [
            (1, 1, 1, 0, 0, 0),
            (999, 12, 31, 23, 59, 59),
            (9999, 6, 9, 7, 5, 3),
        ] {
            for micros in [0, 1, 10, 120, 999_999, 100_000, 7_000] {
                let t = Utc
                    .with_ymd_and_hms(y, mo, d, h, mi, s)
                    .single()
                    .map(|t| t + chrono::Duration::microseconds(micros))
                    .unwrap_or_default();
                assert_eq!(format_ts(t), format_any_year(t), "{t:?}");
            }
        }
        let far = Utc
            .with_ymd_and_hms(12345, 1, 2, 3, 4, 5)
            .single()
            .unwrap_or_default();
        assert_eq!(format_ts(far), "+12345-01-02 03:04:05+00");
    }

    #[test]
    fn sub_microsecond_precision_is_dropped() {
        let t = at(1) + chrono::Duration::nanoseconds(999);
        assert_eq!(format_ts(t), "2026-03-01 14:07:09.000001+00");
    }

    fn parsed(text: &str) -> Option<String> {
        parse_ts(text).map(format_ts)
    }

    #[test]
    fn the_contract_form_and_rfc3339_are_read() {
        for (text, want) in [
            (
                "2030-03-01 14:07:09.52113+00",
                "2030-03-01 14:07:09.52113+00",
            ),
            ("2030-03-01 14:07:09+00", "2030-03-01 14:07:09+00"),
            ("2030-03-01 14:07:09.5+00Z", "2030-03-01 14:07:09.5+00"),
            ("2030-03-01T16:07:09+02:00", "2030-03-01 14:07:09+00"),
            ("2030-03-01T14:07:09.5Z", "2030-03-01 14:07:09.5+00"),
            ("2030-03-01 14:07:09", "2030-03-01 14:07:09+00"),
        ] {
            assert_eq!(parsed(text).as_deref(), Some(want), "{text:?}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "",
            "tomorrow",
            "2030-13-01 00:00:00+00",
            "2030-03-01",
            "12345",
            "2030-03-01 25:00:00+00",
            "+12345-01-01T00:00:00Z",
        ] {
            assert_eq!(parsed(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_timestamp_serializes_in_the_contract_form() {
        let json = serde_json::to_string(&Timestamp(at(500_000))).unwrap_or_default();
        assert_eq!(json, "\"2026-03-01 14:07:09.5+00\"");
    }
}
