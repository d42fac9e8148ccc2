//! A page's raw text cut into lines.

/// A line of raw page text, as a byte range without its line terminator.
#[derive(Debug, Clone, Copy)]
pub(super) struct Line {
    pub(super) start: usize,
    pub(super) end: usize,
}

impl Line {
    pub(super) fn text<'a>(&self, raw: &'a str) -> &'a str {
        &raw[self.start..self.end]
    }
}

/// Lines end at `\n`, `\r\n`, `\r`, form feed or vertical tab. Nearly every
/// text breaks lines with `\n` alone; those are found with SIMD (`memchr`),
/// and the rest are walked byte by byte.
pub(super) fn split_lines(raw: &str) -> Vec<Line> {
    let bytes = raw.as_bytes();
    if memchr::memchr3(b'\r', b'\x0c', b'\x0b', bytes).is_some() {
        return split_lines_bytewise(raw);
    }
    let mut lines = Vec::new();
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', bytes) {
        lines.push(Line { start, end });
        start = end + 1;
    }
    if start < raw.len() {
        lines.push(Line { start, end: raw.len() });
    }
    lines
}

pub(super) fn split_lines_bytewise(raw: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' | b'\x0c' | b'\x0b' => {
                lines.push(Line { start, end: i });
                start = i + 1;
            }
            b'\r' => {
                lines.push(Line { start, end: i });
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < raw.len() {
        lines.push(Line { start, end: raw.len() });
    }
    lines
}
