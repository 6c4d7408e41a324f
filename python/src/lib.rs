//! `rolecall._rolecall`: the Python face of the library's front door ([`rolecall::Engine`]). The pure-Python
//! package (`python/rolecall/`) wraps it into typed classes; this module only converts.
//!
//! Every answer crosses as the same JSON the command line prints (so `Verdict.to_dict()` is the CLI's object),
//! plus the evidence spans as Python string indices (code points), computed here from the byte offsets. Work on
//! many postings runs without the GIL on scoped threads, one `Session` each, answers in input order. Errors are
//! Python exceptions with the CLI's messages; a Rust panic becomes a `PanicException` and never aborts Python.

use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use rolecall::{Engine as Core, Session};
use std::path::PathBuf;

create_exception!(
    _rolecall,
    RulesError,
    PyValueError,
    "The rule pack does not compile; the message lists every diagnostic with file:line:col."
);

/// Byte offsets of `text` → Python string indices (code points), for sorted lookups.
struct CharIndex {
    /// Byte offset of every character, in order.
    starts: Vec<usize>,
    len: usize,
}

impl CharIndex {
    fn new(text: &str) -> CharIndex {
        CharIndex { starts: text.char_indices().map(|(i, _)| i).collect(), len: text.len() }
    }

    fn at(&self, byte: usize) -> usize {
        if byte >= self.len {
            return self.starts.len();
        }
        self.starts.partition_point(|&b| b < byte)
    }
}

