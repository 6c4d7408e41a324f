//! The command line: clap argument structs (raw), turned into validated work and dispatched per verb.
//!
//! This module and `main.rs` are the only places that touch stdout, stderr and exit codes. Exit codes: 0 a verdict
//! (or an evaluation, or a batch with every record classified) was produced, 1 nothing matched (every posting is
//! `other`) or a batch had error records, 2 usage, input or rule errors.
//! A closed stdout pipe is not an error (`main.rs` maps it to 0).

use clap::{Args, Parser, Subcommand, ValueEnum};
use rolecall::batch::Task;
use rolecall::eval::{self, Columns};
use rolecall::report::{CsvPrinter, HumanPrinter, JsonPrinter, Printer};
use rolecall::{Diagnostic, RuleSet, Session};
use std::io::{self, BufRead, IsTerminal, Read, Write};
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
    /// Score a CSV or JSON Lines file of postings: streaming, parallel, one output row per input record.
    Batch(BatchArgs),
    /// Normalise job titles: the role, the seniority, and what around them was kept apart.
    Title(TitleArgs),
    /// Title drift over a CSV or JSON Lines file: the role each title states against the role its body describes,
    /// per posting and in aggregate.
    Drift(DriftArgs),
    /// Rule-pack tools: lint, test, list, show.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// Why a posting scores as it does for a role (and against another), area by area.
    Explain(rules::ExplainArgs),
    /// Wording typical of one role's labelled postings that the pack does not match yet (n-grams and proximity
    /// pairs, with counts, lift and example ids): for rule authors to read, never to paste unread.
    Mine(MineArgs),
    /// Print a shell completion script: `rolecall completions bash > ~/.local/share/bash-completion/completions/rolecall`.
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write every page (one per subcommand) into a directory with `--dir`.
    Man(ManArgs),
    /// Serve the web page (paste an ad, read why) and the JSON API on a local address.
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
}

#[derive(Debug, Args)]
struct ManArgs {
    /// Write rolecall.1 and a page per subcommand (rolecall-classify.1, ...) into DIR, e.g.
    /// `~/.local/share/man/man1`.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
struct MineArgs {
    /// Labelled CSV file with a header row (read twice, so not stdin).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The label (role id) whose postings are mined.
    #[arg(long)]
    role: String,
    /// Column holding the label.
    #[arg(long, default_value = "title_label")]
    label_col: String,
    /// Column(s) holding the posting text (repeatable; joined as sections).
    #[arg(long, default_value = "description")]
    text_col: Vec<String>,
    /// Column holding the row id shown as examples (default: the record number).
    #[arg(long)]
    id_col: Option<String>,
    /// Field delimiter (one ASCII character; `\t` for tab).
    #[arg(long, default_value = ",")]
    delimiter: String,
    /// Longest n-gram, in words (1 to 6).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u8).range(1..=6))]
    max_n: u8,
    /// Fewest of the role's postings a candidate must appear in.
    #[arg(long, default_value_t = 3)]
    min_count: usize,
    /// Smallest lift (how many times more common among the role's postings than among the others).
    #[arg(long, default_value_t = 3.0)]
    min_lift: f64,
    /// Candidates of each kind to list.
    #[arg(long, default_value_t = 40)]
    top: usize,
    /// Most words between the two words of a proximity pair (0: no pairs).
    #[arg(long, default_value_t = 4)]
    window: usize,
    /// Count a candidate once per value of this column (e.g. `company`: ten ads of one employer are one voice).
    #[arg(long, value_name = "COLUMN")]
    distinct_col: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = MineFormat::Human)]
    format: MineFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MineFormat {
    /// Readable tables.
    Human,
    /// One CSV row per candidate: kind,words,in_role,elsewhere,lift,examples.
    Csv,
    /// One JSON object.
    Json,
}

#[cfg(feature = "serve")]
mod page;
mod rules;
#[cfg(feature = "serve")]
mod serve;

#[derive(Debug, Args)]
struct TitleArgs {
    /// Titles to read; `-` reads one title per line from stdin.
    #[arg(value_name = "TITLE", required = true)]
    titles: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TitleFormat::Human)]
    format: TitleFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TitleFormat {
    /// Readable lines.
    Human,
    /// One JSON object per title (JSON Lines).
    Json,
}

#[derive(Debug, Args)]
struct BatchArgs {
    #[command(flatten)]
    input: RecordArgs,
    /// Write results here (atomically: a temporary file renamed at the end) instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: Option<PathBuf>,
    /// Output format (default: from the `-o` extension, else csv).
    #[arg(long, value_enum)]
    format: Option<BatchOutput>,
}

