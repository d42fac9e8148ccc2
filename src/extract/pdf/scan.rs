//! One pass over a page's content operations: where its images lie, how much
//! text it shows, and which text no reader sees.
//!
//! Text is hidden when it is drawn invisibly (render mode 3 or 7), in white
//! where nothing dark was drawn under it, smaller than a point, or outside the
//! page. Invisible text over a page-sized image is a scan's OCR layer, not
//! hidden text. The graphics state (transformation, fill colour, text matrix,
//! font size, render mode) is followed through `q`/`Q`, `cm`, `BT`, `Tm`,
//! `Td`, `TD`, `T*`, `TL`, `Tf`, `Tr` and the colour operators. White text is
//! judged only where nothing was painted before it: after a shading or a form
//! (which may paint a background anywhere) it counts as visible. Text inside
//! form XObjects and text covered by a later opaque shape are not judged.

use lopdf::content::Operation;
use lopdf::{Document, Object, ObjectId};

/// Effective font size, in points, below which text cannot be read.
const MIN_VISIBLE_POINTS: f64 = 1.0;
/// A colour channel at least this light (gray, RGB) is white.
const WHITE: f64 = 0.95;
/// Share of the page images must cover for invisible text to be an OCR layer.
pub(super) const SCAN_COVER: f64 = 0.5;

/// What the scan found.
#[derive(Debug, Default)]
pub(super) struct Scan {
    /// Indexes of text-showing operations no reader sees.
    pub hidden: Vec<usize>,
    /// Why the first hidden text is hidden.
    pub why: &'static str,
    /// The hidden strings as bytes read as Latin-1 (simple fonts), for the report.
    pub hidden_text: String,
    /// Share of the page covered by images (0–1).
    pub image_cover: f64,
    /// Bytes of non-space string operands shown: about how many characters the page draws.
    pub shown: usize,
    /// Form XObjects drawn (their text is not counted in `shown`).
    pub forms: usize,
}

