//! `chorus-faults` (`make test-faults`): does a 201 survive faults? Private
//! PostgreSQL, Redis and RabbitMQ; `chorus all` plus two `chorus edge` nodes as
//! separate processes, PostgreSQL and RabbitMQ behind proxies that can delay
//! the links; members on real WebSockets that reconnect with `after_seq`. Each
//! scenario sends MESSAGES (default 2 000) at RATE per second (default 100)
//! while its faults happen (`ws-churn` and `soak` send for a time instead),
//! then compares every 201 with what is stored and what every member
//! received, and prints one row per scenario, with notes under it.
//!
//!   chorus-faults [SCENARIO-FILTER] [MESSAGES] [RATE] [key=value…]  (see options.rs)
//!   CHORUS_BIN   the binary (default target/debug/chorus)

// A report printed to stdout is what this tool is for.
#![allow(clippy::print_stdout)]

mod client;
mod infra;
mod load;
mod options;
mod proxy;
mod resources;
mod run;
mod scenarios;
mod system;
mod verify;

use anyhow::Context;
use std::path::PathBuf;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opts = options::Options::parse(&args)?;
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
    let pg_link = proxy::Proxy::start(pg.port).await?;
    let amqp_link = proxy::Proxy::start(rabbit.port).await?;
    let urls = system::Urls {
        db: infra::Postgres::url_at(pg_link.port),
        redis: redis.url(),
        amqp: infra::Rabbit::url_at(amqp_link.port),
    };
    let system = system::System::start(&bin, &root, &urls)
        .await
        .context("chorus")?;
    let mut world = scenarios::World {
        system,
        pg,
        redis,
        rabbit,
        pg_link,
        amqp_link,
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
    let mut reports = Vec::new();
    let scenarios = async {
        for scenario in scenarios::all(&opts) {
            if !scenario.name.contains(opts.filter.as_str()) {
                continue;
            }
            let amount = scenario
                .length
                .map_or(format!("{} messages", opts.messages), |l| {
                    format!("{:.0} s", l.as_secs_f64())
                });
            eprintln!("faults: {} ({amount} at {}/s)", scenario.name, opts.rate);
            let report = run::run(&mut world, &scenario, &opts)
                .await
                .with_context(|| scenario.name.to_string())?;
            eprintln!("{}", verify::Row::header());
            eprintln!("{}", report.row);
            for note in &report.notes {
                eprintln!("  {note}");
            }
            reports.push(report);
        }
        anyhow::Ok(())
    };
    tokio::select! {
        done = scenarios => done?,
        _ = interrupted => anyhow::bail!("interrupted"),
    }
    println!("{}", verify::Row::header());
    for report in &reports {
        println!("{}", report.row);
    }
    for report in &reports {
        println!("\n{}:", report.row.name);
        for note in &report.notes {
            println!("  {note}");
        }
        if report.leaked {
            println!("  an edge kept connections open after every client left");
        }
    }
    let clean = reports.iter().all(|r| r.row.clean() && !r.leaked);
    drop(world);
    if clean {
        let _ = std::fs::remove_dir_all(&root);
    } else {
        eprintln!("faults: logs kept in {}", root.display());
    }
    anyhow::ensure!(
        clean,
        "a scenario lost or duplicated messages (or left connections open)"
    );
    Ok(())
}