/// Reading records: shared by `batch` and `drift`.
#[derive(Debug, Args)]
struct RecordArgs {
    /// Input file (CSV with a header, or JSON Lines); `-` or nothing reads stdin.
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// Input format (default: from the file extension, `.jsonl`/`.ndjson` = jsonl, else csv).
    #[arg(long, value_enum)]
    input_format: Option<BatchInput>,
    /// CSV field delimiter (default: detected among , ; tab | ~).
    #[arg(long)]
    delimiter: Option<String>,
    /// Column holding the record id (default: detected, else the record number).
    #[arg(long)]
    id_col: Option<String>,
    /// Column holding the posted title (default: detected).
    #[arg(long)]
    title_col: Option<String>,
    /// Column(s) holding the posting text, joined as sections (repeatable; default: detected).
    #[arg(long)]
    text_col: Vec<String>,
    /// Input column(s) to carry through to the output (repeatable).
    #[arg(long)]
    keep: Vec<String>,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long)]
    threads: Option<usize>,
    /// Write error records (record,line,byte,reason) to this CSV file instead of stderr.
    #[arg(long, value_name = "FILE")]
    errors: Option<PathBuf>,
    /// Largest text field accepted, in bytes; larger ones become error records.
    #[arg(long, default_value_t = 4 << 20)]
    max_field_bytes: usize,
    /// No summary and no progress bar on stderr.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Report a verdict whose confidence is below X (0 to 1) as `uncertain`, its role the best guess, counted
    /// apart from `other` (and, in drift, read as a body that does not testify: `unknown`).
    #[arg(long, value_name = "X", value_parser = confidence)]
    min_confidence: Option<f64>,
}

#[derive(Debug, Args)]
struct DriftArgs {
    #[command(flatten)]
    input: RecordArgs,
    /// Write the per-posting rows here (CSV, or JSON Lines for `.jsonl`), atomically.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: Option<PathBuf>,
    /// What goes to stdout: the aggregate as tables or JSON, or the per-posting rows as CSV or JSON Lines.
    #[arg(long, value_enum, default_value_t = DriftFormat::Table)]
    format: DriftFormat,
    /// Also write a self-contained HTML report here.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Group the figures by this column (company, source, department).
    #[arg(long, value_name = "COLUMN")]
    by: Option<String>,
    /// Column holding the posting date, for drift over time.
    #[arg(long, value_name = "COLUMN")]
    date_col: Option<String>,
    /// Period for drift over time (needs --date-col).
    #[arg(long, value_enum, default_value_t = PeriodArg::Month)]
    period: PeriodArg,
    /// How many of the most drifted postings to list.
    #[arg(long, default_value_t = 10, value_name = "N")]
    top: usize,
    /// A reader's verdicts on some of the postings (CSV: `id`, `verdict` = drift, fits or unclear): the summary
    /// adds how the flags agree with them (precision, recall, false alarms and misses).
    #[arg(long, value_name = "FILE")]
    judged: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DriftFormat {
    /// Readable tables of the aggregate.
    Table,
    /// The aggregate as one JSON object.
    Json,
    /// Per-posting rows as CSV.
    Csv,
    /// Per-posting rows as JSON Lines.
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PeriodArg {
    /// 2024-04
    Month,
    /// 2024-Q2
    Quarter,
    /// 2024
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BatchInput {
    /// CSV with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BatchOutput {
    /// One CSV row per record.
    Csv,
    /// One JSON object per record (the `classify --format json` schema plus `record`).
    Jsonl,
}

#[derive(Debug, Args)]
struct ClassifyArgs {
    /// Posting files; `-` or nothing reads one posting from stdin.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The title the posting was published under: reported beside the verdict, never scored. Without it, a short
    /// first line that names a role is read as the title.
    #[arg(long)]
    title: Option<String>,
    /// Do not read the posting's first line as its title when no --title is given.
    #[arg(long)]
    no_title_guess: bool,
    /// Report a verdict whose confidence is below X (0 to 1) as `uncertain`, its role the best guess.
    #[arg(long, value_name = "X", value_parser = confidence)]
    min_confidence: Option<f64>,
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
    /// Column holding the expected role id, `other` for none (default: detected: title_label, label,
    /// expected_role, role_label, expected, class).
    #[arg(long)]
    label_col: Option<String>,
    /// Column(s) holding the posting text (repeatable; joined as sections; default: detected, as in `batch`).
    #[arg(long)]
    text_col: Vec<String>,
    /// Column holding the row id (default: detected, as in `batch`, else the record number).
    #[arg(long)]
    id_col: Option<String>,
    /// Column holding the posted title: shown beside disagreements, never scored (default: detected).
    #[arg(long)]
    title_col: Option<String>,
    /// Also print the figures per value of this column (e.g. `--by dataset`: one line per board); the
    /// predictions file gets the column too.
    #[arg(long, value_name = "COLUMN")]
    by: Option<String>,
    /// Field delimiter (one ASCII character; `\t` for tab; default: detected among , ; tab | ~).
    #[arg(long)]
    delimiter: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Human)]
    format: EvalFormat,
    /// Write `id,label,predicted,status,confidence` per row to this CSV file.
    #[arg(long, value_name = "OUT")]
    predictions: Option<PathBuf>,
    /// List the N most confident disagreements with their evidence.
    #[arg(long, value_name = "N")]
    errors: Option<usize>,
    /// Score responsibility evidence alone, as if role names were masked out of the bodies ("as our Product
    /// Owner" adds nothing): measures what the body's work says, not what the employer calls it.
    #[arg(long)]
    mask_names: bool,
    /// Per signal: how often it fired, backed the prediction, and backed a wrong one (the most misleading
    /// first); printed (top 20) and, with a file name, written there as CSV.
    #[arg(long, value_name = "OUT", num_args = 0..=1, default_missing_value = "")]
    rule_stats: Option<PathBuf>,
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
    /// A batch ran to the end, but some records were error records (exit 1).
    RecordErrors,
    /// A check failed: lint errors, failing examples (exit 1).
    CheckFailed,
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
    // Lint and test read a pack that may not compile: they load it themselves.
    if let Command::Rules(r @ (rules::RulesCommand::Lint(_) | rules::RulesCommand::Test(_))) = &cli.command {
        return rules::check_pack(&cli.rules, r);
    }
    // Completions and the man page come from the command line's definition alone: no rules needed.
    match &cli.command {
        Command::Completions(a) => return completions(a.shell),
        Command::Man(a) => return man_page(a.dir.as_deref()),
        _ => {}
    }
    let rules = load_rules(&cli.rules)?;
    let outcome = match cli.command {
        Command::Classify(a) => classify(&rules, a),
        Command::Eval(a) => evaluate(&rules, a),
        Command::Batch(a) => batch(&rules, a),
        Command::Title(a) => titles(&rules, a),
        Command::Drift(a) => drift(&rules, a),
        Command::Rules(r) => rules::inspect(&rules, r),
        Command::Explain(a) => rules::explain(&rules, a),
        Command::Mine(a) => mine(&rules, a),
        Command::Completions(_) | Command::Man(_) => unreachable!("answered before the rules are loaded"),
        #[cfg(feature = "serve")]
        Command::Serve(a) => return serve::serve(rules, a),
    };
    // The process ends next: freeing thousands of small allocations one by one would only delay the exit.
    std::mem::forget(rules);
    outcome
}

/// Writes the completion script for `shell` to stdout.
fn completions(shell: clap_complete::Shell) -> Result<Outcome, Failure> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "rolecall", &mut out);
    io::stdout().lock().write_all(&out)?;
    Ok(Outcome::Found)
}

