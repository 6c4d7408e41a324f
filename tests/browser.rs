//! End to end in a real browser: headless Chromium (driven over the DevTools protocol) loads the page from a
//! running `rolecall serve`, pastes a fixture ad, submits, and the verdict and highlighted evidence appear in the DOM
//! without a page reload (the script's path). A screenshot is saved to `target/serve-page.png`.
//!
//! Needs `chromium` on the PATH (Debian's package; `.ci/run` installs it and sets `ROLECALL_REQUIRE_BROWSER=1`, so
//! in CI a missing browser fails the test instead of skipping it).
#![cfg(feature = "serve")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The first stderr line of `child` that contains `marker`, the rest drained in the background.
fn line_with(child: &mut Child, marker: &str) -> String {
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        if err.read_line(&mut line).unwrap() == 0 {
            panic!("the process ended before printing {marker:?}");
        }
        if line.contains(marker) {
            break;
        }
    }
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = err.read_to_end(&mut sink);
    });
    line
}

/// A GET answered with a Content-Length body (Chromium's DevTools server keeps the connection open).
fn http_get(port: u16, path: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").unwrap();
    let mut r = BufReader::new(s);
    let mut line = String::new();
    let mut length = 0;
    loop {
        line.clear();
        r.read_line(&mut line).unwrap();
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    r.read_exact(&mut body).unwrap();
    String::from_utf8(body).unwrap()
}

/// A DevTools protocol session on one page.
struct Page {
    ws: tungstenite::WebSocket<TcpStream>,
    next: u64,
}

impl Page {
    fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.next += 1;
        let id = self.next;
        let msg = serde_json::json!({ "id": id, "method": method, "params": params });
        self.ws.send(tungstenite::Message::text(msg.to_string())).unwrap();
        loop {
            let m = self.ws.read().unwrap();
            let Ok(text) = m.to_text() else { continue };
            let v: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
            if v["id"].as_u64() == Some(id) {
                assert!(v["error"].is_null(), "{method}: {v}");
                return v["result"].clone();
            }
        }
    }

    /// Evaluates `js` in the page and returns its value.
    fn eval(&mut self, js: &str) -> serde_json::Value {
        let r = self.call("Runtime.evaluate", serde_json::json!({ "expression": js, "returnByValue": true }));
        assert!(r["exceptionDetails"].is_null(), "{js}: {r}");
        r["result"]["value"].clone()
    }

    /// Waits until `js` is truthy.
    fn wait_for(&mut self, js: &str) {
        let started = Instant::now();
        while !self.eval(js).as_bool().unwrap_or(false) {
            assert!(started.elapsed() < Duration::from_secs(20), "timed out waiting for {js}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn the_page_classifies_a_pasted_ad_in_headless_chromium() {
    let Some(chromium) = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|b| Command::new(b).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok())
    else {
        assert!(std::env::var_os("ROLECALL_REQUIRE_BROWSER").is_none(), "chromium is required but not installed");
        eprintln!("skipped: no chromium on the PATH (CI installs it)");
        return;
    };

    let mut server = Command::new(env!("CARGO_BIN_EXE_rolecall"))
        .args(["serve", "--addr", "127.0.0.1:0", "--quiet"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let line = line_with(&mut server, "serving http://");
    let _server = Killed(server);
    let url = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap().to_string();

    let profile = std::env::temp_dir().join(format!("rolecall-chromium-{}", std::process::id()));
    let mut browser = Command::new(chromium)
        .args(["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"])
        .args(["--remote-debugging-port=0", "--window-size=1200,1600"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("about:blank")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let line = line_with(&mut browser, "DevTools listening on ws://");
    let _browser = Killed(browser);
    let port: u16 = line.split("127.0.0.1:").nth(1).and_then(|r| r.split('/').next()).unwrap().parse().unwrap();
    let targets: serde_json::Value = serde_json::from_str(&http_get(port, "/json/list")).unwrap();
    let ws_url = targets
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["type"] == "page")
        .and_then(|t| t["webSocketDebuggerUrl"].as_str())
        .expect("a page target")
        .to_string();
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let (ws, _) = tungstenite::client(ws_url.as_str(), stream).unwrap();
    let mut page = Page { ws, next: 0 };

    page.call("Page.enable", serde_json::json!({}));
    page.call("Page.navigate", serde_json::json!({ "url": url }));
    page.wait_for("document.readyState === 'complete' && !!document.getElementById('ad-form')");
    // A mark on the window: it survives only if the result comes in without a reload (the script's path).
    page.eval("window.__rolecall_test = 1; true");
    let ad = std::fs::read_to_string(format!(
        "{}/fixtures/postings/technical-product-owner.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let paste = format!("document.getElementById('text').value = {}; true", serde_json::Value::from(ad));
    page.eval(&paste);
    page.eval("document.querySelector('#ad-form button[type=submit]').click(); true");
    page.wait_for("!!document.querySelector('#result h2')");

    let verdict = page.eval("document.querySelector('#result h2').textContent");
    assert_eq!(verdict, "Technical Product Owner");
    let counted = page.eval("document.querySelectorAll('#result .ad mark.counted').length").as_u64().unwrap();
    assert!(counted >= 3, "{counted} highlighted spans");
    let tip = page.eval("document.querySelector('#result .ad mark.counted').getAttribute('title')");
    assert!(
        tip.as_str().unwrap().contains("technical-product-owner") || tip.as_str().unwrap().contains("product-owner")
    );
    let first = page.eval("document.querySelector('#result .ad mark.counted').textContent");
    assert!(!first.as_str().unwrap().is_empty());
    assert_eq!(page.eval("window.__rolecall_test === 1"), true, "no page reload");
    assert_eq!(
        page.eval("document.activeElement && document.activeElement.tagName"),
        "H2",
        "focus moves to the verdict"
    );
    let areas = page.eval("document.querySelectorAll('#result table.areas tbody tr').length").as_u64().unwrap();
    assert!(areas >= 4, "the area chart has rows");

    let shot =
        page.call("Page.captureScreenshot", serde_json::json!({ "format": "png", "captureBeyondViewport": true }));
    let png = base64_decode(shot["data"].as_str().unwrap());
    assert!(png.starts_with(b"\x89PNG"));
    let out = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/serve-page.png");
    std::fs::write(&out, png).unwrap();
    let _ = std::fs::remove_dir_all(&profile);
}

/// Standard base64 (the screenshot's encoding).
fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => 0,
    };
    let bytes: Vec<u8> = s.bytes().filter(|&c| c != b'=' && !c.is_ascii_whitespace()).collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &c)| acc | (u32::from(val(c)) << (18 - 6 * i)));
        out.push((n >> 16) as u8);
        if chunk.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if chunk.len() > 3 {
            out.push(n as u8);
        }
    }
    out
}
