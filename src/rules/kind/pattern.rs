//! The pattern kind: a clause the rule's patterns describe — a trigger (`any`,
//! else the first of `all`), every `all` pattern, no `unless` pattern, and a
//! `near` pattern close enough. Every other clause kind starts from this
//! [`Matcher`]; on its own it reports the first trigger that passes.

use super::super::compile::{CompileError, Compiling, key};
use super::super::schema::{NearSpec, PatternSpec, ReadingSpec, UnlessSpec};
use super::super::{Pattern, pattern};
pub use super::reading::{Action, ReadingTest};
use super::{Context, Hit};
use crate::read::clause::Reading;
use crate::text::Span;
use crate::yaml::Seg;

/// Patterns, exceptions and proximity of a rule.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    /// Triggers: a match of any of these starts a candidate.
    pub any: Vec<Pattern>,
    /// Every one of these must also match in the unit.
    pub all: Vec<Pattern>,
    /// A match of any of these in the unit cancels it.
    pub unless: Vec<Pattern>,
    /// A match within `within` words of the trigger or a quantity cancels that reading.
    pub unless_near: Vec<Near>,
    /// Some pattern must match within a number of words of the trigger.
    pub near: Option<Near>,
    /// The action the clause is about, for binding quantities to it.
    pub action: Option<Action>,
    /// What the clause around the trigger must say: alternatives, one of which the trigger's clause must pass; none: no reading asked.
    pub reading: Vec<ReadingTest>,
    /// One of these must match in the unit, its paragraph or a heading above it.
    pub topic: Vec<Pattern>,
    /// None of these may match there.
    pub not_topic: Vec<Pattern>,
    /// Its triggers (`any`, else the first of `all`) have no anchors and cannot
    /// match empty text, so a search of the whole document finds every unit they
    /// could match in; the engine offers the rule only those units.
    pub unit_local: bool,
}

/// Some pattern within `within` words.
#[derive(Debug, Clone)]
pub struct Near {
    /// The patterns.
    pub any: Vec<Pattern>,
    /// Words allowed between.
    pub within: usize,
}

/// A matcher's view of one unit: the triggers that survived `all` and
/// `unless`, and the proximity patterns' matches, each found once.
pub(crate) struct Prepared {
    pub triggers: Vec<Span>,
    near: Option<(Vec<Span>, usize)>,
    unless_near: Vec<(Vec<Span>, usize)>,
}

impl Matcher {
    /// The patterns one of which must match for the rule to fire in a unit.
    pub fn triggers(&self) -> &[Pattern] {
        if self.any.is_empty() { self.all.get(..1).unwrap_or_default() } else { &self.any }
    }

    pub(crate) fn patterns(&self) -> impl Iterator<Item = &Pattern> {
        let near = self.near.iter().chain(&self.unless_near).flat_map(|n| &n.any);
        self.any.iter().chain(&self.all).chain(&self.unless).chain(near).chain(&self.topic).chain(&self.not_topic)
    }

    pub(crate) fn patterns_mut(&mut self) -> impl Iterator<Item = &mut Pattern> {
        let near = self.near.iter_mut().chain(&mut self.unless_near).flat_map(|n| &mut n.any);
        let topics = self.topic.iter_mut().chain(&mut self.not_topic);
        self.any.iter_mut().chain(&mut self.all).chain(&mut self.unless).chain(near).chain(topics)
    }

    /// The reading of the trigger's clause, when the rule asks for one: `None`
    /// when it fails the rule's test, `Some(None)` when the rule asks nothing.
    pub(crate) fn read(&self, cx: &Context<'_>, trigger: Span) -> Option<Option<Reading>> {
        if self.reading.is_empty() {
            return Some(None);
        }
        let reading = cx.doc.read_clause(trigger.shift(cx.offset));
        self.reading.iter().any(|t| t.accepts(&reading)).then_some(Some(reading))
    }