/// Writes the man page (roff, section 1) to stdout, or every page into `dir`.
fn man_page(dir: Option<&Path>) -> Result<Outcome, Failure> {
    let cmd = <Cli as clap::CommandFactory>::command();
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir)
            .and_then(|()| clap_mangen::generate_to(cmd, dir))
            .map_err(|e| Failure::Input(format!("{}: cannot write the man pages: {e}", dir.display())))?;
        return Ok(Outcome::Found);
    }
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out)?;
    io::stdout().lock().write_all(&out)?;
    Ok(Outcome::Found)
}

/// The pack's sources: the built-in rules, or `--rules DIR`, plus every `--rules-add DIR`.
fn pack_sources(args: &RuleArgs) -> Result<Vec<rolecall::Source>, Failure> {
    let mut sources = match &args.rules {
        Some(dir) => rolecall::rulefile::read_dir(dir).map_err(|d| Failure::Rules(vec![d]))?,
        None => rolecall::rulefile::embedded(),
    };
    for dir in &args.rules_add {
        sources.extend(rolecall::rulefile::read_dir(dir).map_err(|d| Failure::Rules(vec![d]))?);
    }
    Ok(sources)
}

fn load_rules(args: &RuleArgs) -> Result<RuleSet, Failure> {
    let sources = pack_sources(args)?;
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

/// How many leading bytes are looked at to tell text from binary data.
const BINARY_PROBE: usize = 8192;

/// What binary data the first bytes `head` look like, or `None` for text: a known file signature (the ads people
/// actually have: PDF, Word or other zip files, images), or NUL and other control bytes making up more than a tenth
/// of the start. A few stray NUL bytes in scraped text keep it text.
fn binary_kind(head: &[u8]) -> Option<&'static str> {
    let head = &head[..head.len().min(BINARY_PROBE)];
    const SIGNATURES: [(&[u8], &str); 9] = [
        (b"%PDF-", "a PDF file"),
        (b"PK\x03\x04", "a zip archive (a .docx, .xlsx, .odt or .zip file)"),
        (b"\xd0\xcf\x11\xe0", "an old Office document (.doc or .xls)"),
        (b"{\\rtf", "an RTF document"),
        (b"\x7fELF", "an executable"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"\x1f\x8b", "gzip-compressed data"),
    ];
    if let Some((_, kind)) = SIGNATURES.iter().find(|(magic, _)| head.starts_with(magic)) {
        return Some(kind);
    }
    let control = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)).count();
    (head.contains(&0) && control * 10 > head.len()).then_some("binary data")
}

/// One clear error for binary input, instead of reading it as a posting or echoing its bytes back later.
fn refuse_binary(name: &str, head: &[u8], what: &str) -> Result<(), String> {
    match binary_kind(head) {
        Some(kind) => Err(format!("{name}: looks like {kind}, not {what}; give rolecall the text itself")),
        None => Ok(()),
    }
}

