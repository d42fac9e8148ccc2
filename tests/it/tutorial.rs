//! Runs every command in docs/writing-rules.md in a scratch folder holding the
//! files the tutorial creates, and checks each command's exit code and that every
//! output line the tutorial shows appears in what the command printed.

use std::path::Path;

use assert_cmd::Command;

struct Step {
    args: Vec<String>,
    exit: i32,
    shown: Vec<String>,
}

fn parse(doc: &str) -> (Vec<(String, String)>, Vec<Step>) {
    let mut files = Vec::new();
    let mut steps = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        let Some(lang) = line.strip_prefix("```").filter(|l| !l.is_empty()) else { continue };
        let block: Vec<&str> = lines.by_ref().take_while(|l| !l.starts_with("```")).collect();
        if lang == "console" {
            for chunk in block.split(|l| l.is_empty()) {
                let mut it = chunk.iter();
                while let Some(cmd) = it.next() {
                    let Some(rest) = cmd.strip_prefix("$ redflag ") else { continue };
                    let (command, exit) = match rest.split_once("# exits ") {
                        Some((c, e)) => (c.trim(), e.trim().parse().unwrap_or(0)),
                        None => (rest.trim(), 0),
                    };
                    let shown = it.clone().take_while(|l| !l.starts_with("$ ")).map(|l| l.trim().to_string()).collect();
                    steps.push(Step { args: command.split_whitespace().map(str::to_string).collect(), exit, shown });
                }
            }
        } else if let Some(name) = block.first().and_then(|l| l.strip_prefix("# file: ")) {
            files.push((name.trim().to_string(), block[1..].join("\n") + "\n"));
        }
    }
    (files, steps)
}

#[test]
fn every_tutorial_command_works_as_shown() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/writing-rules.md")).unwrap_or_else(|e| panic!("{e}"));
    let (files, steps) = parse(&doc);
    assert!(files.len() >= 4 && steps.len() >= 6, "the tutorial lost its files or commands");
    let dir = tempfile::tempdir().unwrap();
    // redflag.yaml changes later commands; it is written just before its first use.
    let (config, others): (Vec<_>, Vec<_>) = files.into_iter().partition(|(n, _)| n == "redflag.yaml");
    for (name, text) in &others {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    for step in &steps {
        if step.args.first().is_some_and(|a| a == "audit") && step.args.iter().any(|a| a == "json") {
            for (name, text) in &config {
                std::fs::write(dir.path().join(name), text).unwrap();
            }
        }
        let out = Command::cargo_bin("redflag")
            .unwrap_or_else(|e| panic!("{e}"))
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .args(&step.args)
            .output()
            .unwrap();
        let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.status.code(), Some(step.exit), "`redflag {}` printed:\n{printed}", step.args.join(" "));
        for line in step.shown.iter().filter(|l| !l.is_empty()) {
            assert!(
                printed.contains(line.as_str()),
                "`redflag {}` did not print {line:?}:\n{printed}",
                step.args.join(" ")
            );
        }
    }
}
