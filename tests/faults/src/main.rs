//! `chorus-faults` (`make test-faults`): does a 201 survive faults? Private
//! PostgreSQL, Redis and RabbitMQ; `chorus all` plus two `chorus edge` nodes as
//! separate processes; members on real WebSockets that reconnect with
//! `after_seq`. Each scenario sends MESSAGES (default 2 000) at RATE per second
//! (default 100) while its faults happen, then compares every 201 with what is
//! stored and what every member received, and prints one row per scenario.
//!
//!   chorus-faults [SCENARIO-FILTER] [MESSAGES] [RATE]
//!   CHORUS_BIN   the binary (default target/debug/chorus)

// A report printed to stdout is what this tool is for.
#![allow(clippy::print_stdout)]

mod infra;
mod load;
mod scenarios;
mod system;
mod verify;

use anyhow::Context;
use std::path::PathBuf;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let filter = args.get(1).cloned().unwrap_or_default();
    let messages: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let rate: f64 = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(100.0);
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let bin = std::env::var("CHORUS_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo.join("target/debug/chorus"));
    anyhow::ensure!(
        bin.exists(),
        "{} is missing (cargo build -p chorus)",
        bin.display()
    );

    let id = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
    let root = std::env::temp_dir().join(format!("chorus-faults-{id}"));
    std::fs::create_dir_all(&root)?;
    eprintln!("faults: servers and logs under {}", root.display());
    let pg = infra::Postgres::start(&root).await.context("PostgreSQL")?;
    let redis = infra::Redis::start().await.context("Redis")?;
    let rabbit = infra::Rabbit::start(&root.join("rabbit"), &format!("faults{id}"))
        .await
        .context("RabbitMQ")?;
    let system = system::System::start(&bin, &root, &pg, &redis, &rabbit)
        .await
        .context("chorus")?;
    let mut world = scenarios::World {
        pg,
        redis,
        rabbit,
        system,
    };

    // Interrupted (Ctrl-C, SIGTERM): the servers and processes are stopped on
    // the way out, as at the end, instead of being left running.
    let interrupted = async {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        anyhow::Ok(())
    };
    let mut rows = Vec::new();
    let scenarios = async {
        for scenario in scenarios::all() {
            if !scenario.name.contains(filter.as_str()) {
                continue;
            }
            eprintln!(
                "faults: {} ({messages} messages at {rate}/s)",
                scenario.name
            );
            let row = scenarios::run(&mut world, &scenario, messages, rate)
                .await
                .with_context(|| scenario.name.to_string())?;
            eprintln!("{}", verify::Row::header());
            eprintln!("{row}");
            rows.push(row);
        }
        anyhow::Ok(())
    };
    tokio::select! {
        done = scenarios => done?,
        _ = interrupted => anyhow::bail!("interrupted"),
    }
    println!("{}", verify::Row::header());
    for row in &rows {
        println!("{row}");
    }
    let clean = rows.iter().all(verify::Row::clean);
    drop(world);
    if clean {
        let _ = std::fs::remove_dir_all(&root);
    } else {
        eprintln!("faults: logs kept in {}", root.display());
    }
    anyhow::ensure!(clean, "a scenario lost or duplicated messages");
    Ok(())
}
