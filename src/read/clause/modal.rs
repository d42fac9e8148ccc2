//! The modality of a clause: its modal verbs and phrases, negation, double
//! negatives, clause-initial "No X", conditions and definitions.

use super::Modality;
use super::words::{Word, is};

pub(super) const NEGATORS: &[&str] =
    &["not", "never", "no", "nothing", "neither", "nor", "none", "cannot", "can't", "won't"];
pub(super) const CONDITIONALS: &[&str] =
    &["if", "when", "whenever", "unless", "once", "until", "provided", "wherever", "before", "after"];

/// A modal at word `i`: its modality and how many words it spans.
pub(super) fn modal_at(w: &[Word<'_>], i: usize) -> Option<(Modality, usize)> {
    let at = |k: usize| w.get(i + k);
    let word = |k: usize, opts: &[&str]| at(k).is_some_and(|x| is(x, opts));
    let first = at(0)?;
    // "cannot", "won't": a modal that carries its own negation.
    if is(first, &["may", "might", "can", "could", "cannot", "can't"]) {
        return Some((Modality::May, 1));
    }
    if is(first, &["won't", "shan't"]) {
        return Some((Modality::Must, 1));
    }
    if is(first, &["shall", "must", "will", "would"]) {
        // "shall have the right to", "will be entitled to": a right, not a duty.
        if word(1, &["have", "has"]) && (word(2, &["the"]) && word(3, &["right", "option"]) || word(2, &["right"])) {
            return Some((Modality::May, 3));
        }
        if word(1, &["be"]) && word(2, &["entitled", "permitted", "authorized", "allowed"]) {
            return Some((Modality::May, 3));
        }
        return Some((Modality::Must, 1));
    }
    if is(first, &["should", "ought"]) {
        return Some((Modality::Should, 1));
    }
    if is(first, &["is", "are", "be"]) {
        if word(1, &["entitled", "permitted", "authorized", "allowed", "free"]) && word(2, &["to"]) {
            return Some((Modality::May, 3));
        }
        if word(1, &["required", "obligated", "responsible", "expected"]) {
            return Some((Modality::Must, 2));
        }
        if word(1, &["prohibited", "barred", "precluded", "forbidden"]) {
            return Some((Modality::Forbidden, 2));
        }
        return None;
    }
    if is(first, &["has", "have"]) && word(1, &["the"]) && word(2, &["right", "option", "sole", "discretion"]) {
        return Some((Modality::May, 3));
    }
    if is(first, &["reserves", "reserve", "retains"]) && (word(1, &["the"]) || word(1, &["all"])) {
        return Some((Modality::May, 3));
    }
    if is(first, &["agrees", "agree", "undertakes", "covenants"]) && word(1, &["to", "that"]) {
        return Some((Modality::Must, 2));
    }
    // "Does not need to sign": no duty, a statement of how things are.
    if is(first, &["do", "does", "did"]) && word(1, &["not"]) && word(2, &["need", "have"]) && word(3, &["to"]) {
        return Some((Modality::States, 4));
    }
    // "Do not discuss …", "does not apply": a negated plain verb, which the
    // negation check reads as forbidden.
    if is(first, &["do", "does", "did"]) && word(1, &["not", "n't"]) {
        return Some((Modality::States, 1));
    }
    if is(first, &["needs", "need"]) && word(1, &["to"]) {
        return Some((Modality::Must, 2));
    }
    // "Nothing in this Part prohibits …", "the bill bans …": a prohibition verb.
    if is(first, &["prohibits", "prohibit", "bans", "ban", "forbids", "precludes", "bars", "voids"]) {
        return Some((Modality::Forbidden, 1));
    }
    if is(first, &["believes", "recommends", "urges", "opposes", "supports", "advocates"]) {
        return Some((Modality::Should, 1));
    }
    None
}

/// A negator at word `i` that negates the clause (not "no later than").
pub(super) fn negates(w: &[Word<'_>], i: usize) -> bool {
    let Some(word) = w.get(i) else { return false };
    if !is(word, NEGATORS) {
        return false;
    }
    // "no later than", "not less than", "no more than": a limit, not a negation.
    let next = w.get(i + 1).map_or("", |n| n.text);
    let comparative = ["later", "less", "more", "fewer", "greater", "earlier", "sooner", "longer", "shorter", "only"];
    !comparative.iter().any(|c| next.eq_ignore_ascii_case(c)) || is(word, &["nothing", "never"])
}

/// "prohibits", "prevents", "limits" after a negator: a double negative.
pub(super) fn restricts(word: &Word<'_>) -> bool {
    let t = word.text.to_ascii_lowercase();
    ["prohibit", "prevent", "preclude", "restrict", "limit", "bar", "forbid", "constru"]
        .iter()
        .any(|p| t.starts_with(p))
}

/// "No carrier shall", "Nothing in this Agreement": a clause-initial negation
/// before the modal at `until`.
pub(super) fn leads_with_no(sentence: &str, w: &[Word<'_>], start: usize, until: usize) -> bool {
    let first = (start..until).find(|&k| !is_label(sentence, w, k));
    // "No." answering a question is not "No carrier shall".
    let answer = |k: usize| sentence[w[k].span.end..].starts_with(['.', ',']);
    first.is_some_and(|k| is(&w[k], &["no", "nothing", "neither", "none"]) && !answer(k))
        || (start..until)
            .any(|k| is(&w[k], &["in", "under"]) && w.get(k + 1).is_some_and(|n| is(n, &["no"])) && k + 2 < until)
}

/// "(a)", "1.", "A.", "(iv)": a clause label, not a word of the clause.
pub(super) fn is_label(sentence: &str, w: &[Word<'_>], k: usize) -> bool {
    let word = &w[k];
    let short = word.text.len() <= 4 && word.text.chars().all(|c| c.is_ascii_alphanumeric());
    let digits = short && word.text.chars().all(|c| c.is_ascii_digit());
    let enclosed = k > 0 && w[k - 1].text == "(" && w.get(k + 1).is_some_and(|n| n.text == ")");
    let dotted = short && word.text.len() == 1 && sentence[word.span.end..].starts_with('.');
    matches!(word.text, "(" | ")" | ",") || digits || short && enclosed || dotted
}

/// The word at `t` stands in an if/when/unless or except clause: going back
/// from it, a conditional word comes before any modal ("If Plan finds it
/// *overpaid*, Plan may recoup"; "whenever it engages in *recovery*, it shall
/// give notice"; "other than *recovery* for duplicates").
pub(super) fn is_conditional(w: &[Word<'_>], start: usize, t: usize, _modal: Option<usize>) -> bool {
    for k in (start..t).rev() {
        if modal_at(w, k).is_some() {
            return false;
        }
        let word = &w[k];
        let event = is(word, &["event", "case"])
            && k >= 2
            && is(&w[k - 1], &["the"])
            && is(&w[k - 2], &["in"])
            && w.get(k + 1).is_some_and(|n| is(n, &["of", "that"]));
        let other_than = is(word, &["than"]) && k >= 1 && is(&w[k - 1], &["other"]);
        // "after the date of payment", "before 30 days": a time, not a condition.
        let time = is(word, &["after", "before", "until"])
            && w.get(k + 1).is_some_and(|n| {
                is(n, &["the", "a", "an", "such", "its", "this", "that", "each", "any", "receipt", "payment", "notice"])
                    || n.text.starts_with(|c: char| c.is_ascii_digit())
            });
        if time {
            continue;
        }
        if is(word, CONDITIONALS) || is(word, &["except", "excluding", "whether"]) || event || other_than {
            return true;
        }
    }
    false
}

/// `"Clean Claim" means`, `the term X means`, `X shall mean`, `X: means`.
pub(super) fn is_definition(w: &[Word<'_>]) -> bool {
    w.iter().take(16).enumerate().any(|(k, x)| {
        is(x, &["means", "refers"])
            || is(x, &["mean"]) && k > 0 && is(&w[k - 1], &["shall"])
            || is(x, &["defined"])
                && k > 0
                && is(&w[k - 1], &["is", "are"])
                && w.get(k + 1).is_some_and(|n| is(n, &["as"]))
    })
}
