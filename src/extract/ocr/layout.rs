//! Tesseract's word boxes (its TSV output) → lines of text in reading order,
//! with table rows kept whole.
//!
//! Tesseract reads a rate table as blocks — one per column — so its plain text
//! gives all the codes, then all the amounts, then all the methods, and the
//! row "99213 … $84.20 … 95% of Medicare" is lost. Here lines of different
//! blocks that sit at the same height are joined into one row, left to right,
//! when one of them is narrow (a table cell; two columns of prose are both
//! wide and are kept apart); a wide gap between words or cells is written
//! ` | `, the separator the DOCX reader writes between table cells. A row
//! that sits further below the last than the page's usual line pitch starts a
//! paragraph (a blank line); tesseract's own paragraphs and blocks are not
//! used for this, as it often starts one at the short last line of a
//! paragraph.

/// A word tesseract read, with its box in pixels.
#[derive(Debug, Clone, PartialEq)]
struct Word {
    left: i32,
    top: i32,
    right: i32,
    bottom: i32,
    text: String,
}

/// One tesseract line (block, paragraph, line), its words left to right.
#[derive(Debug, Clone)]
struct Line {
    /// Tesseract's block number (a table column is a block of its own).
    block: u32,
    words: Vec<Word>,
    left: i32,
    top: i32,
    right: i32,
    bottom: i32,
}

impl Line {
    fn height(&self) -> i32 {
        (self.bottom - self.top).max(1)
    }
}

/// The text of a page and how sure tesseract was of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    /// Lines in reading order, paragraphs separated by a blank line.
    pub text: String,
    /// Mean word confidence (0–100); 0 when no word was read.
    pub confidence: f64,
    /// Words read.
    pub words: u32,
}

/// A line narrower than this share of the text's width may be a table cell.
const CELL_WIDTH: f64 = 0.25;
/// A gap between words wider than this many line heights separates cells.
const CELL_GAP: f64 = 2.0;
/// A row this many times the usual line pitch below the last starts a
/// paragraph (paragraph spacing is typically 1.3–1.6 lines).
const PARAGRAPH_PITCH: f64 = 1.25;

/// Builds the page's text from tesseract's TSV (`tesseract … tsv`).
pub fn from_tsv(tsv: &str) -> Read {
    let mut lines: Vec<Line> = Vec::new();
    let mut key = None;
    let (mut sum, mut words) = (0.0, 0u32);
    for row in tsv.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        // level page block par line word left top width height conf text
        if cols.len() < 12 || cols[0] != "5" {
            continue;
        }
        let text = cols[11..].join("\t").trim().to_string();
        let num = |i: usize| cols[i].trim().parse::<i32>().unwrap_or(0);
        let conf: f64 = cols[10].trim().parse().unwrap_or(-1.0);
        if text.is_empty() || conf < 0.0 {
            continue;
        }
        sum += conf;
        words += 1;
        let word = Word {
            left: num(6),
            top: num(7),
            right: num(6).saturating_add(num(8)),
            bottom: num(7).saturating_add(num(9)),
            text,
        };
        let this = (cols[2], cols[3], cols[4]);
        match lines.last_mut() {
            Some(line) if key == Some(this) => {
                line.left = line.left.min(word.left);
                line.top = line.top.min(word.top);
                line.right = line.right.max(word.right);
                line.bottom = line.bottom.max(word.bottom);
                line.words.push(word);
            }
            _ => {
                key = Some(this);
                lines.push(Line {
                    block: cols[2].parse().unwrap_or(0),
                    left: word.left,
                    top: word.top,
                    right: word.right,
                    bottom: word.bottom,
                    words: vec![word],
                });
            }
        }
    }
    let confidence = if words == 0 { 0.0 } else { sum / f64::from(words) };
    Read { text: render(rows(lines)), confidence, words }
}

/// Groups lines into visual rows, in tesseract's reading order: a line joins
/// an earlier row holding a line of another block at the same height when one
/// of the two is narrow enough to be a table cell.
fn rows(lines: Vec<Line>) -> Vec<Vec<Line>> {
    let left = lines.iter().map(|l| l.left).min().unwrap_or(0);
    let right = lines.iter().map(|l| l.right).max().unwrap_or(0);
    let width = f64::from((right - left).max(1));
    let narrow = |l: &Line| f64::from(l.right - l.left) < width * CELL_WIDTH;
    let mut rows: Vec<Vec<Line>> = Vec::new();
    for line in lines {
        let home = rows.iter().rposition(|row| {
            row.iter().all(|other| other.block != line.block)
                && row.iter().any(|other| {
                    let overlap = line.bottom.min(other.bottom) - line.top.max(other.top);
                    overlap * 2 >= line.height().min(other.height()) && (narrow(other) || narrow(&line))
                })
        });
        match home {
            Some(i) => rows[i].push(line),
            None => rows.push(vec![line]),
        }
    }
    for row in &mut rows {
        row.sort_by_key(|l| l.left);
    }
    rows
}

fn median(mut values: Vec<i32>) -> i32 {
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or(1).max(1)
}

