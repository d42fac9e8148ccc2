//! Who the parties are, so rules read contracts and manuals that call the
//! payer "Lakeshore", "the CCO", "Cigna" or "HHSC".
//!
//! Names come from three places, each recorded with the text it came from
//! (`redflag extract --parties` shows them):
//! - defined names in the preamble or the definitions (`... Inc. ("Pinnacle")`),
//!   given a side by their own words and the words describing the entity;
//! - the brand in a manual's title ("PINNACLE HEALTH PLAN" → "Pinnacle" when
//!   the text uses it on its own);
//! - names that act in the text ("HHSC may deduct", "Cigna shall pay"): a
//!   name that does so and carries a side's words, or is a payer's brand,
//!   takes that side.
//!
//! In the form rules match, a payer's or provider's name becomes the role word
//! ("plan", "provider"), right-aligned in its own bytes, so rules written
//! about "plan" read every contract while reports keep the real names.

use std::sync::LazyLock;

use regex::Regex;

use super::clause::Addressee;
use super::roles::{Side, side_of};
use crate::text::Span;

/// A name the document uses for a party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    /// The name as written.
    pub alias: String,
    /// Its side.
    pub side: Side,
    /// Where it was found: the text that defines it or shows it acting.
    pub source: String,
}

impl Party {
    /// The word rules use for its side in the matching form, if it has one.
    pub fn generic(&self) -> Option<&'static str> {
        match self.side {
            Side::Payer => Some("plan"),
            Side::Provider => Some("provider"),
            _ => None,
        }
    }
}

/// How far into the document parties are defined.
const PREAMBLE_BYTES: usize = 4000;

/// How many named actors are kept: a document names a handful of parties.
const MAX_ACTORS: usize = 12;

static DEFINED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\(\s*(?:the\s+|hereinafter\s+(?:referred\s+to\s+as\s+)?(?:the\s+)?|collectively,?\s+)?"([A-Z][A-Za-z0-9&.'\- ]{1,40}?)"\s*\)"#)
        .unwrap_or_else(|e| unreachable!("party pattern: {e}"))
});

static PAYER_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(health\s*plans?|plan|payer|payor|insur\w*|carrier|HMO|MCO|CCO|PPO|managed care|health maintenance|care organization|health alliance|health partners|health network|healthcare|health|cooperative|assurance|blue cross|blue shield|mutual|benefits?|behavioral health)\b")
        .unwrap_or_else(|e| unreachable!("payer pattern: {e}"))
});

static PROVIDER_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(provider|group|physicians?|practice|medical|medicine|clinic|hospital|health system|medical center|regional|pediatrics|cardiology|orthopedic\w*|surgery|surgical|radiology|anesthesia|associates|partners|P\.?C\.|PLLC|P\.?A\.|M\.?D\.|LLP|facility|IPA|pharmacy)\b")
        .unwrap_or_else(|e| unreachable!("provider pattern: {e}"))
});

static GOVERNMENT_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(department|state of|county|commission|division|agency|authority|secretary|inspector general|office of|bureau|CMS|HHS)\b")
        .unwrap_or_else(|e| unreachable!("government pattern: {e}"))
});

/// Capitalized names directly before an acting verb ("HHSC may", "Cigna Behavioral Health shall").
static ACTING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b((?:[A-Z][A-Za-z&'\-]*[ \t]+(?:(?:of|for|and|&)[ \t]+)?){0,3}[A-Z][A-Za-z&'\-]*)\s+(?:may|shall|will|must|reserves|agrees|does|has|pays|reimburses|requires|offers|applies|determines|reviews)\b")
        .unwrap_or_else(|e| unreachable!("acting pattern: {e}"))
});

/// Defined names that are not parties.
const NOT_PARTIES: &[&str] = &[
    "agreement",
    "amendment",
    "effective date",
    "manual",
    "provider manual",
    "exhibit",
    "term",
    "party",
    "parties",
    "services",
    "covered services",
    "recitals",
    "claim",
    "clean claim",
    "claims",
];

