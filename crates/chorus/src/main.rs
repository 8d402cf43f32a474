//! `chorus`: every service in one process (`chorus all`) or one service alone
//! (`chorus auth`, `chorus chat`, `chorus message`, `chorus media`, `chorus edge`,
//! `chorus presence`, `chorus admin`). Both run the same service code; only the wiring differs.

use anyhow::Context;
use chorus_kit::http::PublicHttpConfig;
use chorus_kit::metrics::Metrics;
use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

mod budget;
mod web;

#[derive(Parser)]
#[command(name = "chorus", version, about = "Chorus messenger services")]
struct Cli {
    /// Optional TOML file: shared keys at the top, per-service tables (`[auth]`, `[all]`).
    #[arg(long, global = true, env = "CHORUS_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Every service in one process behind one public port (development, small installs).
    All {
        /// Load the demo data (alice/bob/carol) and generate a development signing key if none is configured.
        #[arg(long)]
        demo: bool,
    },
    /// The auth service alone, on its own HTTP and gRPC ports.
    Auth,
    /// The chat service alone (chats, members, invites).
    Chat,
    /// The message service alone (messages, reactions, read state, search).
    Message,
    /// The media service alone (uploads, downloads, stickers; needs an S3 endpoint).
    Media,
    /// The WebSocket edge alone (`/ws`, fan-out of events to connections).
    Edge,
    /// The presence service alone (connection states, online/offline broadcasts).
    Presence,
    /// The admin service alone (`/admin-api/*`: stats, moderation, support, audit log).
    Admin,
    /// Prints the OpenAPI 3.1 document of the whole public API (what `chorus all`
    /// serves at `/openapi.json`) and exits; nothing is started.
    Openapi,
}

/// Settings of the all-in-one process (`CHORUS_ALL__…`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
struct AllConfig {
    /// The one public port: API, `/api` alias, `/health`, `/metrics`.
    http_addr: String,
    /// Development key and other local state.
    data_dir: PathBuf,
    public: PublicHttpConfig,
    /// Where the embedded development object store listens when the media
    /// service has no S3 endpoint configured (objects under `data_dir/s3`).
    embedded_s3_addr: String,
    /// The built web app (`frontend/dist`), served at `/` and the app's routes
    /// (CONTRACT §15.4); missing ⇒ no app, the API is unaffected.
    web_root: PathBuf,
    /// Desktop builds under `/downloads/{platform}/{filename}`.
    downloads_dir: PathBuf,
    /// PostgreSQL connections all the services' pools may hold together
    /// (see `budget.rs`; each outbox relay adds one LISTEN connection).
    db_connections: u32,
}

impl Default for AllConfig {
    fn default() -> Self {
        Self {
            http_addr: "0.0.0.0:8080".into(),
            data_dir: PathBuf::from("data"),
            public: PublicHttpConfig::default(),
            embedded_s3_addr: "127.0.0.1:9000".into(),
            web_root: PathBuf::from("frontend/dist"),
            downloads_dir: PathBuf::from("downloads"),
            db_connections: 16,
        }
    }
}

