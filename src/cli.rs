//! The command line: clap argument structs (raw), turned into validated work and dispatched per verb.
//!
//! This module and `main.rs` are the only places that touch stdout, stderr and exit codes. Exit codes: 0 a verdict
//! (or an evaluation) was produced, 1 nothing matched (every posting is `other`), 2 usage, input or rule errors.
//! A closed stdout pipe is not an error (`main.rs` maps it to 0).

use clap::{Args, Parser, Subcommand, ValueEnum};
use rolecall::eval::{self, Columns};
use rolecall::report::{CsvPrinter, HumanPrinter, JsonPrinter, Printer, Report};
use rolecall::{Diagnostic, Posting, RuleSet, Scanner};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// rolecall: which role does a job posting really describe?
///
/// Scores a posting's body against each role's responsibility profile and prints the best-matching role, how sure
/// it is, the runners-up and the evidence. The default rule pack is built in; see `rules/README.md` to write your own.
#[derive(Debug, Parser)]
#[command(name = "rolecall", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    rules: RuleArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct RuleArgs {
    /// Use the rule pack in DIR instead of the built-in one.
    #[arg(long, global = true, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Add the rule files of DIR to the pack (repeatable).
    #[arg(long = "rules-add", global = true, value_name = "DIR")]
    rules_add: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Classify job postings (files, or stdin with `-` or no argument).
    Classify(ClassifyArgs),
    /// Measure agreement with labelled postings in a CSV file.
    Eval(EvalArgs),
}

#[derive(Debug, Args)]
struct ClassifyArgs {
    /// Posting files; `-` or nothing reads one posting from stdin.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The title the posting was published under: reported beside the verdict, never scored.
    #[arg(long)]
    title: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// When to colour the human output (auto: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Debug, Args)]
struct EvalArgs {
    /// CSV file with a header row.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Column holding the expected role id (`other` for none).
    #[arg(long, default_value = "title_label")]
    label_col: String,
    /// Column(s) holding the posting text (repeatable; joined as sections).
    #[arg(long, default_value = "description")]
    text_col: Vec<String>,
    /// Column holding the row id (default: the record number).
    #[arg(long)]
    id_col: Option<String>,
    /// Column holding the posted title: shown beside disagreements, never scored.
    #[arg(long)]
    title_col: Option<String>,
    /// Field delimiter (one ASCII character; `\t` for tab).
    #[arg(long, default_value = ",")]
    delimiter: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Human)]
    format: EvalFormat,
    /// Write `id,label,predicted,status,confidence` per row to this CSV file.
    #[arg(long, value_name = "OUT")]
    predictions: Option<PathBuf>,
    /// List the N most confident disagreements with their evidence.
    #[arg(long, value_name = "N")]
    errors: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Readable report with highlighted evidence.
    Human,
    /// One JSON object per posting (JSON Lines).
    Json,
    /// One CSV row per posting.
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum EvalFormat {
    /// Readable tables.
    Human,
    /// One JSON object.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    /// Colour on a terminal unless NO_COLOR is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// How a run ended, for the exit code.
#[derive(Debug)]
pub enum Outcome {
    /// At least one verdict (exit 0).
    Found,
    /// Every posting was `other` (exit 1).
    NothingMatched,
    /// Some input could not be read; the rest was reported (exit 2).
    InputErrors,
}

/// A run that could not be done (exit 2).
#[derive(Debug)]
pub enum Failure {
    /// The rule pack has errors (all of them).
    Rules(Vec<Diagnostic>),
    /// Bad input or usage, with a message.
    Input(String),
    /// Writing the output failed.
    Io(io::Error),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Io(e)
    }
}

/// Parses arguments and runs the verb.
pub fn run(cli: Cli) -> Result<Outcome, Failure> {
    let rules = load_rules(&cli.rules)?;
    let outcome = match cli.command {
        Command::Classify(a) => classify(&rules, a),
        Command::Eval(a) => evaluate(&rules, a),
    };
    // The process ends next: freeing thousands of small allocations one by one would only delay the exit.
    std::mem::forget(rules);
    outcome
}

fn load_rules(args: &RuleArgs) -> Result<RuleSet, Failure> {
    let mut sources = match &args.rules {
        Some(dir) => rolecall::rulefile::read_dir(dir).map_err(|d| Failure::Rules(vec![d]))?,
        None => rolecall::rulefile::embedded(),
    };
    for dir in &args.rules_add {
        sources.extend(rolecall::rulefile::read_dir(dir).map_err(|d| Failure::Rules(vec![d]))?);
    }
    let user_pack = args.rules.is_some() || !args.rules_add.is_empty();
    let compiled = rolecall::compile(&sources).map_err(Failure::Rules)?;
    if user_pack && !compiled.warnings.is_empty() {
        eprint!("{}", rolecall::diag::render(&compiled.warnings));
    }
    Ok(compiled.rules)
}

/// One posting read from a file or stdin.
struct Input {
    name: String,
    text: String,
}

