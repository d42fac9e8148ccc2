use super::*;

fn errors(yaml: &str) -> Vec<FileError> {
    match load_sources(&[Source { name: "bad.yaml".into(), text: yaml.into() }]) {
        Err(LoadError::Invalid(files)) => files.into_iter().flat_map(|f| f.errors).collect(),
        other => panic!("expected errors, got {other:?}"),
    }
}

fn located(e: &FileError, yaml: &str) -> String {
    yaml[e.span.offset()..e.span.offset() + e.span.len()].to_string()
}

const HEAD: &str = "pack: {name: t}\nrules:\n";

#[test]
fn every_error_of_a_file_is_reported() {
    let yaml = format!(
        "{HEAD}  - id: a.one\n    titel: One\n    category: c\n    severity: high\n    any: ['x']\n  - id: a.two\n    title: Two\n    category: c\n    severity: hgih\n    any: ['x']\n"
    );
    let errs = errors(&yaml);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert_eq!(errs[0].code, "unknown_key");
    assert_eq!(located(&errs[0], &yaml), "titel");
    assert!(errs[0].help.as_deref().unwrap_or("").starts_with("did you mean `title`?"));
    assert_eq!(errs[1].code, "bad_value");
    assert_eq!(located(&errs[1], &yaml), "hgih");
    assert!(errs[1].help.as_deref().unwrap_or("").starts_with("did you mean `high`?"));
}

#[test]
fn regex_errors_point_inside_the_pattern() {
    let yaml = format!(
        "{HEAD}  - id: a.one\n    title: One\n    category: c\n    severity: high\n    any: ['ok', '\\brecoup(ment']\n"
    );
    let errs = errors(&yaml);
    assert_eq!(errs[0].code, "bad_regex");
    assert_eq!(located(&errs[0], &yaml), "(");
}

#[test]
fn condition_errors_point_at_the_token() {
    let yaml = format!(
        "{HEAD}  - id: a.one\n    title: One\n    category: c\n    severity: high\n    any: ['x']\n    extract: duration\n    where: duraton > 12 months\n"
    );
    let errs = errors(&yaml);
    assert_eq!(errs[0].code, "bad_condition");
    assert_eq!(located(&errs[0], &yaml), "duraton");
}

#[test]
fn placeholders_need_an_extractor() {
    let yaml = format!(
        "{HEAD}  - id: a.one\n    title: One\n    category: c\n    severity: high\n    any: ['x']\n    message: \"For {{duration}}\"\n"
    );
    let errs = errors(&yaml);
    assert_eq!(errs[0].code, "bad_placeholder");
    assert_eq!(located(&errs[0], &yaml), "{duration}");
}

#[test]
fn duplicate_ids_across_files() {
    let rule = "  - id: a.one\n    title: One\n    category: c\n    severity: high\n    any: ['x']\n";
    let a = Source { name: "a.yaml".into(), text: format!("{HEAD}{rule}").into() };
    let b = Source { name: "b.yaml".into(), text: format!("{HEAD}{rule}").into() };
    let Err(LoadError::Invalid(files)) = load_sources(&[a, b]) else { panic!("duplicate ids must fail") };
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].name, "b.yaml");
    assert_eq!(files[0].errors[0].code, "duplicate_id");
    assert!(files[0].errors[0].help.as_deref().unwrap_or("").contains("a.yaml"));
}

#[test]
fn yaml_syntax_errors_are_located() {
    let yaml = "pack: {name: x, version: 1}\nrules:\n  - id: x.y\n    title: [unclosed\n";
    let errs = errors(yaml);
    assert_eq!(errs[0].code, "yaml_syntax");
    assert!(errs[0].span.offset() > 40, "{:?}", errs[0].span);
}

#[test]
fn rules_without_examples_warn() {
    let yaml = format!("{HEAD}  - id: a.one\n    title: One\n    category: c\n    severity: high\n    any: ['x']\n");
    let loaded =
        load_sources(&[Source { name: "w.yaml".into(), text: yaml.into() }]).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(loaded.warnings.len(), 1);
    assert_eq!(loaded.warnings[0].code, "no_examples");
}
