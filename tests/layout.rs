//! The `rolecall` binary's layout on Linux: the web server's code and the tools' stand in text sections of their
//! own (`src/cli/layout.ld`, passed by `build.rs`), after the code every other command runs, so that `batch` or
//! `drift` never maps their pages in. Read from the binary's own ELF section and symbol tables.
#![cfg(all(target_os = "linux", target_pointer_width = "64", target_endian = "little"))]

/// A section: name, index, and its bytes' place in the file.
struct Section {
    name: String,
    index: usize,
    kind: u32,
    offset: usize,
    size: usize,
    link: usize,
}

fn u16_at(b: &[u8], at: usize) -> usize {
    u16::from_le_bytes(b[at..at + 2].try_into().unwrap()) as usize
}

fn u32_at(b: &[u8], at: usize) -> usize {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize
}

fn u64_at(b: &[u8], at: usize) -> usize {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap()) as usize
}

/// The NUL-terminated string at `at`.
fn c_str(b: &[u8], at: usize) -> &str {
    let end = at + b[at..].iter().position(|&c| c == 0).unwrap();
    std::str::from_utf8(&b[at..end]).unwrap()
}

fn sections(elf: &[u8]) -> Vec<Section> {
    assert_eq!(&elf[..5], b"\x7fELF\x02", "a 64-bit ELF file");
    let (shoff, shentsize, shnum, shstrndx) =
        (u64_at(elf, 0x28), u16_at(elf, 0x3a), u16_at(elf, 0x3c), u16_at(elf, 0x3e));
    let header = |i: usize| shoff + i * shentsize;
    let names = u64_at(elf, header(shstrndx) + 24);
    (0..shnum)
        .map(|i| {
            let h = header(i);
            Section {
                name: c_str(elf, names + u32_at(elf, h)).to_string(),
                index: i,
                kind: u32_at(elf, h + 4) as u32,
                offset: u64_at(elf, h + 24),
                size: u64_at(elf, h + 32),
                link: u32_at(elf, h + 40),
            }
        })
        .collect()
}

#[test]
fn the_web_servers_and_the_tools_code_is_linked_apart_from_the_rest() {
    if option_env!("ROLECALL_PLAIN_LINK").is_some_and(|v| !v.is_empty() && v != "0") {
        return; // built without the script, on purpose
    }
    let elf = std::fs::read(env!("CARGO_BIN_EXE_rolecall")).unwrap();
    let sections = sections(&elf);
    let find = |name: &str| sections.iter().find(|s| s.name == name);
    let text = find(".text").expect("a .text section");
    let serve = find(".text.serve");
    let tools = find(".text.tools").expect("the script's .text.tools section");
    assert!(tools.size > 64 * 1024, "{} bytes of tools' code", tools.size);
    if cfg!(feature = "serve") {
        let serve = serve.expect("the script's .text.serve section");
        assert!(serve.size > 64 * 1024, "{} bytes of server code", serve.size);
    } else {
        assert!(serve.is_none(), "no server, no section");
    }

    // Every function of the HTTP stack and of the tools is in its section, and none of the scan's. (A stripped
    // build has no symbols to read.)
    let Some(symtab) = sections.iter().find(|s| s.kind == 2) else { return };
    let strtab = &sections[symtab.link];
    let (mut stack, mut tool, mut scan) = (0, 0, 0);
    for at in (symtab.offset..symtab.offset + symtab.size).step_by(24) {
        let (info, shndx, size) = (elf[at + 4], u16_at(&elf, at + 6), u64_at(&elf, at + 16));
        if info & 0xf != 2 || size == 0 {
            continue; // not a function
        }
        let name = c_str(&elf, strtab.offset + u32_at(&elf, at));
        if ["tokio", "hyper", "axum"].iter().any(|c| name.contains(c)) {
            assert_eq!(Some(shndx), serve.map(|s| s.index), "{name} stands outside .text.serve");
            stack += 1;
        }
        if ["clap_mangen", "8rolecall4mine", "8rolecall4eval"].iter().any(|c| name.contains(c)) {
            assert_eq!(shndx, tools.index, "{name} stands outside .text.tools");
            tool += 1;
        }
        if name.contains("8rolecall4scan") {
            assert_eq!(shndx, text.index, "{name}, a scan function, stands outside .text");
            scan += 1;
        }
    }
    assert!(stack > 100 || !cfg!(feature = "serve"), "{stack} functions of the HTTP stack");
    assert!(tool > 20, "{tool} functions of the tools");
    assert!(scan > 0, "no scan function found");
}
