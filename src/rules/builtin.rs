//! The packs compiled into the binary from `rules/<pack>/*.yaml` (see `build.rs`).

use super::load::Source;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// The pack used when none is named.
pub const DEFAULT_PACK: &str = "payer";

/// The checks of the document as a file (`rules/core/`), loaded with every
/// built-in pack rather than chosen as one.
pub const CORE_PACK: &str = "core";

/// The concept vocabulary (`rules/vocabulary/`), loaded with every rule set.
pub const VOCABULARY: &str = "vocabulary";

/// The vocabulary's files, as rule sources.
pub fn vocabulary_sources() -> Vec<Source> {
    FILES
        .iter()
        .filter(|(pack, _, _)| *pack == VOCABULARY)
        .map(|(pack, name, text)| Source { name: format!("rules/{pack}/{name}"), text: (*text).into() })
        .collect()
}

/// Names of the built-in packs one can choose, sorted.
pub fn pack_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = FILES.iter().map(|f| f.0).filter(|p| *p != CORE_PACK && *p != VOCABULARY).collect();
    names.dedup();
    names
}

/// The files of the named packs (`all` names every pack), as rule sources,
/// with the core checks first. Returns the unknown names as the error.
pub fn sources(packs: &[&str]) -> Result<Vec<Source>, Vec<String>> {
    let known = pack_names();
    if packs.is_empty() {
        return Ok(Vec::new());
    }
    let unknown: Vec<String> =
        packs.iter().filter(|p| **p != "all" && !known.contains(p)).map(|p| p.to_string()).collect();
    if !unknown.is_empty() {
        return Err(unknown);
    }
    let all = packs.contains(&"all");
    let core = FILES.iter().filter(|(pack, _, _)| *pack == CORE_PACK);
    let chosen =
        FILES.iter().filter(|(pack, _, _)| *pack != CORE_PACK && *pack != VOCABULARY && (all || packs.contains(pack)));
    Ok(core
        .chain(chosen)
        .map(|(pack, name, text)| Source { name: format!("rules/{pack}/{name}"), text: (*text).into() })
        .collect())
}
