//! A reader's judgements of title drift, and how a drift run agrees with them (`rolecall drift --judged FILE`).
//!
//! A team that wants to know how far to trust the drift flags on its own postings has a person read a sample (title
//! and body, never rolecall's verdict) and write one verdict per posting: `drift` (the body describes another job),
//! `fits` (the title is a fair name for the body) or `unclear` (no role in the title, or a body too thin to tell).
//! A drift run with those judgements tallies its classes against them:
//! - **precision**: of the flagged postings (`near`, `far`) that were judged `drift` or `fits`, the share judged
//!   `drift` (flags judged `unclear` are reported apart);
//! - **recall**: of the postings judged `drift`, the share flagged;
//! - the disagreements by id, in input order: flags judged `fits` (false alarms) and judged drifts not flagged
//!   (misses), with what the run read.
//!
//! The judgements file is CSV with a header holding an `id` column (matched with the run's record ids) and a
//! `verdict` column (`drift`, `fits` or `unclear`, any case); other columns are ignored. A duplicate id, an
//! unknown verdict or a missing column is an error naming the record.
//!
//! [`JudgedTally`] serialises (in the drift summary's JSON, field `judged`) as:
//!
//! | field | type | meaning |
//! |---|---|---|
//! | `judged` | number | judgements in the file |
//! | `matched` | number | of them, postings the run classified (an id absent from the input, or an error record, is not) |
//! | `table` | object | `{flagged, none, unknown}`, each `{drift, fits, unclear}`: postings by drift class and verdict |
//! | `precision` | number or null | flags judged drift / flags judged drift or fits |
//! | `recall` | number or null | judged drifts flagged / judged drifts |
//! | `false_alarms` | array | for flags judged `fits` (the first [`LISTED`]), what the run read: the drift facts of the summary's `top` (`record, id, title, stated, body, drift, strength, why, ...`), evidence left empty |
//! | `missed` | array | the same for postings judged `drift` and not flagged (the first [`LISTED`]) |

use crate::aggregate::DriftFacts;
use crate::drift::Drift;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Read;

/// How many false alarms and misses a tally lists (the earliest records; all are counted).
pub const LISTED: usize = 50;

/// A reader's verdict on one posting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The body describes another job than the title names.
    Drift,
    /// The title is a fair name for the body.
    Fits,
    /// No role in the title, or a body too thin to tell.
    Unclear,
}