/// [`refuse_binary`] on the start of the file at `path`.
fn refuse_binary_file(path: &Path, what: &str) -> Result<(), Failure> {
    let mut head = Vec::with_capacity(BINARY_PROBE);
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| Failure::Input(format!("{name}: cannot open: {e}")))?;
    file.take(BINARY_PROBE as u64)
        .read_to_end(&mut head)
        .map_err(|e| Failure::Input(format!("{name}: cannot read: {e}")))?;
    refuse_binary(&name, &head, what).map_err(Failure::Input)
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
    refuse_binary(&name, &bytes, "a text posting")?;
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
    if text.len() > rolecall::posting::MAX_TEXT_BYTES {
        eprintln!(
            "rolecall: warning: {name}: {} bytes; only the first {} are read for evidence",
            text.len(),
            rolecall::posting::MAX_TEXT_BYTES
        );
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
    let mut scanner = Session::new(rules);
    scanner.set_min_confidence(a.min_confidence);
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
        let report = scanner.report(&input.text, &input.name, a.title.as_deref(), !a.no_title_guess);
        found |= report.name.is_some();
        printer.print(&report)?;
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

fn titles(rules: &RuleSet, a: TitleArgs) -> Result<Outcome, Failure> {
    let mut list = Vec::new();
    for t in a.titles {
        if t == "-" {
            for line in io::stdin().lock().lines() {
                let line = line.map_err(|e| Failure::Input(format!("-: cannot read stdin: {e}")))?;
                if !line.trim().is_empty() {
                    list.push(line);
                }
            }
        } else {
            list.push(t);
        }
    }
    let mut scanner = Session::new(rules);
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut found = false;
    for t in &list {
        let reading = scanner.title(t);
        found |= reading.role.is_some();
        let r = rolecall::title::TitleReport::new(rules, &reading, t);
        match a.format {
            TitleFormat::Json => {
                serde_json::to_writer(&mut out, &r).map_err(io::Error::other)?;
                writeln!(out)?;
            }
            TitleFormat::Human => {
                let st = &r.stated;
                let role = match (st.role, st.also) {
                    (Some(x), Some(y)) => format!("{x} + {y} (dual title)"),
                    (Some(x), None) => format!("{x} (family {})", r.family.unwrap_or("")),
                    _ if !st.candidates.is_empty() => format!("none: ambiguous between {}", st.candidates.join(", ")),
                    _ => "none (no role phrase in the title)".to_string(),
                };
                let seniority =
                    st.seniority.as_ref().map_or("-".to_string(), |s| format!("{} ({:?})", s.level, s.text));
                let parts: Vec<String> = st.parts.iter().map(|p| format!("{} {:?}", p.kind, p.text)).collect();
                writeln!(out, "{t}")?;
                writeln!(out, "  role       {role}")?;
                writeln!(out, "  seniority  {seniority}")?;
                if !st.also_named.is_empty() {
                    writeln!(out, "  also names {}", st.also_named.join(", "))?;
                }
                if !parts.is_empty() {
                    writeln!(out, "  apart      {}", parts.join(", "))?;
                }
            }
        }
    }
    out.flush()?;
    Ok(if found { Outcome::Found } else { Outcome::NothingMatched })
}

fn mine(rules: &RuleSet, a: MineArgs) -> Result<Outcome, Failure> {
    let delimiter = parse_delimiter(&a.delimiter)?;
    if a.file.as_os_str() == "-" || a.file.is_dir() {
        return Err(Failure::Input(format!(
            "{}: mine reads a CSV file twice; give a file, not stdin or a directory",
            a.file.display()
        )));
    }
    refuse_binary_file(&a.file, "a CSV file")?;
    let cols = Columns { label: a.label_col, text: a.text_col, id: a.id_col, title: None, by: None };
    let opts = rolecall::mine::MineOptions {
        role: a.role,
        max_n: a.max_n.into(),
        min_count: a.min_count.max(1),
        min_lift: a.min_lift,
        top: a.top,
        window: a.window.min(12),
        distinct: a.distinct_col,
    };
    let open = || std::fs::File::open(&a.file).map(io::BufReader::new);
    let mined = rolecall::mine::mine(rules, open, delimiter, &cols, &opts)
        .map_err(|e| Failure::Input(format!("{}: {e}", a.file.display())))?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match a.format {
        MineFormat::Human => write!(out, "{}", mined.render())?,
        MineFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &mined).map_err(io::Error::other)?;
            writeln!(out)?;
        }
        MineFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            let werr = |e: csv::Error| Failure::Io(io::Error::other(e));
            w.write_record(["kind", "words", "in_role", "elsewhere", "lift", "examples"]).map_err(werr)?;
            for c in mined.phrases.iter().chain(&mined.pairs) {
                let lift = format!("{:.2}", c.lift);
                let row =
                    [c.kind, &c.text, &c.in_role.to_string(), &c.elsewhere.to_string(), &lift, &c.examples.join(" ")];
                w.write_record(row).map_err(werr)?;
            }
            w.flush()?;
        }
    }
    out.flush()?;
    Ok(if mined.phrases.is_empty() && mined.pairs.is_empty() { Outcome::NothingMatched } else { Outcome::Found })
}

/// A confidence from the command line: a number from 0 to 1.
fn confidence(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("`{s}` is not a confidence: give a number from 0 to 1")),
    }
}

fn parse_delimiter(s: &str) -> Result<u8, Failure> {
    match s {
        "\\t" | "tab" | "\t" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err(Failure::Input(format!("--delimiter must be one ASCII character, not {s:?}"))),
    }
}

/// The label column names `eval` looks for, in order, when `--label-col` is not given.
const LABEL_NAMES: &[&str] = &["title_label", "label", "expected_role", "role_label", "expected", "class"];

