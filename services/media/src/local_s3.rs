//! The embedded development object store (DESIGN §4): `s3s` over `s3s-fs`, a
//! real S3 endpoint backed by a directory, with SigV4 authentication (so
//! presigned URLs are checked: a changed byte or an expired URL answers 403).
//! `chorus all` runs it when no S3 endpoint is configured. Every response
//! carries `X-Content-Type-Options: nosniff`, as the gateway adds in deployment.

use chorus_kit::Shutdown;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;
use std::net::SocketAddr;
use std::path::Path;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// Serves an S3 endpoint over `root` on `listener` until `shutdown`.
pub fn serve(
    listener: TcpListener,
    root: &Path,
    access_key: &str,
    secret_key: &str,
    shutdown: Shutdown,
) -> anyhow::Result<(SocketAddr, JoinHandle<()>)> {
    std::fs::create_dir_all(root)?;
    let fs = s3s_fs::FileSystem::new(root).map_err(|e| anyhow::anyhow!("s3s-fs: {e:?}"))?;
    let mut builder = S3ServiceBuilder::new(fs);
    builder.set_auth(SimpleAuth::from_single(access_key, secret_key.to_string()));
    let service = builder.build();
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        loop {
            let socket = tokio::select! {
                _ = shutdown.cancelled() => return,
                accepted = listener.accept() => match accepted {
                    Ok((socket, _)) => socket,
                    Err(err) => {
                        tracing::warn!(%err, "embedded S3: accept failed");
                        continue;
                    }
                },
            };
            let service = service.clone();
            let with_nosniff = service_fn(move |req| {
                let service = service.clone();
                async move {
                    let mut res = hyper::service::Service::call(&service, req).await?;
                    res.headers_mut().insert(
                        "x-content-type-options",
                        hyper::header::HeaderValue::from_static("nosniff"),
                    );
                    Ok::<_, s3s::HttpError>(res)
                }
            });
            tokio::spawn(async move {
                let served = Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(socket), with_nosniff)
                    .await;
                if let Err(err) = served {
                    tracing::debug!(%err, "embedded S3 connection ended");
                }
            });
        }
    });
    Ok((addr, task))
}