type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a` then `b` (PDF row-vector convention: a point is transformed by `a`, then `b`).
fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}

#[derive(Clone, Copy)]
struct State {
    ctm: Matrix,
    white_fill: bool,
    render: i64,
    font_size: f64,
    leading: f64,
}

/// An axis-aligned box in page space: x0, y0, x1, y1.
type Area = [f64; 4];

fn bounds(m: &Matrix, x: f64, y: f64, w: f64, h: f64) -> Area {
    let pts = [apply(m, x, y), apply(m, x + w, y), apply(m, x, y + h), apply(m, x + w, y + h)];
    let xs = pts.map(|p| p.0);
    let ys = pts.map(|p| p.1);
    let min = |v: [f64; 4]| v.into_iter().fold(f64::INFINITY, f64::min);
    let max = |v: [f64; 4]| v.into_iter().fold(f64::NEG_INFINITY, f64::max);
    [min(xs), min(ys), max(xs), max(ys)]
}

fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

fn nums(op: &Operation) -> Vec<f64> {
    op.operands.iter().filter_map(num).collect()
}

/// Whether a fill colour given by its components is white (gray and RGB: all
/// light; CMYK: no ink).
fn white(components: &[f64]) -> bool {
    match components.len() {
        1 | 3 => components.iter().all(|c| *c >= WHITE),
        4 => components.iter().all(|c| *c <= 1.0 - WHITE),
        _ => false,
    }
}

/// The page's box (MediaBox, inherited), in default user space.
fn page_box(doc: &Document, page: ObjectId) -> Area {
    let mut id = Some(page);
    for _ in 0..32 {
        let Some(dict) = id.and_then(|i| doc.get_dictionary(i).ok()) else { break };
        if let Ok(Object::Array(a)) = dict.get(b"MediaBox").and_then(|o| doc.dereference(o).map(|(_, o)| o)) {
            let v: Vec<f64> = a.iter().filter_map(num).collect();
            if let [x0, y0, x1, y1] = v[..] {
                return [x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)];
            }
        }
        id = dict.get(b"Parent").and_then(Object::as_reference).ok();
    }
    [0.0, 0.0, 612.0, 792.0]
}

/// Whether the XObject `name` of the page's resources is an image.
fn is_image(doc: &Document, page: ObjectId, name: &[u8]) -> bool {
    let Ok((own, inherited)) = doc.get_page_resources(page) else { return false };
    let dicts = own.into_iter().chain(inherited.iter().filter_map(|id| doc.get_dictionary(*id).ok()));
    for resources in dicts {
        let Ok(xobjects) = resources.get(b"XObject").and_then(|o| doc.dereference(o)).and_then(|(_, o)| o.as_dict())
        else {
            continue;
        };
        if let Ok((_, Object::Stream(s))) = xobjects.get(name).and_then(|o| doc.dereference(o)) {
            return s.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Image");
        }
    }
    false
}

fn string_bytes(o: &Object, out: &mut Vec<u8>) {
    match o {
        Object::String(bytes, _) => out.extend_from_slice(bytes),
        Object::Array(items) => items.iter().for_each(|i| string_bytes(i, out)),
        _ => {}
    }
}

/// Scans the page's operations.
pub(super) fn scan(doc: &Document, page: ObjectId, operations: &[Operation]) -> Scan {
    let area = page_box(doc, page);
    let page_area = ((area[2] - area[0]) * (area[3] - area[1])).max(1.0);
    let mut state = State { ctm: IDENTITY, white_fill: false, render: 0, font_size: 0.0, leading: 0.0 };
    let mut saved: Vec<State> = Vec::new();
    let (mut tm, mut tlm) = (IDENTITY, IDENTITY);
    let mut dark: Vec<Area> = Vec::new();
    let mut path: Vec<Area> = Vec::new();
    let mut covered = 0.0;
    let mut out = Scan::default();
    // (operation, why) of text that may be hidden.
    let mut suspects: Vec<(usize, &'static str)> = Vec::new();
    let mut invisible: Vec<usize> = Vec::new();
    for (i, op) in operations.iter().enumerate() {
        let n = nums(op);
        match op.operator.as_str() {
            "q" if saved.len() < 256 => saved.push(state),
            "Q" => state = saved.pop().unwrap_or(state),
            "cm" if n.len() == 6 => state.ctm = mul(&[n[0], n[1], n[2], n[3], n[4], n[5]], &state.ctm),
            "g" | "rg" | "k" | "sc" | "scn" if !n.is_empty() => state.white_fill = white(&n),
            "cs" => state.white_fill = false,
            "re" if n.len() == 4 => path.push(bounds(&state.ctm, n[0], n[1], n[2], n[3])),
            "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                if !state.white_fill {
                    dark.append(&mut path);
                }
                path.clear();
            }
            "n" | "S" | "s" => path.clear(),
            "Do" => {
                let name = op.operands.first().and_then(|o| o.as_name().ok()).unwrap_or_default();
                if is_image(doc, page, name) {
                    let b = bounds(&state.ctm, 0.0, 0.0, 1.0, 1.0);
                    let w = (b[2].min(area[2]) - b[0].max(area[0])).max(0.0);
                    let h = (b[3].min(area[3]) - b[1].max(area[1])).max(0.0);
                    covered += w * h;
                    dark.push(b);
                } else {
                    // A form may paint a background anywhere: white text after it is not judged.
                    dark.push(area);
                    out.forms += 1;
                }
            }
            // A shading fills the clipping area, which is not followed here.
            "sh" => dark.push(area),
            "BI" => dark.push(bounds(&state.ctm, 0.0, 0.0, 1.0, 1.0)),
            "BT" => (tm, tlm) = (IDENTITY, IDENTITY),
            "Tm" if n.len() == 6 => {
                tm = [n[0], n[1], n[2], n[3], n[4], n[5]];
                tlm = tm;
            }
            "Td" | "TD" if n.len() == 2 => {
                if op.operator == "TD" {
                    state.leading = -n[1];
                }
                tlm = mul(&[1.0, 0.0, 0.0, 1.0, n[0], n[1]], &tlm);
                tm = tlm;
            }
            "T*" => {
                tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -state.leading], &tlm);
                tm = tlm;
            }
            "TL" if n.len() == 1 => state.leading = n[0],
            "Tf" => state.font_size = n.first().copied().unwrap_or(state.font_size),
            "Tr" if n.len() == 1 => state.render = n[0] as i64,
            "Tj" | "TJ" | "'" | "\"" => {
                if op.operator != "Tj" && op.operator != "TJ" {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -state.leading], &tlm);
                    tm = tlm;
                }
                let mut bytes = Vec::new();
                op.operands.iter().for_each(|o| string_bytes(o, &mut bytes));
                let shown = bytes.iter().filter(|b| !b.is_ascii_whitespace()).count();
                out.shown += shown;
                if shown == 0 {
                    continue;
                }
                let m = mul(&tm, &state.ctm);
                let (x, y) = (m[4], m[5]);
                let size = state.font_size.abs() * (m[0] * m[3] - m[1] * m[2]).abs().sqrt();
                let fills = matches!(state.render, 0 | 2 | 4 | 6);
                if matches!(state.render, 3 | 7) {
                    invisible.push(i);
                } else if size < MIN_VISIBLE_POINTS {
                    suspects.push((i, "drawn smaller than a point"));
                } else if x < area[0] - 5.0 || x > area[2] || y < area[1] - 5.0 || y > area[3] + 5.0 {
                    suspects.push((i, "drawn outside the page"));
                } else if fills
                    && state.white_fill
                    && !dark.iter().any(|d| x >= d[0] && x <= d[2] && y >= d[1] && y <= d[3])
                {
                    suspects.push((i, "white on a white page"));
                }
            }
            _ => {}
        }
    }
    out.image_cover = (covered / page_area).min(1.0);
    // Invisible text over a scan is its OCR layer: the text a reader sees.
    if out.image_cover < SCAN_COVER {
        suspects.extend(invisible.into_iter().map(|i| (i, "drawn invisibly (render mode 3)")));
        suspects.sort_by_key(|s| s.0);
    }
    let mut text = Vec::new();
    for (i, _) in &suspects {
        if let Some(op) = operations.get(*i) {
            op.operands.iter().for_each(|o| string_bytes(o, &mut text));
            text.push(b' ');
        }
    }
    // A stray invisible space or two is layout, not hidden text.
    if text.iter().filter(|b| !b.is_ascii_whitespace()).count() >= 3 {
        out.why = suspects.first().map_or("", |s| s.1);
        out.hidden = suspects.into_iter().map(|s| s.0).collect();
        out.hidden_text =
            text.iter().map(|&b| char::from(b)).collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ");
    }
    out
}