    /// Whether the unit, its paragraph or a heading above it speaks of the
    /// rule's topic, and of none of the topics it leaves to other rules.
    pub(crate) fn on_topic(&self, cx: &Context<'_>) -> bool {
        if self.topic.is_empty() && self.not_topic.is_empty() {
            return true;
        }
        // The unit first; its paragraph and headings (a string built) once, when needed.
        let unit = Span::new(cx.offset, cx.offset + cx.unit.text.len());
        let around = std::cell::OnceCell::new();
        let context = || around.get_or_init(|| (cx.doc.paragraph_around(unit), cx.doc.headings_at(cx.offset)));
        let speaks = |patterns: &[Pattern]| {
            patterns.iter().any(|p| p.is_match(cx.unit.text))
                || patterns.iter().any(|p| p.is_match(context().0) || p.is_match(&context().1))
        };
        (self.topic.is_empty() || speaks(&self.topic)) && !speaks(&self.not_topic)
    }

    /// Named groups of the trigger and `all` patterns: the text facts a message may use.
    pub(crate) fn captures(&self) -> Vec<String> {
        let mut names: Vec<String> = self.any.iter().chain(&self.all).flat_map(|r| r.names().iter().cloned()).collect();
        names.sort();
        names.dedup();
        names
    }

    /// The unit's triggers in order, or `None` when the unit cannot match:
    /// no trigger, an `all` pattern missing, an `unless` pattern present.
    /// `found` holds the trigger matches when the caller already searched.
    pub(crate) fn prepare(&self, text: &str, found: Option<Vec<Span>>) -> Option<Prepared> {
        // Triggers first: they are the rarest patterns, and a pattern never searched
        // is never compiled.
        let mut triggers = match found {
            _ if self.triggers().is_empty() => vec![Span::new(0, 0)],
            Some(found) => found,
            None => spans(self.triggers(), text),
        };
        if triggers.is_empty()
            || !self.all.iter().all(|r| r.is_match(text))
            || self.unless.iter().any(|r| r.is_match(text))
        {
            return None;
        }
        triggers.sort();
        triggers.dedup();
        // Proximity patterns are found once, not once per trigger: a paragraph-scope
        // rule on a document written as one long line has thousands of triggers.
        // Whether one matches at all is asked first: most units hold none, and
        // that needs no match starts (no reverse search).
        let present = |any: &[Pattern]| any.iter().any(|p| p.is_match(text));
        let near = match &self.near {
            Some(n) if !present(&n.any) => return None,
            Some(n) => Some((spans(&n.any, text), n.within)),
            None => None,
        };
        let unless_near = self
            .unless_near
            .iter()
            .map(|u| (if present(&u.any) { spans(&u.any, text) } else { Vec::new() }, u.within))
            .collect();
        Some(Prepared { triggers, near, unless_near })
    }

    /// The pattern kind: the first trigger near what it must be near and not
    /// near an exception.
    pub(crate) fn find(&self, cx: &Context<'_>, found: Option<Vec<Span>>) -> Option<Hit> {
        let text = cx.unit.text;
        let prepared = self.prepare(text, found)?;
        if !self.on_topic(cx) {
            return None;
        }
        let (trigger, reading) = prepared.triggers.iter().copied().find_map(|t| {
            if !prepared.is_near(text, t) || prepared.excepted(text, &[t]) {
                return None;
            }
            self.read(cx, t).map(|r| (t, r))
        })?;
        let mut hit = Hit::at(trigger.shift(cx.offset), captures(self, text, trigger));
        hit.actor = reading.map(|r| r.actor);
        Some(hit)
    }
}

impl Prepared {
    /// Whether the trigger has a `near` pattern close enough (or needs none).
    pub fn is_near(&self, text: &str, trigger: Span) -> bool {
        self.near.as_ref().is_none_or(|(near, within)| near.iter().any(|&at| within_words(text, trigger, at, *within)))
    }

