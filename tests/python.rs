//! The Python package (`python/`): builds its wheel with maturin, installs it into `target/pylib` (never into the
//! system's site-packages) and runs its pytest suite against this build's `rolecall` binary, so `cargo test` stays
//! the one test command.
//!
//! Needs `maturin` on the PATH and `pytest` (and `pandas`, for the DataFrame test) importable by `python3`;
//! `.ci/run` installs them and sets `ROLECALL_REQUIRE_PYTHON=1`, so in CI a missing tool fails instead of skipping.

use std::path::PathBuf;
use std::process::Command;

fn available(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd).args(args).output().is_ok_and(|o| o.status.success())
}

#[test]
fn the_python_package_passes_its_tests() {
    let ready = available("maturin", &["--version"]) && available("python3", &["-c", "import pytest"]);
    if !ready {
        assert!(std::env::var_os("ROLECALL_REQUIRE_PYTHON").is_none(), "maturin and pytest are required but missing");
        eprintln!("skipped: needs maturin and pytest (CI installs them)");
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let wheels = root.join("target/wheels");
    let _ = std::fs::remove_dir_all(&wheels);
    let build = Command::new("maturin")
        .args(["build", "--release", "--quiet", "-m", "python/Cargo.toml", "-o"])
        .arg(&wheels)
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(build.status.success(), "maturin build failed:\n{}", String::from_utf8_lossy(&build.stderr));
    let wheel = std::fs::read_dir(&wheels)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "whl"));
    let wheel = wheel.expect("a wheel");
    let lib = root.join("target/pylib");
    let _ = std::fs::remove_dir_all(&lib);
    let install = Command::new("python3")
        .args(["-m", "pip", "install", "--quiet", "--no-deps", "--target"])
        .arg(&lib)
        .arg(&wheel)
        .output()
        .unwrap();
    assert!(install.status.success(), "pip install failed:\n{}", String::from_utf8_lossy(&install.stderr));
    let test = Command::new("python3")
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "python/tests"])
        .current_dir(&root)
        .env("PYTHONPATH", &lib)
        .env("ROLECALL_BIN", env!("CARGO_BIN_EXE_rolecall"))
        .output()
        .unwrap();
    let report = format!("{}{}", String::from_utf8_lossy(&test.stdout), String::from_utf8_lossy(&test.stderr));
    assert!(test.status.success(), "pytest failed:\n{report}");
    assert!(report.contains(" passed"), "{report}");
    eprintln!("{}", report.lines().last().unwrap_or(""));
}
