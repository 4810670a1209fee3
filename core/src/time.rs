//! Instants without a clock: every time is parsed from input or passed in by the host.

use time::{format_description::well_known::Rfc3339, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// Seconds since the Unix epoch, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant(pub i64);

pub const DAY: i64 = 86_400;

/// How a timestamp was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub at: Instant,
    /// The text carried no UTC offset and was read as UTC.
    pub assumed_utc: bool,
    /// `0001-01-01T00:00:00Z`: Graph's "never".
    pub never: bool,
}

/// Parses the timestamp encodings found in Graph and PowerShell exports:
/// RFC 3339 (any number of fraction digits), ISO 8601 without an offset (read as UTC),
/// Windows PowerShell 5.1's `/Date(ms)/` and `/Date(ms+hhmm)/`.
pub fn parse_stamp(text: &str) -> Option<Stamp> {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix("/Date(").and_then(|r| r.strip_suffix(")/")) {
        let digits_end = rest
            .char_indices()
            .skip(1)
            .find(|(_, c)| *c == '+' || *c == '-')
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        let ms: i64 = rest[..digits_end].parse().ok()?;
        return Some(Stamp {
            at: Instant(ms.div_euclid(1000)),
            assumed_utc: false,
            never: false,
        });
    }
    if t.starts_with("0001-01-01") {
        return Some(Stamp {
            at: Instant(i64::MIN / 2),
            assumed_utc: false,
            never: true,
        });
    }
    if let Ok(dt) = OffsetDateTime::parse(t, &Rfc3339) {
        return Some(Stamp {
            at: Instant(dt.unix_timestamp()),
            assumed_utc: false,
            never: false,
        });
    }
    // Lower-case 't'/'z' and a space separator are common in hand-made files.
    let upper = t.replace(' ', "T").to_ascii_uppercase();
    if let Ok(dt) = OffsetDateTime::parse(&upper, &Rfc3339) {
        return Some(Stamp {
            at: Instant(dt.unix_timestamp()),
            assumed_utc: false,
            never: false,
        });
    }
    let fmt = time::macros::format_description!(
        version = 2,
        "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
    );
    if let Ok(dt) = PrimitiveDateTime::parse(&upper, &fmt) {
        return Some(Stamp {
            at: Instant(dt.assume_offset(UtcOffset::UTC).unix_timestamp()),
            assumed_utc: true,
            never: false,
        });
    }
    let date_only = time::macros::format_description!("[year]-[month]-[day]");
    if let Ok(d) = time::Date::parse(&upper, &date_only) {
        return Some(Stamp {
            at: Instant(d.midnight().assume_utc().unix_timestamp()),
            assumed_utc: true,
            never: false,
        });
    }
    None
}

/// RFC 3339 in UTC, whole seconds: `2022-06-01T00:00:00Z`.
pub fn format_instant(i: Instant) -> String {
    match OffsetDateTime::from_unix_timestamp(i.0) {
        Ok(dt) => {
            let fmt =
                time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
            dt.format(&fmt).unwrap_or_else(|_| i.0.to_string())
        }
        Err(_) => i.0.to_string(),
    }
}

/// The date part, `2022-06-01`.
pub fn format_date(i: Instant) -> String {
    match OffsetDateTime::from_unix_timestamp(i.0) {
        Ok(dt) => {
            let fmt = time::macros::format_description!("[year]-[month]-[day]");
            dt.format(&fmt).unwrap_or_else(|_| i.0.to_string())
        }
        Err(_) => i.0.to_string(),
    }
}

/// The same calendar day `n` years later (29 February becomes 28 February).
pub fn add_years(i: Instant, n: i32) -> Instant {
    match OffsetDateTime::from_unix_timestamp(i.0) {
        Ok(dt) => {
            let year = dt.year() + n;
            let moved = dt
                .replace_year(year)
                .or_else(|_| dt.replace_day(28).and_then(|d| d.replace_year(year)));
            moved
                .map(|d| Instant(d.unix_timestamp()))
                .unwrap_or(Instant(i.0 + i64::from(n) * 365 * DAY))
        }
        Err(_) => Instant(i.0 + i64::from(n) * 365 * DAY),
    }
}

/// A calendar date `YYYY-MM-DD` at midnight UTC (for the data tables shipped with the rules).
pub fn date(text: &str) -> Instant {
    parse_stamp(text).map(|s| s.at).unwrap_or(Instant(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_graph_and_powershell_forms() {
        let a = parse_stamp("2022-06-01T00:00:00Z").map(|s| s.at.0);
        assert_eq!(a, Some(1_654_041_600));
        assert_eq!(
            parse_stamp("2022-06-01T00:00:00.1234567Z").map(|s| s.at.0),
            a
        );
        assert_eq!(parse_stamp("/Date(1654041600000)/").map(|s| s.at.0), a);
        assert_eq!(parse_stamp("/Date(1654041600000+0200)/").map(|s| s.at.0), a);
        let naive = parse_stamp("2022-06-01T00:00:00").map(|s| (s.at.0, s.assumed_utc));
        assert_eq!(naive, Some((1_654_041_600, true)));
        assert_eq!(parse_stamp("2022-06-01T02:00:00+02:00").map(|s| s.at.0), a);
        assert!(parse_stamp("0001-01-01T00:00:00Z").is_some_and(|s| s.never));
        assert!(parse_stamp("yesterday").is_none());
        assert_eq!(
            format_instant(Instant(1_654_041_600)),
            "2022-06-01T00:00:00Z"
        );
    }
}
