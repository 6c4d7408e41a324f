//! CSV printer: one row per posting with the verdict and a compact evidence column.
//!
//! Columns: `source,role,family,status,score,confidence,runner_up,runner_up_score,evidence,title,title_role,rules`,
//! where `evidence` lists the reported role's best phrases separated by `; `, `title` is the title given (or, for
//! `classify`, the posting's first line when it reads as one) and `title_role` is the role the title names (empty
//! without a title or when it names none; it never changes the verdict).

use super::{Printer, Report};
use std::io::{self, Write};

/// The verdict columns every CSV output shares (after its own leading columns).
pub const VERDICT_COLUMNS: [&str; 11] = [
    "role",
    "family",
    "status",
    "score",
    "confidence",
    "runner_up",
    "runner_up_score",
    "evidence",
    "title",
    "title_role",
    "rules",
];

/// How many phrases the compact evidence column holds.
pub const EVIDENCE_PHRASES: usize = 5;

/// Writes a header, then one row per report.
#[derive(Debug)]
pub struct CsvPrinter<W: Write> {
    out: csv::Writer<W>,
    header: bool,
}

impl<W: Write> CsvPrinter<W> {
    /// A printer writing to `out`.
    pub fn new(out: W) -> Self {
        CsvPrinter { out: csv::Writer::from_writer(out), header: false }
    }
}

fn csv_err(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

impl<W: Write> Printer for CsvPrinter<W> {
    fn print(&mut self, r: &Report<'_>) -> io::Result<()> {
        if !self.header {
            self.header = true;
            self.out.write_record(std::iter::once("source").chain(VERDICT_COLUMNS)).map_err(csv_err)?;
        }
        let (ru, rus) =
            r.runners_up.first().map_or((String::new(), String::new()), |x| (x.role.to_string(), x.score.to_string()));
        self.out
            .write_record([
                r.source,
                r.role,
                r.family,
                r.status.as_str(),
                &r.score.to_string(),
                &r.confidence.to_string(),
                &ru,
                &rus,
                &r.top_phrases(EVIDENCE_PHRASES).join("; "),
                r.title.unwrap_or(""),
                r.title_role().unwrap_or(""),
                r.rules,
            ])
            .map_err(csv_err)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
