//! Batch throughput benchmark: `cargo bench --bench batch` (set `ROLECALL_BENCH_MB`, default 200, and
//! `ROLECALL_BENCH_RUNS`, default 3: rounds of every measurement, interleaved; figures are medians over the rounds,
//! ratios the medians of the ratios within a round, peak RSS the largest).
//!
//! Generates its own corpus from the project's fixture postings (`fixtures/postings/` and the full-length ads of
//! `fixtures/bench/`, our own words, repeated and shuffled into a CSV of at least `ROLECALL_BENCH_MB` MB in
//! `target/`), then prints, on the same bytes in one run:
//! 1. the raw scan: the compiled automaton alone over every posting's text (lower-cased ahead of time, no CSV, no
//!    normalisation, no scoring), one thread;
//!    The "floor" line is what any batch run costs before it looks at a single match: the CSV read, each
//!    description normalised, and the bare automaton over it (in process, one thread);
//! 2. `rolecall batch` end to end at `-j 1` and `-j 2`: MB/s, postings/s and peak RSS (from `/usr/bin/time -v`);
//! 3. `rolecall drift` (title read + responsibility-only scoring + aggregate) at `-j 1` and `-j 2`, the same way.
//!
//! Each posting is given a title from the pack's title examples, so both runs read titles.
//!
//! `ROLECALL_BENCH_BASELINE=path/to/an/older/rolecall` adds that binary's `batch -j 1` and `drift -j 1` to every
//! round, on the same corpus, and prints this build's speed relative to it: how a change is compared with the
//! binary it replaces, in one run (the VM's speed drifts between runs). Both binaries run from fresh copies in
//! `target/`, so that their peak RSS compares alike.
//!
//! `ROLECALL_BENCH_CORPUS=examples` adds the pack's rule examples to the corpus: one- or two-sentence texts written
//! to hold evidence, about twice as many automaton matches per byte as a posting (the raw scan line prints
//! "one match per N bytes": the density drives the cost of everything after the automaton).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

