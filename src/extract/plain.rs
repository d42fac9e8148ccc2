//! Plain text and Markdown: UTF-8 (with or without BOM), UTF-16 with BOM, and
//! Windows-1252 for the older files that are neither. Form feeds separate pages.
//!
//! A file full of NUL bytes or control characters is not text — most often it is a
//! binary in disguise (random bytes named `.pdf`, a truncated download) — and is
//! refused rather than audited as gibberish that would pass clean.

use super::{ExtractError, Page, PageState};

/// Share of control characters above which a file is not considered text.
const MAX_CONTROL_RATIO: f64 = 0.01;

pub(super) fn extract(bytes: &[u8]) -> Result<Vec<Page>, ExtractError> {
    let text = decode(bytes)?;
    let controls = text.chars().filter(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c')).count();
    let chars = text.chars().count().max(1);
    if controls > 0 && (controls as f64 / chars as f64 > MAX_CONTROL_RATIO || text.contains('\0')) {
        return Err(ExtractError::Unsupported(format!(
            "binary data ({controls} control characters in {chars}); not a PDF, DOCX or text file"
        )));
    }
    let pages = text
        .split('\x0c')
        .map(|p| Page::new(p.to_string(), if p.trim().is_empty() { PageState::Blank } else { PageState::Read }))
        .collect();
    Ok(pages)
}

fn decode(bytes: &[u8]) -> Result<String, ExtractError> {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return String::from_utf8(rest.to_vec())
            .or_else(|_| Ok(encoding_rs::UTF_8.decode_without_bom_handling(rest).0.into_owned()));
    }
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        let (text, _, _) = encoding_rs::UTF_16LE.decode(bytes);
        return Ok(text.into_owned());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(_) if bytes.contains(&0) => {
            Err(ExtractError::Unsupported("binary data (NUL bytes); not a PDF, DOCX or text file".into()))
        }
        Err(_) => Ok(encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<String, ExtractError> {
        extract(bytes).map(|pages| pages.into_iter().map(|p| p.text).collect::<Vec<_>>().join("|"))
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(read(b"\xef\xbb\xbfPlan\xe2\x80\x99s").ok().as_deref(), Some("Plan\u{2019}s"));
        assert_eq!(read(b"Plan").ok().as_deref(), Some("Plan"));
    }

    #[test]
    fn windows_1252_fallback() {
        assert_eq!(read(b"Plan\x92s \x93fee\x94").ok().as_deref(), Some("Plan\u{2019}s \u{201c}fee\u{201d}"));
    }

    #[test]
    fn utf16_with_bom() {
        assert_eq!(read(b"\xff\xfeP\0l\0a\0n\0").ok().as_deref(), Some("Plan"));
    }

    #[test]
    fn form_feeds_split_pages() {
        assert_eq!(read(b"one\x0ctwo").ok().as_deref(), Some("one|two"));
    }

    #[test]
    fn binary_is_refused() {
        assert!(read(b"\x00\x01\x02garbage\xff\xfe\x00").is_err());
        let noisy: Vec<u8> = (0..400u32).map(|i| if i % 20 == 0 { 0x07 } else { b'a' }).collect();
        assert!(read(&noisy).is_err());
    }
}
