//! `rolecall serve` over a real socket: every endpoint, every error status, the body cap, a panic in a handler,
//! concurrent requests answering as the CLI does, a slow client, and a graceful stop on SIGTERM.
#![cfg(feature = "serve")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running server; killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str], env: &[(&str, &str)]) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rolecall"));
    cmd.args(["serve", "--addr", "127.0.0.1:0", "--quiet"]).args(args);
    cmd.envs(env.iter().copied()).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    // "rolecall: serving http://127.0.0.1:PORT/ ..."
    let port = line.split("127.0.0.1:").nth(1).and_then(|r| r.split('/').next()).and_then(|p| p.parse().ok());
    let port = port.unwrap_or_else(|| panic!("no address in {line:?}"));
    // Keep draining stderr so the server never blocks on it.
    std::thread::spawn(move || {
        let mut sink = String::new();
        let _ = err.read_to_string(&mut sink);
    });
    Server { child, port }
}

struct Answer {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 request (Connection: close), the answer read to the end and de-chunked.
fn request(port: u16, method: &str, path: &str, content_type: Option<&str>, body: &[u8]) -> Answer {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    if let Some(ct) = content_type {
        head += &format!("Content-Type: {ct}\r\n");
    }
    head += &format!("Content-Length: {}\r\n\r\n", body.len());
    s.write_all(head.as_bytes()).unwrap();
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    parse(&raw)
}

fn parse(raw: &[u8]) -> Answer {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a full header");
    let headers = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = headers[9..12].parse().unwrap();
    let mut body = raw[split + 4..].to_vec();
    if headers.contains("transfer-encoding: chunked") {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..end]).unwrap().trim(), 16).unwrap();
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[end + 2..end + 2 + size]);
            rest = &rest[end + 2 + size + 2..];
        }
        body = out;
    }
    Answer { status, headers, body }
}

fn post_json(port: u16, path: &str, v: &serde_json::Value) -> Answer {
    request(port, "POST", path, Some("application/json"), v.to_string().as_bytes())
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/fixtures/postings/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The CLI's stdout for `args` with `stdin`.
fn cli(args: &[&str], stdin: &str) -> Vec<u8> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rolecall"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap().stdout
}