fn main() {
    let mb: usize = std::env::var("ROLECALL_BENCH_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let runs: usize = std::env::var("ROLECALL_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(3).max(1);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let rules = rolecall::default_rules().expect("default pack");

    // Corpus: fixture postings (and, if asked, rule examples), shuffled with a fixed-seed generator.
    let mut texts: Vec<String> = ["fixtures/postings", "fixtures/bench"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(root.join(dir)).expect("fixtures"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| std::fs::read_to_string(p).expect("fixture"))
        .collect();
    if std::env::var("ROLECALL_BENCH_CORPUS").is_ok_and(|v| v == "examples") {
        texts.extend(rules.examples().iter().map(|e| e.text.clone()));
    }
    texts.sort();
    let corpus = root.join("target/bench-corpus.csv");
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let titles: Vec<String> = rules.title_examples().iter().map(|t| t.title.clone()).collect();
    let mut bodies: Vec<&str> = Vec::new();
    {
        let mut w = csv::Writer::from_path(&corpus).expect("corpus file");
        w.write_record(["id", "title", "description"]).unwrap();
        let (mut bytes, mut n) = (0usize, 0u64);
        while bytes < mb << 20 {
            let t = &texts[(next() % texts.len() as u64) as usize];
            n += 1;
            let title = &titles[(next() % titles.len() as u64) as usize];
            w.write_record([n.to_string().as_str(), title.as_str(), t.as_str()]).unwrap();
            bytes += t.len() + 16;
            bodies.push(t);
        }
        w.flush().unwrap();
    }
    let file_bytes = std::fs::metadata(&corpus).unwrap().len() as f64;
    let text_bytes: usize = bodies.iter().map(|b| b.len()).sum();
    println!(
        "corpus: {} postings, {:.0} MB of CSV, {:.0} MB of posting text",
        bodies.len(),
        file_bytes / 1e6,
        text_bytes as f64 / 1e6
    );

    // The raw scan reads the same posting texts, lower-cased ahead of time.
    let lowered: Vec<String> = texts.iter().map(|t| t.to_ascii_lowercase()).collect();
    let index: std::collections::HashMap<&str, usize> =
        texts.iter().enumerate().map(|(i, t)| (t.as_str(), i)).collect();
    let order: Vec<usize> = bodies.iter().map(|b| index[b]).collect();
    // Rounds interleave every measurement (raw scan, then each run), so a slow spell of this shared VM hits all of
    // them alike; the ratios are the medians of the ratios within one round.
    //
    // Both binaries run from fresh copies. A binary's own pages count in its peak RSS by how much of its file the
    // page cache holds (the kernel maps cached neighbours of each page it faults in): a file written a minute ago
    // reads several hundred KiB higher than the same bytes in an old file. Copied side by side, both start alike.
    let fresh = |from: &str, name: &str| {
        let to = root.join("target").join(name);
        std::fs::copy(from, &to).unwrap_or_else(|e| panic!("copy {from} to {}: {e}", to.display()));
        to.to_string_lossy().into_owned()
    };
    let bin = fresh(env!("CARGO_BIN_EXE_rolecall"), "bench-rolecall");
    let bin = bin.as_str();
    let baseline = std::env::var("ROLECALL_BENCH_BASELINE")
        .ok()
        .filter(|b| !b.is_empty())
        .map(|b| fresh(&b, "bench-rolecall-baseline"));
    // (label, binary, verb, threads, index of the run it is compared with)
    let mut runs_of: Vec<(String, &str, &str, usize, Option<usize>)> = vec![
        ("rolecall batch -j 1".into(), bin, "batch", 1, None),
        ("rolecall batch -j 2".into(), bin, "batch", 2, Some(0)),
        ("rolecall drift -j 1".into(), bin, "drift", 1, None),
        ("rolecall drift -j 2".into(), bin, "drift", 2, Some(2)),
    ];
    if let Some(b) = &baseline {
        runs_of.push(("baseline batch -j 1".into(), b.as_str(), "batch", 1, Some(0)));
        runs_of.push(("baseline drift -j 1".into(), b.as_str(), "drift", 1, Some(2)));
    }
    let (mut raw_secs, mut floor_secs) = (Vec::new(), Vec::new());
    let mut secs = vec![Vec::new(); runs_of.len()];
    let mut rss_kb = vec![0.0f64; runs_of.len()];
    let mut matches = 0usize;
    for _ in 0..runs {
        let start = Instant::now();
        matches = 0;
        for &i in &order {
            matches += rules.raw_scan(lowered[i].as_bytes());
        }
        raw_secs.push(start.elapsed().as_secs_f64());
        // The floor of any batch run: the CSV read, each description normalised, the bare automaton over it, and
        // nothing else (no boundary check, regex, cue, score, title or output).
        let start = Instant::now();
        let mut rdr = csv::Reader::from_path(&corpus).expect("corpus");
        let (mut record, mut norm) = (csv::ByteRecord::new(), rolecall::posting::Normalized::default());
        while rdr.read_byte_record(&mut record).expect("corpus record") {
            norm.build(std::str::from_utf8(&record[2]).expect("UTF-8 corpus"));
            std::hint::black_box(rules.raw_scan(norm.text.as_bytes()));
        }
        floor_secs.push(start.elapsed().as_secs_f64());
        for (k, &(_, exe, verb, j, _)) in runs_of.iter().enumerate() {
            let threads = j.to_string();
            let mut args = vec!["-v", exe, verb, corpus.to_str().unwrap(), "--quiet", "-j", &threads];
            if verb == "drift" {
                // The per-posting rows are written too, as `batch` writes its rows.
                args.extend(["--format", "csv"]);
            }
            let start = Instant::now();
            let out = Command::new("/usr/bin/time")
                .args(&args)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .output()
                .expect("run /usr/bin/time (apt-get install time)");
            secs[k].push(start.elapsed().as_secs_f64());
            let stderr = String::from_utf8_lossy(&out.stderr);
            let kb = stderr
                .lines()
                .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes): "))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(f64::NAN);
            rss_kb[k] = rss_kb[k].max(kb);
        }
    }
    let raw = text_bytes as f64 / median(&raw_secs) / 1e6;
    println!(
        "{:<28} {:>9.1} MB/s  ({} matches, one per {:.0} bytes)",
        "raw scan (1 thread)",
        raw,
        matches,
        text_bytes as f64 / matches.max(1) as f64
    );
    let vs_raw: Vec<f64> = raw_secs.iter().zip(&floor_secs).map(|(r, f)| r / f).collect();
    println!(
        "{:<28} {:>9.1} MB/s  ({:.2}x raw scan: CSV read + normalise + bare automaton, no evidence work)",
        "floor (1 thread)",
        text_bytes as f64 / median(&floor_secs) / 1e6,
        median(&vs_raw)
    );
    for (k, (label, exe, _, _, against)) in runs_of.iter().enumerate() {
        let t = median(&secs[k]);
        let vs_raw: Vec<f64> = raw_secs.iter().zip(&secs[k]).map(|(r, e)| r / e).collect();
        let vs_one = match against {
            None => String::new(),
            Some(o) => {
                let ratio: Vec<f64> = secs[*o].iter().zip(&secs[k]).map(|(a, b)| a / b).collect();
                if *exe == bin {
                    format!(", {:.2}x -j 1", median(&ratio))
                } else {
                    // Seconds of the baseline over this build's: this build's speed relative to the baseline.
                    let inverse: Vec<f64> = ratio.iter().map(|r| 1.0 / r).collect();
                    format!("; this build runs at {:.2}x its speed", median(&inverse))
                }
            }
        };
        println!(
            "{:<28} {:>9.1} MB/s  {:>9.0} postings/s  peak RSS {:>6.1} MiB  ({:.2}x raw scan{})",
            label,
            text_bytes as f64 / t / 1e6,
            bodies.len() as f64 / t,
            rss_kb[k] / 1024.0,
            median(&vs_raw),
            vs_one
        );
    }
    let _ = std::io::stdout().flush();
}

/// The median of `values` (this shared VM varies by ±15% from run to run: one run of each is not a measurement).
fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
