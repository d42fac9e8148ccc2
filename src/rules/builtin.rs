//! The packs compiled into the binary from `rules/<pack>/*.yaml` (see `build.rs`).

use super::load::Source;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// The pack used when none is named.
pub const DEFAULT_PACK: &str = "payer";

/// Names of the built-in packs, sorted.
pub fn pack_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = FILES.iter().map(|f| f.0).collect();
    names.dedup();
    names
}

/// The files of the named packs (`all` names every pack), as rule sources.
/// Returns the unknown names as the error.
pub fn sources(packs: &[&str]) -> Result<Vec<Source>, Vec<String>> {
    let known = pack_names();
    let unknown: Vec<String> =
        packs.iter().filter(|p| **p != "all" && !known.contains(p)).map(|p| p.to_string()).collect();
    if !unknown.is_empty() {
        return Err(unknown);
    }
    let all = packs.contains(&"all");
    Ok(FILES
        .iter()
        .filter(|(pack, _, _)| all || packs.contains(pack))
        .map(|(pack, name, text)| Source { name: format!("rules/{pack}/{name}"), text: (*text).into() })
        .collect())
}
