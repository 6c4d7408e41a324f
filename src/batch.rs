//! Batch scoring: records in (CSV or JSON Lines, streamed) → chunks → parallel classification → rows out, in input
//! order, byte-identical for any thread count; every record yields exactly one result row or one error record.
//!
//! [`Batch::run`] reads a chunk of records, classifies it on `threads` scanners (one per thread, sharing the rule
//! set), renders each result to bytes in the worker, and hands the chunk back in order. Memory is bounded by the
//! chunk size, whatever the input size. Malformed records (wrong field count, broken quoting, invalid UTF-8, empty
//! text, a field over the size limit, invalid JSON) become [`RecordError`]s with record number, line and byte
//! offset; the run goes on. The library does not print: the caller passes writers and gets a [`Summary`].

use crate::aggregate::{DriftFacts, DriftSummary, MarkKind, Period};
use crate::drift::DriftReport;
use crate::posting::Posting;
use crate::report::{round4, Report};
use crate::ruleset::RuleSet;
use crate::scan::HitKind;
use crate::Session;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, BufRead, Read, Write};

/// Records classified per chunk (bounded memory; enough work per thread).
const CHUNK: usize = 512;

/// A chunk also ends once it holds this many input bytes, so long postings cannot make a chunk large: memory stays
/// within two chunks (the one being classified and the one being read) whatever the records look like.
const CHUNK_BYTES: u64 = 4 << 20;

/// With one worker, chunks are this many records (and an eighth of [`CHUNK_BYTES`], about the bytes of 128
/// postings): the reading thread classifies them itself, so larger chunks would only hold more input and output
/// in memory at once.
const ONE_LANE_CHUNK: usize = 128;

/// Postings read ahead together by [`crate::scan::Scanner::prescan`]: enough for the automaton's tables to stay
/// in cache from one posting to the next, few enough that their normalised texts and matches stay small. With the
/// contiguous NFA, 128 kept `batch -j 1` at the speed of whole 512-record chunks with 6 MiB less peak RSS, and 32
/// cost 2-3 % of the speed; the double array is smaller and quicker to warm, and at 32 runs as fast as at 128
/// (interleaved runs on 30 MB) with 1.2 MiB less peak RSS. Below 32 the RSS no longer falls.
const PRESCAN_GROUP: usize = 32;

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// CSV with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// One CSV row per record (header first).
    Csv,
    /// One JSON object per record: the `classify --format json` schema plus `record`.
    Jsonl,
}

/// Which fields hold what. Names are matched exactly; empty means "detect".
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// The id column.
    pub id: Option<String>,
    /// The title column (reported, never scored).
    pub title: Option<String>,
    /// Text columns, joined as separate sections.
    pub text: Vec<String>,
    /// Input columns copied to the output.
    pub keep: Vec<String>,
    /// A column to group drift figures by (`drift --by`).
    pub by: Option<String>,
    /// A date column for drift over time (`drift --date-col`).
    pub date: Option<String>,
}

/// Candidate names for automatic column detection, in order of preference.
const ID_NAMES: &[&str] = &["id", "job_id", "posting_id", "jobid", "uuid", "key"];
const TITLE_NAMES: &[&str] = &["title", "job_title", "position", "position_title", "jobtitle", "role", "name"];
const TEXT_NAMES: &[&str] =
    &["description", "job_description", "body", "text", "jobdescription", "content", "details", "posting"];

/// The columns chosen for a run (indexes into the header), and how they were chosen.
#[derive(Debug, Clone)]
pub struct Chosen {
    /// The header.
    pub header: Vec<String>,
    /// Id column.
    pub id: Option<usize>,
    /// Title column.
    pub title: Option<usize>,
    /// Text columns.
    pub text: Vec<usize>,
    /// Kept columns.
    pub keep: Vec<usize>,
    /// Group column.
    pub by: Option<usize>,
    /// Date column.
    pub date: Option<usize>,
}

impl Chosen {
    /// A one-line description for stderr: `id=job_id title=title text=description`.
    pub fn describe(&self) -> String {
        let name = |i: Option<usize>| i.map_or("-".to_string(), |i| self.header[i].clone());
        let text: Vec<&str> = self.text.iter().map(|&i| self.header[i].as_str()).collect();
        let mut s = format!("id={} title={} text={}", name(self.id), name(self.title), text.join("+"));
        if self.by.is_some() {
            s += &format!(" by={}", name(self.by));
        }
        if self.date.is_some() {
            s += &format!(" date={}", name(self.date));
        }
        s
    }
}

/// Picks the columns from a header: the named ones, else the obvious ones by name.
pub fn choose_columns(header: &[String], cols: &Columns) -> Result<Chosen, String> {
    let norm = |s: &str| s.trim().trim_start_matches('\u{feff}').to_ascii_lowercase().replace([' ', '-'], "_");
    let find = |name: &str| header.iter().position(|h| h == name || norm(h) == norm(name));
    let detect = |names: &[&str]| names.iter().find_map(|n| header.iter().position(|h| norm(h) == *n));
    let listing = || format!("the header has: {}", header.join(", "));
    let named = |c: &Option<String>, what: &str| -> Result<Option<usize>, String> {
        match c {
            Some(n) => {
                find(n).map(Some).ok_or_else(|| format!("{what} column `{n}` is not in the header; {}", listing()))
            }
            None => Ok(None),
        }
    };
    let id = named(&cols.id, "id")?.or_else(|| if cols.id.is_none() { detect(ID_NAMES) } else { None });
    let title = named(&cols.title, "title")?.or_else(|| if cols.title.is_none() { detect(TITLE_NAMES) } else { None });
    let text = if cols.text.is_empty() {
        vec![detect(TEXT_NAMES).ok_or_else(|| {
            format!(
                "no text column found (looked for {}); name it with --text-col; {}",
                TEXT_NAMES.join(", "),
                listing()
            )
        })?]
    } else {
        cols.text
            .iter()
            .map(|n| find(n).ok_or_else(|| format!("text column `{n}` is not in the header; {}", listing())))
            .collect::<Result<_, _>>()?
    };
    let keep = cols
        .keep
        .iter()
        .map(|n| find(n).ok_or_else(|| format!("kept column `{n}` is not in the header; {}", listing())))
        .collect::<Result<_, _>>()?;
    let (by, date) = (named(&cols.by, "--by")?, named(&cols.date, "date")?);
    Ok(Chosen { header: header.to_vec(), id, title, text, keep, by, date })
}

