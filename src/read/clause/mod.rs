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

mod actor;
mod modal;
mod words;

use actor::{Names, party_at, passive_agent, subject};
use modal::{CONDITIONALS, is_conditional, is_definition, is_label, leads_with_no, modal_at, negates, restricts};
use words::{is, words};

use super::roles::Side;
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

/// ", and", ", but", ", or" at word `k`: where a coordinate clause may begin.
fn coordinates(w: &[words::Word<'_>], k: usize) -> bool {
    w[k].text == "," && w.get(k + 1).is_some_and(|n| is(n, &["and", "but", "or"]))
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
        // "amounts that would be owed": a relative clause's modal.
        let relative = i > 0 && is(&w[i - 1], &["that", "which", "who", "whom"]) && i + 1 < t;
        if let Some((m, len)) = modal_at(&w, i).filter(|_| !relative)
            && i + len <= t.max(i + 1)
        {
            // "does not need to": the modal phrase may start before "need".
            modal = (i.saturating_sub(3).max(start)..i)
                .find_map(|k| modal_at(&w, k).filter(|&(_, l)| k + l > i).map(|(m, l)| (k, m, l)))
                .or(Some((i, m, len)));
            break;
        }
    }
    // None before it: a modal inside the matched phrase itself ("prior
    // authorization *is required*") says what the phrase is.
    let inside = w[t..].iter().take_while(|x| x.span.start < at.end).count();
    let own = (t..t + inside).find_map(|k| modal_at(&w, k).map(|(m, len)| (k, m, len)));
    // "Plan may audit at any time, and *Group shall bear the cost*": a phrase
    // with its own modal, after a coordinate clause began, is read on its own.
    let coordinate = |from: usize| (from..t).any(|k| coordinates(&w, k));
    // "Group shall not disparage Plan, and shall not discuss …": without a
    // subject of its own the phrase keeps the first clause's.
    let mut carried = None;
    if modal.is_none() || own.is_some() && modal.is_some_and(|(i, _, len)| coordinate(i + len)) {
        carried = modal.map(|(i, ..)| i);
        modal = own.or(modal);
    }
    // "No action shall be brought in court, and all disputes shall be
    // arbitrated": a coordinate clause with its own subject and modal starts
    // afresh, so the first clause's "No" does not negate it.
    let start = match modal {
        Some((i, ..)) if i < t => {
            (start..i.saturating_sub(1)).rev().find(|&k| coordinates(&w, k) && k + 2 < i).map_or(start, |k| k + 2)
        }
        _ => start,
    };
    let conditional = is_conditional(&w, start, t, modal.map(|(i, ..)| i));
    let (modality, modal_span) = match modal {
        Some((i, m, len)) => {
            // Negators between the modal and the trigger, or right after a
            // modal inside the matched phrase ("do not discuss").
            let until = if i >= t { i + len + 2 } else { t.min(i + len + 2) };
            let negated = (i.saturating_sub(3).max(start)..until.min(w.len()))
                .any(|k| negates(&w, k) && (k == i || !(i..i + len).contains(&k)))
                || leads_with_no(sentence, &w, start, i);
            // "may preclude or discourage": a restricting verb joined to the
            // word itself is what is forbidden, not a double negative.
            let joined = |k: usize| w[k + 1..t].iter().all(|x| is(x, &["or", "and", ","]));
            let double = negated && (i..t).any(|k| restricts(&w[k]) && !joined(k));
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
    let names = Names { parties, you };
    let boundary = (start..anchor).rev().find(|&k| w[k].text == ",");
    let anchor = match (carried, boundary) {
        (Some(first), Some(b)) if !(b..anchor).any(|k| party_at(&w, k, &names).is_some()) => first,
        _ => anchor,
    };
    // "If a provider declines, the payment cannot be sent": the subject is in
    // the main clause, after the comma that closes a fronted condition.
    let main = match (start..anchor).find(|&k| !is_label(sentence, &w, k)) {
        Some(k) if is(&w[k], CONDITIONALS) => (k..anchor).find(|&c| w[c].text == ",").map_or(start, |c| c + 1),
        _ => start,
    };
    let actor = passive_agent(&w, t, &names).or_else(|| subject(&w, main, anchor, &names)).unwrap_or(Actor::Unnamed);
    // Items after a colon are the objects of the modal before it.
    let direct = modal.is_none_or(|(i, _, len)| {
        let between = &w[(i + len).min(t)..t];
        between.iter().any(|x| x.text == ":")
            || between.iter().filter(|x| !matches!(x.text, "," | "(" | ")" | ":")).count() <= REACH
    });
    Reading { actor, modality, conditional, definition, modal: modal_span, direct }
}

#[cfg(test)]
mod tests;