    /// Whether an `unless … within` pattern lies close to one of `anchors`.
    pub fn excepted(&self, text: &str, anchors: &[Span]) -> bool {
        self.unless_near
            .iter()
            .any(|(found, within)| found.iter().any(|&at| anchors.iter().any(|&s| within_words(text, s, at, *within))))
    }
}

/// Named groups: from the trigger patterns matching where the trigger starts
/// first, then from the `all` patterns. Patterns without named groups are not
/// asked: resolving groups is a second, slower search of the unit.
pub(crate) fn captures(m: &Matcher, text: &str, trigger: Span) -> Vec<(String, String)> {
    let named = |r: &&Pattern| !r.names().is_empty();
    let mut out: Vec<(String, String)> = Vec::new();
    let at_trigger = m.any.iter().filter(named).filter_map(|r| {
        let c = r.regex().captures_at(text, trigger.start)?;
        let whole = c.get(0)?;
        (whole.start() == trigger.start).then_some((r, c))
    });
    let rest = m.all.iter().filter(named).filter_map(|r| r.regex().captures(text).map(|c| (r, c)));
    for (regex, caps) in at_trigger.chain(rest) {
        for name in regex.names() {
            if let Some(g) = caps.name(name)
                && !out.iter().any(|(n, _)| n == name)
            {
                out.push((name.to_string(), g.as_str().split_whitespace().collect::<Vec<_>>().join(" ")));
            }
        }
    }
    out
}

/// Every match of each pattern, pattern by pattern.
pub fn spans(patterns: &[Pattern], text: &str) -> Vec<Span> {
    patterns.iter().flat_map(|r| r.spans(text)).collect()
}

/// Whether at most `limit` whole words lie strictly between two spans; counting
/// stops at `limit + 1`, so a far pair costs no more than a near one.
pub(crate) fn within_words(text: &str, a: Span, b: Span, limit: usize) -> bool {
    let (from, to) = if a.end <= b.start {
        (a.end, b.start)
    } else if b.end <= a.start {
        (b.end, a.start)
    } else {
        return true;
    };
    text.get(from..to).is_some_and(|gap| gap.split_whitespace().nth(limit).is_none())
}

/// The pattern parts of a rule (or of its `absent` side) as written.
pub(crate) struct Parts<'a> {
    pub any: &'a [PatternSpec],
    pub all: &'a [PatternSpec],
    pub unless: &'a [UnlessSpec],
    pub near: Option<&'a NearSpec>,
    pub action: Vec<String>,
    pub reading: Vec<ReadingSpec>,
    pub topic: &'a [PatternSpec],
    pub not_topic: &'a [PatternSpec],
}