/// Guesses the CSV delimiter from the header line: the candidate that occurs most often outside quotes.
pub fn sniff_delimiter(first_line: &[u8]) -> u8 {
    let mut best = (b',', 0usize);
    for d in [b',', b';', b'\t', b'|', b'~'] {
        let mut quoted = false;
        let n = first_line
            .iter()
            .filter(|&&b| {
                if b == b'"' {
                    quoted = !quoted;
                }
                !quoted && b == d
            })
            .count();
        if n > best.1 {
            best = (d, n);
        }
    }
    best.0
}

/// A record that could not be classified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordError {
    /// 1-based record number (the header is not a record).
    pub record: u64,
    /// 1-based line where the record starts.
    pub line: u64,
    /// Byte offset where the record starts.
    pub byte: u64,
    /// What is wrong.
    pub reason: String,
}

/// Totals of a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Records read.
    pub read: u64,
    /// Records classified (including `other`).
    pub classified: u64,
    /// Records whose verdict is `other`.
    pub abstained: u64,
    /// Records whose verdict is `uncertain` (below the minimum confidence; counted apart from `other`).
    pub uncertain: u64,
    /// Error records.
    pub errors: u64,
    /// Bytes of posting text classified.
    pub text_bytes: u64,
    /// Records per reported role.
    pub roles: BTreeMap<String, u64>,
}

/// How far a run has got: reported after each chunk of records is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Records read and accounted for (rows and error records) so far.
    pub records: u64,
    /// Input bytes consumed so far (a byte-order mark not counted).
    pub bytes: u64,
}

/// One worker's scanner, alone on its cache lines: the scanner's buffer lengths change on every hit, and two
/// scanners side by side would make the cores fight over a shared line.
#[repr(align(128))]
struct Lane<'r> {
    scanner: Session<'r>,
    /// This worker's part of the drift aggregate (merged at the end: every figure is a sum).
    drift: DriftSummary,
}

/// Where a run's rows and error records go, the per-thread scanners, and the running totals.
struct Sink<'s, 'r, W> {
    out: &'s mut W,
    errors: &'s mut dyn FnMut(&RecordError) -> io::Result<()>,
    progress: &'s mut dyn FnMut(Progress),
    scanners: Vec<Lane<'r>>,
    summary: Summary,
}

/// One record ready to classify.
#[derive(Debug, Default)]
struct Job {
    record: u64,
    id: String,
    title: Option<String>,
    text: String,
    keep: Vec<String>,
    group: Option<String>,
    date: Option<String>,
}

/// Records read together and handed to one worker.
type Chunk = Vec<Result<Job, RecordError>>;

/// One record's outcome (its row, if any, is in the chunk's [`Rendered::rows`]).
enum Done<'r> {
    Row { role: &'r str, uncertain: bool },
    Error(RecordError),
}

/// A chunk's outcomes, in input order, and all its rows in one buffer: a worker allocates once per chunk, not
/// per row, and the writing thread frees one buffer.
struct Rendered<'r> {
    rows: Vec<u8>,
    done: Vec<Done<'r>>,
}

/// What a run does with each posting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Task {
    /// Classify the body (`rolecall batch`).
    #[default]
    Classify,
    /// Compare the title's role with the body's (`rolecall drift`): needs a title column.
    Drift,
}

/// A configured batch run.
#[derive(Debug, Clone)]
pub struct Batch<'r> {
    /// The rule set.
    pub rules: &'r RuleSet,
    /// Input format.
    pub input: InputFormat,
    /// CSV delimiter (`None`: sniff from the header).
    pub delimiter: Option<u8>,
    /// Output format.
    pub output: OutputFormat,
    /// Column choice.
    pub columns: Columns,
    /// Worker threads (at least 1).
    pub threads: usize,
    /// Largest text field accepted, in bytes.
    pub max_field_bytes: usize,
    /// Classify or drift.
    pub task: Task,
    /// Below this confidence a verdict is `uncertain` ([`crate::Session::set_min_confidence`]); `None`: never.
    pub min_confidence: Option<f64>,
    /// A reader's verdicts by record id: a drift run tallies its classes against them
    /// ([`DriftSummary::judged`]).
    pub judgements: Option<&'r crate::judged::Judgements>,
}

impl<'r> Batch<'r> {
    /// Runs the batch: reads `input`, writes result rows to `out` and error records to `errors`, and returns the
    /// totals. `on_columns` is told which columns were chosen before the first record. Fails only when the run
    /// cannot start (unreadable header, missing columns) or a write fails.
    pub fn run<R: Read, W: Write>(
        &self,
        input: R,
        out: &mut W,
        errors: &mut dyn FnMut(&RecordError) -> io::Result<()>,
        on_columns: &mut dyn FnMut(&Chosen),
    ) -> Result<Summary, BatchError> {
        self.run_with_progress(input, out, errors, on_columns, &mut |_| {})
    }

