//! A reading of one clause around a word: who acts, under which modality,
//! whether the clause is conditional or a definition.
//!
//! Legal drafting is regular enough for a shallow reading: the governing
//! modal is the nearest one before the word in its sentence ("Plan *may* …
//! recoup", "No carrier *shall* … require"), negated by a `not`, `no`, `never`
//! or `nothing` near it or a leading "No X"; the actor is the nearest party
//! before that modal that is not the object of a preposition ("payments *to
//! the provider* shall be deducted" has no actor), or the agent of a passive
//! ("shall be recovered *by the Plan*"). A clause with no party at all — a
//! redacted name, an imperative, a passive without agent — reads as
//! [`Actor::Unnamed`], which rules accept for the side the clause implies.
//! Double negatives ("is not prohibited", "nothing … prohibits") read as
//! permission.

use schemars::JsonSchema;
use serde::Deserialize;

use super::roles::{Side, side_of};
use crate::text::Span;

/// Who acts in a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The plan, insurer, network or its brand ("Plan", "Carrier", "we" in a manual).
    Payer,
    /// A state agency, CMS, a department or regulator.
    Government,
    /// The practice, physician, facility ("you" in a provider manual).
    Provider,
    /// A member, enrollee, subscriber or patient.
    Member,
    /// Either party, each party, the parties.
    Either,
    /// A third party: a vendor, affiliate, client, other payor.
    Other,
    /// No party is named: a redacted blank, an imperative, a passive without agent.
    Unnamed,
}

impl Actor {
    /// The name rule files and facts use.
    pub fn name(self) -> &'static str {
        match self {
            Actor::Payer => "payer",
            Actor::Government => "government",
            Actor::Provider => "provider",
            Actor::Member => "member",
            Actor::Either => "either",
            Actor::Other => "other",
            Actor::Unnamed => "unnamed",
        }
    }
}

/// How a clause binds its actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// A right or permission: may, is entitled to, reserves the right, at its option.
    May,
    /// A duty: shall, must, will, agrees to, is required to.
    Must,
    /// No modal: a statement of how things are ("overpayments are offset").
    States,
    /// A prohibition: shall not, may not, no … shall, is prohibited from.
    Forbidden,
    /// A recommendation or position: should, believes.
    Should,
}

/// What a clause says about a word in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// Who acts.
    pub actor: Actor,
    /// How.
    pub modality: Modality,
    /// The word stands in an if/when/unless clause, not in the main one.
    pub conditional: bool,
    /// The sentence defines a term ("X" means …).
    pub definition: bool,
    /// Where the governing modal is, when there is one.
    pub modal: Option<Span>,
    /// The word is what the clause says: within a few words of its modal (or
    /// in a clause without one), not deep in the object of another verb
    /// ("shall give notice that … justifies the *recovery*").
    pub direct: bool,
}

/// Words between a modal and the word it still governs: "shall have the right
/// at any time to offset" is four, "may, at its option, deduct" three.
const REACH: usize = 7;

/// What the document calls "you": the provider in a provider manual, the
/// member in a member handbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Addressee {
    /// "you" is the practice.
    #[default]
    Provider,
    /// "you" is the member.
    Member,
}

#[derive(Debug, Clone, Copy)]
struct Word<'a> {
    text: &'a str,
    span: Span,
}

/// Words and the punctuation that separates clauses, in order.
fn words(sentence: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let bytes = sentence.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric()
                    || bytes[i] == b'_'
                    || bytes[i] >= 0x80
                    || (matches!(bytes[i], b'\'' | b'-') && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)))
            {
                i += 1;
            }
            // Keep whole characters: a non-ASCII run ends on a boundary.
            while !sentence.is_char_boundary(i) {
                i += 1;
            }
            out.push(Word { text: &sentence[start..i], span: Span::new(start, i) });
        } else {
            if matches!(b, b';' | b':' | b',' | b'(' | b')') {
                out.push(Word { text: &sentence[i..i + 1], span: Span::new(i, i + 1) });
            }
            i += 1;
        }
    }
    out
}

fn is(w: &Word<'_>, options: &[&str]) -> bool {
    options.iter().any(|o| w.text.eq_ignore_ascii_case(o))
}

const NEGATORS: &[&str] = &["not", "never", "no", "nothing", "neither", "nor", "none", "cannot", "can't", "won't"];
const CONDITIONALS: &[&str] =
    &["if", "when", "whenever", "unless", "once", "until", "provided", "wherever", "before", "after"];

