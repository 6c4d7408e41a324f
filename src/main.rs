//! The `rolecall` binary: parse arguments, run, map the outcome to an exit code.
//!
//! Exit codes: 0 a verdict, 1 nothing matched, 2 usage / input / rule errors. A closed stdout (e.g. `| head`) ends
//! the run quietly with 0, as in ripgrep.
#![allow(clippy::print_stderr)]

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli::run(args) {
        Ok(cli::Outcome::Found) => ExitCode::SUCCESS,
        Ok(cli::Outcome::NothingMatched) => ExitCode::from(1),
        Ok(cli::Outcome::InputErrors) => ExitCode::from(2),
        Ok(cli::Outcome::RecordErrors) => ExitCode::from(1),
        Ok(cli::Outcome::CheckFailed) => ExitCode::from(1),
        Err(cli::Failure::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(cli::Failure::Io(e)) => {
            eprintln!("rolecall: error: {e}");
            ExitCode::from(2)
        }
        Err(cli::Failure::Rules(diags)) => {
            eprint!("{}", rolecall::diag::render(&diags));
            ExitCode::from(2)
        }
        Err(cli::Failure::Input(msg)) => {
            eprintln!("rolecall: error: {msg}");
            ExitCode::from(2)
        }
    }
}