    /// [`Batch::run`], telling `progress` how far the run has got after every chunk of records (for a progress
    /// bar; the library itself never prints).
    pub fn run_with_progress<R: Read, W: Write>(
        &self,
        input: R,
        out: &mut W,
        errors: &mut dyn FnMut(&RecordError) -> io::Result<()>,
        on_columns: &mut dyn FnMut(&Chosen),
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Summary, BatchError> {
        self.run_drift(input, out, errors, on_columns, progress, 0, None).map(|(s, _)| s)
    }

    /// [`Batch::run_with_progress`] for [`Task::Drift`], returning the drift aggregate too: each worker folds its
    /// postings into its own [`DriftSummary`] (keeping `top_n` drifted postings, dates bucketed by `period`), and
    /// the parts are merged at the end, which gives the same aggregate for any thread count.
    #[allow(clippy::too_many_arguments)]
    pub fn run_drift<R: Read, W: Write>(
        &self,
        input: R,
        out: &mut W,
        errors: &mut dyn FnMut(&RecordError) -> io::Result<()>,
        on_columns: &mut dyn FnMut(&Chosen),
        progress: &mut dyn FnMut(Progress),
        top_n: usize,
        period: Option<Period>,
    ) -> Result<(Summary, DriftSummary), BatchError> {
        let mut reader = io::BufReader::with_capacity(1 << 16, input);
        // Skip a UTF-8 byte-order mark.
        if reader.fill_buf().map_err(BatchError::Io)?.starts_with(b"\xEF\xBB\xBF") {
            reader.consume(3);
        }
        let mut sink = Sink {
            out,
            errors,
            progress,
            scanners: (0..self.threads.max(1))
                .map(|_| {
                    let mut scanner = Session::new(self.rules);
                    scanner.set_min_confidence(self.min_confidence);
                    let mut drift = DriftSummary::new(top_n, period);
                    drift.judged = self.judgements.map(|j| crate::judged::JudgedTally::new(j.len()));
                    Lane { scanner, drift }
                })
                .collect(),
            summary: Summary::default(),
        };
        match self.input {
            InputFormat::Csv => self.pipeline(&mut self.csv_source(reader)?, &mut sink, on_columns)?,
            InputFormat::Jsonl => {
                let mut source = JsonlSource { reader, buf: Vec::new(), chosen: None, number: 0, line: 0, byte: 0 };
                self.pipeline(&mut source, &mut sink, on_columns)?
            }
        }
        sink.out.flush().map_err(BatchError::Io)?;
        let mut drift = DriftSummary::new(top_n, period);
        for lane in sink.scanners {
            drift.merge(lane.drift);
        }
        Ok((sink.summary, drift))
    }

    fn write_header<W: Write>(&self, out: &mut W, chosen: &Chosen) -> Result<(), BatchError> {
        if self.output != OutputFormat::Csv {
            return Ok(());
        }
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        let mut fields: Vec<&str> = vec!["record", "id"];
        match self.task {
            Task::Classify => fields.extend(crate::report::VERDICT_COLUMNS),
            Task::Drift => fields.extend(DRIFT_COLUMNS),
        }
        fields.extend(chosen.keep.iter().map(|&i| chosen.header[i].as_str()));
        w.write_record(&fields).map_err(|e| BatchError::Io(io::Error::other(e)))?;
        out.write_all(&w.into_inner().map_err(|e| BatchError::Io(io::Error::other(e.to_string())))?)
            .map_err(BatchError::Io)
    }

    /// Opens a CSV input: sniffs the delimiter, reads the header and chooses the columns.
    fn csv_source<R: BufRead>(&self, mut reader: R) -> Result<CsvSource<R>, BatchError> {
        let delimiter = match self.delimiter {
            Some(d) => d,
            None => {
                let buf = reader.fill_buf().map_err(BatchError::Io)?;
                let end = buf.iter().position(|&b| b == b'\n').unwrap_or(buf.len());
                sniff_delimiter(&buf[..end])
            }
        };
        let mut rdr =
            csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(false).from_reader(reader);
        let mut record = csv::ByteRecord::new();
        let header = match rdr.read_byte_record(&mut record) {
            Ok(true) => record.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect::<Vec<_>>(),
            Ok(false) => return Err(BatchError::Start("the input is empty: no header row".into())),
            Err(e) => return Err(BatchError::Start(format!("cannot read the header: {e}"))),
        };
        let chosen = choose_columns(&header, &self.columns).map_err(BatchError::Start)?;
        Ok(CsvSource { rdr, record, chosen, number: 0, done: false })
    }

    fn csv_job(
        &self,
        number: u64,
        pos: &csv::Position,
        record: &csv::ByteRecord,
        chosen: &Chosen,
    ) -> Result<Job, RecordError> {
        let err = |reason: String| RecordError { record: number, line: pos.line(), byte: pos.byte(), reason };
        if record.len() != chosen.header.len() {
            return Err(err(format!(
                "expected {} fields (as in the header), found {}",
                chosen.header.len(),
                record.len()
            )));
        }
        let field = |i: usize| -> Result<String, RecordError> {
            let raw = record.get(i).unwrap_or(b"");
            std::str::from_utf8(raw).map(str::to_string).map_err(|e| {
                err(format!(
                    "field `{}` is not valid UTF-8 (at byte {} of the field)",
                    chosen.header[i],
                    e.valid_up_to()
                ))
            })
        };
        self.make_job(number, chosen, field, &err)
    }

    fn make_job(
        &self,
        number: u64,
        chosen: &Chosen,
        field: impl Fn(usize) -> Result<String, RecordError>,
        err: &dyn Fn(String) -> RecordError,
    ) -> Result<Job, RecordError> {
        let mut text = String::new();
        for (k, &i) in chosen.text.iter().enumerate() {
            let f = field(i)?;
            if f.len() > self.max_field_bytes {
                return Err(err(format!(
                    "field `{}` has {} bytes, over the limit of {} (--max-field-bytes)",
                    chosen.header[i],
                    f.len(),
                    self.max_field_bytes
                )));
            }
            if text.is_empty() {
                text = f; // the first field with text is the text itself, not a copy (one text column: most inputs)
                continue;
            }
            if k > 0 && !f.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&f);
        }
        if text.trim().is_empty() {
            return Err(err("the posting text is empty".into()));
        }
        Ok(Job {
            record: number,
            id: chosen.id.map(&field).transpose()?.unwrap_or_else(|| number.to_string()),
            title: chosen.title.map(&field).transpose()?,
            text,
            keep: chosen.keep.iter().map(|&i| field(i)).collect::<Result<_, _>>()?,
            group: chosen.by.map(&field).transpose()?,
            date: chosen.date.map(&field).transpose()?,
        })
    }

