//! Load shedding: a bound on the API requests a process handles at once.
//!
//! Past its capacity a service does not get faster by queueing: every request
//! waits for a database connection until close to the pool's acquire timeout,
//! many give up there after doing part of their work, and clients retry. The
//! fault suite's 2 s of database latency left `chorus all` answering "pool
//! timed out" to over a thousand requests a second for four minutes after the
//! latency was gone, with almost nothing getting through. With a bound, the
//! requests beyond it get `503 {"error":"Service unavailable"}` and
//! `Retry-After: 1` at once, for nothing, and the requests within it find the
//! pools short enough to finish.

use crate::error::error_response;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// `router` answering at most `max_in_flight` requests at once (`0`: no bound).
pub fn limit(router: Router, max_in_flight: usize) -> Router {
    if max_in_flight == 0 {
        return router;
    }
    router.layer(middleware::from_fn_with_state(
        Arc::new(Semaphore::new(max_in_flight)),
        admit,
    ))
}

async fn admit(State(permits): State<Arc<Semaphore>>, req: Request, next: Next) -> Response {
    // Held until the handler has its response: a WebSocket counts only until
    // its upgrade, a download only until its body starts.
    let Ok(_permit) = permits.try_acquire_owned() else {
        let mut busy = error_response(StatusCode::SERVICE_UNAVAILABLE, "Service unavailable");
        busy.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return busy;
    };
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::routing::get;
    use tokio::sync::{Notify, mpsc};
    use tower::ServiceExt;

    type Outcome = Result<(StatusCode, Option<HeaderValue>, String), String>;

    async fn call(router: Router) -> Outcome {
        let req = Request::get("/slow")
            .body(Body::empty())
            .map_err(|e| e.to_string())?;
        let res = router.oneshot(req).await.map_err(|e| e.to_string())?;
        let status = res.status();
        let retry = res.headers().get(header::RETRY_AFTER).cloned();
        let body = axum::body::to_bytes(res.into_body(), 1024)
            .await
            .map_err(|e| e.to_string())?;
        Ok((status, retry, String::from_utf8_lossy(&body).into_owned()))
    }

    #[tokio::test]
    async fn requests_past_the_bound_get_503_at_once_and_later_ones_are_admitted() {
        let (entered, mut inside) = mpsc::channel::<()>(4);
        let release = Arc::new(Notify::new());
        let held = release.clone();
        let router = limit(
            Router::new().route(
                "/slow",
                get(move || {
                    let (entered, held) = (entered.clone(), held.clone());
                    async move {
                        let _ = entered.send(()).await;
                        held.notified().await;
                        "done"
                    }
                }),
            ),
            1,
        );
        let first = tokio::spawn(call(router.clone()));
        inside.recv().await; // the first holds the only permit

        let busy = call(router.clone()).await;
        assert_eq!(
            busy,
            Ok((
                StatusCode::SERVICE_UNAVAILABLE,
                Some(HeaderValue::from_static("1")),
                r#"{"error":"Service unavailable"}"#.to_string()
            ))
        );

        release.notify_one();
        let first = first.await.map_err(|e| e.to_string()).and_then(|r| r);
        assert_eq!(first.map(|(status, _, _)| status), Ok(StatusCode::OK));
        let later = tokio::spawn(call(router.clone()));
        inside.recv().await;
        release.notify_one();
        let later = later.await.map_err(|e| e.to_string()).and_then(|r| r);
        assert_eq!(later.map(|(status, _, _)| status), Ok(StatusCode::OK));
    }
}