/// A modal at word `i`: its modality and how many words it spans.
fn modal_at(w: &[Word<'_>], i: usize) -> Option<(Modality, usize)> {
    let at = |k: usize| w.get(i + k);
    let word = |k: usize, opts: &[&str]| at(k).is_some_and(|x| is(x, opts));
    let first = at(0)?;
    if is(first, &["may", "might", "can", "could"]) {
        return Some((Modality::May, 1));
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
fn negates(w: &[Word<'_>], i: usize) -> bool {
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
fn restricts(word: &Word<'_>) -> bool {
    let t = word.text.to_ascii_lowercase();
    ["prohibit", "prevent", "preclude", "restrict", "limit", "bar", "forbid", "constru"]
        .iter()
        .any(|p| t.starts_with(p))
}

/// The clause's reading at `at` (a span of `sentence`).
pub fn read(sentence: &str, at: Span, parties: &[(String, Side)], you: Addressee) -> Reading {
    let w = words(sentence);
    let t = w.iter().position(|x| x.span.end > at.start).unwrap_or(w.len());
    // The clause: back to a semicolon, or the sentence start.
    let start = w[..t].iter().rposition(|x| x.text == ";").map_or(0, |i| i + 1);
    let definition = is_definition(&w);
    // The governing modal: the nearest before the word in its clause.
    let mut modal = None;
    let mut i = t;
    while i > start {
        i -= 1;
        // "benefits that should have been paid": a relative clause's modal.
        let relative = i > 0 && is(&w[i - 1], &["that", "which", "who", "whom"]) && i + 1 < t;
        if let Some((m, len)) = modal_at(&w, i).filter(|_| !relative)
            && i + len <= t.max(i + 1)
        {
            modal = Some((i, m, len));
            break;
        }
    }
    // None before it: a modal inside the matched phrase itself ("prior
    // authorization *is required*") says what the phrase is.
    let inside = w[t..].iter().take_while(|x| x.span.start < at.end).count();
    if modal.is_none() {
        modal = (t..t + inside).find_map(|k| modal_at(&w, k).map(|(m, len)| (k, m, len)));
    }
    let conditional = is_conditional(&w, start, t, modal.map(|(i, ..)| i));
    let (modality, modal_span) = match modal {
        Some((i, m, len)) => {
            let negated = (i.saturating_sub(3).max(start)..t.min(i + len + 2)).any(|k| negates(&w, k) && k != i)
                || leads_with_no(sentence, &w, start, i);
            let double = negated && (i..t).any(|k| restricts(&w[k]));
            let modality = match (m, negated && !double) {
                (Modality::Forbidden, _) if double => Modality::May,
                (Modality::May | Modality::Must | Modality::States, true) => Modality::Forbidden,
                (m, _) => m,
            };
            (modality, Some(Span::new(w[i].span.start, w[i + len - 1].span.end)))
        }
        None => {
            let negated =
                (start.max(t.saturating_sub(4))..t).any(|k| negates(&w, k)) || leads_with_no(sentence, &w, start, t);
            let double = negated && (start..t).any(|k| restricts(&w[k]));
            (if negated && !double { Modality::Forbidden } else { Modality::States }, None)
        }
    };
    let anchor = modal.map_or(t, |(i, ..)| i);
    let actor = passive_agent(&w, t, parties, you)
        .or_else(|| subject(&w, start, anchor, parties, you))
        .unwrap_or(Actor::Unnamed);
    // Items after a colon are the objects of the modal before it.
    let direct = modal.is_none_or(|(i, _, len)| {
        let between = &w[(i + len).min(t)..t];
        between.iter().any(|x| x.text == ":")
            || between.iter().filter(|x| !matches!(x.text, "," | "(" | ")" | ":")).count() <= REACH
    });
    Reading { actor, modality, conditional, definition, modal: modal_span, direct }
}

/// "No carrier shall", "Nothing in this Agreement": a clause-initial negation
/// before the modal at `until`.
fn leads_with_no(sentence: &str, w: &[Word<'_>], start: usize, until: usize) -> bool {
    let first = (start..until).find(|&k| !is_label(&w[k]));
    // "No." answering a question is not "No carrier shall".
    let answer = |k: usize| sentence[w[k].span.end..].starts_with(['.', ',']);
    first.is_some_and(|k| is(&w[k], &["no", "nothing", "neither", "none"]) && !answer(k))
        || (start..until)
            .any(|k| is(&w[k], &["in", "under"]) && w.get(k + 1).is_some_and(|n| is(n, &["no"])) && k + 2 < until)
}

/// "(a)", "1.", "ii": a clause label, not a word of the clause.
fn is_label(w: &Word<'_>) -> bool {
    matches!(w.text, "(" | ")" | ",") || w.text.len() <= 4 && w.text.chars().all(|c| c.is_ascii_digit())
}

/// The word at `t` stands in an if/when/unless or except clause: going back
/// from it, a conditional word comes before any modal ("If Plan finds it
/// *overpaid*, Plan may recoup"; "whenever it engages in *recovery*, it shall
/// give notice"; "other than *recovery* for duplicates").
fn is_conditional(w: &[Word<'_>], start: usize, t: usize, _modal: Option<usize>) -> bool {
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
        if is(word, CONDITIONALS) || is(word, &["except", "excluding", "whether"]) || event || other_than {
            return true;
        }
    }
    false
}

/// `"Clean Claim" means`, `the term X means`, `X shall mean`, `X: means`.
fn is_definition(w: &[Word<'_>]) -> bool {
    w.iter().take(16).enumerate().any(|(k, x)| {
        is(x, &["means", "refers"])
            || is(x, &["mean"]) && k > 0 && is(&w[k - 1], &["shall"])
            || is(x, &["defined"])
                && k > 0
                && is(&w[k - 1], &["is", "are"])
                && w.get(k + 1).is_some_and(|n| is(n, &["as"]))
    })
}

/// The agent of a passive ("shall be recovered by the Plan"), or of a gerund
/// ("by the Plan offsetting the amount").
fn passive_agent(w: &[Word<'_>], t: usize, parties: &[(String, Side)], you: Addressee) -> Option<Actor> {
    for d in [1, 2] {
        let gerund = w.get(t).is_some_and(|x| x.text.to_ascii_lowercase().ends_with("ing"));
        if t > d && gerund && is(&w[t - d - 1], &["by"]) {
            if let Some((actor, _)) = party_at(w, t - d, parties, you) {
                return Some(actor);
            }
        }
    }
    let by = (t + 1..(t + 4).min(w.len())).find(|&k| is(&w[k], &["by"]))?;
    let passive = t > 0 && (1..=3).any(|d| t >= d && is(&w[t - d], &["be", "been", "is", "are", "was", "were"]));
    if !passive {
        return None;
    }
    party_at(w, by + 1, parties, you).or_else(|| party_at(w, by + 2, parties, you)).map(|(a, _)| a)
}

/// The nearest party before `until` in the clause that is not the object of
/// a preposition. "Provider and Plan", "either party" read as [`Actor::Either`].
fn subject(w: &[Word<'_>], start: usize, until: usize, parties: &[(String, Side)], you: Addressee) -> Option<Actor> {
    let mut k = until;
    while k > start {
        k -= 1;
        let Some((actor, len)) = party_at(w, k, parties, you) else { continue };
        // "the Plan's deadline": a possessive modifies a noun, it does not act.
        if w[k].text.ends_with("'s") || w[k].text.ends_with("’s") {
            continue;
        }
        let before = |d: usize| k.checked_sub(d).filter(|&b| b >= start).map(|b| w[b].text.to_ascii_lowercase());
        let preposition = ["to", "from", "with", "for", "of", "against", "between", "than", "among", "on", "under"];
        if before(1).is_some_and(|b| preposition.contains(&b.as_str()))
            || before(2).is_some_and(|b| preposition.contains(&b.as_str()))
                && before(1).is_some_and(|b| ["the", "a", "an", "any", "each", "its", "such"].contains(&b.as_str()))
        {
            continue;
        }
        // "Provider and Plan may": both sides.
        // "Provider and Plan", "The CE and DBM and all participating providers".
        let conj = (1..=3).any(|d| {
            before(d).is_some_and(|b| b == "and" || b == "or")
                && (1..=3).any(|e| {
                    k >= d + e
                        && k - d - e >= start
                        && (party_at(w, k - d - e, parties, you).is_some_and(|(o, _)| o != actor)
                            || is_acronym(&w[k - d - e]))
                })
        });
        if conj || (k + len..until).any(|j| is(&w[j], &["and", "or"]) && party_at(w, j + 1, parties, you).is_some()) {
            return Some(Actor::Either);
        }
        return Some(actor);
    }
    None
}

/// "CE", "DBM": a party's initials the document has not defined.
fn is_acronym(w: &Word<'_>) -> bool {
    (2..=5).contains(&w.text.len()) && w.text.chars().all(|c| c.is_ascii_uppercase())
}

/// A party named at word `k`: its actor and how many words it takes.
fn party_at(w: &[Word<'_>], k: usize, parties: &[(String, Side)], you: Addressee) -> Option<(Actor, usize)> {
    let word = w.get(k)?;
    let lower = word.text.to_ascii_lowercase();
    let stem = lower.trim_end_matches("'s").trim_end_matches('\'');
    if ["either", "each", "both", "terminating", "non-terminating", "other"].contains(&stem)
        && w.get(k + 1).is_some_and(|n| is(n, &["party", "parties"]))
    {
        return Some((Actor::Either, 2));
    }
    if stem == "parties" || stem == "party" {
        return Some((Actor::Either, 1));
    }
    if ["you", "your"].contains(&stem) {
        return Some((if you == Addressee::Member { Actor::Member } else { Actor::Provider }, 1));
    }
    if let Some((_, side)) =
        parties.iter().find(|(alias, _)| alias.eq_ignore_ascii_case(word.text) || alias.eq_ignore_ascii_case(stem))
    {
        return Some((actor_of(*side), 1));
    }
    side_of(stem).map(|s| (actor_of(s), 1))
}

fn actor_of(side: Side) -> Actor {
    match side {
        Side::Payer => Actor::Payer,
        Side::Government => Actor::Government,
        Side::Provider => Actor::Provider,
        Side::Member => Actor::Member,
        Side::Other => Actor::Other,
    }
}

#[cfg(test)]
mod tests;