    /// Reads chunks from `source`, classifies them and writes them in input order. This thread reads and writes.
    /// With several scanners, one persistent worker per scanner takes whole chunks from a bounded queue as soon as
    /// it is free: no barrier between chunks, so a worker never waits for the other to finish its part, and a
    /// finished chunk waits (at most the number of workers plus two are in flight) only for its turn to be written.
    fn pipeline<S: Source, W: Write>(
        &self,
        source: &mut S,
        sink: &mut Sink<'_, 'r, W>,
        on_columns: &mut dyn FnMut(&Chosen),
    ) -> Result<(), BatchError> {
        let mut header_written = false;
        if sink.scanners.len() == 1 {
            loop {
                let mut chunk = Vec::with_capacity(ONE_LANE_CHUNK);
                source.fill(self, (ONE_LANE_CHUNK, CHUNK_BYTES / 8), &mut chunk)?;
                self.header_once(source, sink.out, on_columns, &mut header_written)?;
                if chunk.is_empty() {
                    return Ok(());
                }
                let rendered = self.render_chunk(&mut sink.scanners[0], &chunk);
                self.write_chunk(&chunk, rendered, sink, source.consumed())?;
            }
        }
        let mut lanes = std::mem::take(&mut sink.scanners);
        let limit = lanes.len() as u64 + 2;
        let (job_tx, job_rx) = std::sync::mpsc::sync_channel::<(u64, Chunk)>(lanes.len());
        let job_rx = std::sync::Mutex::new(job_rx);
        let (done_tx, done_rx) = std::sync::mpsc::channel::<(u64, Chunk, std::thread::Result<Rendered<'r>>)>();
        let result = std::thread::scope(|s| -> Result<(), BatchError> {
            let handles: Vec<_> = lanes
                .iter_mut()
                .map(|lane| {
                    let (job_rx, done_tx) = (&job_rx, done_tx.clone());
                    s.spawn(move || loop {
                        let Ok(Ok((seq, jobs))) = job_rx.lock().map(|rx| rx.recv()) else { break };
                        // A panic is handed to the writing thread (which re-raises it) instead of leaving it
                        // waiting for a chunk that never comes.
                        let done =
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.render_chunk(lane, &jobs)));
                        if done_tx.send((seq, jobs, done)).is_err() {
                            break;
                        }
                    })
                })
                .collect();
            drop(done_tx);
            let result = (|| -> Result<(), BatchError> {
                let (mut sent, mut written, mut eof) = (0u64, 0u64, false);
                let mut consumed_after = std::collections::VecDeque::new();
                let mut ready = std::collections::BTreeMap::new();
                loop {
                    while !eof && sent - written < limit {
                        let mut chunk = Vec::with_capacity(CHUNK);
                        source.fill(self, (CHUNK, CHUNK_BYTES), &mut chunk)?;
                        self.header_once(source, sink.out, on_columns, &mut header_written)?;
                        if chunk.is_empty() {
                            eof = true;
                        } else {
                            consumed_after.push_back(source.consumed());
                            job_tx
                                .send((sent, chunk))
                                .map_err(|_| BatchError::Io(io::Error::other("a worker stopped")))?;
                            sent += 1;
                        }
                    }
                    if written == sent {
                        return Ok(());
                    }
                    let (seq, jobs, done) =
                        done_rx.recv().map_err(|_| BatchError::Io(io::Error::other("the workers stopped")))?;
                    let done = done.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    ready.insert(seq, (jobs, done));
                    while let Some((jobs, done)) = ready.remove(&written) {
                        let consumed = consumed_after.pop_front().unwrap_or_default();
                        self.write_chunk(&jobs, done, sink, consumed)?;
                        written += 1;
                    }
                }
            })();
            // However the loop ended, the queue closes, the workers stop and are joined: each has fully exited
            // (its thread-local destructors run) before the run returns.
            drop(job_tx);
            for h in handles {
                h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            }
            result
        });
        sink.scanners = lanes;
        result
    }

    /// Writes the CSV header (and tells `on_columns`) once the columns are known: CSV knows them from its header,
    /// JSON Lines from the first object.
    fn header_once<S: Source, W: Write>(
        &self,
        source: &S,
        out: &mut W,
        on_columns: &mut dyn FnMut(&Chosen),
        written: &mut bool,
    ) -> Result<(), BatchError> {
        if *written {
            return Ok(());
        }
        let Some(c) = source.chosen() else { return Ok(()) };
        if self.task == Task::Drift && c.title.is_none() {
            return Err(BatchError::Start(format!(
                "drift needs a title column (looked for {}); name it with --title-col; the header has: {}",
                TITLE_NAMES.join(", "),
                c.header.join(", ")
            )));
        }
        on_columns(c);
        self.write_header(out, c)?;
        *written = true;
        Ok(())
    }

    /// Writes a classified chunk's rows and error records in input order and updates the totals; `consumed` is
    /// the input position after the chunk.
    fn write_chunk<W: Write>(
        &self,
        jobs: &[Result<Job, RecordError>],
        rendered: Rendered<'r>,
        sink: &mut Sink<'_, 'r, W>,
        consumed: u64,
    ) -> Result<(), BatchError> {
        let Sink { out, errors, progress, summary, .. } = sink;
        out.write_all(&rendered.rows).map_err(BatchError::Io)?;
        for (d, job) in rendered.done.into_iter().zip(jobs) {
            summary.read += 1;
            match d {
                Done::Row { role, uncertain } => {
                    summary.classified += 1;
                    summary.uncertain += u64::from(uncertain);
                    if let Ok(j) = job {
                        summary.text_bytes += j.text.len() as u64;
                    }
                    if role == "other" {
                        summary.abstained += 1;
                    }
                    match summary.roles.get_mut(role) {
                        Some(n) => *n += 1,
                        None => drop(summary.roles.insert(role.to_string(), 1)),
                    }
                }
                Done::Error(e) => {
                    summary.errors += 1;
                    errors(&e).map_err(BatchError::Io)?;
                }
            }
        }
        progress(Progress { records: summary.read, bytes: consumed });
        Ok(())
    }

    /// Classifies a chunk on one worker's lane.
    fn render_chunk(&self, lane: &mut Lane<'r>, jobs: &[Result<Job, RecordError>]) -> Rendered<'r> {
        let buf = Vec::with_capacity(jobs.len() * 256);
        let mut rows = match self.output {
            OutputFormat::Csv => Rows::Csv(Box::new(csv::WriterBuilder::new().flexible(true).from_writer(buf))),
            OutputFormat::Jsonl => Rows::Jsonl(buf),
        };
        // The chunk's postings are normalised and run through the body automaton first, one after the other, and
        // then classified one by one with that work done (see `Scanner::prescan`).
        let mut done = Vec::with_capacity(jobs.len());
        for group in jobs.chunks(PRESCAN_GROUP) {
            lane.scanner.scanner().prescan(group.iter().map(|j| j.as_ref().map_or("", |j| j.text.as_str())));
            for (k, job) in group.iter().enumerate() {
                lane.scanner.scanner().take_prescan(k);
                done.push(self.render(lane, job, &mut rows));
            }
        }
        let rows = match rows {
            // Flushing into a Vec cannot fail.
            Rows::Csv(w) => w.into_inner().unwrap_or_default(),
            Rows::Jsonl(buf) => buf,
        };
        Rendered { rows, done }
    }

    /// One record's outcome; its row goes to the end of `rows`.
    fn render(&self, lane: &mut Lane<'r>, job: &Result<Job, RecordError>, rows: &mut Rows) -> Done<'r> {
        let job = match job {
            Ok(j) => j,
            Err(e) => return Done::Error(e.clone()),
        };
        if self.task == Task::Drift {
            return self.render_drift(lane, job, rows);
        }
        let scanner = &mut lane.scanner;
        let c = scanner.classify(Posting { text: &job.text, title: job.title.as_deref() });
        match self.output {
            OutputFormat::Jsonl => {
                #[derive(Serialize)]
                struct Row<'a> {
                    record: u64,
                    #[serde(flatten)]
                    report: &'a Report<'a>,
                    #[serde(skip_serializing_if = "Vec::is_empty")]
                    kept: Vec<&'a str>,
                }
                let mut report = Report::new(&c, &job.text, &job.id, job.title.as_deref());
                if let Some(t) = job.title.as_deref().filter(|t| !t.trim().is_empty()) {
                    let reading = scanner.title(t);
                    let d =
                        crate::drift::DriftReading::assess(self.rules, reading, scanner.rescore(crate::drift::BASIS));
                    report = report.with_drift(crate::drift::DriftReport::new(&d, t, &job.text));
                }
                let row =
                    Row { record: job.record, report: &report, kept: job.keep.iter().map(String::as_str).collect() };
                rows.json(&row);
            }
            OutputFormat::Csv => {
                // The compact row needs no full report (no line index, no evidence list).
                let runner = c.ranking.iter().find(|s| Some(s.role) != c.role);
                let runner_id = runner.map_or("", |s| self.rules.roles()[s.role as usize].id.as_str());
                let runner_score = runner.map_or(String::new(), |s| round4(s.score).to_string());
                let (record, score, confidence) =
                    (job.record.to_string(), round4(c.score()).to_string(), round4(c.confidence).to_string());
                let top = c.top_phrases(&job.text, 5).join("; ");
                let title_role = job
                    .title
                    .as_deref()
                    .and_then(|t| scanner.title_role(t))
                    .map_or("", |r| self.rules.roles()[r as usize].id.as_str());
                let fields = [
                    record.as_str(),
                    &job.id,
                    c.role_id(),
                    c.family(),
                    c.status.as_str(),
                    &score,
                    &confidence,
                    runner_id,
                    &runner_score,
                    &top,
                    job.title.as_deref().unwrap_or_default(),
                    title_role,
                    self.rules.hash(),
                ];
                rows.csv(fields.into_iter().chain(job.keep.iter().map(String::as_str)));
            }
        }
        let done = Done::Row { role: c.role_id(), uncertain: c.status == crate::Status::Uncertain };
        scanner.recycle(c);
        done
    }
}

