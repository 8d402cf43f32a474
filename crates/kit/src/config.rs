//! Layered configuration: defaults → TOML file → `CHORUS__…` (every service) →
//! `CHORUS_<SERVICE>__…` (one service). Nested keys are separated by `__`, e.g.
//! `CHORUS_AUTH__DB__URL`. Any key may instead be given as a file path with the
//! `_FILE` suffix (`CHORUS_AUTH__JWT__SIGNING_KEY_FILE=/secrets/jwt.pem`), which is
//! how Vault-rendered secrets reach a service.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Invalid(#[from] Box<figment::Error>),
    #[error("configuration: cannot read secret file {path} for {key}: {source}")]
    SecretFile {
        key: String,
        path: String,
        source: std::io::Error,
    },
    #[error("configuration: {0}")]
    Rejected(String),
}

/// Loads the configuration of `service` (e.g. `"auth"`), starting from `T::default()`.
/// `file` is an optional TOML file whose top level holds the service's keys
/// under a table named after the service (`[auth]`), shared keys at the top.
pub fn load<T>(service: &str, file: Option<&Path>) -> Result<T, ConfigError>
where
    T: Serialize + DeserializeOwned + Default,
{
    let mut fig = Figment::from(Serialized::defaults(T::default()));
    if let Some(path) = file {
        fig = fig
            .merge(Toml::file(path))
            .merge(Figment::from(Toml::file(path)).focus(service));
    }
    let prefixes = [
        "CHORUS__".to_string(),
        format!("CHORUS_{}__", service.to_ascii_uppercase()),
    ];
    for prefix in &prefixes {
        fig = fig.merge(
            Env::prefixed(prefix)
                .split("__")
                .filter(|k| !k.as_str().ends_with("_file")),
        );
        for (key, path) in file_secrets(prefix) {
            let value =
                std::fs::read_to_string(&path).map_err(|source| ConfigError::SecretFile {
                    key: key.clone(),
                    path,
                    source,
                })?;
            fig = fig.merge((key, value.trim_end().to_string()));
        }
    }
    fig.extract().map_err(|e| ConfigError::Invalid(Box::new(e)))
}

/// `PREFIX…_FILE=path` variables, as (dotted lower-case key without `_file`, path).
fn file_secrets(prefix: &str) -> Vec<(String, String)> {
    std::env::vars()
        .filter_map(|(name, value)| {
            let rest = name.strip_prefix(prefix)?.strip_suffix("_FILE")?;
            Some((rest.to_ascii_lowercase().replace("__", "."), value))
        })
        .collect()
}

#[cfg(test)]
// figment::Jail closures return figment::Error, which is large by design.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Default, Serialize, Deserialize)]
    struct Db {
        url: String,
        max_connections: u32,
    }
    #[derive(Debug, Default, Serialize, Deserialize)]
    struct Cfg {
        db: Db,
        secret: String,
    }

    // Environment variables are process-wide, so each test uses its own service name.
    #[test]
    fn service_variables_override_shared_ones_and_defaults() {
        // figment::Jail serialises tests that touch the environment and restores it.
        figment::Jail::expect_with(|jail| {
            jail.set_env("CHORUS__DB__URL", "postgres://shared");
            jail.set_env("CHORUS_CFGA__DB__MAX_CONNECTIONS", "7");
            let cfg: Cfg = load("cfga", None).map_err(|e| e.to_string())?;
            assert_eq!(cfg.db.url, "postgres://shared");
            assert_eq!(cfg.db.max_connections, 7);
            jail.set_env("CHORUS_CFGA__DB__URL", "postgres://own");
            let cfg: Cfg = load("cfga", None).map_err(|e| e.to_string())?;
            assert_eq!(cfg.db.url, "postgres://own");
            Ok(())
        });
    }

    #[test]
    fn secrets_can_come_from_files() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("secret.txt", "s3cr3t\n")?;
            let path = jail.directory().join("secret.txt");
            jail.set_env("CHORUS_CFGB__SECRET_FILE", path.display());
            let cfg: Cfg = load("cfgb", None).map_err(|e| e.to_string())?;
            assert_eq!(cfg.secret, "s3cr3t");
            Ok(())
        });
    }

    #[test]
    fn a_file_provides_shared_and_service_tables() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "chorus.toml",
                "secret = \"top\"\n[cfgc.db]\nurl = \"postgres://file\"\n",
            )?;
            let path = jail.directory().join("chorus.toml");
            let cfg: Cfg = load("cfgc", Some(&path)).map_err(|e| e.to_string())?;
            assert_eq!(cfg.secret, "top");
            assert_eq!(cfg.db.url, "postgres://file");
            Ok(())
        });
    }
}