/// The parties named in `text`, payer first.
pub fn find(text: &str) -> Vec<Party> {
    let head = &text[..text.floor_char_boundary(PREAMBLE_BYTES)];
    let mut parties: Vec<Party> = Vec::new();
    let mut last_end = 0;
    for cap in DEFINED.captures_iter(head) {
        let (Some(whole), Some(alias)) = (cap.get(0), cap.get(1)) else { continue };
        let name = alias.as_str().trim();
        // The entity description: back to the previous definition or clause break.
        let from = head[last_end..whole.start()].rfind([';', '\n']).map_or(last_end, |i| last_end + i + 1);
        let description = &head[from..whole.start()];
        last_end = whole.end();
        if NOT_PARTIES.contains(&name.to_lowercase().as_str()) {
            continue;
        }
        let side = side_by_words(name).or_else(|| side_by_description(description));
        if let Some(side) = side
            && !parties.iter().any(|p| p.alias == name)
        {
            parties.push(Party { alias: name.to_string(), side, source: head[from..whole.end()].trim().to_string() });
        }
    }
    if let Some((brand, title)) = title_brand(text)
        && !parties.iter().any(|p| p.alias == brand)
    {
        parties.push(Party { alias: brand, side: Side::Payer, source: title });
    }
    for (name, source) in acting_names(text) {
        if parties.len() >= MAX_ACTORS {
            break;
        }
        if parties.iter().any(|p| p.alias == name) {
            continue;
        }
        let lower = name.to_lowercase();
        let first = lower.split_whitespace().next().unwrap_or("");
        let side = if GOVERNMENT_WORDS.is_match(&name) || side_of(&lower) == Some(Side::Government) {
            Some(Side::Government)
        } else if side_of(first) == Some(Side::Payer) || PAYER_WORDS.is_match(&name) {
            Some(Side::Payer)
        } else if PROVIDER_WORDS.is_match(&name) {
            Some(Side::Provider)
        } else {
            None
        };
        if let Some(side) = side {
            parties.push(Party { alias: name, side, source });
        }
    }
    parties.sort_by_key(|p| p.side != Side::Payer);
    parties
}

/// Names that act as subjects, with the text that shows it; names made only of
/// a generic role word ("The Plan") are left to the word lists.
fn acting_names(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    // The whole match and its last word cut off, not the name's group: groups
    // need the slow engine for every match, which was half of reading parties.
    for whole in ACTING.find_iter(text) {
        let whole = whole.as_str();
        let name = whole.trim_end().rsplit_once(char::is_whitespace).map_or(whole, |(name, _)| name);
        let name = name.trim().trim_start_matches("The ").trim_start_matches("the ").trim().to_string();
        let lower = name.to_lowercase();
        let generic = lower.split_whitespace().all(|w| side_of(w).is_some() || ["health", "care", "the"].contains(&w));
        let sentence_word = ["if", "when", "it", "this", "each", "any", "no", "such", "payment", "claims", "all"];
        if name.len() < 2 || generic || sentence_word.contains(&lower.as_str()) || out.iter().any(|(n, _)| *n == name) {
            continue;
        }
        out.push((name, whole.to_string()));
    }
    out
}

fn side_by_words(alias: &str) -> Option<Side> {
    if GOVERNMENT_WORDS.is_match(alias) {
        return Some(Side::Government);
    }
    if PAYER_WORDS.is_match(alias) {
        return Some(Side::Payer);
    }
    if PROVIDER_WORDS.is_match(alias) {
        return Some(Side::Provider);
    }
    side_of(&alias.to_lowercase()).filter(|s| matches!(s, Side::Payer | Side::Provider | Side::Government))
}

fn side_by_description(description: &str) -> Option<Side> {
    let payer = PAYER_WORDS.find_iter(description).count();
    let provider = PROVIDER_WORDS.find_iter(description).count();
    match payer.cmp(&provider) {
        std::cmp::Ordering::Greater => Some(Side::Payer),
        std::cmp::Ordering::Less => Some(Side::Provider),
        std::cmp::Ordering::Equal => None,
    }
}

/// "PINNACLE HEALTH PLAN" → "Pinnacle", when "Pinnacle" stands alone in the
/// text; with the title line.
fn title_brand(text: &str) -> Option<(String, String)> {
    let title = text.lines().find(|l| !l.trim().is_empty())?.trim();
    let at = PAYER_WORDS.find(title)?;
    // "Lakeside Health System", "Ridge Medical Group" title a provider's document.
    if PROVIDER_WORDS.is_match(title) {
        return None;
    }
    let brand_caps = title[..at.start()].trim().trim_end_matches(',');
    if brand_caps.is_empty() || brand_caps.split_whitespace().count() > 2 {
        return None;
    }
    let brand: String = brand_caps
        .split_whitespace()
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c.flat_map(char::to_lowercase)).collect())
        })
        .collect::<Vec<_>>()
        .join(" ");
    let standalone = Regex::new(&format!(r"\b{}\b", regex::escape(&brand))).ok()?;
    // Once beyond the title is enough: a manual says "we" more than its name.
    (standalone.find_iter(text).count() >= 2).then(|| (brand, title.to_string()))
}

