use super::*;

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Settings {
    name: String,
    #[serde(default)]
    level: Option<Level>,
    #[serde(default)]
    limit: Option<u32>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
enum Level {
    High,
    Low,
}

fn located(e: &FileError, text: &str) -> String {
    text[e.span.offset()..e.span.offset() + e.span.len()].to_string()
}

#[test]
fn every_problem_of_a_mapping_is_reported_and_located() {
    let text = "name: x\nlevl: high\nlimit: many\nlevel: hgih\n";
    let errors = read::<Settings>("config", "s.yaml", text).err().unwrap().errors;
    let codes: Vec<&str> = errors.iter().map(|e| e.code).collect();
    assert_eq!(codes, ["unknown_key", "wrong_type", "bad_value"], "{errors:#?}");
    assert_eq!(located(&errors[0], text), "levl");
    assert!(errors[0].help.as_deref().unwrap_or("").starts_with("did you mean `level`?"));
    assert_eq!(located(&errors[1], text), "many");
    assert_eq!(located(&errors[2], text), "hgih");
    assert!(errors[2].help.as_deref().unwrap_or("").starts_with("did you mean `high`?"));
    assert!(errors.iter().all(|e| e.file_kind == "config"));
}

#[test]
fn a_key_set_aside_is_not_reported_missing_too() {
    let text = "name: [not, a, string]\n";
    let errors = read::<Settings>("config", "s.yaml", text).err().unwrap().errors;
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code, "wrong_type");
    let text = "level: low\n";
    let errors = read::<Settings>("config", "s.yaml", text).err().unwrap().errors;
    assert_eq!(errors[0].code, "missing_key");
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let s: Settings = read("config", "s.yaml", "\u{feff}name: x\nlevel: low\n").unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(s.name, "x");
}

#[test]
fn hostile_nesting_is_refused_before_parsing() {
    let deep = format!("name: x\nlimit: {}1{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let e = read::<Settings>("config", "s.yaml", &deep).err().unwrap();
    assert!(e.errors[0].message.contains("nests deeper"), "{e:?}");
    let mut block = String::from("name: x\n");
    for depth in 0..9_000 {
        block.push_str(&format!("{}a:\n", " ".repeat(depth * 2)));
    }
    let e = read::<Settings>("config", "s.yaml", &block).err().unwrap();
    assert!(e.errors[0].message.contains("nests deeper"), "{e:?}");
    // Brackets in a quoted pattern or a regex class do not count.
    let ok = format!("name: '{}'\n", "[a-z]".repeat(200));
    assert!(read::<Settings>("config", "s.yaml", &ok).is_ok());
}

#[test]
fn syntax_errors_are_located() {
    let e = read::<Settings>("config", "s.yaml", "name: [unclosed\nlevel: low\n").err().unwrap();
    assert_eq!(e.errors[0].code, "yaml_syntax");
    assert!(e.errors[0].span.offset() > 0);
}
