//! Embeds the default rule pack (`rules/*.toml`) into the binary, in file-name order, and on Linux links the code
//! that only some commands run apart from the rest (`src/cli/layout.ld`).
use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("rules/ folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = String::from(
        "/// The embedded default pack: (name, text) per rule file.\npub static EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = format!("rules/{}", f.file_name().unwrap().to_string_lossy());
        out.push_str(&format!("    ({:?}, include_str!({:?})),\n", name, f.display().to_string()));
    }
    out.push_str("];\n");
    fs::write(Path::new(&env::var("OUT_DIR").unwrap()).join("embedded_rules.rs"), out).unwrap();

    // The web server's and the tools' code in text sections of their own, where other commands' pages do not map
    // it in (see the script). ELF targets only; ROLECALL_PLAIN_LINK=1 opts out, for a linker that reads no scripts
    // (mold).
    println!("cargo:rerun-if-env-changed=ROLECALL_PLAIN_LINK");
    let linux = env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let plain = env::var_os("ROLECALL_PLAIN_LINK").is_some_and(|v| !v.is_empty() && v != "0");
    if linux && !plain {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli/layout.ld");
        println!("cargo:rerun-if-changed={}", script.display());
        // -Xlinker, not -Wl: a comma in the path stays in it.
        for arg in ["-Xlinker".into(), "-T".into(), "-Xlinker".into(), script.display().to_string()] {
            println!("cargo:rustc-link-arg-bins={arg}");
        }
    }
}