/// Compiles the patterns of `parts`, whose paths start at `prefix`.
pub(crate) fn compile(parts: &Parts<'_>, prefix: &[Seg], cx: &mut Compiling<'_>) -> Matcher {
    let at = |rest: &[Seg]| -> Vec<Seg> { prefix.iter().cloned().chain(rest.iter().cloned()).collect() };
    let mut any = compile_patterns(parts.any, &at(&[key("any")]), cx);
    let set = cx.vocabulary.action_set().clone();
    let mut indexes = Vec::new();
    for (i, name) in parts.action.iter().enumerate() {
        match set.names.iter().position(|n| n == name) {
            Some(index) => indexes.push(index),
            None => {
                let path =
                    if parts.action.len() == 1 { at(&[key("action")]) } else { at(&[key("action"), Seg::Index(i)]) };
                cx.errors.push(CompileError {
                    path,
                    inner: None,
                    message: format!("unknown action `{name}`"),
                    help: Some(crate::yaml::did_you_mean(name, &set.names, "actions")),
                    code: "unknown_action",
                });
            }
        }
    }
    let action = (!indexes.is_empty() && indexes.len() == parts.action.len()).then(|| Action {
        index: indexes[0],
        also: indexes[1..].to_vec(),
        set,
    });
    // An action with no `any`: its own patterns are the triggers.
    if let Some(a) = &action
        && parts.any.is_empty()
    {
        any.push(a.set.patterns[a.index].clone());
    }
    let topic = compile_patterns(parts.topic, &at(&[key("topic")]), cx);
    let not_topic = compile_patterns(parts.not_topic, &at(&[key("not_topic")]), cx);
    let reading = parts
        .reading
        .iter()
        .map(|r| ReadingTest {
            actors: r.actor.to_vec(),
            modalities: r.modality.to_vec(),
            conditional: r.conditional,
            definition: r.definition,
            direct: r.direct,
        })
        .collect();
    let all = compile_patterns(parts.all, &at(&[key("all")]), cx);
    let mut unless = Vec::new();
    let mut unless_near = Vec::new();
    for (i, u) in parts.unless.iter().enumerate() {
        let base = at(&[key("unless"), Seg::Index(i)]);
        match u {
            UnlessSpec::Pattern(p) => unless.extend(compile_pattern(p, base, cx)),
            UnlessSpec::Near(n) => unless_near.push(Near {
                any: compile_patterns(&n.any, &at(&[key("unless"), Seg::Index(i), key("any")]), cx),
                within: n.within,
            }),
        }
    }
    let near = parts
        .near
        .map(|n| Near { any: compile_patterns(&n.any, &at(&[key("near"), key("any")]), cx), within: n.within });
    let mut matcher =
        Matcher { any, all, unless, unless_near, near, action, reading, topic, not_topic, unit_local: false };
    matcher.unit_local = !matcher.triggers().is_empty() && matcher.triggers().iter().all(Pattern::unit_local);
    matcher
}

/// Compiles a list of patterns; item `i`'s errors name `base[i]`.
pub(crate) fn compile_patterns(specs: &[PatternSpec], base: &[Seg], cx: &mut Compiling<'_>) -> Vec<Pattern> {
    let at = |i: usize| base.iter().cloned().chain([Seg::Index(i)]).collect();
    specs.iter().enumerate().filter_map(|(i, spec)| compile_pattern(spec, at(i), cx)).collect()
}

fn compile_pattern(spec: &PatternSpec, mut path: Vec<Seg>, cx: &mut Compiling<'_>) -> Option<Pattern> {
    pattern::compile(spec, cx.vocabulary)
        .map_err(|e| {
            if let PatternSpec::Phrase(_) = spec {
                path.push(key("phrase"));
            }
            cx.errors.push(CompileError {
                path,
                inner: Some((e.offset, e.offset + e.len)),
                message: format!("pattern does not compile: {}", e.message),
                help: e.help.or_else(|| {
                    Some(
                        "patterns are Rust regular expressions (see docs.rs/regex); write `{phrase: ...}` for literal words"
                            .into(),
                    )
                }),
                code: "bad_regex",
            });
        })
        .ok()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn word_counts_agree_with_their_definition(
            parts in proptest::collection::vec(prop_oneof![Just("pay"), Just(" "), Just("30 days"), Just(", ")], 1..20),
            a in 0usize..200, b in 0usize..200, c in 0usize..200, d in 0usize..200,
        ) {
            let text: String = parts.concat();
            let cut = |x: usize| x % (text.len() + 1);
            let mut ends = [cut(a), cut(b), cut(c), cut(d)];
            ends[..2].sort_unstable();
            ends[2..].sort_unstable();
            let (x, y) = (Span::new(ends[0], ends[1]), Span::new(ends[2], ends[3]));
            let (from, until) = if x.end <= y.start { (x.end, y.start) } else if y.end <= x.start { (y.end, x.start) } else { (0, 0) };
            let words = text[from..until].split_whitespace().count();
            for limit in 0..4 {
                prop_assert_eq!(within_words(&text, x, y, limit), words <= limit);
            }
        }
    }
}
