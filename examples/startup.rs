//! Times the stages of compiling the default pack: `cargo run --release --example startup`.
use std::time::Instant;
fn main() {
    let t = Instant::now();
    let sources = rolecall::rulefile::embedded();
    let t1 = t.elapsed();
    for s in &sources {
        let _ = rolecall::rulefile::parse(s);
    }
    let t2 = t.elapsed();
    let c = rolecall::compile(&sources).unwrap();
    let t3 = t.elapsed();
    let r = &c.rules;
    let t4 = Instant::now();
    let mut n = 0;
    for s in &sources {
        if let Ok(rolecall::rulefile::ParsedFile::Role(role)) = rolecall::rulefile::parse(s) {
            for a in &role.areas {
                for p in &a.patterns {
                    n += 1;
                    let _ = regex::Regex::new(&format!("^(?:{})", p.get_ref())).unwrap();
                }
            }
        }
    }
    println!("{} regexes built in {:?}", n, t4.elapsed());
    let t5 = Instant::now();
    let _ = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build((0..5400).map(|i| format!("phrase number {i} x")));
    println!("ac 5400 synthetic {:?}", t5.elapsed());
    println!(
        "sources {:?} parse {:?} compile(all) {:?}; literals {} phrases {} regexes {}",
        t1,
        t2 - t1,
        t3 - t2,
        r.literal_count(),
        r.phrase_count(),
        r.regex_count()
    );
}

#[allow(dead_code)]
fn regex_cost() {}