#[test]
fn every_endpoint_answers_as_the_cli_does() {
    let srv = start(&[], &[]);
    let p = srv.port;
    let health = request(p, "GET", "/healthz", None, b"");
    assert_eq!(health.status, 200);
    let hash = health.json()["rules"].as_str().unwrap().to_string();

    // classify: the same bytes as `classify --format json -` (the API's source is "-" too), title or not.
    for name in ["technical-product-owner.txt", "scrum-master.txt", "cto.txt", "nothing.txt"] {
        let text = fixture(name);
        let api = post_json(p, "/v1/classify", &serde_json::json!({ "text": text }));
        assert_eq!(api.status, 200, "{name}: {}", api.text());
        assert!(api.headers.contains("content-type: application/json"));
        let want = cli(&["classify", "--format", "json", "-"], &text);
        assert_eq!(api.text().trim_end(), String::from_utf8_lossy(&want).trim_end(), "{name}");
        let titled = post_json(p, "/v1/classify", &serde_json::json!({ "text": text, "title": "Product Owner" }));
        let want = cli(&["classify", "--format", "json", "--title", "Product Owner", "-"], &text);
        assert_eq!(titled.text().trim_end(), String::from_utf8_lossy(&want).trim_end(), "{name} titled");
    }
    // title and explain.
    let t = post_json(p, "/v1/title", &serde_json::json!({ "title": "Sr. Technical Product Owner (m/w/d)" }));
    let want = cli(&["title", "--format", "json", "Sr. Technical Product Owner (m/w/d)"], "");
    assert_eq!(t.text().trim_end(), String::from_utf8_lossy(&want).trim_end());
    let tpo = fixture("technical-product-owner.txt");
    let e = post_json(
        p,
        "/v1/explain",
        &serde_json::json!({ "text": tpo, "role": "technical-product-owner", "vs": "product-owner" }),
    );
    let want =
        cli(&["explain", "--format", "json", "--role", "technical-product-owner", "--vs", "product-owner", "-"], &tpo);
    assert_eq!(e.text().trim_end(), String::from_utf8_lossy(&want).trim_end());
    let ev = e.json();
    assert_eq!(ev["comparison"]["lead"]["role"], "technical-product-owner");
    assert!(ev["comparison"]["without_lead_distinguishing"].is_object());

    // rules and the OpenAPI document.
    let rules = request(p, "GET", "/v1/rules", None, b"").json();
    assert_eq!(rules["rules"], hash.as_str());
    assert!(rules["roles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "tech-owner" && !r["areas"].as_array().unwrap().is_empty()));
    let api = request(p, "GET", "/v1/openapi.json", None, b"").json();
    for path in ["/v1/classify", "/v1/batch", "/v1/title", "/v1/explain", "/v1/rules", "/healthz"] {
        assert!(api["paths"][path].is_object(), "{path} documented");
    }

    // batch: JSON Lines in and out, in order, an unreadable record answered in its place.
    let mut lines = String::new();
    for (i, name) in ["scrum-master.txt", "cto.txt", "technical-program-manager.txt"].iter().enumerate() {
        lines += &serde_json::json!({ "id": format!("r{i}"), "description": fixture(name) }).to_string();
        lines += "\n";
        if i == 0 {
            lines += "{not json\n";
        }
    }
    let b = request(p, "POST", "/v1/batch", Some("application/x-ndjson"), lines.as_bytes());
    assert_eq!(b.status, 200, "{}", b.text());
    let rows: Vec<serde_json::Value> = b.text().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let records: Vec<u64> = rows.iter().map(|r| r["record"].as_u64().unwrap()).collect();
    assert_eq!(records, [1, 2, 3, 4], "every record once, in order");
    assert!(rows[1]["error"].as_str().unwrap().contains("invalid JSON"));
    let roles: Vec<&str> = rows.iter().filter_map(|r| r["role"].as_str()).collect();
    assert_eq!(roles, ["scrum-master", "cto", "technical-program-manager"]);
}

#[test]
fn faults_get_clear_json_errors_with_their_status() {
    let srv = start(&["--max-body", "2000"], &[("ROLECALL_SERVE_PANIC_ON", "PANIC-NOW")]);
    let p = srv.port;
    let status_of = |a: &Answer| {
        let v = a.json();
        assert_eq!(v["error"]["status"].as_u64(), Some(a.status as u64), "{v}");
        assert!(!v["error"]["message"].as_str().unwrap().is_empty());
        a.status
    };
    let bad_json = request(p, "POST", "/v1/classify", Some("application/json"), b"{\"text\": ");
    assert_eq!(status_of(&bad_json), 400);
    let bad_utf8 = request(p, "POST", "/v1/classify", Some("application/json"), b"{\"text\": \"\xff\xfe\"}");
    assert_eq!(status_of(&bad_utf8), 400);
    let deep = "[".repeat(100_000);
    let nested = request(p, "POST", "/v1/classify", Some("application/json"), deep.as_bytes());
    assert!(matches!(status_of(&nested), 400 | 413), "deeply nested JSON is refused");
    let big = serde_json::json!({ "text": "x".repeat(5000) });
    assert_eq!(status_of(&post_json(p, "/v1/classify", &big)), 413);
    // A 100 MiB body: refused on its declared length, without reading it, and the server goes on.
    let mut s = TcpStream::connect(("127.0.0.1", p)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "POST /v1/classify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        100 << 20
    );
    s.write_all(head.as_bytes()).unwrap();
    let _ = s.write_all(&vec![b' '; 1 << 16]);
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    while !raw.windows(4).any(|w| w == b"\r\n\r\n") {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
    }
    assert!(raw.starts_with(b"HTTP/1.1 413"), "{}", String::from_utf8_lossy(&raw));
    drop(s);
    let plain = request(p, "POST", "/v1/classify", Some("text/plain"), b"{\"text\":\"hello\"}");
    assert_eq!(status_of(&plain), 415);
    assert_eq!(status_of(&post_json(p, "/v1/classify", &serde_json::json!({ "txt": "typo" }))), 422);
    assert_eq!(status_of(&post_json(p, "/v1/classify", &serde_json::json!({ "text": "  " }))), 422);
    assert_eq!(status_of(&post_json(p, "/v1/explain", &serde_json::json!({ "text": "x", "role": "astronaut" }))), 422);
    assert_eq!(status_of(&request(p, "GET", "/no/such/thing", None, b"")), 404);
    assert_eq!(status_of(&request(p, "GET", "/v1/classify", None, b"")), 405);
    let batch_type = request(p, "POST", "/v1/batch", Some("text/csv"), b"a,b\n");
    assert_eq!(status_of(&batch_type), 415);

    // A handler that panics is a 500, and the server goes on answering.
    let boom = post_json(p, "/v1/classify", &serde_json::json!({ "text": "PANIC-NOW please" }));
    assert_eq!(status_of(&boom), 500);
    let after = post_json(p, "/v1/classify", &serde_json::json!({ "text": fixture("cto.txt") }));
    assert_eq!((after.status, after.json()["role"].as_str()), (200, Some("cto")));
}

#[test]
fn the_page_works_without_javascript_and_escapes_the_ad() {
    let srv = start(&[], &[]);
    let p = srv.port;
    let page = request(p, "GET", "/", None, b"");
    assert_eq!(page.status, 200);
    assert!(page.headers.contains("content-security-policy: default-src 'none'; script-src 'self'"));
    let html = page.text();
    for needle in [
        "<form id=\"ad-form\" method=\"post\" action=\"/\"",
        "<textarea id=\"text\" name=\"text\"",
        "src=\"/page.js\"",
        "href=\"/page.css\"",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    assert!(!html.contains("http://") && !html.contains("https://"), "nothing loaded from elsewhere");
    assert_eq!(request(p, "GET", "/page.js", None, b"").status, 200);
    assert_eq!(request(p, "GET", "/page.css", None, b"").status, 200);

    // The form post: a verdict, the title read from the first line, highlighted evidence, the ad escaped.
    let ad =
        format!("{}\n<script>alert('x')</script> <img src=x onerror=alert(1)>", fixture("technical-product-owner.txt"));
    let form = format!("text={}&title=&vs=product-owner", encode(&ad));
    let r = request(p, "POST", "/", Some("application/x-www-form-urlencoded"), form.as_bytes());
    assert_eq!(r.status, 200);
    let html = r.text();
    assert!(html.contains("<h2>Technical Product Owner</h2>"), "the verdict");
    assert!(html.contains("Title read from the first line"), "the guessed title is said");
    assert!(html.contains("<mark class=\"counted\" tabindex=\"0\" title=\"technical-product-owner"), "evidence marked");
    assert!(html.contains("not counted: inside a longer phrase"), "why a span did not count");
    assert!(html.contains("technical-product-owner against product-owner"), "the comparison");
    assert!(!html.contains("<script>alert") && !html.contains("<img src=x"), "the ad is escaped");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
}

/// Form-encodes `s`.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn concurrent_requests_answer_the_same_as_one_at_a_time() {
    let srv = start(&[], &[]);
    let p = srv.port;
    let names = ["technical-product-owner.txt", "scrum-master.txt", "cto.txt", "backend-engineer.txt"];
    let want: Vec<String> =
        names.iter().map(|n| post_json(p, "/v1/classify", &serde_json::json!({ "text": fixture(n) })).text()).collect();
    let handles: Vec<_> = (0..16)
        .map(|i| {
            let (name, want) = (names[i % names.len()], want[i % names.len()].clone());
            std::thread::spawn(move || {
                for _ in 0..5 {
                    let got = post_json(p, "/v1/classify", &serde_json::json!({ "text": fixture(name) }));
                    assert_eq!(got.status, 200);
                    assert_eq!(got.text(), want, "{name}");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

#[test]
fn a_slow_client_holds_only_its_own_slot() {
    // A batch client that sends half a body and stalls.
    let stall = |port: u16| {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let head = "POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nContent-Length: 100000\r\n\r\n";
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(b"{\"description\": \"Facilitate sprint planning").unwrap();
        std::thread::sleep(Duration::from_millis(300));
        s
    };
    let srv = start(&[], &[]);
    let _held = stall(srv.port);
    let ok = post_json(srv.port, "/v1/classify", &serde_json::json!({ "text": fixture("cto.txt") }));
    assert_eq!(ok.status, 200, "others are served while a client stalls");

    // With one slot and no queue, the stalled client has it: the next request is told 503 at once.
    let one = start(&["--concurrency", "1", "--queue", "0"], &[]);
    let _held = stall(one.port);
    let busy = post_json(one.port, "/v1/classify", &serde_json::json!({ "text": fixture("cto.txt") }));
    assert_eq!(busy.status, 503, "{}", busy.text());
    // With a queue, it waits at most the timeout for the slot, then is told 503.
    let queued = start(&["--concurrency", "1", "--timeout-ms", "400"], &[]);
    let mut held = stall(queued.port);
    // This client keeps trickling (a byte every 100 ms, for 1.2 s): it keeps its slot all that time.
    let trickle = std::thread::spawn(move || {
        for _ in 0..12 {
            let _ = held.write_all(b" ");
            std::thread::sleep(Duration::from_millis(100));
        }
        held
    });
    let started = std::time::Instant::now();
    let late = post_json(queued.port, "/v1/classify", &serde_json::json!({ "text": fixture("cto.txt") }));
    assert_eq!(late.status, 503);
    assert!(started.elapsed() >= Duration::from_millis(350), "it waited for a slot first");
    // When it stops sending, it gives its slot up after the timeout: then the next request is served.
    let _held = trickle.join().unwrap();
    std::thread::sleep(Duration::from_millis(600));
    let served = post_json(queued.port, "/v1/classify", &serde_json::json!({ "text": fixture("cto.txt") }));
    assert_eq!(served.status, 200, "{}", served.text());
}

#[test]
fn sigterm_stops_the_server_gracefully() {
    let mut srv = start(&[], &[]);
    assert_eq!(request(srv.port, "GET", "/healthz", None, b"").status, 200);
    let pid = srv.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let mut waited = 0;
    let status = loop {
        if let Some(s) = srv.child.try_wait().unwrap() {
            break s;
        }
        assert!(waited < 100, "the server did not stop within 10 s");
        std::thread::sleep(Duration::from_millis(100));
        waited += 1;
    };
    assert_eq!(status.code(), Some(0));
}
