//! JSON Lines printer: one `Report` object per line (schema in `report/mod.rs`).

use super::{Printer, Report};
use std::io::{self, Write};

/// Writes each report as one line of JSON.
#[derive(Debug)]
pub struct JsonPrinter<W: Write> {
    out: W,
}

impl<W: Write> JsonPrinter<W> {
    /// A printer writing to `out`.
    pub fn new(out: W) -> Self {
        JsonPrinter { out }
    }
}

impl<W: Write> Printer for JsonPrinter<W> {
    fn print(&mut self, report: &Report<'_>) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, report).map_err(io::Error::other)?;
        self.out.write_all(b"\n")
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