/// The columns of a `drift` row after `record,id`.
pub const DRIFT_COLUMNS: [&str; 17] = [
    "title",
    "stated_role",
    "stated_status",
    "also",
    "seniority",
    "body_role",
    "body_family",
    "body_status",
    "body_score",
    "stated_score",
    "drift",
    "strength",
    "why",
    "body_evidence",
    "stated_evidence",
    "name_mentions",
    "rules",
];

impl<'r> Batch<'r> {
    /// One posting's drift: its row (CSV: [`DRIFT_COLUMNS`]; JSON Lines: the `DriftReport` schema plus `record`,
    /// `id` and `kept`), counted into the worker's aggregate.
    fn render_drift(&self, lane: &mut Lane<'r>, job: &Job, rows: &mut Rows) -> Done<'r> {
        let title = job.title.as_deref().unwrap_or("");
        let d = lane.scanner.drift(title, &job.text);
        let report = DriftReport::new(&d, title, &job.text);
        let joined = |v: &[std::borrow::Cow<'_, str>]| v.join("; ");
        let names: Vec<String> = report.name_mentions.iter().map(|n| format!("{} ({})", n.text, n.role)).collect();
        match self.output {
            OutputFormat::Jsonl => {
                #[derive(Serialize)]
                struct Row<'a> {
                    record: u64,
                    id: &'a str,
                    #[serde(flatten)]
                    report: &'a DriftReport<'a>,
                    #[serde(skip_serializing_if = "Vec::is_empty")]
                    kept: Vec<&'a str>,
                }
                let row = Row {
                    record: job.record,
                    id: &job.id,
                    report: &report,
                    kept: job.keep.iter().map(String::as_str).collect(),
                };
                rows.json(&row);
            }
            OutputFormat::Csv => {
                let st = &report.stated;
                let num = |x: f64| round4(x).to_string();
                // Only the numbers and the lists are made into new strings; the other fields are borrowed.
                let (record, seniority) =
                    (job.record.to_string(), st.seniority.as_ref().map_or(String::new(), |s| s.level.to_string()));
                let (body_score, stated_score, strength) =
                    (num(report.body.score), num(report.stated_score), report.strength.map_or(String::new(), num));
                let (body_evidence, stated_evidence, names) =
                    (joined(&report.body_evidence), joined(&report.stated_evidence), names.join("; "));
                let fields: [&str; 19] = [
                    &record,
                    &job.id,
                    title,
                    st.role.unwrap_or(""),
                    st.status.as_str(),
                    st.also.unwrap_or(""),
                    &seniority,
                    report.body.role,
                    report.body.family,
                    report.body.status.as_str(),
                    &body_score,
                    &stated_score,
                    report.drift.as_str(),
                    &strength,
                    report.why.as_str(),
                    &body_evidence,
                    &stated_evidence,
                    &names,
                    self.rules.hash(),
                ];
                rows.csv(fields.into_iter().chain(job.keep.iter().map(String::as_str)));
            }
        }
        let agg = &mut lane.drift;
        agg.count(report.stated.role, report.body.role, d.drift, d.why, job.group.as_deref(), job.date.as_deref());
        // What the run read of the posting; the evidence is filled in only for the top list.
        let facts = || DriftFacts {
            record: job.record,
            id: job.id.clone(),
            title: title.to_string(),
            stated: report.stated.role.map(str::to_string),
            body: report.body.role.to_string(),
            drift: d.drift,
            strength: report.strength,
            why: d.why,
            body_score: d.body.score(),
            group: job.group.clone(),
            date: job.date.clone(),
            body_evidence: Vec::new(),
            stated_evidence: Vec::new(),
            names: Vec::new(),
            excerpts: Vec::new(),
        };
        if let (Some(tally), Some(verdict)) = (&mut agg.judged, self.judgements.and_then(|j| j.get(&job.id))) {
            tally.add(verdict, facts());
        }
        // Evidence and excerpts are only kept for the drifted postings that enter the top list.
        if d.drift.drifted() && agg.enters_top(report.strength, d.body.score(), job.record) {
            let body_role = d.body.role;
            let stated = d.stated_role();
            let marks = d
                .body
                .evidence
                .iter()
                .filter(|e| e.counted)
                .filter_map(|e| {
                    match e.hit.kind {
                        HitKind::Responsibility { role, .. } if Some(role) == body_role => Some(MarkKind::Body),
                        HitKind::Responsibility { role, .. } if Some(role) == stated => Some(MarkKind::Stated),
                        HitKind::Name { .. } if e.weight > 0.0 && !e.hit.elsewhere => Some(MarkKind::Name),
                        _ => None,
                    }
                    .map(|k| (e.hit.start, e.hit.end, k))
                })
                .collect();
            let owned = |v: &[std::borrow::Cow<'_, str>]| v.iter().map(|p| p.to_string()).collect();
            agg.offer(DriftFacts {
                body_evidence: owned(&report.body_evidence),
                stated_evidence: owned(&report.stated_evidence),
                names,
                excerpts: crate::aggregate::excerpts(&job.text, marks),
                ..facts()
            });
        }
        let done = Done::Row { role: d.body.role_id(), uncertain: d.body.status == crate::Status::Uncertain };
        drop(report);
        lane.scanner.recycle(d.body);
        done
    }
}

/// Where a worker writes a chunk's rows: one buffer per chunk (through one CSV writer for CSV output).
enum Rows {
    Csv(Box<csv::Writer<Vec<u8>>>),
    Jsonl(Vec<u8>),
}

impl Rows {
    /// Appends one JSON line (only its newline if the row cannot be serialised, which our rows always can).
    fn json(&mut self, row: &impl Serialize) {
        if let Rows::Jsonl(buf) = self {
            let start = buf.len();
            if serde_json::to_writer(&mut *buf, row).is_err() {
                buf.truncate(start);
            }
            buf.push(b'\n');
        }
    }

    /// Appends one CSV row.
    fn csv<'a>(&mut self, fields: impl IntoIterator<Item = &'a str>) {
        if let Rows::Csv(w) = self {
            // Writing into a Vec cannot fail.
            let _ = w.write_record(fields);
        }
    }
}

/// Where records come from: fills chunks of jobs.
trait Source {
    /// Reads up to `limit` records or bytes of input (a chunk: [`CHUNK`] and [`CHUNK_BYTES`] for several workers)
    /// into `pending` (which stays empty at the end of the input).
    fn fill(
        &mut self,
        batch: &Batch<'_>,
        limit: (usize, u64),
        pending: &mut Vec<Result<Job, RecordError>>,
    ) -> Result<(), BatchError>;
    /// Input bytes consumed so far.
    fn consumed(&self) -> u64;
    /// The columns, once known (CSV: from the header; JSON Lines: from the first object).
    fn chosen(&self) -> Option<&Chosen>;
}

/// CSV records after the header.
struct CsvSource<R> {
    rdr: csv::Reader<R>,
    record: csv::ByteRecord,
    chosen: Chosen,
    number: u64,
    done: bool,
}

impl<R: Read> Source for CsvSource<R> {
    fn fill(
        &mut self,
        batch: &Batch<'_>,
        (records, bytes): (usize, u64),
        pending: &mut Vec<Result<Job, RecordError>>,
    ) -> Result<(), BatchError> {
        let from = self.rdr.position().byte();
        while !self.done && pending.len() < records && self.rdr.position().byte() - from < bytes {
            let pos = self.rdr.position().clone();
            match self.rdr.read_byte_record(&mut self.record) {
                Ok(true) => {
                    self.number += 1;
                    pending.push(batch.csv_job(self.number, &pos, &self.record, &self.chosen));
                }
                Ok(false) => self.done = true,
                Err(e) => {
                    self.number += 1;
                    let (line, byte) = e.position().map_or((pos.line(), pos.byte()), |p| (p.line(), p.byte()));
                    // An I/O error ends the input; a malformed record does not.
                    self.done = matches!(e.kind(), csv::ErrorKind::Io(_));
                    pending.push(Err(RecordError { record: self.number, line, byte, reason: csv_reason(&e) }));
                }
            }
        }
        Ok(())
    }

