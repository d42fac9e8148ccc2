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

const VOCAB: &str = "pack: {name: v}\nconcepts:\n  t_refund: ['\\brefund\\w*', {phrase: pay back}]\nactions:\n  t_recover: {doc: Taking money back., any: ['\\brecoup\\w*', '(?&t_refund)']}\n";

#[test]
fn concepts_are_shared_and_extended_across_files() {
    let playbook = format!(
        "pack: {{name: firm}}\nconcepts:\n  t_refund: {{extend: ['\\bclaw\\s*back']}}\n{}",
        "rules:\n  - id: f.one\n    title: One\n    category: c\n    severity: high\n    action: t_recover\n    examples: {flag: [x], pass: [y]}\n"
    );
    let loaded = load_sources(&[
        Source { name: "v.yaml".into(), text: VOCAB.into() },
        Source { name: "firm.yaml".into(), text: playbook.into() },
    ])
    .unwrap_or_else(|e| panic!("{e:?}"));
    let rule = loaded.rules().find(|r| r.id == "f.one").unwrap_or_else(|| panic!("rule loads"));
    let trigger = &rule.triggers()[0];
    // The playbook's phrasing reaches the rule through the vocabulary's action.
    assert!(trigger.is_match("Plan may claw back the payment"), "{}", trigger.as_str());
    assert!(trigger.is_match("Plan may recoup it") && trigger.is_match("the provider shall pay back"));
    assert!(loaded.vocabulary.get("t_recover").is_some_and(|c| c.action && c.doc.is_some()));
}

#[test]
fn concept_errors_are_located() {
    let yaml = format!(
        "{VOCAB}rules:\n  - id: a.one\n    title: One\n    category: c\n    severity: high\n    any: ['x (?&t_refnd) y']\n"
    );
    let errs = errors(&yaml);
    assert_eq!(errs[0].code, "bad_regex");
    assert_eq!(located(&errs[0], &yaml), "(?&t_refnd)");
    assert!(errs[0].help.as_deref().unwrap_or("").contains("did you mean `t_refund`"), "{errs:?}");
    let twice = format!("{VOCAB}concepts_again: 1\n");
    assert_eq!(errors(&twice)[0].code, "unknown_key");
    let loop_yaml = "pack: {name: v}\nconcepts:\n  a: ['(?&b)']\n  b: ['x|(?&a)']\n";
    let errs = errors(loop_yaml);
    assert!(errs.iter().any(|e| e.message.contains("refers to itself")), "{errs:?}");
    let unknown_action = format!(
        "{VOCAB}rules:\n  - id: a.one\n    title: One\n    category: c\n    severity: high\n    action: t_recovr\n"
    );
    let errs = errors(&unknown_action);
    assert_eq!(errs[0].code, "unknown_action");
    assert_eq!(located(&errs[0], &unknown_action), "t_recovr");
    assert!(errs[0].help.as_deref().unwrap_or("").contains("did you mean `t_recover`"));
}

#[test]
fn a_concept_is_defined_once() {
    let a = Source { name: "a.yaml".into(), text: "pack: {name: a}\nconcepts:\n  fee: ['fee']\n".into() };
    let b = Source { name: "b.yaml".into(), text: "pack: {name: b}\nconcepts:\n  fee: ['rate']\n".into() };
    let Err(LoadError::Invalid(files)) = load_sources(&[a, b]) else { panic!("a second definition must fail") };
    assert_eq!(files[0].name, "b.yaml");
    assert_eq!(files[0].errors[0].code, "duplicate_concept");
    assert!(files[0].errors[0].help.as_deref().unwrap_or("").contains("extend"));
}