/// mimalloc instead of glibc's malloc: malloc, free and chunk consolidation
/// were ~7 % of the process's CPU under send load, more on history pages
/// (many small strings per page). Measured: a history page 0.285 → 0.237 ms
/// of this process's CPU, a delivered message 0.67 → 0.64 ms.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Command::Openapi = cli.command {
        let doc = chorus_kit::openapi::document([openapi()]);
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &doc)?;
        std::io::Write::write_all(&mut out, b"\n")?;
        return Ok(());
    }
    let service = match cli.command {
        Command::Openapi => "openapi",
        Command::All { .. } => "all",
        Command::Auth => "auth",
        Command::Chat => "chat",
        Command::Message => "message",
        Command::Media => "media",
        Command::Edge => "edge",
        Command::Presence => "presence",
        Command::Admin => "admin",
    };
    let _telemetry = chorus_kit::telemetry::init(service);
    let shutdown = chorus_kit::shutdown::on_signals();
    let metrics = Metrics::new()?;
    let file = cli.config.as_deref();
    let result = match cli.command {
        Command::All { demo } => run_all(file, demo, metrics, shutdown).await,
        Command::Auth => {
            let cfg: chorus_auth::AuthConfig = chorus_kit::config::load("auth", file)?;
            let app =
                chorus_auth::App::build(cfg, Default::default(), false, shutdown.clone()).await?;
            app.serve_alone(metrics, shutdown).await
        }
        Command::Chat => {
            let cfg: chorus_chat::ChatConfig = chorus_kit::config::load("chat", file)?;
            let app = chorus_chat::App::build(cfg, Default::default(), shutdown.clone()).await?;
            app.serve_alone(metrics, shutdown).await
        }
        Command::Message => {
            let cfg: chorus_message::MessageConfig = chorus_kit::config::load("message", file)?;
            let app = chorus_message::App::build(cfg, Default::default(), shutdown.clone()).await?;
            app.serve_alone(metrics, shutdown).await
        }
        Command::Media => {
            let cfg: chorus_media::MediaConfig = chorus_kit::config::load("media", file)?;
            // The development secret is public; a deployment must bring its own.
            anyhow::ensure!(
                cfg.s3.secret_key.expose_secret() != chorus_media::config::DEV_SECRET_KEY,
                "media: set s3.secret_key (CHORUS_MEDIA__S3__SECRET_KEY or _FILE); the development secret is public"
            );
            let app = chorus_media::App::build(cfg, Default::default(), shutdown.clone()).await?;
            app.serve_alone(metrics, shutdown).await
        }
        Command::Edge => {
            let cfg: chorus_edge::EdgeConfig = chorus_kit::config::load("edge", file)?;
            let app = chorus_edge::App::build(cfg, &metrics, shutdown.clone()).await?;
            app.serve_alone(metrics, shutdown).await
        }
        Command::Presence => {
            let cfg: chorus_presence::PresenceConfig = chorus_kit::config::load("presence", file)?;
            let app =
                chorus_presence::App::build(cfg, Default::default(), shutdown.clone()).await?;
            app.serve_alone(metrics, shutdown).await
        }
        Command::Admin => {
            let cfg: chorus_admin::AdminConfig = chorus_kit::config::load("admin", file)?;
            let app = chorus_admin::App::build(cfg).await?;
            app.serve_alone(metrics, shutdown).await
        }
        Command::Openapi => Ok(()),
    };
    if let Err(err) = &result {
        tracing::error!(error = format!("{err:#}"), "chorus stopped with an error");
    }
    result
}

