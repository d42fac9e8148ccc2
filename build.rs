//! Embeds every rule file under `rules/<pack>/` into the binary, so the tool runs
//! with no files beside it and adding a rule file needs no code change.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR")).join("rules");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut out = String::from(
        "/// Rule files compiled into the binary: (pack, file name, contents).\npub static FILES: &[(&str, &str, &str)] = &[\n",
    );
    for (pack, name, path) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(out, "    ({pack:?}, {name:?}, include_str!({:?})),", path.display().to_string())
            .expect("write to String");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_rules.rs");
    std::fs::write(dest, out).expect("write builtin_rules.rs");
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(root, &path, files);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned());
            let pack = parts.next().unwrap_or_default();
            let name: Vec<String> = parts.collect();
            if !name.is_empty() {
                files.push((pack, name.join("/"), path.clone()));
            }
        }
    }
}
