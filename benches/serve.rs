//! Load run for `rolecall serve`: `cargo bench --bench serve` (set `ROLECALL_BENCH_SECS`, default 5 per level).
//!
//! Starts the release binary on a free loopback port and sends `POST /v1/classify` requests with the project's own
//! ads (`fixtures/bench/` and `fixtures/postings/`, our own words, one chosen in turn per request) from 1, 8 and 64
//! concurrent clients, each on one keep-alive connection. Prints requests/s, p50 and p99 latency per level, and the
//! server's peak RSS (`VmHWM`). Loopback only; nothing is sent elsewhere.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn ads() -> Vec<String> {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["fixtures/bench", "fixtures/postings"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir)).unwrap().flatten().map(|e| e.path()).collect();
        files.sort();
        for f in files.into_iter().filter(|f| f.extension().is_some_and(|e| e == "txt")) {
            let text = std::fs::read_to_string(f).unwrap();
            out.push(serde_json::json!({ "text": text }).to_string());
        }
    }
    out
}

/// One request on a keep-alive connection; the answer's status (the body is read and dropped).
fn roundtrip(conn: &mut BufReader<TcpStream>, body: &str) -> u16 {
    let head = format!(
        "POST /v1/classify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let s = conn.get_mut();
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body.as_bytes()).unwrap();
    let mut line = String::new();
    conn.read_line(&mut line).unwrap();
    let status = line.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut length = 0usize;
    loop {
        line.clear();
        conn.read_line(&mut line).unwrap();
        if line == "\r\n" {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap();
        }
    }
    let mut sink = vec![0; length];
    conn.read_exact(&mut sink).unwrap();
    status
}

fn main() {
    let secs: u64 = std::env::var("ROLECALL_BENCH_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let mut child = Command::new(env!("CARGO_BIN_EXE_rolecall"))
        .args(["serve", "--addr", "127.0.0.1:0", "--quiet"])
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let port: u16 = line.split("127.0.0.1:").nth(1).and_then(|r| r.split('/').next()).unwrap().parse().unwrap();
    let ads = std::sync::Arc::new(ads());
    let bytes: usize = ads.iter().map(|a| a.len()).sum::<usize>() / ads.len();
    println!(
        "rolecall serve load run: POST /v1/classify, {} ads of {} bytes on average, {secs} s per level",
        ads.len(),
        bytes
    );
    println!("{:>8} {:>10} {:>9} {:>9} {:>8}", "clients", "req/s", "p50 ms", "p99 ms", "non-200");
    for clients in [1usize, 8, 64] {
        let deadline = Instant::now() + Duration::from_secs(secs);
        let handles: Vec<_> = (0..clients)
            .map(|c| {
                let ads = ads.clone();
                std::thread::spawn(move || {
                    let mut conn = BufReader::new(TcpStream::connect(("127.0.0.1", port)).unwrap());
                    conn.get_mut().set_nodelay(true).unwrap();
                    let (mut lat, mut bad, mut i) = (Vec::new(), 0u64, c);
                    while Instant::now() < deadline {
                        let t = Instant::now();
                        if roundtrip(&mut conn, &ads[i % ads.len()]) != 200 {
                            bad += 1;
                        }
                        lat.push(t.elapsed());
                        i += 1;
                    }
                    (lat, bad)
                })
            })
            .collect();
        let mut all = Vec::new();
        let mut bad = 0;
        for h in handles {
            let (l, b) = h.join().unwrap();
            all.extend(l);
            bad += b;
        }
        all.sort();
        let q = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)].as_secs_f64() * 1000.0;
        println!("{clients:>8} {:>10.0} {:>9.2} {:>9.2} {bad:>8}", all.len() as f64 / secs as f64, q(0.50), q(0.99));
    }
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
    let hwm = status.lines().find(|l| l.starts_with("VmHWM")).unwrap_or("VmHWM: ? kB").to_string();
    println!("server peak RSS: {}", hwm.trim_start_matches("VmHWM:").trim());
    let _ = child.kill();
    let _ = child.wait();
}
