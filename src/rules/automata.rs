//! How a rule pattern searches without the regex crate's full regex.
//!
//! The engine asks most patterns only whether a unit matches (`all`, `unless`),
//! where a match that starts at a known place ends (its prefilter), or where the
//! matches are (`near`, fallbacks). Lazy DFAs answer all three: a forward one, and
//! a reverse one, built on first need, to find where a match starts. The regex
//! crate's `Regex` also builds a reverse automaton for every pattern, a one-pass
//! DFA and a backtracker for groups and a literal prefilter: with ~130 patterns
//! compiled that way, the 3 MB benchmark contract peaked at 49.0 MB, and at 42.2
//! MB searched this way (`--threads 1`). Only a pattern asked for groups is
//! compiled as a `Regex`.
//!
//! Built with the same settings as the compiled regex (case-insensitive,
//! leftmost-first, UTF-8), the DFAs report the same matches. A pattern whose
//! states do not repeat (`(a|b)*a(a|b){16}`) would make a lazy DFA rebuild its
//! cache on and on; like the regex crate's own, ours give up when their cache
//! has been cleared three times with fewer than ten bytes searched per state
//! built. The `Option`s below are `None` when a DFA cannot be built or gives up,
//! and the caller then searches with the regex.

use std::sync::{Arc, OnceLock};

use regex_automata::hybrid::dfa::{self, DFA};
use regex_automata::hybrid::regex::{self, Regex};
use regex_automata::nfa::thompson;
use regex_automata::util::iter::Searcher;
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind};

use crate::text::Span;

type Create<C> = Box<dyn Fn() -> C + Send + Sync>;

/// One cache per thread that searches, kept for the next search (building the
/// states again per search made short documents slower).
type Caches<C> = Pool<C, Create<C>>;

pub struct Automata {
    forward: DFA,
    forward_caches: Caches<dfa::Cache>,
    /// The forward DFA with a reverse one, for where matches start.
    finder: OnceLock<Option<(Arc<Regex>, Caches<regex::Cache>)>>,
}

impl Automata {
    /// From the pattern's forward NFA (without groups), as compiled at load.
    pub(super) fn build(nfa: thompson::NFA) -> Option<Automata> {
        let forward = DFA::builder().configure(give_up()).build_from_nfa(nfa).ok()?;
        let for_caches = forward.clone();
        let create: Create<dfa::Cache> = Box::new(move || for_caches.create_cache());
        Some(Automata { forward, forward_caches: Pool::new(create), finder: OnceLock::new() })
    }

    pub fn forward(&self) -> &DFA {
        &self.forward
    }

    /// This thread's cache for [`Automata::forward`].
    pub fn forward_cache(&self) -> PoolGuard<'_, dfa::Cache, Create<dfa::Cache>> {
        self.forward_caches.get()
    }

    pub(super) fn is_match(&self, haystack: &str) -> Option<bool> {
        let found = self.forward.try_search_fwd(&mut self.forward_cache(), &Input::new(haystack).earliest(true));
        found.ok().map(|m| m.is_some())
    }

    /// The leftmost-first match.
    pub(super) fn first(&self, source: &str, haystack: &str) -> Option<Option<Span>> {
        let (regex, caches) = self.finder(source)?;
        let found = regex.try_search(&mut caches.get(), &Input::new(haystack)).ok()?;
        Some(found.map(|m| Span::new(m.start(), m.end())))
    }

    /// Every match, leftmost-first and non-overlapping, as `find_iter` finds them.
    pub(super) fn spans(&self, source: &str, haystack: &str) -> Option<Vec<Span>> {
        let (regex, caches) = self.finder(source)?;
        let mut cache = caches.get();
        let mut searcher = Searcher::new(Input::new(haystack));
        let mut out = Vec::new();
        while let Some(m) = searcher.try_advance(|input| regex.try_search(&mut cache, input)).ok()? {
            out.push(Span::new(m.start(), m.end()));
        }
        Some(out)
    }

    fn finder(&self, source: &str) -> Option<&(Arc<Regex>, Caches<regex::Cache>)> {
        self.finder.get_or_init(|| self.finder_for(source)).as_ref()
    }

    fn finder_for(&self, source: &str) -> Option<(Arc<Regex>, Caches<regex::Cache>)> {
        // The reverse DFA as the regex builder makes it: every match ending at
        // the forward match's end, the longest kept.
        let reverse = DFA::builder()
            .syntax(settings())
            .configure(give_up().prefilter(None).specialize_start_states(false).match_kind(MatchKind::All))
            .thompson(thompson::Config::new().reverse(true))
            .build(source)
            .ok()?;
        let regex = Arc::new(Regex::builder().build_from_dfas(self.forward.clone(), reverse));
        let for_caches = regex.clone();
        let create: Create<regex::Cache> = Box::new(move || for_caches.create_cache());
        Some((regex, Pool::new(create)))
    }
}

