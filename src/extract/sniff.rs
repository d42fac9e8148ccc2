//! Which extractor a file needs, judged by its first bytes.

use serde::Serialize;

use super::ExtractError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
/// What a file is, by its content.
pub enum FileFormat {
    /// A PDF.
    Pdf,
    /// A Word document.
    Docx,
    /// Plain text or Markdown.
    Text,
}

impl FileFormat {
    /// The name reports use: `pdf`, `docx`, `text`.
    pub fn name(self) -> &'static str {
        match self {
            FileFormat::Pdf => "pdf",
            FileFormat::Docx => "docx",
            FileFormat::Text => "text",
        }
    }
}

/// Known binary formats that are not contracts we can read, by magic number.
const FOREIGN: &[(&[u8], &str)] = &[
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\0", "a TIFF image"),
    (b"MM\0*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0", "a legacy Office (.doc/.xls) file"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
];

pub(super) fn sniff(bytes: &[u8]) -> Result<FileFormat, ExtractError> {
    // Some producers put junk before the header; readers accept it within the first KiB.
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(FileFormat::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // Entry names are stored uncompressed in the local headers.
        let is_docx = bytes.windows(17).take(1 << 20).any(|w| w == b"word/document.xml");
        return if is_docx {
            Ok(FileFormat::Docx)
        } else {
            Err(ExtractError::Unsupported("a ZIP archive that is not a Word document".into()))
        };
    }
    if let Some((_, what)) = FOREIGN.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Err(ExtractError::Unsupported(format!("the file is {what}")));
    }
    Ok(FileFormat::Text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n...").ok(), Some(FileFormat::Pdf));
        assert_eq!(sniff(b"\r\n%PDF-1.4").ok(), Some(FileFormat::Pdf));
        assert_eq!(sniff(b"ARTICLE I").ok(), Some(FileFormat::Text));
        assert!(matches!(sniff(b"\x89PNG\r\n"), Err(ExtractError::Unsupported(_))));
    }
}