fn read_posting(path: &Path) -> Result<Input, String> {
    let name = path.display().to_string();
    let mut bytes = Vec::new();
    if name == "-" {
        let stdin = io::stdin();
        if stdin.is_terminal() {
            eprintln!("rolecall: reading a posting from stdin; paste it, then press Ctrl-D");
        }
        stdin.lock().read_to_end(&mut bytes).map_err(|e| format!("-: cannot read stdin: {e}"))?;
    } else {
        if path.is_dir() {
            return Err(format!("{name}: is a directory, not a posting file"));
        }
        bytes = std::fs::read(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            eprintln!("rolecall: warning: {name}: not valid UTF-8 (first bad byte at offset {at}); invalid bytes are shown as U+FFFD and offsets refer to the decoded text");
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    if text.trim().is_empty() {
        return Err(format!("{name}: the posting is empty"));
    }
    Ok(Input { name, text })
}

fn classify(rules: &RuleSet, a: ClassifyArgs) -> Result<Outcome, Failure> {
    let files = if a.files.is_empty() { vec![PathBuf::from("-")] } else { a.files };
    if files.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
        return Err(Failure::Input("stdin (`-`) can be read only once".into()));
    }
    let stdout = io::stdout();
    let out = io::BufWriter::new(stdout.lock());
    let color = match a.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let mut printer: Box<dyn Printer> = match a.format {
        Format::Human => Box::new(HumanPrinter::new(out, color)),
        Format::Json => Box::new(JsonPrinter::new(out)),
        Format::Csv => Box::new(CsvPrinter::new(out)),
    };
    let mut scanner = Scanner::new(rules);
    let (mut found, mut errors) = (false, false);
    for f in &files {
        let input = match read_posting(f) {
            Ok(i) => i,
            Err(msg) => {
                eprintln!("rolecall: error: {msg}");
                errors = true;
                continue;
            }
        };
        let c = scanner.classify(Posting { text: &input.text, title: a.title.as_deref() });
        found |= c.role.is_some();
        printer.print(&Report::new(&c, &input.text, &input.name, a.title.as_deref()))?;
    }
    printer.finish()?;
    Ok(if errors {
        Outcome::InputErrors
    } else if found {
        Outcome::Found
    } else {
        Outcome::NothingMatched
    })
}

fn parse_delimiter(s: &str) -> Result<u8, Failure> {
    match s {
        "\\t" | "tab" | "\t" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err(Failure::Input(format!("--delimiter must be one ASCII character, not {s:?}"))),
    }
}

fn evaluate(rules: &RuleSet, a: EvalArgs) -> Result<Outcome, Failure> {
    let delimiter = parse_delimiter(&a.delimiter)?;
    if a.file.is_dir() {
        return Err(Failure::Input(format!("{}: is a directory, not a CSV file", a.file.display())));
    }
    let file =
        std::fs::File::open(&a.file).map_err(|e| Failure::Input(format!("{}: cannot open: {e}", a.file.display())))?;
    let cols = Columns { label: a.label_col, text: a.text_col, id: a.id_col, title: a.title_col };
    let ev = eval::evaluate(rules, io::BufReader::new(file), delimiter, &cols)
        .map_err(|e| Failure::Input(format!("{}: {e}", a.file.display())))?;
    if let Some(path) = &a.predictions {
        let mut w = csv::Writer::from_path(path)
            .map_err(|e| Failure::Input(format!("{}: cannot write: {e}", path.display())))?;
        let werr = |e: csv::Error| Failure::Input(format!("{}: cannot write: {e}", path.display()));
        w.write_record(["id", "label", "predicted", "status", "confidence"]).map_err(werr)?;
        for p in &ev.predictions {
            w.write_record([p.id.as_str(), &p.label, &p.predicted, p.status.as_str(), &p.confidence.to_string()])
                .map_err(werr)?;
        }
        w.flush()?;
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let worst = ev.worst(rules, a.errors.unwrap_or(0));
    match a.format {
        EvalFormat::Json => {
            let v = serde_json::json!({ "metrics": ev.metrics, "errors": worst });
            serde_json::to_writer_pretty(&mut out, &v).map_err(io::Error::other)?;
            writeln!(out)?;
        }
        EvalFormat::Human => {
            write!(out, "{}", ev.metrics.render())?;
            if !worst.is_empty() {
                writeln!(out, "\nmost confident disagreements")?;
                for p in worst {
                    let title = p.title.as_deref().map(|t| format!("  title {t:?}")).unwrap_or_default();
                    writeln!(
                        out,
                        "  {}  label {}  predicted {} ({}, {:.2}){title}",
                        p.id,
                        p.label,
                        p.predicted,
                        p.status.as_str(),
                        p.confidence
                    )?;
                    writeln!(out, "      evidence: {}", p.evidence.join("; "))?;
                }
            }
        }
    }
    out.flush()?;
    Ok(Outcome::Found)
}
