//! The import drawing, checked: each top-level module may use only the
//! modules listed before it in [`LAYERS`] (read from `crate::…` paths in its
//! non-test code), so the stages import one way, down the pipeline, with no
//! circle and no arrow back up. DESIGN.md draws the same order.

/// Bottom first: leaves, then the pipeline's stages, then what consumes results.
pub(crate) const LAYERS: [&str; 15] = [
    "text", "yaml", "extract", "finding", "quantity", "outline", "read", "document", "rules", "engine", "audit",
    "config", "waivers", "eval", "report",
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::LAYERS;

    /// (module, module it uses) for every `crate::` path outside comments and tests.
    fn imports() -> BTreeMap<String, Vec<(String, String)>> {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        let mut stack = vec![src.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")).flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let rel = path.strip_prefix(&src).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                let top = rel.split(['/', '.']).next().unwrap_or("").to_string();
                if path.extension().is_none_or(|e| e != "rs") || rel.ends_with("tests.rs") || top == "cli" {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let code = text.split("#[cfg(test)]").next().unwrap_or("");
                for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
                    for (at, _) in line.match_indices("crate::") {
                        let used: String =
                            line[at + 7..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                        if used != top && !used.is_empty() {
                            out.entry(top.clone()).or_default().push((used, rel.clone()));
                        }
                    }
                }
            }
        }
        out
    }

    #[test]
    fn modules_import_only_the_layers_below_them() {
        let rank = |m: &str| LAYERS.iter().position(|l| *l == m);
        let mut wrong = Vec::new();
        let imports = imports();
        for (module, uses) in &imports {
            if module == "lib" || module == "layers" || module == "main" {
                continue;
            }
            let Some(mine) = rank(module) else {
                wrong.push(format!("`{module}` is not in LAYERS"));
                continue;
            };
            for (used, file) in uses {
                match rank(used) {
                    Some(theirs) if theirs < mine => {}
                    _ => wrong.push(format!("{file}: `{module}` uses `{used}`, which is not below it")),
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        // The drawing is read, not empty: the engine uses the rules and the document.
        let engine: Vec<&str> = imports["engine"].iter().map(|(m, _)| m.as_str()).collect();
        assert!(engine.contains(&"rules") && engine.contains(&"document"), "{engine:?}");
    }
}
