//! Who the parties are, so rules written about "Plan" and "Provider" also read
//! contracts and manuals that call them "Lakeshore", "MCO" or "Northside".
//!
//! Two sources: defined names in the preamble (`... Inc. ("Pinnacle")`) and, for
//! provider manuals that define nothing, the brand in the title ("PINNACLE
//! HEALTH PLAN" → "Pinnacle" when the text uses it on its own). Each alias gets
//! a role from its own words and the words describing the entity it names.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// Which side of a payer contract a party is on.
pub enum Role {
    /// The health plan, insurer or network.
    Payer,
    /// The practice, physician, facility.
    Provider,
}

impl Role {
    /// The generic word rules use for this role.
    pub fn generic(self) -> &'static str {
        match self {
            Role::Payer => "plan",
            Role::Provider => "provider",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
/// A name the document uses for a party.
pub struct Party {
    /// The name as written.
    pub alias: String,
    /// Its side.
    pub role: Role,
}

/// How far into the document parties are defined.
const PREAMBLE_BYTES: usize = 4000;

static DEFINED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\(\s*(?:the\s+|hereinafter\s+(?:referred\s+to\s+as\s+)?(?:the\s+)?|collectively,?\s+)?"([A-Z][A-Za-z0-9&.'\- ]{1,40}?)"\s*\)"#)
        .unwrap_or_else(|e| panic!("party pattern: {e}"))
});

static PAYER_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(health\s*plans?|plan|payer|payor|insur\w*|carrier|HMO|MCO|PPO|managed care|health maintenance|care organization|health alliance|health partners|health network|cooperative|assurance|blue cross|blue shield|mutual)\b")
        .unwrap_or_else(|e| panic!("payer pattern: {e}"))
});

static PROVIDER_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(provider|group|physicians?|practice|medical|medicine|clinic|hospital|health system|medical center|regional|pediatrics|cardiology|orthopedic\w*|surgery|surgical|radiology|anesthesia|associates|partners|P\.?C\.|PLLC|P\.?A\.|M\.?D\.|LLP|facility|IPA)\b")
        .unwrap_or_else(|e| panic!("provider pattern: {e}"))
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
    "state",
    "party",
    "parties",
    "services",
    "covered services",
    "members",
    "member",
    "enrollee",
    "enrollees",
    "recitals",
];

/// The parties named in `text`, payer first.
pub fn find(text: &str) -> Vec<Party> {
    let head = &text[..floor_char_boundary(text, PREAMBLE_BYTES)];
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
        let role = role_of(name, description);
        if let Some(role) = role
            && !parties.iter().any(|p| p.alias == name)
        {
            parties.push(Party { alias: name.to_string(), role });
        }
    }
    if let Some(brand) = title_brand(text)
        && !parties.iter().any(|p| p.alias == brand)
    {
        parties.push(Party { alias: brand, role: Role::Payer });
    }
    parties.sort_by_key(|p| p.role != Role::Payer);
    parties
}

fn role_of(alias: &str, description: &str) -> Option<Role> {
    if PAYER_WORDS.is_match(alias) {
        return Some(Role::Payer);
    }
    if PROVIDER_WORDS.is_match(alias) {
        return Some(Role::Provider);
    }
    let payer = PAYER_WORDS.find_iter(description).count();
    let provider = PROVIDER_WORDS.find_iter(description).count();
    match payer.cmp(&provider) {
        std::cmp::Ordering::Greater => Some(Role::Payer),
        std::cmp::Ordering::Less => Some(Role::Provider),
        std::cmp::Ordering::Equal => None,
    }
}

/// "PINNACLE HEALTH PLAN" → "Pinnacle", when "Pinnacle" stands alone in the text.
fn title_brand(text: &str) -> Option<String> {
    let title = text.lines().find(|l| !l.trim().is_empty())?.trim();
    let at = PAYER_WORDS.find(title)?;
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
    (standalone.find_iter(text).count() >= 3).then_some(brand)
}

/// Where each alias occurs, with the generic word to match in its place.
pub fn occurrences(text: &str, parties: &[Party]) -> Vec<(Span, &'static str)> {
    let mut out = Vec::new();
    for p in parties {
        let generic = p.role.generic();
        // Already a word the rules know, or too short to hold the generic word.
        if p.alias.eq_ignore_ascii_case(generic) || p.alias.len() < generic.len() || is_role_word(&p.alias) {
            continue;
        }
        let Ok(re) = Regex::new(&format!(r"\b{}\b", regex::escape(&p.alias))) else { continue };
        out.extend(re.find_iter(text).map(|m| (Span::new(m.start(), m.end()), generic)));
    }
    out.sort_by_key(|(s, _)| s.start);
    out
}

fn is_role_word(alias: &str) -> bool {
    const ROLE_WORDS: &[&str] = &[
        "plan",
        "health plan",
        "payer",
        "payor",
        "company",
        "carrier",
        "insurer",
        "mco",
        "hmo",
        "provider",
        "group",
        "physician",
        "practice",
        "hospital",
        "facility",
    ];
    ROLE_WORDS.contains(&alias.to_lowercase().as_str())
}

fn floor_char_boundary(s: &str, at: usize) -> usize {
    let mut i = at.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defined_names_get_roles() {
        let text = "This Agreement is made between Lakeshore Community Care, Inc., a managed care organization (\"Lakeshore\"), and Northside Pediatrics, PLLC (\"Northside\"), effective as of July 1, 2026 (the \"Effective Date\").";
        let parties = find(text);
        assert_eq!(
            parties,
            [
                Party { alias: "Lakeshore".into(), role: Role::Payer },
                Party { alias: "Northside".into(), role: Role::Provider }
            ]
        );
    }

    #[test]
    fn a_manual_brand_comes_from_its_title() {
        let text = "PINNACLE HEALTH PLAN\nPROVIDER MANUAL\n\nPinnacle requires authorization. Pinnacle may audit. Records are free to Pinnacle.";
        assert_eq!(find(text), [Party { alias: "Pinnacle".into(), role: Role::Payer }]);
    }

    #[test]
    fn generic_aliases_need_no_rewriting() {
        let parties =
            [Party { alias: "Plan".into(), role: Role::Payer }, Party { alias: "Group".into(), role: Role::Provider }];
        assert!(occurrences("Plan pays Group.", &parties).is_empty());
    }
}
