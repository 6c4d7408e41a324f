//! `rolecall serve`: the web page and the JSON API over HTTP (axum on tokio), a face like the command line.
//!
//! The rule set is compiled once and shared by every request; the classifying work runs on tokio's blocking pool,
//! each pool thread keeping its own [`Session`] (the rule set is immutable, the scanner is scratch). A semaphore
//! bounds the requests at work; a bounded queue waits for a slot at most the request timeout, and beyond it the
//! server answers 503 at once instead of queueing without end.
//!
//! Endpoints (JSON uses the command line's schemas; `GET /v1/openapi.json` documents them):
//! - `GET /` the page; `POST /` the same page with a verdict, for browsers without JavaScript (the page's script
//!   posts the same form and swaps in the result);
//! - `POST /v1/classify` `{"text", "title"?, "title_guess"?}` → the `classify --format json` object;
//! - `POST /v1/batch` JSON Lines in (the `batch --input-format jsonl` records), JSON Lines out, streamed in input
//!   order, a record that cannot be read answered by `{"record", "line", "byte", "error"}` in its place;
//! - `POST /v1/title` `{"title"}` → the `title --format json` object;
//! - `POST /v1/explain` `{"text", "role", "vs"?}` → the `explain --format json` object;
//! - `GET /v1/rules` the pack: hash, roles and their areas; `GET /healthz`.
//!
//! Faults are JSON `{"error": {"status", "message"}}`: 400 invalid JSON or UTF-8, 413 a body over the cap, 415 not
//! JSON, 422 a missing or wrong field, 503 busy or out of time, 500 a handler that panicked (the server goes on).

use super::{page, Failure, Outcome};
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Json, Router};
use rolecall::{Engine, RuleSet, Session};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Options of `rolecall serve`.
#[derive(Debug, clap::Args)]
pub(super) struct ServeArgs {
    /// Address to listen on. Loopback by default; any other address is reachable from the network (a warning
    /// says so). Port 0 picks a free port (the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Largest request body for the page and every endpoint but batch (which streams), in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    max_body: usize,
    /// Most requests at work at once (default: 4 per core).
    #[arg(long)]
    concurrency: Option<usize>,
    /// Most requests waiting for a free slot (each waits at most the timeout); beyond that a request gets 503 at
    /// once.
    #[arg(long, default_value_t = 256)]
    queue: usize,
    /// Time a request may take, in milliseconds (batch: per chunk of records read), before 503.
    #[arg(long, default_value_t = 10_000)]
    timeout_ms: u64,
    /// No access log on stderr.
    #[arg(long, short = 'q')]
    quiet: bool,
}

/// What every handler shares.
struct App {
    engine: &'static Engine,
    busy: Arc<Semaphore>,
    /// Requests waiting for a slot now, and how many may.
    waiting: std::sync::atomic::AtomicUsize,
    queue: usize,
    timeout: Duration,
    /// A posting that makes a handler panic, for the fault tests (`ROLECALL_SERVE_PANIC_ON`); never set in use.
    panic_on: Option<String>,
}

thread_local! {
    /// The blocking-pool thread's scanner (scratch over the shared rules).
    static SCANNER: RefCell<Option<Session<'static>>> = const { RefCell::new(None) };
}

/// An HTTP error with a JSON body.
#[derive(Debug)]
pub(super) struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError { status, message: message.into() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body<'a> {
            status: u16,
            message: &'a str,
        }
        let body = serde_json::json!({ "error": Body { status: self.status.as_u16(), message: &self.message } });
        (self.status, Json(body)).into_response()
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> ApiError {
        // axum's statuses are the documented ones: 400 syntax or UTF-8, 413 too large, 415 not JSON, 422 fields.
        ApiError::new(r.status(), r.body_text())
    }
}

impl From<FormRejection> for ApiError {
    fn from(r: FormRejection) -> ApiError {
        ApiError::new(r.status(), r.body_text())
    }
}

impl App {
    /// Runs `f` with this thread's scanner on the blocking pool, within the concurrency cap and the time limit.
    async fn work<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Session<'static>) -> T + Send + 'static,
    {
        let permit = self.slot().await?;
        let engine = self.engine;
        let task = tokio::task::spawn_blocking(move || {
            let _permit = permit; // held until the work ends, even past a timeout
            SCANNER.with(|cell| {
                // Taken out while in use: a panic drops it instead of leaving a half-used scanner behind.
                let mut scanner = cell.borrow_mut().take().unwrap_or_else(|| engine.session());
                let out = f(&mut scanner);
                *cell.borrow_mut() = Some(scanner);
                out
            })
        });
        match tokio::time::timeout(self.timeout, task).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(_)) => Err(ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error while classifying")),
            Err(_) => Err(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the request took too long")),
        }
    }

