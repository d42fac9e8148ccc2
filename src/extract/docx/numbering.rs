//! Clause numbers as Word shows them: `numbering.xml` (abstract definitions
//! and the instances using them) and the numbering that paragraph styles in
//! `styles.xml` carry.

use std::collections::HashMap;

use quick_xml::events::Event;

use super::{attr, local, walk};
use crate::extract::ExtractError;

#[derive(Debug, Clone, Default)]
pub(super) struct Level {
    pub(super) format: String,
    pub(super) text: String,
    pub(super) start: u32,
}

/// `numbering.xml`: abstract definitions and the numbering instances using them.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    pub(super) abstracts: HashMap<String, HashMap<u8, Level>>,
    /// numId → (abstractNumId, start overrides by level)
    pub(super) nums: HashMap<String, (String, HashMap<u8, u32>)>,
}

impl Numbering {
    pub(super) fn parse(xml: &str) -> Result<Numbering, ExtractError> {
        let mut n = Numbering::default();
        let mut abstract_id: Option<String> = None;
        let mut level: Option<(u8, Level)> = None;
        let mut num: Option<String> = None;
        let mut override_level: Option<u8> = None;
        walk(xml, |ev, _| match ev {
            Event::Start(e) | Event::Empty(e) => match local(e).as_str() {
                "abstractNum" => abstract_id = attr(e, "abstractNumId"),
                "lvl" if abstract_id.is_some() => {
                    let ilvl = attr(e, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                    level = Some((ilvl, Level { start: 1, ..Level::default() }));
                }
                "start" => {
                    if let Some((_, l)) = &mut level {
                        l.start = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(1);
                    }
                }
                "numFmt" => {
                    if let Some((_, l)) = &mut level {
                        l.format = attr(e, "val").unwrap_or_default();
                    }
                }
                "lvlText" => {
                    if let Some((_, l)) = &mut level {
                        l.text = attr(e, "val").unwrap_or_default();
                    }
                }
                "num" => num = attr(e, "numId"),
                "abstractNumId" => {
                    if let (Some(id), Some(a)) = (&num, attr(e, "val")) {
                        n.nums.entry(id.clone()).or_default().0 = a;
                    }
                }
                "lvlOverride" => override_level = attr(e, "ilvl").and_then(|v| v.parse().ok()),
                "startOverride" => {
                    if let (Some(id), Some(l), Some(v)) =
                        (&num, override_level, attr(e, "val").and_then(|v| v.parse().ok()))
                    {
                        n.nums.entry(id.clone()).or_default().1.insert(l, v);
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "lvl" => {
                    if let (Some(a), Some((ilvl, l))) = (&abstract_id, level.take()) {
                        n.abstracts.entry(a.clone()).or_default().insert(ilvl, l);
                    }
                }
                "abstractNum" => abstract_id = None,
                "num" => num = None,
                "lvlOverride" => override_level = None,
                _ => {}
            },
            _ => {}
        })?;
        Ok(n)
    }
}

/// What a paragraph style says about numbering, and the style it is based on.
#[derive(Debug, Default)]
struct Style {
    num_id: Option<String>,
    ilvl: Option<u8>,
    based_on: Option<String>,
}

/// `styles.xml`: the numbering paragraph styles carry.
#[derive(Debug, Default)]
pub(super) struct Styles {
    styles: HashMap<String, Style>,
}

impl Styles {
    pub(super) fn parse(xml: &str) -> Result<Styles, ExtractError> {
        let mut s = Styles::default();
        let mut current: Option<String> = None;
        walk(xml, |ev, _| {
            if let Event::Start(e) | Event::Empty(e) = ev {
                match local(e).as_str() {
                    "style" => current = attr(e, "styleId"),
                    "basedOn" => {
                        if let Some(id) = &current {
                            s.styles.entry(id.clone()).or_default().based_on = attr(e, "val");
                        }
                    }
                    "numId" => {
                        if let Some(id) = &current {
                            s.styles.entry(id.clone()).or_default().num_id = attr(e, "val");
                        }
                    }
                    "ilvl" => {
                        if let Some(id) = &current {
                            s.styles.entry(id.clone()).or_default().ilvl = attr(e, "val").and_then(|v| v.parse().ok());
                        }
                    }
                    _ => {}
                }
            }
        })?;
        Ok(s)
    }

    /// The numbering a style gives its paragraphs, following `basedOn` (bounded).
    pub(super) fn numbering(&self, style: &str) -> (Option<String>, Option<u8>) {
        let mut cur = Some(style.to_string());
        let (mut num, mut lvl) = (None, None);
        for _ in 0..16 {
            let Some(id) = cur else { break };
            let Some(style) = self.styles.get(&id) else { break };
            num = num.or_else(|| style.num_id.clone());
            lvl = lvl.or(style.ilvl);
            cur = style.based_on.clone();
        }
        (num, lvl)
    }
}

/// Letters repeat past Z (AA, AAA…) and Roman numerals grow with the number: a
/// crafted `start` of four billion asked for gigabytes. Beyond these, a number
/// is written in digits.
const MAX_LETTER: u32 = 26 * 8;
const MAX_ROMAN: u32 = 3999;

pub(super) fn format_number(n: u32, format: &str) -> String {
    match format {
        "lowerLetter" if n <= MAX_LETTER => letters(n).to_lowercase(),
        "upperLetter" if n <= MAX_LETTER => letters(n),
        "lowerRoman" if n <= MAX_ROMAN => roman(n).to_lowercase(),
        "upperRoman" if n <= MAX_ROMAN => roman(n),
        "decimalZero" => format!("{n:02}"),
        _ => n.to_string(),
    }
}

/// 1 → A, 26 → Z, 27 → AA (Word repeats the letter).
fn letters(n: u32) -> String {
    if n == 0 {
        return String::new();
    }
    let letter = char::from(b'A' + u8::try_from((n - 1) % 26).unwrap_or(0));
    letter.to_string().repeat(usize::try_from((n - 1) / 26 + 1).unwrap_or(1))
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, s) in TABLE {
        while n >= value {
            out.push_str(s);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        assert_eq!(format_number(4, "lowerRoman"), "iv");
        assert_eq!(format_number(2, "lowerLetter"), "b");
        assert_eq!(format_number(28, "upperLetter"), "BB");
        assert_eq!(format_number(7, "decimal"), "7");
        assert_eq!(format_number(4_000_000_000, "upperLetter"), "4000000000");
        assert_eq!(format_number(u32::MAX, "lowerRoman"), u32::MAX.to_string());
        assert_eq!(format_number(MAX_LETTER, "upperLetter"), "Z".repeat(8));
    }
}