/// Whom "you" addresses: the member in a member handbook, else the provider.
pub fn addressee(text: &str) -> Addressee {
    static MEMBER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\byour\s+(doctor|physician|provider|plan|coverage|benefits?|dependents?|health care provider|id card|premium|copay\w*|deductible)\b")
            .unwrap_or_else(|e| unreachable!("member pattern: {e}"))
    });
    static PROVIDER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\byour\s+(patients?|practice|office|claims?|agreement|contract|staff|remittance|tin|facility|organization)\b|\bour\s+members\b")
            .unwrap_or_else(|e| unreachable!("provider pattern: {e}"))
    });
    let member = MEMBER.find_iter(text).count();
    let provider = PROVIDER.find_iter(text).count();
    if member > provider { Addressee::Member } else { Addressee::Provider }
}

/// Where each payer or provider name occurs, with the role word to match in its place.
pub fn occurrences(text: &str, parties: &[Party]) -> Vec<(Span, &'static str)> {
    let mut out = Vec::new();
    for p in parties {
        let Some(generic) = p.generic() else { continue };
        // Already a word the rules know, or too short to hold the role word.
        if p.alias.eq_ignore_ascii_case(generic) || p.alias.len() < generic.len() || is_role_word(&p.alias) {
            continue;
        }
        let Ok(re) = Regex::new(&format!(r"\b{}\b", regex::escape(&p.alias))) else { continue };
        out.extend(re.find_iter(text).map(|m| (Span::new(m.start(), m.end()), generic)));
    }
    out.sort_by_key(|(s, _)| s.start);
    // Names inside other names ("Cigna" in "Cigna Behavioral Health"): the first, longest wins.
    let mut kept: Vec<(Span, &'static str)> = Vec::with_capacity(out.len());
    for (span, word) in out {
        match kept.last() {
            Some((last, _)) if span.start < last.end => {
                if span.end > last.end && span.start == last.start {
                    kept.pop();
                    kept.push((span, word));
                }
            }
            _ => kept.push((span, word)),
        }
    }
    kept
}

fn is_role_word(alias: &str) -> bool {
    let lower = alias.to_lowercase();
    lower.split_whitespace().count() == 1 && side_of(&lower).is_some()
        || ["health plan", "the plan", "the provider"].contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sides(parties: &[Party]) -> Vec<(&str, Side)> {
        parties.iter().map(|p| (p.alias.as_str(), p.side)).collect()
    }

    #[test]
    fn defined_names_get_sides() {
        let text = "This Agreement is made between Lakeshore Community Care, Inc., a managed care organization (\"Lakeshore\"), and Northside Pediatrics, PLLC (\"Northside\"), effective as of July 1, 2026 (the \"Effective Date\").";
        assert_eq!(sides(&find(text)), [("Lakeshore", Side::Payer), ("Northside", Side::Provider)]);
        assert!(find(text)[0].source.contains("managed care organization"));
    }

    #[test]
    fn a_manual_brand_comes_from_its_title() {
        let text = "PINNACLE HEALTH PLAN\nPROVIDER MANUAL\n\nPinnacle requires authorization. Pinnacle may audit. Records are free to Pinnacle.";
        assert_eq!(sides(&find(text))[0], ("Pinnacle", Side::Payer));
        // A manual that names its brand once more and says "we" otherwise.
        let text = "Crestline Health\nProvider Manual\n\nYou bill Crestline for each visit. We pay within 30 days.";
        assert_eq!(sides(&find(text))[0], ("Crestline", Side::Payer));
        // A provider's own document is not titled by a payer.
        let text = "Ridge Valley Health System\nPolicy\n\nRidge Valley bills each payer. Ridge Valley keeps records.";
        assert!(!find(text).iter().any(|p| p.side == Side::Payer), "{:?}", find(text));
    }

    #[test]
    fn names_that_act_take_the_side_their_words_say() {
        let text = "Harborview Health may deduct the amount. The Department of Insurance shall review it. Westfield Orthopedic Associates shall submit claims. Monday may be a holiday.";
        let found = find(text);
        assert!(sides(&found).contains(&("Harborview Health", Side::Payer)), "{found:?}");
        assert!(sides(&found).contains(&("Department of Insurance", Side::Government)), "{found:?}");
        assert!(sides(&found).contains(&("Westfield Orthopedic Associates", Side::Provider)), "{found:?}");
        assert!(!found.iter().any(|p| p.alias == "Monday"), "{found:?}");
    }

    #[test]
    fn generic_aliases_need_no_rewriting() {
        let parties = [
            Party { alias: "Plan".into(), side: Side::Payer, source: String::new() },
            Party { alias: "Group".into(), side: Side::Provider, source: String::new() },
        ];
        assert!(occurrences("Plan pays Group.", &parties).is_empty());
    }

    #[test]
    fn you_is_whom_the_document_addresses() {
        assert_eq!(addressee("Submit your claims within 90 days. Your patients may call us."), Addressee::Provider);
        assert_eq!(addressee("Ask your doctor. Your plan covers it under your benefits."), Addressee::Member);
    }
}