    /// A work slot: at once when one is free, else after waiting in the bounded queue (at most the timeout).
    async fn slot(&self) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
        use std::sync::atomic::Ordering;
        let busy = || ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the server is busy; try again shortly");
        if let Ok(p) = self.busy.clone().try_acquire_owned() {
            return Ok(p);
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(busy());
        }
        let got = tokio::time::timeout(self.timeout, self.busy.clone().acquire_owned()).await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        match got {
            Ok(Ok(p)) => Ok(p),
            _ => Err(busy()),
        }
    }

    /// [`App::work`] for a handler whose answer is JSON: `f` serialises it.
    async fn json_work<F>(&self, f: F) -> Result<Response, ApiError>
    where
        F: FnOnce(&mut Session<'static>) -> serde_json::Result<Vec<u8>> + Send + 'static,
    {
        let bytes = self.work(f).await?.map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response())
    }

    /// The rule set.
    fn rules(&self) -> &'static RuleSet {
        self.engine.rules()
    }

    fn check_panic(&self, text: &str) {
        if self.panic_on.as_deref().is_some_and(|p| !p.is_empty() && text.contains(p)) {
            panic!("ROLECALL_SERVE_PANIC_ON matched (fault test)");
        }
    }
}

type Shared = State<Arc<App>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClassifyRequest {
    text: String,
    title: Option<String>,
    /// Read the first line as the title when none is given (default true, as `classify`).
    title_guess: Option<bool>,
    /// Below this confidence (0 to 1) the verdict is `uncertain` (as `classify --min-confidence`).
    min_confidence: Option<f64>,
}

async fn classify(
    State(app): Shared,
    body: Result<Json<ClassifyRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(req) = body?;
    if req.text.trim().is_empty() {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "`text` is empty"));
    }
    if req.min_confidence.is_some_and(|x| !(0.0..=1.0).contains(&x)) {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "`min_confidence` runs from 0 to 1"));
    }
    let app2 = app.clone();
    app.json_work(move |scanner| {
        app2.check_panic(&req.text);
        let guess = req.title_guess.unwrap_or(true);
        scanner.set_min_confidence(req.min_confidence);
        let report = scanner.report(&req.text, "-", req.title.as_deref(), guess);
        scanner.set_min_confidence(None);
        serde_json::to_vec(&report)
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TitleRequest {
    title: String,
}

async fn title(State(app): Shared, body: Result<Json<TitleRequest>, JsonRejection>) -> Result<Response, ApiError> {
    let Json(req) = body?;
    app.json_work(move |scanner| {
        let reading = scanner.title(&req.title);
        serde_json::to_vec(&rolecall::title::TitleReport::new(scanner.rules(), &reading, &req.title))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExplainRequest {
    text: String,
    role: String,
    vs: Option<String>,
}

async fn explain(State(app): Shared, body: Result<Json<ExplainRequest>, JsonRejection>) -> Result<Response, ApiError> {
    let Json(req) = body?;
    let find = |id: &str| app.rules().role_index(id).map_err(|m| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, m));
    let mut roles = vec![find(&req.role)?];
    if let Some(vs) = &req.vs {
        roles.push(find(vs)?);
    }
    if req.text.trim().is_empty() {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "`text` is empty"));
    }
    app.json_work(move |scanner| serde_json::to_vec(&scanner.explain(&req.text, "-", &roles))).await
}

/// `GET /v1/rules`: the pack's hash, roles and areas.
async fn rules_info(State(app): Shared) -> Response {
    #[derive(Serialize)]
    struct Area<'a> {
        id: &'a str,
        name: &'a str,
        weight: f64,
        distinguishing: bool,
    }
    #[derive(Serialize)]
    struct Role<'a> {
        id: &'a str,
        name: &'a str,
        family: &'a str,
        areas: Vec<Area<'a>>,
    }
    let roles: Vec<Role<'_>> = app
        .rules()
        .roles()
        .iter()
        .map(|r| Role {
            id: &r.id,
            name: &r.name,
            family: &r.family,
            areas: r
                .areas
                .iter()
                .map(|a| Area { id: &a.id, name: &a.name, weight: a.weight, distinguishing: a.distinguishing })
                .collect(),
        })
        .collect();
    Json(serde_json::json!({ "rules": app.rules().hash(), "roles": roles })).into_response()
}

async fn healthz(State(app): Shared) -> Response {
    Json(serde_json::json!({ "status": "ok", "rules": app.rules().hash() })).into_response()
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], include_str!("openapi.json")).into_response()
}