/// When a lazy DFA stops: the regex crate's settings for its own.
fn give_up() -> dfa::Config {
    DFA::config().minimum_cache_clear_count(Some(3)).minimum_bytes_per_state(Some(10))
}

/// The regex crate's settings for a rule pattern.
fn settings() -> syntax::Config {
    syntax::Config::new().case_insensitive(true)
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use proptest::prelude::*;

    use crate::rules::{Pattern, builtin, load_sources};
    use crate::text::Span;

    /// Every pattern of the shipped packs, once each; loaded once, so each
    /// pattern's automata and regex are built once for all cases.
    static SHIPPED: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
        let sources = builtin::sources(&builtin::pack_names()).unwrap_or_else(|e| panic!("{e:?}"));
        let loaded = load_sources(&sources).unwrap_or_else(|e| panic!("{e:?}"));
        let mut patterns: Vec<Pattern> = loaded.rules().flat_map(|r| r.patterns().cloned()).collect();
        patterns.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        patterns.dedup_by(|a, b| a.as_str() == b.as_str());
        patterns
    });

    /// The answers the regex crate gives, and ours.
    fn agree(p: &Pattern, text: &str) -> Result<(), TestCaseError> {
        let regex = p.regex();
        let spans: Vec<Span> = regex.find_iter(text).map(|m| Span::new(m.start(), m.end())).collect();
        prop_assert_eq!(p.is_match(text), regex.is_match(text), "is_match {:?} in {:?}", p.as_str(), text);
        prop_assert_eq!(p.first(text), spans.first().copied(), "first {:?} in {:?}", p.as_str(), text);
        prop_assert_eq!(p.spans(text), spans, "spans {:?} in {:?}", p.as_str(), text);
        Ok(())
    }

    #[test]
    fn a_pattern_that_thrashes_the_cache_still_matches_as_the_regex_does() {
        let p = crate::rules::pattern::compile(
            &crate::rules::schema::PatternSpec::Regex("(?:a|b)*a(?:a|b){16}".into()),
            &Default::default(),
        )
        .unwrap_or_else(|e| panic!("{}", e.message));
        // A xorshift walk over "a" and "b": every 17-letter window is new.
        let mut x: u32 = 2_463_534_242;
        let text: String = (0..200_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                if x & 1 == 0 { 'a' } else { 'b' }
            })
            .collect();
        agree(&p, &text).unwrap_or_else(|e| panic!("{e}"));
        agree(&p, &text[..40]).unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn shipped_patterns_match_as_the_regex_crate_does() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts_samples");
        let manual =
            std::fs::read_to_string(dir.join("pinnacle_provider_manual.txt")).unwrap_or_else(|e| panic!("{e}"));
        let patterns = &*SHIPPED;
        assert!(patterns.len() > 300, "{}", patterns.len());
        let mut matched = 0;
        for p in patterns {
            agree(p, &manual).unwrap_or_else(|e| panic!("{e}"));
            matched += usize::from(p.is_match(&manual));
        }
        assert!(matched > 40, "{matched}");
    }

    /// Words the shipped patterns are made of, joined by what separates them in
    /// contracts, and characters a UTF-8 automaton must step over whole.
    fn text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("plan"),
            Just("may"),
            Just("not"),
            Just("recoup"),
            Just("within"),
            Just("days"),
            Just("claims"),
            Just("sole discretion"),
            Just("36"),
            Just("months"),
            Just("shall"),
            Just("provider"),
            Just(" "),
            Just(". "),
            Just("; "),
            Just(", "),
            Just("é"),
            Just("§"),
            Just("’s"),
            Just("\u{2014}"),
            Just("ﬁ"),
            Just("Plan"),
            Just("MAY"),
            Just("Days"),
            Just("SOLE DISCRETION"),
            Just("a"),
            Just("b"),
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn patterns_agree_with_the_regex_crate_on_any_text(text in text(), extra in prop_oneof![
            Just(r"a*"), Just(r"\b"), Just(r"(?:)|plan"), Just(r"é?"), Just(r"\p{L}+ may"), Just(r"[^.;]{0,12}days"),
            Just(r"(?-i)Plan"), Just(r"plan\s+may(?:\s+not)?"), Just(r"(?:b|a)*?b"), Just(r"(?:|a)(?:ab|b)"),
        ]) {
            let p = super::super::pattern::compile(&crate::rules::schema::PatternSpec::Regex(extra.into()), &Default::default())
                .unwrap_or_else(|e| panic!("{}", e.message));
            agree(&p, &text)?;
            for p in SHIPPED.iter().step_by(5) {
                agree(p, &text)?;
            }
        }
    }
}
