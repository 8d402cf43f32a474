//! The command line: `[FILTER] [MESSAGES] [RATE]` and any `key=value` among
//! them. Durations take `ms`, `s`, `m` or `h` (a bare number is seconds). The
//! defaults are the issue's: Redis frozen 30 s, 2 s of latency, 1 000 clients
//! churning for 10 minutes, a 30-minute soak.

use crate::client::Churn;
use std::time::Duration;

pub struct Options {
    /// Runs the scenarios whose name contains it.
    pub filter: String,
    /// Messages per scenario (not for `ws-churn` and `soak`, which run for a time).
    pub messages: usize,
    /// Messages per second, in every scenario.
    pub rate: f64,
    /// `freeze=`: how long Redis stays frozen in `redis-freeze`.
    pub freeze: Duration,
    /// `latency=`: what `latency-pg-amqp` adds to every chunk, each direction.
    pub latency: Duration,
    /// `latency-for=`: how long it stays on.
    pub latency_for: Duration,
    /// `churn=`: how long `ws-churn` sends; `clients=`: how many clients churn;
    /// `stay=MIN-MAX`: how long each stays connected; `away=`: at most how long it is gone.
    pub churn: Duration,
    pub clients: usize,
    pub stay: Churn,
    /// `soak=`: how long `soak` sends.
    pub soak: Duration,
    /// `sample=`: how often `ws-churn` and `soak` read memory and CPU.
    pub sample: Duration,
}

pub const USAGE: &str = "chorus-faults [FILTER] [MESSAGES] [RATE] [freeze=30s] [latency=2s] \
[latency-for=20s] [churn=10m] [clients=1000] [stay=5s-30s] [away=3s] [soak=30m] [sample=30s]";

impl Options {
    pub fn parse(args: &[String]) -> anyhow::Result<Self> {
        let s = Duration::from_secs;
        let mut o = Self {
            filter: String::new(),
            messages: 2000,
            rate: 100.0,
            freeze: s(30),
            latency: s(2),
            latency_for: s(20),
            churn: s(600),
            clients: 1000,
            stay: Churn {
                stay_min: s(5),
                stay_max: s(30),
                away_max: s(3),
            },
            soak: s(1800),
            sample: s(30),
        };
        let (keyed, positional): (Vec<&String>, Vec<&String>) =
            args.iter().partition(|a| a.contains('='));
        for (n, arg) in positional.into_iter().enumerate() {
            match n {
                0 => o.filter = arg.clone(),
                1 => o.messages = number(arg)?,
                2 => o.rate = number(arg)?,
                _ => anyhow::bail!("unexpected {arg:?}; usage: {USAGE}"),
            }
        }
        for arg in keyed {
            let (key, value) = arg.split_once('=').unwrap_or((arg, ""));
            match key {
                "freeze" => o.freeze = duration(value)?,
                "latency" => o.latency = duration(value)?,
                "latency-for" => o.latency_for = duration(value)?,
                "churn" => o.churn = duration(value)?,
                "clients" => o.clients = number(value)?,
                "stay" => {
                    let (low, high) = value.split_once('-').unwrap_or((value, value));
                    o.stay.stay_min = duration(low)?;
                    o.stay.stay_max = duration(high)?;
                }
                "away" => o.stay.away_max = duration(value)?,
                "soak" => o.soak = duration(value)?,
                "sample" => o.sample = duration(value)?,
                _ => anyhow::bail!("unknown option {key:?}; usage: {USAGE}"),
            }
        }
        anyhow::ensure!(o.rate > 0.0, "RATE must be above 0");
        anyhow::ensure!(o.clients > 0, "clients must be above 0");
        anyhow::ensure!(!o.sample.is_zero(), "sample must be above 0");
        anyhow::ensure!(
            o.stay.stay_min <= o.stay.stay_max,
            "stay=MIN-MAX with MIN ≤ MAX"
        );
        Ok(o)
    }
}

fn number<T: std::str::FromStr>(text: &str) -> anyhow::Result<T> {
    text.parse()
        .map_err(|_| anyhow::anyhow!("{text:?} is not a number; usage: {USAGE}"))
}

/// `500ms`, `30s`, `10m`, `1h`, or a bare number of seconds.
fn duration(text: &str) -> anyhow::Result<Duration> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (amount, unit) = text.split_at(split);
    let amount: f64 = number(amount)?;
    let seconds = match unit {
        "ms" => amount / 1000.0,
        "" | "s" => amount,
        "m" => amount * 60.0,
        "h" => amount * 3600.0,
        _ => anyhow::bail!("{text:?}: a duration is a number with ms, s, m or h"),
    };
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn positional_and_keyed_in_any_order() -> anyhow::Result<()> {
        let o = Options::parse(&args("churn clients=200 0 50 churn=90s stay=2s-10s"))?;
        assert_eq!(o.filter, "churn");
        assert_eq!(o.messages, 0);
        assert!((o.rate - 50.0).abs() < f64::EPSILON);
        assert_eq!(o.clients, 200);
        assert_eq!(o.churn, Duration::from_secs(90));
        assert_eq!(o.stay.stay_min, Duration::from_secs(2));
        assert_eq!(o.stay.stay_max, Duration::from_secs(10));
        Ok(())
    }

    #[test]
    fn defaults_are_the_issues() -> anyhow::Result<()> {
        let o = Options::parse(&[])?;
        assert_eq!(o.freeze, Duration::from_secs(30));
        assert_eq!(o.latency, Duration::from_secs(2));
        assert_eq!(o.churn, Duration::from_secs(600));
        assert_eq!(o.clients, 1000);
        assert_eq!(o.soak, Duration::from_secs(1800));
        Ok(())
    }

    #[test]
    fn durations_take_units() -> anyhow::Result<()> {
        assert_eq!(duration("500ms")?, Duration::from_millis(500));
        assert_eq!(duration("2m")?, Duration::from_secs(120));
        assert_eq!(duration("7")?, Duration::from_secs(7));
        assert!(duration("5 weeks").is_err());
        assert!(Options::parse(&args("freeze=1x")).is_err());
        assert!(Options::parse(&args("colour=red")).is_err());
        Ok(())
    }
}