fn render(rows: Vec<Vec<Line>>) -> String {
    let typical = median(rows.iter().flatten().map(Line::height).collect());
    let top = |row: &[Line]| row.iter().map(|l| l.top).min().unwrap_or(0);
    let pitch = median(rows.windows(2).map(|w| top(&w[1]) - top(&w[0])).filter(|d| *d > 0).collect());
    let mut out = String::new();
    let mut last = None;
    for row in rows {
        let here = top(&row);
        if last.is_some_and(|previous| f64::from(here - previous) > f64::from(pitch) * PARAGRAPH_PITCH) {
            out.push('\n');
        }
        last = Some(here);
        let mut previous: Option<&Word> = None;
        for word in row.iter().flat_map(|l| &l.words) {
            if let Some(p) = previous {
                let gap = f64::from(word.left - p.right);
                out.push_str(if gap > f64::from(typical) * CELL_GAP { " | " } else { " " });
            }
            out.push_str(&word.text);
            previous = Some(word);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n";

    fn tsv(words: &[(u32, u32, i32, i32, i32, &str)]) -> String {
        let mut out = HEAD.to_string();
        for (i, (block, line, left, top, width, text)) in words.iter().enumerate() {
            out.push_str(&format!("4\t1\t{block}\t1\t{line}\t0\t{left}\t{top}\t{width}\t30\t-1\t\n"));
            out.push_str(&format!("5\t1\t{block}\t1\t{line}\t{i}\t{left}\t{top}\t{width}\t30\t90\t{text}\n"));
        }
        out
    }

    #[test]
    fn a_table_read_as_columns_comes_out_in_rows() {
        // Tesseract's blocks: the codes, then the amounts, then the methods.
        let page = tsv(&[
            (1, 1, 100, 100, 1400, "Schedule A sets the allowed amount for each code below."),
            (2, 1, 100, 200, 100, "99213"),
            (2, 2, 100, 260, 100, "99214"),
            (2, 3, 100, 320, 100, "99215"),
            (3, 1, 500, 200, 120, "$84.20"),
            (3, 2, 500, 260, 130, "$121.50"),
            (3, 3, 500, 320, 130, "$160.10"),
            (4, 1, 900, 200, 120, "95%"),
            (4, 1, 1030, 200, 60, "of"),
            (4, 1, 1100, 200, 200, "Medicare"),
            (4, 2, 900, 260, 120, "95%"),
            (4, 2, 1030, 260, 60, "of"),
            (4, 2, 1100, 260, 200, "Medicare"),
        ]);
        let read = from_tsv(&page);
        assert_eq!(
            read.text,
            "Schedule A sets the allowed amount for each code below.\n\n\
             99213 | $84.20 | 95% of Medicare\n99214 | $121.50 | 95% of Medicare\n99215 | $160.10\n"
        );
        assert_eq!(read.words, 13);
        assert!((read.confidence - 90.0).abs() < 1e-9);
    }

    #[test]
    fn two_columns_of_prose_are_not_interleaved() {
        let page = tsv(&[
            (1, 1, 100, 100, 700, "Plan may recover any overpayment"),
            (1, 2, 100, 135, 700, "within thirty-six months of payment."),
            (2, 1, 900, 100, 700, "Provider shall submit each claim"),
            (2, 2, 900, 135, 700, "within ninety days of service."),
        ]);
        let read = from_tsv(&page);
        assert_eq!(
            read.text,
            "Plan may recover any overpayment\nwithin thirty-six months of payment.\n\
             Provider shall submit each claim\nwithin ninety days of service.\n"
        );
    }

    proptest::proptest! {
        /// Any word boxes (overlapping, negative, huge, in any order) give
        /// every word read exactly once, and never a panic.
        #[test]
        fn every_word_comes_out_once(
            words in proptest::collection::vec(
                (0u32..4, 0u32..6, -50i32..3000, -50i32..4000, 0i32..900, 0i32..80, "[A-Za-z0-9$%.]{1,8}"),
                0..60,
            )
        ) {
            let mut tsv = HEAD.to_string();
            for (i, (block, line, left, top, width, height, text)) in words.iter().enumerate() {
                tsv.push_str(&format!("5\t1\t{block}\t1\t{line}\t{i}\t{left}\t{top}\t{width}\t{height}\t77\t{text}\n"));
            }
            let read = from_tsv(&tsv);
            proptest::prop_assert_eq!(read.words as usize, words.len());
            let mut out: Vec<&str> = read.text.split_whitespace().filter(|w| *w != "|").collect();
            let mut expected: Vec<&str> = words.iter().map(|w| w.6.as_str()).collect();
            out.sort_unstable();
            expected.sort_unstable();
            proptest::prop_assert_eq!(out, expected);
        }
    }

    #[test]
    fn junk_rows_and_unread_words_are_skipped() {
        let read = from_tsv("level\n5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t-1\t\nnot a row\n5\t1\n");
        assert_eq!(read, Read { text: String::new(), confidence: 0.0, words: 0 });
    }
}
