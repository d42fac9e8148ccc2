use super::*;
use crate::quantity::{Quantity, scan};

fn check(cond: &str, kinds: &[Kind], text: &str) -> bool {
    let vocabulary = Vocabulary { kinds: kinds.to_vec(), ..Vocabulary::default() };
    let c = Condition::parse(cond, &vocabulary).unwrap_or_else(|e| panic!("{cond}: {e:?}"));
    let qs = scan(text);
    let refs: Vec<&Quantity> = qs.iter().collect();
    let as_of = jiff::civil::date(2026, 11, 26);
    c.eval(&Reading::of(as_of, &refs))
}

#[test]
fn durations_compare_with_units() {
    let d = [Kind::Duration];
    assert!(check("duration > 12 months", &d, "thirty-six (36) months"));
    assert!(!check("duration > 12 months", &d, "twelve (12) months"));
    assert!(!check("duration > 12 months", &d, "one (1) year"));
    assert!(!check("duration > 12 months", &d, "365 days"));
    assert!(check("duration > 12 months", &d, "366 days"));
    assert!(check("duration < 90 days", &d, "sixty (60) days"));
    assert!(!check("duration < 90 days", &d, "ninety (90) days"));
    assert!(!check("duration < 90 days", &d, "three months"), "3 months is 91.25 days");
    assert!(check("days >= 180 and days <= 180", &d, "180 days"));
}

#[test]
fn years_against_the_audit_date() {
    let k = [Kind::Year, Kind::Percent];
    assert!(check("year < as_of.year - 1", &k, "110% of the 2019 Medicare fee schedule"));
    assert!(!check("year < as_of.year - 1", &k, "the 2025 Medicare fee schedule"));
    assert!(check("percent < 100", &k, "95% of the 2026 fee schedule"));
}

#[test]
fn missing_quantities_make_comparisons_false() {
    assert!(!check("duration > 12 months", &[Kind::Duration], "no limit at all"));
    assert!(check("not duration", &[Kind::Duration], "no limit at all"));
    assert!(check("mismatch", &[Kind::Duration], "thirty (60) days"));
}

#[test]
fn names_may_begin_with_operator_words() {
    for name in ["notice", "order_total", "android"] {
        let v = Vocabulary { named: vec![(name.to_string(), Kind::Duration)], ..Vocabulary::default() };
        let c = format!("{name} < 30 days and not {name} > 1 year or {name} == 5 days");
        assert!(Condition::parse(&c, &v).is_ok(), "{c}");
    }
}

#[test]
fn errors_point_into_the_condition() {
    let parse = |c: &str, k: Kind| Condition::parse(c, &Vocabulary { kinds: vec![k], ..Vocabulary::default() });
    let e = parse("duration > 12", Kind::Duration).err().unwrap();
    assert!(e.message.contains("cannot compare a duration with a number"), "{e:?}");
    let e = parse("duraton > 12 months", Kind::Duration).err().unwrap();
    assert_eq!((e.start, e.end), (0, 7));
    assert!(e.help.unwrap().contains("did you mean `duration`"));
    let e = parse("year < as_of.year -", Kind::Year).err().unwrap();
    assert_eq!(e.start, 19);
    let e = parse("year < 2020", Kind::Duration).err().unwrap();
    assert!(e.help.unwrap().contains("extract: year"));
}

#[test]
fn deep_nesting_is_refused_where_it_happens() {
    let v = Vocabulary { kinds: vec![Kind::Duration], ..Vocabulary::default() };
    let deep = format!("{}duration > 1 day{}", "(".repeat(5000), ")".repeat(5000));
    let e = Condition::parse(&deep, &v).err().unwrap();
    assert!(e.message.contains("nests deeper"), "{e:?}");
    assert_eq!(e.start, build::MAX_DEPTH);
    let nots = format!("{}duration", "not ".repeat(7000));
    assert!(Condition::parse(&nots, &v).err().unwrap().message.contains("nests deeper"));
    let ok = format!("{}duration > 1 day{}", "(".repeat(10), ")".repeat(10));
    assert!(Condition::parse(&ok, &v).is_ok());
    assert!(Condition::parse("notice_days > 1 and not mismatch", &v).is_err_and(|e| !e.message.contains("nests")));
}

#[test]
fn business_days_are_read_as_written_and_compared_in_calendar_days() {
    let d = [Kind::Duration];
    assert!(check("business_days == 10 and days > 12", &d, "ten (10) business days"));
    assert!(!check("business_days", &d, "ten (10) days"));
}