    fn consumed(&self) -> u64 {
        self.rdr.position().byte()
    }

    fn chosen(&self) -> Option<&Chosen> {
        Some(&self.chosen)
    }
}

/// JSON Lines records: one object per non-blank line.
struct JsonlSource<R> {
    reader: R,
    buf: Vec<u8>,
    chosen: Option<Chosen>,
    number: u64,
    line: u64,
    byte: u64,
}

impl<R: BufRead> Source for JsonlSource<R> {
    fn fill(
        &mut self,
        batch: &Batch<'_>,
        (records, bytes): (usize, u64),
        pending: &mut Vec<Result<Job, RecordError>>,
    ) -> Result<(), BatchError> {
        let from = self.byte;
        while pending.len() < records && self.byte - from < bytes {
            self.buf.clear();
            // A line is read up to a cap (several fields of the largest size accepted): a longer one is skipped to
            // its end without being held, and becomes an error record.
            let cap = batch.max_field_bytes.saturating_mul(4).saturating_add(1 << 16);
            let (n, whole) = read_line_capped(&mut self.reader, &mut self.buf, cap).map_err(BatchError::Io)?;
            if n == 0 {
                break;
            }
            self.line += 1;
            let start = self.byte;
            self.byte += n as u64;
            if whole && self.buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.number += 1;
            let (number, line) = (self.number, self.line);
            let err = |reason: String| RecordError { record: number, line, byte: start, reason };
            if !whole {
                pending.push(Err(err(format!(
                    "the line has {n} bytes, over the limit of {cap} for one record (4 × --max-field-bytes + 64 KiB)"
                ))));
                continue;
            }
            let obj: serde_json::Map<String, serde_json::Value> = match serde_json::from_slice(&self.buf) {
                Ok(serde_json::Value::Object(o)) => o,
                Ok(_) => {
                    pending.push(Err(err("not a JSON object".into())));
                    continue;
                }
                Err(e) => {
                    pending.push(Err(err(format!("invalid JSON: {e}"))));
                    continue;
                }
            };
            if self.chosen.is_none() {
                let header: Vec<String> = obj.keys().cloned().collect();
                let c = choose_columns(&header, &batch.columns)
                    .map_err(|e| BatchError::Start(format!("first object: {e}")))?;
                self.chosen = Some(c);
            }
            let c = self.chosen.as_ref().expect("set above");
            let field = |i: usize| -> Result<String, RecordError> {
                Ok(match obj.get(&c.header[i]) {
                    None | Some(serde_json::Value::Null) => String::new(),
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(v) => v.to_string(),
                })
            };
            pending.push(batch.make_job(number, c, field, &err));
        }
        Ok(())
    }

