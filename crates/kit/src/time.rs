//! Timestamps on the wire (CONTRACT §1.5): `YYYY-MM-DD HH:MM:SS[.F]+00`, UTC,
//! fractional seconds only when non-zero, trailing zeros trimmed, microsecond precision.

use chrono::{DateTime, Timelike, Utc};

/// Renders a timestamp exactly as the contract's clients expect it.
pub fn format_ts(ts: DateTime<Utc>) -> String {
    let base = ts.format("%Y-%m-%d %H:%M:%S");
    let micros = ts.nanosecond() / 1_000 % 1_000_000;
    if micros == 0 {
        return format!("{base}+00");
    }
    let frac = format!("{micros:06}");
    format!("{base}.{}+00", frac.trim_end_matches('0'))
}

/// serde helpers: `#[serde(serialize_with = "chorus_kit::time::ser")]`.
pub fn ser<S: serde::Serializer>(ts: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_ts(*ts))
}

/// Like [`ser`] for optional timestamps (`null` when absent).
pub fn ser_opt<S: serde::Serializer>(ts: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match ts {
        Some(ts) => s.serialize_str(&format_ts(*ts)),
        None => s.serialize_none(),
    }
}

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
    fn sub_microsecond_precision_is_dropped() {
        let t = at(1) + chrono::Duration::nanoseconds(999);
        assert_eq!(format_ts(t), "2026-03-01 14:07:09.000001+00");
    }
}