/// One posting's answer: the CLI's JSON, the evidence spans as string indices, and the verdict's headline
/// (role, family, status, score, confidence) so that reading those costs Python no JSON parse.
type Answer = (String, Vec<(usize, usize)>, (String, String, &'static str, f64, f64));

fn classify_one(session: &mut Session<'_>, text: &str, title: Option<&str>, guess: bool) -> Answer {
    let report = session.report(text, "-", title, guess);
    let index = CharIndex::new(text);
    let spans = report.evidence.iter().map(|e| (index.at(e.start), index.at(e.end))).collect();
    let head =
        (report.role.to_string(), report.family.to_string(), report.status.as_str(), report.score, report.confidence);
    (serde_json::to_string(&report).unwrap_or_default(), spans, head)
}

/// One posting as the batch columns (`role, family, status, score, confidence, runner_up, runner_up_score,
/// evidence, title, title_role, rules`), as `rolecall batch` writes its CSV row (no title guess).
type Row = (
    String,
    String,
    &'static str,
    f64,
    f64,
    Option<String>,
    Option<f64>,
    String,
    Option<String>,
    Option<String>,
    String,
);

fn row_one(session: &mut Session<'_>, text: &str, title: Option<&str>) -> Row {
    let r = session.report(text, "-", title, false);
    let first = r.runners_up.first();
    (
        r.role.to_string(),
        r.family.to_string(),
        r.status.as_str(),
        r.score,
        r.confidence,
        first.map(|x| x.role.to_string()),
        first.map(|x| x.score),
        r.top_phrases(rolecall::report::EVIDENCE_PHRASES).join("; "),
        r.title.map(str::to_string),
        r.title_role().map(str::to_string),
        r.rules.to_string(),
    )
}

/// Runs `one` over `texts` (with `titles`) on up to `threads` scoped threads, one session each, in input order.
fn many<T: Send>(
    core: &Core,
    texts: &[String],
    titles: Option<&[Option<String>]>,
    threads: Option<usize>,
    one: impl Fn(&mut Session<'_>, &str, Option<&str>) -> T + Sync,
) -> PyResult<Vec<T>> {
    if let Some(t) = titles {
        if t.len() != texts.len() {
            return Err(PyValueError::new_err(format!(
                "titles has {} items for {} texts; give one per text (None for no title)",
                t.len(),
                texts.len()
            )));
        }
    }
    let threads = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, texts.len().max(1));
    let chunk = texts.len().div_ceil(threads).max(1);
    let one = &one;
    std::thread::scope(|s| {
        let handles: Vec<_> = texts
            .chunks(chunk)
            .enumerate()
            .map(|(k, part)| {
                s.spawn(move || {
                    let mut session = core.session();
                    part.iter()
                        .enumerate()
                        .map(|(i, t)| one(&mut session, t, titles.and_then(|v| v[k * chunk + i].as_deref())))
                        .collect::<Vec<T>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(texts.len());
        for h in handles {
            out.extend(
                h.join()
                    .map_err(|_| PyRuntimeError::new_err("internal error while classifying (a worker panicked)"))?,
            );
        }
        Ok(out)
    })
}

fn sources(rules: Option<PathBuf>, rules_add: Vec<PathBuf>) -> PyResult<Vec<rolecall::Source>> {
    let err = |d: rolecall::Diagnostic| RulesError::new_err(rolecall::diag::render(&[d]));
    let mut sources = match rules {
        Some(dir) => rolecall::rulefile::read_dir(&dir).map_err(err)?,
        None => rolecall::rulefile::embedded(),
    };
    for dir in rules_add {
        sources.extend(rolecall::rulefile::read_dir(&dir).map_err(err)?);
    }
    Ok(sources)
}

/// The compiled rules (see `rolecall.Engine`).
#[pyclass(frozen, module = "rolecall._rolecall")]
struct Engine {
    core: Core,
}

#[pymethods]
impl Engine {
    #[new]
    #[pyo3(signature = (rules=None, rules_add=Vec::new()))]
    fn new(py: Python<'_>, rules: Option<PathBuf>, rules_add: Vec<PathBuf>) -> PyResult<Engine> {
        let sources = sources(rules, rules_add)?;
        let core = py
            .detach(|| Core::compile(&sources))
            .map_err(|diags| RulesError::new_err(rolecall::diag::render(&diags)))?;
        Ok(Engine { core })
    }

    #[getter]
    fn rules_hash(&self) -> &str {
        self.core.rules_hash()
    }

    /// `[(id, name, family)]` of every role.
    fn roles(&self) -> Vec<(String, String, String)> {
        self.core.rules().roles().iter().map(|r| (r.id.clone(), r.name.clone(), r.family.clone())).collect()
    }

    #[pyo3(signature = (text, title=None, title_guess=true))]
    fn classify(&self, py: Python<'_>, text: &str, title: Option<&str>, title_guess: bool) -> Answer {
        py.detach(|| classify_one(&mut self.core.session(), text, title, title_guess))
    }

    #[pyo3(signature = (texts, titles=None, threads=None, title_guess=true))]
    fn classify_many(
        &self,
        py: Python<'_>,
        texts: Vec<String>,
        titles: Option<Vec<Option<String>>>,
        threads: Option<usize>,
        title_guess: bool,
    ) -> PyResult<Vec<Answer>> {
        py.detach(|| {
            many(&self.core, &texts, titles.as_deref(), threads, |s, t, title| classify_one(s, t, title, title_guess))
        })
    }

    /// The batch columns per text (see [`Row`]): what the DataFrame helpers build their frames from.
    #[pyo3(signature = (texts, titles=None, threads=None))]
    fn rows_many(
        &self,
        py: Python<'_>,
        texts: Vec<String>,
        titles: Option<Vec<Option<String>>>,
        threads: Option<usize>,
    ) -> PyResult<Vec<Row>> {
        py.detach(|| many(&self.core, &texts, titles.as_deref(), threads, row_one))
    }

    /// The title's reading as `rolecall title --format json`.
    fn title(&self, title: &str) -> String {
        let mut session = self.core.session();
        let reading = session.title(title);
        serde_json::to_string(&rolecall::title::TitleReport::new(self.core.rules(), &reading, title))
            .unwrap_or_default()
    }

    /// The drift of `title` over `text` as `rolecall drift --format jsonl` prints one posting (without `record`).
    fn drift(&self, py: Python<'_>, title: &str, text: &str) -> String {
        py.detach(|| {
            let mut session = self.core.session();
            let d = session.drift(title, text);
            serde_json::to_string(&rolecall::drift::DriftReport::new(&d, title, text)).unwrap_or_default()
        })
    }

    /// `rolecall explain --format json` for `role` (and `vs`).
    #[pyo3(signature = (text, role, vs=None))]
    fn explain(&self, py: Python<'_>, text: &str, role: &str, vs: Option<&str>) -> PyResult<String> {
        let find = |id: &str| self.core.rules().role_index(id).map_err(PyValueError::new_err);
        let mut roles = vec![find(role)?];
        if let Some(v) = vs {
            roles.push(find(v)?);
        }
        Ok(py.detach(|| serde_json::to_string(&self.core.session().explain(text, "-", &roles)).unwrap_or_default()))
    }
}

#[pymodule]
fn _rolecall(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Engine>()?;
    m.add("RulesError", m.py().get_type::<RulesError>())?;
    Ok(())
}