/// `POST /v1/batch`: JSON Lines in and out, streamed through the batch engine on a blocking thread.
async fn batch(State(app): Shared, request: Request) -> Result<Response, ApiError> {
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mime = content_type.split(';').next().unwrap_or("").trim();
    if !matches!(mime, "application/x-ndjson" | "application/jsonl" | "application/json-lines" | "application/json") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send JSON Lines with Content-Type: application/x-ndjson",
        ));
    }
    let permit = app.slot().await?;
    use tokio_stream::StreamExt as _;
    // A client that stops sending mid-body gives up its slot after the timeout.
    let stream = request.into_body().into_data_stream().timeout(app.timeout).map(|r| match r {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => Err(io::Error::other(e)),
        Err(_) => Err(io::Error::new(io::ErrorKind::TimedOut, "the client sent nothing for too long")),
    });
    let reader = tokio_util::io::SyncIoBridge::new(tokio_util::io::StreamReader::new(Box::pin(stream)));
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, io::Error>>(8);
    let rules = app.rules();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        // Records that cannot be read are answered in their place: held until the output reaches their number.
        let pending = std::rc::Rc::new(RefCell::new(std::collections::BTreeMap::<u64, Vec<u8>>::new()));
        let mut out = ChannelWriter { tx: tx.clone(), held: Vec::new(), line: Vec::new(), pending: pending.clone() };
        let job = rolecall::batch::Batch {
            rules,
            input: rolecall::batch::InputFormat::Jsonl,
            delimiter: None,
            output: rolecall::batch::OutputFormat::Jsonl,
            columns: Default::default(),
            threads: 1,
            max_field_bytes: 4 << 20,
            task: Default::default(),
            min_confidence: None,
            judgements: None,
        };
        let mut on_error = |e: &rolecall::batch::RecordError| -> io::Result<()> {
            #[derive(Serialize)]
            struct ErrorLine<'a> {
                record: u64,
                line: u64,
                byte: u64,
                error: &'a str,
            }
            let line = ErrorLine { record: e.record, line: e.line, byte: e.byte, error: &e.reason };
            let mut bytes = serde_json::to_vec(&line).map_err(io::Error::other)?;
            bytes.push(b'\n');
            pending.borrow_mut().insert(e.record, bytes);
            Ok(())
        };
        let result = job.run(std::io::BufReader::new(reader), &mut out, &mut on_error, &mut |_| {});
        let finished = out.finish();
        if let Err(e) = result.map(|_| ()).map_err(|e| io::Error::other(e.to_string())).and(finished) {
            // The stream ends with the reason (the status line has gone out already).
            let line = serde_json::json!({ "error": e.to_string() });
            let _ = tx.blocking_send(Ok(format!("{line}\n").into_bytes()));
        }
    });
    let body = axum::body::Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx));
    Ok(([(header::CONTENT_TYPE, "application/x-ndjson")], body).into_response())
}

/// A `Write` that sends the batch's JSON Lines to the response, error records in their place. The batch engine
/// writes a chunk's rows in one piece and reports the chunk's unreadable records after it, so a chunk's rows are
/// held until the next chunk (or the end) and merged with those records by number.
struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<Result<Vec<u8>, io::Error>>,
    /// The last chunk's rows: (record number, line).
    held: Vec<(u64, Vec<u8>)>,
    /// A line not finished by the last write.
    line: Vec<u8>,
    pending: std::rc::Rc<RefCell<std::collections::BTreeMap<u64, Vec<u8>>>>,
}

impl ChannelWriter {
    /// Sends the held rows merged with the pending error records, in record order.
    fn release(&mut self) -> io::Result<()> {
        let errors = std::mem::take(&mut *self.pending.borrow_mut());
        if self.held.is_empty() && errors.is_empty() {
            return Ok(());
        }
        let mut chunk = Vec::new();
        let mut errors = errors.into_iter().peekable();
        for (record, line) in self.held.drain(..) {
            while let Some((_, bytes)) = errors.next_if(|(r, _)| *r < record) {
                chunk.extend_from_slice(&bytes);
            }
            chunk.extend_from_slice(&line);
        }
        for (_, bytes) in errors {
            chunk.extend_from_slice(&bytes);
        }
        self.tx.blocking_send(Ok(chunk)).map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
    }

    /// Sends the rest.
    fn finish(&mut self) -> io::Result<()> {
        if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            self.held.push((record_number(&line).unwrap_or(u64::MAX), line));
        }
        self.release()
    }
}