    fn consumed(&self) -> u64 {
        self.byte
    }

    fn chosen(&self) -> Option<&Chosen> {
        self.chosen.as_ref()
    }
}

/// Reads one line (through its `\n`) into `buf`, keeping at most `cap` bytes: returns the bytes consumed and
/// whether the whole line was kept. Memory stays within `cap` whatever the line's length.
fn read_line_capped<R: BufRead>(reader: &mut R, buf: &mut Vec<u8>, cap: usize) -> io::Result<(usize, bool)> {
    let (mut consumed, mut whole) = (0usize, true);
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok((consumed, whole));
        }
        let (take, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        if whole && buf.len() + take <= cap {
            buf.extend_from_slice(&available[..take]);
        } else if whole {
            whole = false;
            buf.clear();
        }
        reader.consume(take);
        consumed += take;
        if done {
            return Ok((consumed, whole));
        }
    }
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!("invalid UTF-8 in field {}", err.field() + 1),
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("expected {expected_len} fields, found {len}")
        }
        _ => e.to_string(),
    }
}

/// Why a batch run could not start or finish.
#[derive(Debug)]
pub enum BatchError {
    /// The run could not start (header, columns).
    Start(String),
    /// Reading or writing failed.
    Io(io::Error),
}

impl std::fmt::Display for BatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BatchError::Start(m) => write!(f, "{m}"),
            BatchError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for BatchError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> RuleSet {
        crate::default_rules().unwrap()
    }

    fn run(input: &str, format: InputFormat, threads: usize, cols: Columns) -> (String, Vec<RecordError>, Summary) {
        run_bytes(input.as_bytes(), format, threads, cols)
    }

    fn run_bytes(
        input: &[u8],
        format: InputFormat,
        threads: usize,
        cols: Columns,
    ) -> (String, Vec<RecordError>, Summary) {
        let rs = rules();
        let b = Batch {
            rules: &rs,
            input: format,
            delimiter: None,
            output: OutputFormat::Csv,
            columns: cols,
            threads,
            max_field_bytes: 10_000,
            task: Task::Classify,
            min_confidence: None,
            judgements: None,
        };
        let mut out = Vec::new();
        let mut errs = Vec::new();
        let mut on_error = |e: &RecordError| {
            errs.push(e.clone());
            Ok(())
        };
        let s = b.run(input, &mut out, &mut on_error, &mut |_| {}).unwrap();
        (String::from_utf8(out).unwrap(), errs, s)
    }

    const SCRUM: &str =
        "Facilitate sprint planning and retrospectives, remove impediments and coach the team in Scrum.";

    #[test]
    fn detects_columns_and_delimiters() {
        for d in [',', ';', '\t', '|', '~'] {
            let input = format!("job_id{d}job_title{d}description\n7{d}SM{d}\"{SCRUM}\"\n");
            let (out, errs, s) = run(&input, InputFormat::Csv, 1, Columns::default());
            assert!(errs.is_empty(), "{d:?}: {errs:?}");
            assert_eq!((s.read, s.classified), (1, 1));
            assert!(out.lines().nth(1).unwrap().starts_with("1,7,scrum-master,"), "{d:?}: {out}");
        }
    }

    #[test]
    fn rows_carry_the_title_and_the_role_it_names_without_changing_the_verdict() {
        let input =
            format!("id,title,text\n1,Sr. Product Owner (m/w/d),\"{SCRUM}\"\n2,Lighthouse Keeper,\"{SCRUM}\"\n");
        let (out, errs, _) = run(&input, InputFormat::Csv, 1, Columns::default());
        assert!(errs.is_empty(), "{errs:?}");
        let mut rdr = csv::Reader::from_reader(out.as_bytes());
        let header = rdr.headers().unwrap().clone();
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        for r in &rows {
            assert_eq!(r.len(), header.len());
            assert_eq!(&r[col("role")], "scrum-master");
        }
        assert_eq!(
            (&rows[0][col("title")], &rows[0][col("title_role")]),
            ("Sr. Product Owner (m/w/d)", "product-owner")
        );
        assert_eq!((&rows[1][col("title")], &rows[1][col("title_role")]), ("Lighthouse Keeper", ""));
    }

    #[test]
    fn progress_is_reported_per_chunk_and_ends_at_the_input_end() {
        let rs = rules();
        for (format, threads) in [(InputFormat::Csv, 2), (InputFormat::Jsonl, 2), (InputFormat::Csv, 1)] {
            // One worker reads smaller chunks.
            let chunk = if threads == 1 { ONE_LANE_CHUNK } else { CHUNK };
            let mut input = String::from(if format == InputFormat::Csv { "id,text\n" } else { "" });
            for i in 0..(chunk * 2 + 7) {
                match format {
                    InputFormat::Csv => input += &format!("{i},\"{SCRUM}\"\n"),
                    InputFormat::Jsonl => input += &format!("{{\"id\": {i}, \"text\": \"{SCRUM}\"}}\n"),
                }
            }
            let b = Batch {
                rules: &rs,
                input: format,
                delimiter: None,
                output: OutputFormat::Csv,
                columns: Columns::default(),
                threads,
                max_field_bytes: 10_000,
                task: Task::Classify,
                min_confidence: None,
                judgements: None,
            };
            let mut seen = Vec::new();
            b.run_with_progress(input.as_bytes(), &mut Vec::new(), &mut |_| Ok(()), &mut |_| {}, &mut |p| seen.push(p))
                .unwrap();
            let records: Vec<u64> = seen.iter().map(|p| p.records).collect();
            assert_eq!(records, [chunk as u64, 2 * chunk as u64, 2 * chunk as u64 + 7], "{format:?}");
            assert!(seen.windows(2).all(|w| w[0].bytes < w[1].bytes), "{format:?}: {seen:?}");
            assert_eq!(seen.last().unwrap().bytes, input.len() as u64, "{format:?}");
        }
    }

    #[test]
    fn long_lines_are_skipped_without_being_held() {
        let input = format!("short\n{}\nnext\nlast-without-newline", "y".repeat(10_000));
        let mut r = io::BufReader::with_capacity(64, input.as_bytes());
        let mut buf = Vec::new();
        let mut lines = Vec::new();
        loop {
            buf.clear();
            let (n, whole) = read_line_capped(&mut r, &mut buf, 100).unwrap();
            if n == 0 {
                break;
            }
            assert!(buf.len() <= 100);
            lines.push((n, whole, String::from_utf8_lossy(&buf).into_owned()));
        }
        assert_eq!(lines[0], (6, true, "short\n".to_string()));
        assert_eq!((lines[1].0, lines[1].1, lines[1].2.len()), (10_001, false, 0));
        assert_eq!(lines[2], (5, true, "next\n".to_string()));
        assert_eq!(lines[3], (20, true, "last-without-newline".to_string()));
    }

    #[test]
    fn bom_and_multiline_fields() {
        let input = format!("\u{feff}id,text\n1,\"line one\n{SCRUM}\nline three\"\n");
        let (out, errs, _) = run(&input, InputFormat::Csv, 1, Columns::default());
        assert!(errs.is_empty(), "{errs:?}");
        assert!(out.contains("1,1,scrum-master"), "{out}");
    }

    #[test]
    fn every_record_is_a_row_or_an_error() {
        let input = format!(
            "id,description\n1,\"{SCRUM}\"\n2,\"{SCRUM}\",extra\n3,\n4,\"{SCRUM}\"\n5,\"{}\"\n6,\"unterminated {SCRUM}\n",
            "x".repeat(20_000)
        );
        let (out, errs, s) = run(&input, InputFormat::Csv, 2, Columns::default());
        let rows = out.lines().count() - 1;
        assert_eq!(s.read, 6);
        assert_eq!(rows as u64 + errs.len() as u64, s.read, "{out}\n{errs:?}");
        let reasons: Vec<(u64, &str)> = errs.iter().map(|e| (e.record, e.reason.as_str())).collect();
        assert!(reasons.iter().any(|(n, r)| *n == 2 && r.contains("expected 2 fields")), "{reasons:?}");
        assert!(reasons.iter().any(|(n, r)| *n == 3 && r.contains("empty")), "{reasons:?}");
        assert!(reasons.iter().any(|(n, r)| *n == 5 && r.contains("over the limit")), "{reasons:?}");
        assert_eq!(errs.iter().find(|e| e.record == 2).unwrap().line, 3);
    }

    #[test]
    fn invalid_utf8_is_a_record_error() {
        let mut input = b"id,text\n1,ok scrum master\n2,bad \xff bytes\n".to_vec();
        input.extend_from_slice(format!("3,\"{SCRUM}\"\n").as_bytes());
        let (_, errs, s) = run_bytes(&input, InputFormat::Csv, 1, Columns::default());
        assert_eq!((s.read, s.classified, s.errors), (3, 2, 1));
        assert!(errs[0].reason.contains("UTF-8"), "{errs:?}");
    }

    #[test]
    fn jsonl_input_with_bad_lines() {
        let input = format!(
            "{{\"id\":\"a\",\"body\":\"{SCRUM}\"}}\nnot json\n\n[1,2]\n{{\"id\":\"b\",\"body\":\"{SCRUM}\"}}\n"
        );
        let (out, errs, s) = run(&input, InputFormat::Jsonl, 2, Columns::default());
        assert_eq!(s.read, 4);
        assert_eq!(errs.len(), 2);
        assert_eq!((errs[0].record, errs[0].line), (2, 2));
        assert_eq!((errs[1].record, errs[1].line), (3, 4));
        let ids: Vec<&str> = out.lines().skip(1).map(|l| l.split(',').nth(1).unwrap()).collect();
        assert_eq!(ids, vec!["a", "b"]);
    }

    #[test]
    fn output_is_identical_for_any_thread_count() {
        let mut input = String::from("id,description\n");
        let texts =
            [SCRUM, "Own the product backlog and write user stories with acceptance criteria.", "Bake bread.", ""];
        for i in 0..1300 {
            input.push_str(&format!("{i},\"{}\"\n", texts[i % texts.len()]));
        }
        let (one, e1, _) = run(&input, InputFormat::Csv, 1, Columns::default());
        let (four, e4, s) = run(&input, InputFormat::Csv, 4, Columns::default());
        assert_eq!(one, four);
        assert_eq!(e1, e4);
        assert_eq!(s.read, 1300);
        assert_eq!(s.classified + s.errors, 1300);
    }

    #[test]
    fn missing_text_column_lists_the_header() {
        let rs = rules();
        let b = Batch {
            rules: &rs,
            input: InputFormat::Csv,
            delimiter: None,
            output: OutputFormat::Csv,
            columns: Columns::default(),
            threads: 1,
            max_field_bytes: 10,
            task: Task::Classify,
            min_confidence: None,
            judgements: None,
        };
        let err = b.run("a,b,c\n1,2,3\n".as_bytes(), &mut Vec::new(), &mut |_| Ok(()), &mut |_| {}).unwrap_err();
        assert!(err.to_string().contains("the header has: a, b, c"), "{err}");
    }
}