impl Verdict {
    fn parse(s: &str) -> Option<Verdict> {
        match s.trim().to_ascii_lowercase().as_str() {
            "drift" => Some(Verdict::Drift),
            "fits" | "fit" => Some(Verdict::Fits),
            "unclear" => Some(Verdict::Unclear),
            _ => None,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Judgements by record id.
#[derive(Debug, Clone, Default)]
pub struct Judgements {
    by_id: HashMap<String, Verdict>,
}

impl Judgements {
    /// Reads a judgements CSV (see the module docs). The error names the record (1-based, after the header).
    pub fn from_csv<R: Read>(input: R) -> Result<Judgements, String> {
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(input);
        let header = rdr.headers().map_err(|e| format!("cannot read the header: {e}"))?.clone();
        let column = |name: &str| {
            header.iter().position(|h| h.trim().trim_start_matches('\u{feff}').eq_ignore_ascii_case(name)).ok_or_else(
                || {
                    format!(
                        "no `{name}` column in the header (it has: {})",
                        header.iter().collect::<Vec<_>>().join(", ")
                    )
                },
            )
        };
        let (id_col, verdict_col) = (column("id")?, column("verdict")?);
        let mut by_id = HashMap::new();
        for (n, record) in rdr.records().enumerate() {
            let n = n + 1;
            let record = record.map_err(|e| format!("record {n}: {e}"))?;
            let id = record.get(id_col).map(str::trim).unwrap_or("");
            if id.is_empty() {
                return Err(format!("record {n}: the id is empty"));
            }
            let raw = record.get(verdict_col).unwrap_or("");
            let verdict = Verdict::parse(raw)
                .ok_or_else(|| format!("record {n} (id {id}): verdict `{raw}` is not drift, fits or unclear"))?;
            if by_id.insert(id.to_string(), verdict).is_some() {
                return Err(format!("record {n}: id {id} is judged twice"));
            }
        }
        Ok(Judgements { by_id })
    }

    /// The verdict on record `id`, if judged.
    pub fn get(&self, id: &str) -> Option<Verdict> {
        self.by_id.get(id).copied()
    }

    /// How many postings are judged.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether no posting is judged.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

/// Postings by drift class (flagged, none, unknown) and verdict (drift, fits, unclear).
pub type Table = [[u64; 3]; 3];

/// How a drift run agrees with a reader's judgements (see the module docs).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JudgedTally {
    /// Judgements in the file.
    pub judged: u64,
    /// Postings by drift class and verdict (rows: flagged, none, unknown; columns: drift, fits, unclear).
    pub table: Table,
    /// Flags judged `fits`, the earliest [`LISTED`].
    pub false_alarms: Vec<DriftFacts>,
    /// Postings judged `drift` and not flagged, the earliest [`LISTED`].
    pub missed: Vec<DriftFacts>,
}

impl JudgedTally {
    /// An empty tally for a file of `judged` judgements.
    pub fn new(judged: usize) -> Self {
        JudgedTally { judged: judged as u64, ..Default::default() }
    }

    /// Tallies one posting (what the run read of it; its evidence is not listed) that the reader judged `verdict`.
    pub fn add(&mut self, verdict: Verdict, posting: DriftFacts) {
        let row = match posting.drift {
            Drift::Near | Drift::Far => 0,
            Drift::None => 1,
            Drift::Unknown => 2,
        };
        self.table[row][verdict.index()] += 1;
        let list = match (row, verdict) {
            (0, Verdict::Fits) => &mut self.false_alarms,
            (1 | 2, Verdict::Drift) => &mut self.missed,
            _ => return,
        };
        list.push(posting);
        keep_earliest(list);
    }

    /// Adds another tally of the same run (another thread's): the same result in any order.
    pub fn merge(&mut self, other: JudgedTally) {
        for (row, o) in self.table.iter_mut().zip(other.table) {
            for (n, m) in row.iter_mut().zip(o) {
                *n += m;
            }
        }
        self.false_alarms.extend(other.false_alarms);
        keep_earliest(&mut self.false_alarms);
        self.missed.extend(other.missed);
        keep_earliest(&mut self.missed);
    }

    /// Judged postings the run classified.
    pub fn matched(&self) -> u64 {
        self.table.iter().flatten().sum()
    }

    /// Flags judged drift over flags judged drift or fits (`None` without such flags).
    pub fn precision(&self) -> Option<f64> {
        let [drift, fits, _] = self.table[0];
        (drift + fits > 0).then(|| drift as f64 / (drift + fits) as f64)
    }

    /// Judged drifts flagged over judged drifts (`None` without judged drifts).
    pub fn recall(&self) -> Option<f64> {
        let judged: u64 = self.table.iter().map(|r| r[Verdict::Drift.index()]).sum();
        (judged > 0).then(|| self.table[0][Verdict::Drift.index()] as f64 / judged as f64)
    }
}

/// Sorts by record and keeps the first [`LISTED`].
fn keep_earliest(list: &mut Vec<DriftFacts>) {
    list.sort_by_key(|d| d.record);
    list.truncate(LISTED);
}

/// The serialised tally (schema in the module docs).
#[derive(Debug, Serialize)]
pub struct TallyJson<'a> {
    judged: u64,
    matched: u64,
    table: TableJson,
    precision: Option<f64>,
    recall: Option<f64>,
    false_alarms: &'a [DriftFacts],
    missed: &'a [DriftFacts],
}

#[derive(Debug, Serialize)]
struct RowJson {
    drift: u64,
    fits: u64,
    unclear: u64,
}

#[derive(Debug, Serialize)]
struct TableJson {
    flagged: RowJson,
    none: RowJson,
    unknown: RowJson,
}

impl JudgedTally {
    /// The tally as serialised.
    pub fn json(&self) -> TallyJson<'_> {
        let row = |r: [u64; 3]| RowJson { drift: r[0], fits: r[1], unclear: r[2] };
        TallyJson {
            judged: self.judged,
            matched: self.matched(),
            table: TableJson { flagged: row(self.table[0]), none: row(self.table[1]), unknown: row(self.table[2]) },
            precision: self.precision(),
            recall: self.recall(),
            false_alarms: &self.false_alarms,
            missed: &self.missed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drift::Why;

    fn facts(record: u64, drift: Drift) -> DriftFacts {
        DriftFacts {
            record,
            id: format!("p{record}"),
            title: "Product Owner".into(),
            stated: Some("product-owner".into()),
            body: "product-manager".into(),
            drift,
            strength: None,
            why: if drift.drifted() { Why::Drifted } else { Why::SameRole },
            body_score: 4.0,
            group: None,
            date: None,
            body_evidence: Vec::new(),
            stated_evidence: Vec::new(),
            names: Vec::new(),
            excerpts: Vec::new(),
        }
    }

    #[test]
    fn judgements_read_with_their_errors_placed() {
        let j =
            Judgements::from_csv("title,id,verdict,why\nPO,a1,Drift,x\nPM,a2, fits ,y\nTL,a3,unclear,\n".as_bytes())
                .unwrap();
        assert_eq!(
            (j.len(), j.get("a1"), j.get("a2"), j.get("a3"), j.get("zz")),
            (3, Some(Verdict::Drift), Some(Verdict::Fits), Some(Verdict::Unclear), None)
        );
        let err = |csv: &str| Judgements::from_csv(csv.as_bytes()).unwrap_err();
        assert!(err("id,judgement\na,drift\n").contains("no `verdict` column"), "{}", err("id,judgement\na,drift\n"));
        assert!(err("id,verdict\na,drift\nb,maybe\n").starts_with("record 2 (id b): verdict `maybe`"));
        assert!(err("id,verdict\na,drift\na,fits\n").contains("record 2: id a is judged twice"));
        assert!(err("id,verdict\n,drift\n").contains("record 1: the id is empty"));
    }

    #[test]
    fn precision_recall_and_disagreements() {
        let mut t = JudgedTally::new(6);
        t.add(Verdict::Drift, facts(1, Drift::Far)); // a real flag
        t.add(Verdict::Fits, facts(2, Drift::Near)); // a false alarm
        t.add(Verdict::Unclear, facts(3, Drift::Near)); // a flag the reader could not judge
        t.add(Verdict::Drift, facts(4, Drift::None)); // a miss
        t.add(Verdict::Fits, facts(5, Drift::None));
        t.add(Verdict::Drift, facts(6, Drift::Unknown)); // a miss too
        assert_eq!(t.table, [[1, 1, 1], [1, 1, 0], [1, 0, 0]]);
        assert_eq!(t.matched(), 6);
        assert_eq!(t.precision(), Some(0.5));
        assert_eq!(t.recall(), Some(1.0 / 3.0));
        assert_eq!(t.false_alarms.iter().map(|d| d.record).collect::<Vec<_>>(), [2]);
        assert_eq!(t.missed.iter().map(|d| d.record).collect::<Vec<_>>(), [4, 6]);
        // No flag judged drift or fits, no judged drift: no rate rather than a made-up one.
        assert_eq!((JudgedTally::new(0).precision(), JudgedTally::new(0).recall()), (None, None));
    }

    #[test]
    fn merging_in_any_order_gives_one_tally() {
        let mut parts: Vec<JudgedTally> = (0..3).map(|_| JudgedTally::new(200)).collect();
        for r in 1..=180u64 {
            let (verdict, drift) = if r % 2 == 0 { (Verdict::Fits, Drift::Far) } else { (Verdict::Drift, Drift::None) };
            parts[(r % 3) as usize].add(verdict, facts(r, drift));
        }
        let mut a = JudgedTally::new(200);
        for p in parts.iter().cloned() {
            a.merge(p);
        }
        let mut b = JudgedTally::new(200);
        for p in parts.into_iter().rev() {
            b.merge(p);
        }
        assert_eq!(a, b);
        assert_eq!(a.matched(), 180);
        // The earliest records are listed, however the parts arrived.
        assert_eq!(a.false_alarms.len(), LISTED);
        assert_eq!(a.false_alarms.first().map(|d| d.record), Some(2));
        assert_eq!(a.missed.last().map(|d| d.record), Some(2 * LISTED as u64 - 1));
    }
}
