//! Who acts in a clause: the subject before its modal, the agent of a
//! passive, and the parties coordinated with it.

use super::words::{Word, is};
use super::{Actor, Addressee};
use crate::read::roles::{Side, side_of};

/// Nouns a role word modifies rather than names a party before: "provider
/// manual", "plan year", "member services".
const MODIFIED: &[&str] = &[
    "manual",
    "manuals",
    "guide",
    "guides",
    "handbook",
    "portal",
    "network",
    "networks",
    "agreement",
    "agreements",
    "contract",
    "contracts",
    "policy",
    "policies",
    "services",
    "service",
    "relations",
    "directory",
    "bulletin",
    "newsletter",
    "website",
    "site",
    "type",
    "types",
    "year",
    "years",
    "rate",
    "rates",
    "fee",
    "fees",
    "number",
    "numbers",
    "id",
    "office",
    "offices",
    "panel",
    "account",
    "data",
    "information",
    "education",
    "news",
    "representative",
    "representatives",
    "specialty",
    "application",
    "communications",
    "participation",
    "level",
];

/// The names a document gives its parties, and whom it calls "you".
pub(super) struct Names<'p> {
    /// Names defined or used in the document, with their sides.
    pub parties: &'p [(String, Side)],
    /// What "you" means in this document.
    pub you: Addressee,
}

/// The agent of a passive ("shall be recovered by the Plan"), or of a gerund
/// ("by the Plan offsetting the amount").
pub(super) fn passive_agent(w: &[Word<'_>], t: usize, names: &Names<'_>) -> Option<Actor> {
    for d in [1, 2] {
        let gerund = w.get(t).is_some_and(|x| x.text.to_ascii_lowercase().ends_with("ing"));
        if t > d
            && gerund
            && is(&w[t - d - 1], &["by"])
            && let Some((actor, _)) = party_at(w, t - d, names)
        {
            return Some(actor);
        }
    }
    let by = (t + 1..(t + 4).min(w.len())).find(|&k| is(&w[k], &["by"]))?;
    let passive = t > 0 && (1..=3).any(|d| t >= d && is(&w[t - d], &["be", "been", "is", "are", "was", "were"]));
    if !passive {
        return None;
    }
    party_at(w, by + 1, names).or_else(|| party_at(w, by + 2, names)).map(|(a, _)| a)
}

/// The nearest party before `until` in the clause that is not the object of
/// a preposition. "Provider and Plan", "either party" read as [`Actor::Either`].
pub(super) fn subject(w: &[Word<'_>], start: usize, until: usize, names: &Names<'_>) -> Option<Actor> {
    let mut k = until;
    while k > start {
        k -= 1;
        let Some((actor, len)) = party_at(w, k, names) else { continue };
        // "the Plan's deadline": a possessive modifies a noun, it does not act;
        // so does a role word before one ("this provider guide", "plan year").
        if w[k].text.ends_with("'s") || w[k].text.ends_with("’s") || w.get(k + len).is_some_and(|n| is(n, MODIFIED)) {
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
        return Some(coordinated(w, start, k, len, until, actor, names));
    }
    None
}

/// The actor of a party at `k` read with the parties coordinated with it:
/// "Provider and Plan" are both sides ([`Actor::Either`]), "the State or its
/// contractor" and "Plan and its designees" are the State and the Plan (an
/// agent acts for its principal), "the CE and DBM" two parties.
pub(super) fn coordinated(
    w: &[Word<'_>],
    start: usize,
    k: usize,
    len: usize,
    until: usize,
    actor: Actor,
    names: &Names<'_>,
) -> Actor {
    const LINKS: &[&str] =
        &[",", "a", "an", "the", "its", "their", "his", "her", "any", "all", "each", "such", "other", "participating"];
    let mut sides = vec![actor];
    let (mut joined, mut unknown) = (false, false);
    let mut walk = |j: usize| -> bool {
        let word = &w[j];
        if is(word, &["and", "or"]) {
            joined = true;
        } else if let Some((a, _)) = party_at(w, j, names) {
            sides.push(a);
        } else if is_acronym(word) {
            unknown = true;
        } else if !is(word, LINKS) && !word.text.starts_with(|c: char| c.is_ascii_uppercase()) {
            // A capitalized word is part of a name ("the Inspector General").
            return false;
        }
        true
    };
    let mut j = k;
    while j > start && k - j < 8 {
        j -= 1;
        if !walk(j) {
            break;
        }
    }
    for j in k + len..until.min(k + len + 8) {
        if !walk(j) {
            break;
        }
    }
    if !joined {
        return actor;
    }
    let mut principals: Vec<Actor> = sides.into_iter().filter(|&a| a != Actor::Other).collect();
    principals.sort_by_key(|a| a.name());
    principals.dedup();
    match (principals.as_slice(), unknown) {
        ([one], false) => *one,
        ([], false) => actor,
        _ => Actor::Either,
    }
}

/// "CE", "DBM": a party's initials the document has not defined.
pub(super) fn is_acronym(w: &Word<'_>) -> bool {
    (2..=5).contains(&w.text.len()) && w.text.chars().all(|c| c.is_ascii_uppercase())
}

/// A party named at word `k`: its actor and how many words it takes.
pub(super) fn party_at(w: &[Word<'_>], k: usize, names: &Names<'_>) -> Option<(Actor, usize)> {
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
        return Some((if names.you == Addressee::Member { Actor::Member } else { Actor::Provider }, 1));
    }
    if let Some((_, side)) = names
        .parties
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(word.text) || alias.eq_ignore_ascii_case(stem))
    {
        return Some((actor_of(*side), 1));
    }
    side_of(stem).map(|s| (actor_of(s), 1))
}

pub(super) fn actor_of(side: Side) -> Actor {
    match side {
        Side::Payer => Actor::Payer,
        Side::Government => Actor::Government,
        Side::Provider => Actor::Provider,
        Side::Member => Actor::Member,
        Side::Other => Actor::Other,
    }
}