async fn run_all(
    file: Option<&std::path::Path>,
    demo: bool,
    metrics: Metrics,
    shutdown: chorus_kit::Shutdown,
) -> anyhow::Result<()> {
    let all: AllConfig = chorus_kit::config::load("all", file)?;
    let mut auth_cfg: chorus_auth::AuthConfig = chorus_kit::config::load("auth", file)?;
    let mut chat_cfg: chorus_chat::ChatConfig = chorus_kit::config::load("chat", file)?;
    let mut message_cfg: chorus_message::MessageConfig = chorus_kit::config::load("message", file)?;
    let mut edge_cfg: chorus_edge::EdgeConfig = chorus_kit::config::load("edge", file)?;
    let mut presence_cfg: chorus_presence::PresenceConfig =
        chorus_kit::config::load("presence", file)?;
    let mut media_cfg: chorus_media::MediaConfig = chorus_kit::config::load("media", file)?;
    let mut admin_cfg: chorus_admin::AdminConfig = chorus_kit::config::load("admin", file)?;
    // Messages carry the most traffic; media mostly streams to S3.
    budget::split(
        all.db_connections,
        &mut [
            budget::Share {
                service: "auth",
                weight: 4,
                db: &mut auth_cfg.db,
            },
            budget::Share {
                service: "chat",
                weight: 4,
                db: &mut chat_cfg.db,
            },
            // Its query pool and its pool for sends share this part.
            budget::Share {
                service: "message",
                weight: 7,
                db: &mut message_cfg.db,
            },
            budget::Share {
                service: "media",
                weight: 2,
                db: &mut media_cfg.db,
            },
            // The audit log only: a write per admin action.
            budget::Share {
                service: "admin",
                weight: 1,
                db: &mut admin_cfg.db,
            },
        ],
    );

    // In one process the internal gRPC ports are private: the OS picks them, and
    // the listeners are bound before any service starts so that every peer URL is
    // known up front (chat and message call each other).
    if std::env::var("CHORUS_AUTH__GRPC_ADDR").is_err() {
        auth_cfg.grpc_addr = "127.0.0.1:0".into();
    }
    let chat_grpc = grpc_listener("CHORUS_CHAT__GRPC_ADDR", &chat_cfg.grpc_addr).await?;
    let message_grpc = grpc_listener("CHORUS_MESSAGE__GRPC_ADDR", &message_cfg.grpc_addr).await?;
    let chat_url = format!("http://{}", chat_grpc.local_addr()?);
    let message_url = format!("http://{}", message_grpc.local_addr()?);
    let presence_grpc =
        grpc_listener("CHORUS_PRESENCE__GRPC_ADDR", &presence_cfg.grpc_addr).await?;
    let presence_url = format!("http://{}", presence_grpc.local_addr()?);
    let media_grpc = grpc_listener("CHORUS_MEDIA__GRPC_ADDR", &media_cfg.grpc_addr).await?;
    let media_url = format!("http://{}", media_grpc.local_addr()?);

    // No object store configured: run the embedded one (development, tests).
    if media_cfg.s3.endpoint.is_empty() {
        let listener = tokio::net::TcpListener::bind(&all.embedded_s3_addr)
            .await
            .with_context(|| {
                format!(
                    "cannot bind the embedded S3 address {}",
                    all.embedded_s3_addr
                )
            })?;
        // It accepts the development keys: never on an address others can reach.
        anyhow::ensure!(
            listener.local_addr()?.ip().is_loopback(),
            "the embedded S3 store listens on loopback only; set media s3.endpoint to use a real store"
        );
        let (addr, _task) = chorus_media::local_s3::serve(
            listener,
            &all.data_dir.join("s3"),
            &media_cfg.s3.access_key,
            media_cfg.s3.secret_key.expose_secret(),
            shutdown.clone(),
        )?;
        media_cfg.s3.endpoint = addr.to_string();
        tracing::info!(%addr, "embedded S3 store");
    }

    auth_cfg.public = all.public.clone();
    if demo && auth_cfg.jwt.signing_key.is_none() {
        auth_cfg.jwt.dev_key_dir = Some(all.data_dir.clone());
    }
    auth_cfg.presence_grpc_url = presence_url.clone();
    auth_cfg.media_grpc_url = media_url.clone();
    let auth =
        chorus_auth::App::build(auth_cfg, Default::default(), demo, shutdown.clone()).await?;
    let auth_url = format!("http://{}", auth.grpc_addr);

    chat_cfg.public = all.public.clone();
    chat_cfg.auth_grpc_url = auth_url.clone();
    chat_cfg.message_grpc_url = message_url.clone();
    chat_cfg.presence_grpc_url = presence_url.clone();
    chat_cfg.media_grpc_url = media_url.clone();
    let chat_deps = chorus_chat::Deps {
        grpc_listener: Some(chat_grpc),
        load_demo: demo,
        demo_after: Some(auth.migrated.clone()),
        ..Default::default()
    };
    let chat = chorus_chat::App::build(chat_cfg, chat_deps, shutdown.clone()).await?;

    message_cfg.public = all.public.clone();
    message_cfg.auth_grpc_url = auth_url.clone();
    message_cfg.chat_grpc_url = chat_url.clone();
    message_cfg.media_grpc_url = media_url;
    let message_deps = chorus_message::Deps {
        grpc_listener: Some(message_grpc),
        ..Default::default()
    };
    let message = chorus_message::App::build(message_cfg, message_deps, shutdown.clone()).await?;

    // Presigned object URLs point here: the app's pages may load media from it.
    let object_store = if media_cfg.s3.public_url.is_empty() {
        web::origin_of(&media_cfg.s3.endpoint)
    } else {
        web::origin_of(&media_cfg.s3.public_url)
    };
    media_cfg.public = all.public.clone();
    media_cfg.auth_grpc_url = auth_url.clone();
    media_cfg.chat_grpc_url = chat_url.clone();
    let media_deps = chorus_media::Deps {
        grpc_listener: Some(media_grpc),
    };
    let media = chorus_media::App::build(media_cfg, media_deps, shutdown.clone()).await?;

    presence_cfg.auth_grpc_url = auth_url.clone();
    presence_cfg.chat_grpc_url = chat_url.clone();
    let presence_deps = chorus_presence::Deps {
        grpc_listener: Some(presence_grpc),
    };
    let presence =
        chorus_presence::App::build(presence_cfg, presence_deps, shutdown.clone()).await?;
    presence.register_metrics(&metrics.registry);

    admin_cfg.public = all.public.clone();
    admin_cfg.auth_grpc_url = auth_url.clone();
    // An explicit setting wins (tests point it at a peer that is down).
    if std::env::var("CHORUS_ADMIN__CHAT_GRPC_URL").is_err() {
        admin_cfg.chat_grpc_url = chat_url.clone();
    }
    admin_cfg.message_grpc_url = message_url.clone();
    let admin = chorus_admin::App::build(admin_cfg).await?;

    edge_cfg.public = all.public.clone();
    edge_cfg.auth_grpc_url = auth_url;
    edge_cfg.chat_grpc_url = chat_url;
    edge_cfg.presence_grpc_url = presence_url;
    edge_cfg.message_grpc_url = message_url.clone();
    let edge = chorus_edge::App::build(edge_cfg, &metrics, shutdown.clone()).await?;

    let mut health = chorus_kit::health::Health::new("chorus");
    health.merge(auth.health.clone());
    health.merge(chat.health.clone());
    health.merge(message.health.clone());
    health.merge(presence.health.clone());
    health.merge(media.health.clone());
    health.merge(edge.health.clone());
    health.merge(admin.health.clone());
    use chorus_kit::telemetry::owned_by;
    let api = axum::Router::new()
        .merge(owned_by("auth", auth.router.clone()))
        .merge(owned_by("chat", chat.router.clone()))
        .merge(owned_by("message", message.router.clone()))
        .merge(owned_by("media", media.router.clone()))
        .merge(owned_by("edge", edge.router.clone()))
        .merge(owned_by("admin", admin.router.clone()));
    let doc = openapi();
    let router = chorus_kit::http::public_router(api, doc, health, metrics, &all.public);
    let router = web::WebApp::new(router, all.web_root, all.downloads_dir, object_store)?.router();
    let listener = tokio::net::TcpListener::bind(&all.http_addr)
        .await
        .with_context(|| format!("cannot bind {}", all.http_addr))?;
    tracing::info!(http = %listener.local_addr()?, demo, "chorus all: serving");
    chorus_kit::http::serve(listener, router, shutdown).await?;
    // The edge first: its drained connections still report to presence.
    edge.stopped().await;
    tokio::join!(
        auth.stopped(),
        chat.stopped(),
        message.stopped(),
        media.stopped(),
        presence.stopped(),
        admin.stopped()
    );
    Ok(())
}

/// The whole public API as one OpenAPI document: every service's part.
fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = chorus_auth::openapi();
    for part in [
        chorus_chat::openapi(),
        chorus_message::openapi(),
        chorus_media::openapi(),
        chorus_edge::openapi(),
        chorus_admin::openapi(),
    ] {
        doc.merge(part);
    }
    doc
}

/// Binds a service's gRPC listener: the configured address when the operator set
/// it explicitly, otherwise an ephemeral loopback port.
async fn grpc_listener(env_key: &str, configured: &str) -> anyhow::Result<tokio::net::TcpListener> {
    let addr = if std::env::var(env_key).is_ok() {
        configured
    } else {
        "127.0.0.1:0"
    };
    tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot bind the gRPC address {addr}"))
}