/// The record number a batch output line starts with (`{"record":12,...`).
fn record_number(line: &[u8]) -> Option<u64> {
    let rest = line.strip_prefix(b"{\"record\":")?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        // A new chunk: the previous one's error records have all been reported by now.
        if self.line.is_empty() {
            self.release()?;
        }
        let mut rest = data;
        while let Some(n) = rest.iter().position(|&b| b == b'\n') {
            self.line.extend_from_slice(&rest[..=n]);
            let line = std::mem::take(&mut self.line);
            self.held.push((record_number(&line).unwrap_or(u64::MAX), line));
            rest = &rest[n + 1..];
        }
        self.line.extend_from_slice(rest);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The page form's fields.
#[derive(Deserialize, Default)]
pub(super) struct PageForm {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub vs: String,
}

async fn page_get(State(app): Shared) -> Response {
    html(page::render(app.rules(), None))
}

async fn page_post(State(app): Shared, form: Result<Form<PageForm>, FormRejection>) -> Result<Response, ApiError> {
    let Form(form) = form?;
    let app2 = app.clone();
    let body = app
        .work(move |scanner| {
            app2.check_panic(&form.text);
            page::render_result(scanner, &form)
        })
        .await?;
    Ok(html(page::render(app.rules(), Some(&body))))
}

fn html(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

async fn static_file(path: &'static str) -> Response {
    let (ctype, body) = match path {
        "page.css" => ("text/css; charset=utf-8", include_str!("page.css")),
        _ => ("text/javascript; charset=utf-8", include_str!("page.js")),
    };
    ([(header::CONTENT_TYPE, ctype), (header::CACHE_CONTROL, "no-cache")], body).into_response()
}

/// Security headers on every response: a strict Content-Security-Policy (same-origin script and style, nothing
/// else), no sniffing, no framing, no referrer.
async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; \
             form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    response
}

/// One access-log line per request on stderr: method, path, status, milliseconds.
async fn access_log(request: Request, next: Next) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_string());
    let started = Instant::now();
    let response = next.run(request).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    eprintln!("rolecall: {method} {path} {} {ms:.1} ms", response.status().as_u16());
    response
}

/// A panic that escaped a handler (outside the blocking work) becomes a JSON 500; the server goes on.
fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no such endpoint; see GET /v1/openapi.json")
}

/// The router over `app` (also used by the tests in this module).
fn router(app: Arc<App>, max_body: usize, quiet: bool) -> Router {
    let api = Router::new()
        .route("/", get(page_get).post(page_post))
        .route("/page.css", get(|| static_file("page.css")))
        .route("/page.js", get(|| static_file("page.js")))
        .route("/v1/classify", axum::routing::post(classify))
        .route("/v1/title", axum::routing::post(title))
        .route("/v1/explain", axum::routing::post(explain))
        .route("/v1/rules", get(rules_info))
        .route("/v1/openapi.json", get(openapi))
        .route("/healthz", get(healthz))
        .layer(DefaultBodyLimit::max(max_body))
        // Batch streams: no body cap (each record is capped by the batch engine instead).
        .route("/v1/batch", axum::routing::post(batch).layer(DefaultBodyLimit::disable()))
        .fallback(not_found)
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed for this path")
        })
        .with_state(app)
        .layer(middleware::from_fn(headers))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panic_response));
    if quiet {
        api
    } else {
        api.layer(middleware::from_fn(access_log))
    }
}

/// Runs the server until SIGINT or SIGTERM, then finishes the requests in flight.
pub(super) fn serve(rules: RuleSet, a: ServeArgs) -> Result<Outcome, Failure> {
    // The engine lives as long as the process: every blocking thread's session borrows it.
    let engine: &'static Engine = Box::leak(Box::new(Engine::new(rules)));
    let rules = engine.rules();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let app = Arc::new(App {
        engine,
        busy: Arc::new(Semaphore::new(a.concurrency.unwrap_or(4 * cores).max(1))),
        waiting: std::sync::atomic::AtomicUsize::new(0),
        queue: a.queue,
        timeout: Duration::from_millis(a.timeout_ms.max(1)),
        panic_on: std::env::var("ROLECALL_SERVE_PANIC_ON").ok(),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(a.concurrency.unwrap_or(4 * cores).max(1))
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(a.addr)
            .await
            .map_err(|e| Failure::Input(format!("cannot listen on {}: {e}", a.addr)))?;
        let local = listener.local_addr()?;
        if !local.ip().is_loopback() {
            eprintln!(
                "rolecall: warning: listening on {local}, reachable from the network; anyone who can reach it can \
                 use it (no authentication). Use --addr 127.0.0.1:PORT to keep it on this machine"
            );
        }
        eprintln!("rolecall: serving http://{local}/ (rules {}); Ctrl-C stops", rules.hash());
        let app = router(app, a.max_body, a.quiet);
        axum::serve(listener, app).with_graceful_shutdown(shutdown()).await?;
        eprintln!("rolecall: stopped");
        Ok::<_, Failure>(Outcome::Found)
    })
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = interrupt => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