/// `eval`'s delimiter and columns: the ones named, else detected the way `batch` detects them (the delimiter from
/// the header line; id, title and text columns by their usual names), plus the label column.
fn eval_columns(a: &EvalArgs) -> Result<(u8, Columns), Failure> {
    let name = a.file.display();
    let open = || std::fs::File::open(&a.file).map_err(|e| Failure::Input(format!("{name}: cannot open: {e}")));
    let delimiter = match &a.delimiter {
        Some(d) => parse_delimiter(d)?,
        None => {
            let mut r = io::BufReader::new(open()?);
            let head = r.fill_buf().map_err(|e| Failure::Input(format!("{name}: cannot read: {e}")))?;
            let end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
            rolecall::batch::sniff_delimiter(&head[..end])
        }
    };
    let mut rdr = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(open()?);
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| Failure::Input(format!("{name}: cannot read the header: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let fold = |h: &str| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase().replace([' ', '-'], "_");
    let label = match &a.label_col {
        Some(l) => l.clone(),
        None => LABEL_NAMES.iter().find_map(|n| header.iter().find(|h| fold(h) == *n)).cloned().ok_or_else(|| {
            Failure::Input(format!(
                "{name}: no label column found (looked for {}); name it with --label-col; the header has: {}",
                LABEL_NAMES.join(", "),
                header.join(", ")
            ))
        })?,
    };
    let wanted = rolecall::batch::Columns {
        id: a.id_col.clone(),
        title: a.title_col.clone(),
        text: a.text_col.clone(),
        ..Default::default()
    };
    let chosen =
        rolecall::batch::choose_columns(&header, &wanted).map_err(|e| Failure::Input(format!("{name}: {e}")))?;
    let at = |i: usize| header[i].clone();
    // A detected title column is never the label column ("role" could be either).
    let title = chosen.title.filter(|&i| a.title_col.is_some() || header[i] != label).map(at);
    let cols = Columns {
        label,
        text: chosen.text.into_iter().map(at).collect(),
        id: chosen.id.map(at),
        title,
        by: a.by.clone(),
    };
    Ok((delimiter, cols))
}

fn evaluate(rules: &RuleSet, a: EvalArgs) -> Result<Outcome, Failure> {
    if a.file.is_dir() {
        return Err(Failure::Input(format!("{}: is a directory, not a CSV file", a.file.display())));
    }
    refuse_binary_file(&a.file, "a CSV file")?;
    let (delimiter, cols) = eval_columns(&a)?;
    let opt = |c: &Option<String>| c.clone().unwrap_or_else(|| "-".into());
    eprintln!(
        "rolecall: columns label={} id={} title={} text={} (delimiter {:?})",
        cols.label,
        opt(&cols.id),
        opt(&cols.title),
        cols.text.join("+"),
        delimiter as char
    );
    let file =
        std::fs::File::open(&a.file).map_err(|e| Failure::Input(format!("{}: cannot open: {e}", a.file.display())))?;
    let basis = if a.mask_names { rolecall::score::Basis::Responsibilities } else { rolecall::score::Basis::All };
    let ev = eval::evaluate_on(rules, io::BufReader::new(file), delimiter, &cols, basis)
        .map_err(|e| Failure::Input(format!("{}: {e}", a.file.display())))?;
    if let Some(path) = &a.predictions {
        let mut w = csv::Writer::from_path(path)
            .map_err(|e| Failure::Input(format!("{}: cannot write: {e}", path.display())))?;
        let werr = |e: csv::Error| Failure::Input(format!("{}: cannot write: {e}", path.display()));
        let mut header = vec!["id", "label", "predicted", "status", "confidence"];
        header.extend(a.by.as_deref());
        w.write_record(&header).map_err(werr)?;
        for p in &ev.predictions {
            let confidence = p.confidence.to_string();
            let mut row = vec![p.id.as_str(), &p.label, &p.predicted, p.status.as_str(), &confidence];
            row.extend(p.group.as_deref());
            w.write_record(&row).map_err(werr)?;
        }
        w.flush()?;
    }
    if let Some(path) = a.rule_stats.as_ref().filter(|p| !p.as_os_str().is_empty()) {
        let werr = |e: csv::Error| Failure::Input(format!("{}: cannot write: {e}", path.display()));
        let mut w = csv::Writer::from_path(path).map_err(werr)?;
        w.write_record(["phrase", "role", "area", "kind", "fired", "for_prediction", "wrong", "wrong_rows"])
            .map_err(werr)?;
        for s in &ev.signals {
            w.write_record([
                s.phrase.as_str(),
                &s.role,
                s.area.as_deref().unwrap_or(""),
                s.kind,
                &s.fired.to_string(),
                &s.for_prediction.to_string(),
                &s.wrong.to_string(),
                &s.wrong_ids.join(" "),
            ])
            .map_err(werr)?;
        }
        w.flush()?;
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let worst = ev.worst(rules, a.errors.unwrap_or(0));
    let stats = a.rule_stats.is_some();
    match a.format {
        EvalFormat::Json if stats => {
            let v =
                serde_json::json!({ "metrics": ev.metrics, "by": ev.groups, "errors": worst, "signals": ev.signals });
            serde_json::to_writer_pretty(&mut out, &v).map_err(io::Error::other)?;
            writeln!(out)?;
        }
        EvalFormat::Json => {
            let v = serde_json::json!({ "metrics": ev.metrics, "by": ev.groups, "errors": worst });
            serde_json::to_writer_pretty(&mut out, &v).map_err(io::Error::other)?;
            writeln!(out)?;
        }
        EvalFormat::Human => {
            write!(out, "{}", ev.metrics.render())?;
            if let Some(column) = &a.by {
                writeln!(out)?;
                write!(out, "{}", eval::render_groups(column, &ev.groups))?;
            }
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
            if stats {
                writeln!(
                    out,
                    "\nsignals that backed wrong predictions most often (fired / for the prediction / wrong)"
                )?;
                for s in ev.signals.iter().filter(|s| s.wrong > 0).take(20) {
                    let place = s.area.as_deref().map_or(s.kind.to_string(), |a| format!("{}/{a}", s.role));
                    let place = if s.area.is_none() { format!("{}/{place}", s.role) } else { place };
                    writeln!(
                        out,
                        "  {:>5} {:>5} {:>5}  {}  {}",
                        s.fired,
                        s.for_prediction,
                        s.wrong,
                        rolecall::report::truncate(&s.phrase, 60),
                        place
                    )?;
                }
            }
        }
    }
    out.flush()?;
    Ok(Outcome::Found)
}

fn has_ext(p: &Path, exts: &[&str]) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| exts.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Writes to a temporary file beside `target`, renamed over it by `commit`; dropped uncommitted, it is removed.
struct AtomicFile {
    /// The temporary file renamed over the target at commit; `None` when the target is written in place.
    tmp: Option<PathBuf>,
    target: PathBuf,
    file: Option<io::BufWriter<std::fs::File>>,
}

impl AtomicFile {
    /// A regular file (or a new one) is written beside it and renamed over it at commit. Anything else that exists
    /// (`/dev/null`, a FIFO, a terminal) is written in place: renaming over a device would replace it.
    fn create(target: &Path) -> io::Result<AtomicFile> {
        if std::fs::metadata(target).is_ok_and(|m| !m.is_file()) {
            let file = std::fs::OpenOptions::new().write(true).open(target)?;
            return Ok(AtomicFile { tmp: None, target: target.to_path_buf(), file: Some(io::BufWriter::new(file)) });
        }
        let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = target.file_name().map_or("out".into(), |n| n.to_string_lossy().into_owned());
        let tmp = dir.join(format!(".{name}.rolecall-{}.tmp", std::process::id()));
        let file = std::fs::File::create(&tmp)?;
        Ok(AtomicFile { tmp: Some(tmp), target: target.to_path_buf(), file: Some(io::BufWriter::new(file)) })
    }

    fn commit(mut self) -> io::Result<()> {
        let file = self.file.take().expect("open until commit");
        let file = file.into_inner().map_err(|e| e.into_error())?;
        match &self.tmp {
            Some(tmp) => {
                file.sync_all()?;
                std::fs::rename(tmp, &self.target)
            }
            None => Ok(()),
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.as_mut().expect("open until commit").write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().expect("open until commit").flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let (Some(_), Some(tmp)) = (self.file.take(), &self.tmp) {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

fn batch(rules: &RuleSet, a: BatchArgs) -> Result<Outcome, Failure> {
    use rolecall::batch::OutputFormat;
    let output_format = match a.format {
        Some(BatchOutput::Jsonl) => OutputFormat::Jsonl,
        Some(BatchOutput::Csv) => OutputFormat::Csv,
        None if a.output.as_deref().is_some_and(|o| has_ext(o, &["jsonl", "ndjson", "json"])) => OutputFormat::Jsonl,
        None => OutputFormat::Csv,
    };
    let to = match &a.output {
        Some(p) => RowsTo::File(p),
        None => RowsTo::Stdout,
    };
    let quiet = a.input.quiet;
    let (summary, _) = run_records(rules, a.input, to, output_format, Task::Classify, (None, None), (0, None, None))?;
    if !quiet {
        let roles: Vec<String> = summary.roles.iter().map(|(r, n)| format!("{r} {n}")).collect();
        eprintln!("rolecall: roles: {}", roles.join(", "));
    }
    Ok(if summary.errors > 0 { Outcome::RecordErrors } else { Outcome::Found })
}

/// Where a record run's rows go.
enum RowsTo<'p> {
    /// A file, written atomically.
    File(&'p Path),
    /// Standard output.
    Stdout,
    /// Nowhere (a drift run that only wants the aggregate).
    Nowhere,
}

/// Reads records (the shared input options of `batch` and `drift`), runs `task` over them in parallel, writes the
/// rows to `to`, reports error records and a summary line on stderr, and returns the totals with the drift
/// aggregate (`top_n` drifted postings kept, dates bucketed by `period`, tallied against `judgements` if any).
fn run_records(
    rules: &RuleSet,
    a: RecordArgs,
    to: RowsTo<'_>,
    output_format: rolecall::batch::OutputFormat,
    task: Task,
    (by, date): (Option<String>, Option<String>),
    (top_n, period, judgements): (usize, Option<rolecall::aggregate::Period>, Option<&rolecall::judged::Judgements>),
) -> Result<(rolecall::batch::Summary, rolecall::aggregate::DriftSummary), Failure> {
    use rolecall::batch::{Batch, Columns, InputFormat};
    let path = a.file.clone().unwrap_or_else(|| PathBuf::from("-"));
    let stdin = path.as_os_str() == "-";
    let input_format = match a.input_format {
        Some(BatchInput::Jsonl) => InputFormat::Jsonl,
        Some(BatchInput::Csv) => InputFormat::Csv,
        None if has_ext(&path, &["jsonl", "ndjson"]) => InputFormat::Jsonl,
        None => InputFormat::Csv,
    };
    let delimiter = a.delimiter.as_deref().map(parse_delimiter).transpose()?;
    let threads = a.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let raw: Box<dyn Read> = if stdin {
        Box::new(io::stdin().lock())
    } else {
        if path.is_dir() {
            return Err(Failure::Input(format!("{}: is a directory, not a CSV or JSON Lines file", path.display())));
        }
        Box::new(
            std::fs::File::open(&path).map_err(|e| Failure::Input(format!("{}: cannot open: {e}", path.display())))?,
        )
    };
    // The first bytes decide whether this is text at all, before any record is read.
    let mut input = io::BufReader::with_capacity(BINARY_PROBE.max(64 * 1024), raw);
    let head = input.fill_buf().map_err(|e| Failure::Input(format!("{}: cannot read: {e}", path.display())))?;
    refuse_binary(&path.display().to_string(), head, "a CSV or JSON Lines file").map_err(Failure::Input)?;
    let input: Box<dyn Read> = Box::new(input);
    let mut error_file = match &a.errors {
        Some(p) => {
            let mut w =
                csv::Writer::from_path(p).map_err(|e| Failure::Input(format!("{}: cannot write: {e}", p.display())))?;
            w.write_record(["record", "line", "byte", "reason"]).map_err(|e| Failure::Input(e.to_string()))?;
            Some(w)
        }
        None => None,
    };
    let total = if stdin { None } else { std::fs::metadata(&path).ok().map(|m| m.len()) };
    let bar = std::cell::RefCell::new(ProgressBar::new(!a.quiet && ProgressBar::wanted(), total));
    let mut on_error = |e: &rolecall::batch::RecordError| -> io::Result<()> {
        bar.borrow_mut().clear();
        match &mut error_file {
            Some(w) => w
                .write_record([e.record.to_string(), e.line.to_string(), e.byte.to_string(), e.reason.clone()])
                .map_err(io::Error::other),
            None => {
                eprintln!("rolecall: record {} (line {}, byte {}): {}", e.record, e.line, e.byte, e.reason);
                Ok(())
            }
        }
    };
    let (quiet, min_confidence) = (a.quiet, a.min_confidence);
    let mut on_columns = |c: &rolecall::batch::Chosen| {
        if !quiet {
            eprintln!("rolecall: columns {}", c.describe());
        }
    };
    let job = Batch {
        rules,
        input: input_format,
        delimiter,
        output: output_format,
        columns: Columns { id: a.id_col, title: a.title_col, text: a.text_col, keep: a.keep, by, date },
        threads,
        max_field_bytes: a.max_field_bytes,
        task,
        min_confidence: a.min_confidence,
        judgements,
    };
    let started = std::time::Instant::now();
    let mut progress = |p| bar.borrow_mut().update(p);
    let summary = match to {
        RowsTo::File(target) => {
            let mut out = AtomicFile::create(target)
                .map_err(|e| Failure::Input(format!("{}: cannot write: {e}", target.display())))?;
            let s = job
                .run_drift(input, &mut out, &mut on_error, &mut on_columns, &mut progress, top_n, period)
                .map_err(batch_failure)?;
            out.commit().map_err(|e| Failure::Input(format!("{}: cannot write: {e}", target.display())))?;
            s
        }
        RowsTo::Stdout => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
            job.run_drift(input, &mut out, &mut on_error, &mut on_columns, &mut progress, top_n, period)
                .map_err(batch_failure)?
        }
        RowsTo::Nowhere => job
            .run_drift(input, &mut io::sink(), &mut on_error, &mut on_columns, &mut progress, top_n, period)
            .map_err(batch_failure)?,
    };
    bar.borrow_mut().clear();
    if let Some(w) = &mut error_file {
        w.flush()?;
    }
    if !quiet {
        let secs = started.elapsed().as_secs_f64().max(1e-9);
        let summary = &summary.0;
        eprintln!(
            "rolecall: read {}, classified {} (other {}{}), errors {}; {:.2} s, {:.0} postings/s, {:.1} MB/s of text",
            summary.read,
            summary.classified,
            summary.abstained,
            if min_confidence.is_some() { format!(", uncertain {}", summary.uncertain) } else { String::new() },
            summary.errors,
            secs,
            summary.classified as f64 / secs,
            summary.text_bytes as f64 / secs / 1e6
        );
    }
    Ok(summary)
}

fn drift(rules: &RuleSet, a: DriftArgs) -> Result<Outcome, Failure> {
    use rolecall::aggregate::Period;
    use rolecall::batch::OutputFormat;
    let jsonl_ext = |p: &Path| has_ext(p, &["jsonl", "ndjson", "json"]);
    let (to, output_format) = match (&a.output, a.format) {
        (Some(p), _) => (RowsTo::File(p), if jsonl_ext(p) { OutputFormat::Jsonl } else { OutputFormat::Csv }),
        (None, DriftFormat::Csv) => (RowsTo::Stdout, OutputFormat::Csv),
        (None, DriftFormat::Jsonl) => (RowsTo::Stdout, OutputFormat::Jsonl),
        (None, _) => (RowsTo::Nowhere, OutputFormat::Csv),
    };
    if a.output.is_some() && matches!(a.format, DriftFormat::Csv | DriftFormat::Jsonl) {
        return Err(Failure::Input(
            "--format csv/jsonl writes the per-posting rows to stdout; with -o they go to the file instead: use one"
                .into(),
        ));
    }
    let period = a.date_col.as_ref().map(|_| match a.period {
        PeriodArg::Month => Period::Month,
        PeriodArg::Quarter => Period::Quarter,
        PeriodArg::Year => Period::Year,
    });
    let quiet = a.input.quiet;
    let judgements = match &a.judged {
        Some(p) => {
            let f = std::fs::File::open(p).map_err(|e| Failure::Input(format!("{}: cannot open: {e}", p.display())))?;
            let j = rolecall::judged::Judgements::from_csv(io::BufReader::new(f))
                .map_err(|e| Failure::Input(format!("{}: {e}", p.display())))?;
            Some(j)
        }
        None => None,
    };
    let (run, summary) = run_records(
        rules,
        a.input,
        to,
        output_format,
        Task::Drift,
        (a.by.clone(), a.date_col.clone()),
        (a.top, period, judgements.as_ref()),
    )?;
    if let (Some(t), false) = (&summary.judged, quiet) {
        let unmatched = t.judged - t.matched();
        if unmatched > 0 {
            eprintln!("rolecall: {unmatched} judged id(s) are not among the postings classified (absent from the input, or error records)");
        }
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match a.format {
        DriftFormat::Table => rolecall::report::drift_tables(&mut out, &summary, rules.hash())?,
        DriftFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &summary.json(rules.hash())).map_err(io::Error::other)?;
            writeln!(out)?;
        }
        DriftFormat::Csv | DriftFormat::Jsonl => {}
    }
    out.flush()?;
    if let Some(path) = &a.html {
        let mut f =
            AtomicFile::create(path).map_err(|e| Failure::Input(format!("{}: cannot write: {e}", path.display())))?;
        rolecall::report::drift_html(&mut f, &summary, rules)?;
        f.commit().map_err(|e| Failure::Input(format!("{}: cannot write: {e}", path.display())))?;
        if !quiet {
            eprintln!("rolecall: wrote {}", path.display());
        }
    }
    Ok(if run.errors > 0 { Outcome::RecordErrors } else { Outcome::Found })
}

/// A one-line progress bar on stderr for long batch runs: records, MB, rate and (when the input size is known) a bar
/// and the time left. Drawn only when stderr is a terminal outside CI, at most ten times a second, and erased before
/// anything else is printed.
struct ProgressBar {
    on: bool,
    total: Option<u64>,
    started: std::time::Instant,
    last: Option<std::time::Instant>,
    drawn: bool,
}

impl ProgressBar {
    fn new(on: bool, total: Option<u64>) -> Self {
        ProgressBar { on, total, started: std::time::Instant::now(), last: None, drawn: false }
    }

    /// Whether a bar belongs on stderr: a terminal, not under CI, not a dumb terminal.
    fn wanted() -> bool {
        io::stderr().is_terminal()
            && std::env::var_os("CI").is_none()
            && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
    }

    fn update(&mut self, p: rolecall::batch::Progress) {
        let now = std::time::Instant::now();
        if !self.on || self.last.is_some_and(|l| now - l < std::time::Duration::from_millis(100)) {
            return;
        }
        self.last = Some(now);
        let line = progress_line(p, self.total, (now - self.started).as_secs_f64());
        eprint!("\r\x1b[K{line}");
        self.drawn = true;
    }

    fn clear(&mut self) {
        if self.drawn {
            eprint!("\r\x1b[K");
            self.drawn = false;
        }
    }
}

/// The text of the progress bar after `secs` seconds.
fn progress_line(p: rolecall::batch::Progress, total: Option<u64>, secs: f64) -> String {
    let mb = p.bytes as f64 / 1e6;
    let rate = if secs > 0.0 { mb / secs } else { 0.0 };
    let mut line = format!("rolecall: {} records, {mb:.1}", p.records);
    match total {
        Some(t) if t > 0 => {
            let done = (p.bytes as f64 / t as f64).clamp(0.0, 1.0);
            let width = 24;
            let filled = (done * width as f64).round() as usize;
            line += &format!(" / {:.1} MB, {rate:.1} MB/s", t as f64 / 1e6);
            if rate > 0.0 {
                let left = ((t.saturating_sub(p.bytes)) as f64 / 1e6 / rate).round() as u64;
                line += &format!(", ETA {}:{:02}", left / 60, left % 60);
            }
            line += &format!(" [{}{}] {:.0}%", "#".repeat(filled), "-".repeat(width - filled), done * 100.0);
        }
        _ => line += &format!(" MB, {rate:.1} MB/s"),
    }
    line
}

fn batch_failure(e: rolecall::batch::BatchError) -> Failure {
    match e {
        rolecall::batch::BatchError::Io(e) => Failure::Io(e),
        rolecall::batch::BatchError::Start(m) => Failure::Input(m),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rolecall::batch::Progress;

    #[test]
    fn progress_line_shows_rate_eta_and_bar_when_the_size_is_known() {
        let line = progress_line(Progress { records: 1200, bytes: 50_000_000 }, Some(200_000_000), 2.0);
        assert_eq!(line, "rolecall: 1200 records, 50.0 / 200.0 MB, 25.0 MB/s, ETA 0:06 [######------------------] 25%");
        let piped = progress_line(Progress { records: 3, bytes: 3_000_000 }, None, 1.5);
        assert_eq!(piped, "rolecall: 3 records, 3.0 MB, 2.0 MB/s");
        let done = progress_line(Progress { records: 9, bytes: 10 }, Some(10), 0.0);
        assert!(done.ends_with(&format!("[{}] 100%", "#".repeat(24))), "{done}");
    }

    #[test]
    fn progress_bar_stays_silent_when_off() {
        let mut bar = ProgressBar::new(false, Some(10));
        bar.update(Progress { records: 1, bytes: 5 });
        assert!(!bar.drawn && bar.last.is_none());
    }
}
