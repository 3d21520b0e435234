//! The core's modules form layers (lib.rs lists them): a module may use only modules listed
//! before it in [`ORDER`]. A new `use crate::…` that points upwards fails here, so a lower
//! layer never comes to depend on a higher one. Test code (after `#[cfg(test)]`) is exempt.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Bottom first: foundations, the store, the vault, SMS rules, the capabilities (each owning
/// its tables), what spans capabilities, the words, the report (documents made of words),
/// and test support.
const ORDER: &[&str] = &[
    "error",
    "crypto",
    "ids",
    "clock",
    "text",
    "time", // foundations
    "store",
    "audit",
    "vault",
    "sms", //
    "venues",
    "worker",
    "citizens",
    "notes",
    "appointments",
    "reminders",
    "survey", // capabilities
    "flows",
    "screens",
    "salvage", //
    "retention",
    "backup", // the data's lifecycle
    "messages",
    "report",
    "export", // words, and documents made of them
    "testing",
];

fn rank(module: &str) -> Option<usize> {
    ORDER.iter().position(|m| *m == module)
}

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<_> = fs::read_dir(path).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for e in entries {
            rust_files(&e, out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

/// The modules a file's non-test code names as `crate::<module>`.
fn uses(file: &Path) -> BTreeSet<String> {
    let text = fs::read_to_string(file).unwrap();
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut found = BTreeSet::new();
    for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
        // `use crate::{a, b::c}` lists several at once.
        if let Some(at) = line.find("crate::{") {
            for part in line[at + "crate::{".len()..].split([',', '}']) {
                let name: String = part.trim().chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                if !name.is_empty() {
                    found.insert(name);
                }
            }
        }
    }
    found
}

#[test]
fn no_module_uses_a_higher_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules: Vec<(String, PathBuf)> = Vec::new();
    for entry in fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if name != "lib" {
            modules.push((name, path));
        }
    }
    let mut wrong = Vec::new();
    for (module, path) in &modules {
        let Some(own) = rank(module) else {
            wrong.push(format!("{module}: not in ORDER (place it in a layer)"));
            continue;
        };
        let mut files = Vec::new();
        rust_files(path, &mut files);
        for file in files {
            for used in uses(&file) {
                if used == *module {
                    continue;
                }
                match rank(&used) {
                    Some(r) if r < own => {}
                    Some(_) => wrong.push(format!("{} uses crate::{used}, a higher layer", file.display())),
                    None => wrong.push(format!("{} uses crate::{used}, which is in no layer", file.display())),
                }
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

#[test]
fn an_upward_use_is_caught() {
    let dir = std::env::temp_dir().join(format!("layers-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let file = dir.join("probe.rs");
    fs::write(
        &file,
        "use crate::{error::CoreError, flows};\nfn f() { crate::messages::x(); }\n#[cfg(test)]\nuse crate::report;\n",
    )
    .unwrap();
    let found = uses(&file);
    fs::remove_dir_all(&dir).unwrap();
    assert_eq!(found.into_iter().collect::<Vec<_>>(), ["error", "flows", "messages"]);
}
