//! Reading page images with tesseract: scans, pages that are an image with
//! stamp text, and pages whose text layer is gibberish.
//!
//! Each page is rendered by poppler's `pdftoppm` (grey, 200 dpi, as an
//! uncompressed PGM: a tenth of the time of a PNG) and read by the `tesseract`
//! command, both optional programs found on `PATH`; the default build needs
//! no C library. Rendering was chosen over decoding the page's images
//! ourselves: poppler draws whatever the page holds — JPEG, JBIG2, CCITT fax,
//! several strips, a rotation in the page's matrix — where a decoder of our own
//! would read only some of them, and it costs ~50 ms of tesseract's ~1.5 s.
//!
//! Pages are read in parallel, one tesseract process per page with
//! `OMP_THREAD_LIMIT=1` (tesseract's own threads slow it down when every core
//! is busy), never more processes than cores across a whole batch
//! ([`slot`]). The PDF is written once to a private temporary folder (mode
//! 0700, removed when the document is done, or by [`remove_page_folders`] when
//! the run is interrupted) that each page's `pdftoppm` reads; page images go
//! through pipes. Each page has a time limit; a page over it is
//! named in the report.

mod layout;

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::{Page, PageState, child};

pub use layout::{Read, from_tsv};

/// `--ocr`: which pages tesseract reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OcrMode {
    #[default]
    /// Pages without a text layer, stamped scans and garbled pages, when
    /// tesseract is installed.
    Auto,
    /// Every page that draws anything (a document whose text layer is bad
    /// throughout, as some scanners write it).
    Always,
    /// None: such pages are named and not read.
    Never,
}

impl OcrMode {
    /// The names `--ocr` and `ocr:` accept.
    pub const NAMES: [&'static str; 3] = ["auto", "always", "never"];
}

impl std::str::FromStr for OcrMode {
    type Err = String;

    fn from_str(s: &str) -> Result<OcrMode, String> {
        match s {
            "auto" => Ok(OcrMode::Auto),
            "always" => Ok(OcrMode::Always),
            "never" => Ok(OcrMode::Never),
            other => Err(format!("unknown OCR mode `{other}` (auto, always, never)")),
        }
    }
}

/// Resolution pages are rendered at: tesseract reads body text best at
/// 200–300 dpi, and 200 is a third faster than 300 with the same words on
/// the samples.
const DPI: u32 = 200;
/// The largest image rendered (17 × 22 inches at 200 dpi): a page claiming
/// to be the size of a wall is cropped rather than rendered into gigabytes.
const MAX_PIXELS: (u32, u32) = (3400, 4400);
/// Below this mean word confidence a page's OCR text is not trusted
/// (`ocr_low_confidence`, exit 3). Clean 200-dpi scans of the samples read at
/// 91–96, noisy and skewed ones at 85–92; a page of handwriting or a
/// photograph of a page at 20–50.
pub const LOW_CONFIDENCE: u8 = 60;
/// A page with fewer words than this is not judged on its confidence (a
/// signature block, a logo).
pub const MIN_JUDGED_WORDS: u32 = 10;

/// What OCR did, or why it did not run, for one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OcrRun {
    /// Why pages that needed OCR were not read: tesseract or pdftoppm is
    /// missing (with how to install it), or OCR is off.
    pub not_run: Option<String>,
    /// Pages OCR failed on, and why (a timeout, a crash).
    pub failed: Vec<(u32, String)>,
    /// Pages larger than the largest image rendered: OCR read only their
    /// top-left part.
    pub cropped: Vec<u32>,
}

/// How to install what OCR needs.
pub const INSTALL_HINT: &str = "install tesseract to read them (Debian/Ubuntu: `apt install tesseract-ocr tesseract-ocr-eng poppler-utils`; macOS: `brew install tesseract poppler`)";

/// What is missing for OCR, if anything (checked once per process).
pub fn missing() -> Option<&'static str> {
    static MISSING: OnceLock<Option<&'static str>> = OnceLock::new();
    *MISSING.get_or_init(|| {
        if !child::runs("tesseract", "--version") {
            return Some("tesseract is not installed");
        }
        let mut langs = Command::new("tesseract");
        langs.arg("--list-langs");
        let english = child::run(langs, None, Duration::from_secs(10))
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == "eng"));
        if !english {
            return Some("tesseract has no English language data (tesseract-ocr-eng)");
        }
        if !child::runs("pdftoppm", "-v") {
            return Some("pdftoppm (poppler-utils), which renders pages for tesseract, is not installed");
        }
        None
    })
}

/// Whether `mode` reads a page in `state`.
fn wanted(state: &PageState, mode: OcrMode) -> bool {
    match mode {
        OcrMode::Never => false,
        OcrMode::Auto => matches!(state, PageState::NoTextLayer | PageState::Garbled),
        OcrMode::Always => !matches!(state, PageState::Blank),
    }
}

/// Reads the pages `mode` asks for with tesseract, in place: a page read gets
/// the OCR text and [`PageState::Ocr`]; a page OCR failed on keeps its text and
/// state, and the run names it.
pub(super) fn read_pages(pages: &mut [Page], pdf: &[u8], mode: OcrMode, timeout: Duration) -> OcrRun {
    let numbers: Vec<u32> =
        (1u32..).zip(pages.iter()).filter(|(_, p)| wanted(&p.state, mode)).map(|(n, _)| n).collect();
    let auto_wanted = pages.iter().any(|p| wanted(&p.state, OcrMode::Auto));
    if numbers.is_empty() {
        let off = (mode == OcrMode::Never && auto_wanted).then(|| "OCR is off (--ocr never)".to_string());
        return OcrRun { not_run: off, ..OcrRun::default() };
    }
    if let Some(what) = missing() {
        return OcrRun { not_run: Some(format!("{what}; {INSTALL_HINT}")), ..OcrRun::default() };
    }
    let folder = tempfile::Builder::new().prefix("redflag-ocr-").tempdir().map(Folder::new);
    let file = folder.as_ref().map(|f| f.0.path().join("document.pdf"));
    let written = match &file {
        Ok(path) => std::fs::write(path, pdf).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    let (Ok(path), Ok(())) = (&file, written.as_ref()) else {
        let why = written.err().unwrap_or_default();
        let failed = numbers.iter().map(|n| (*n, format!("no temporary folder for page images: {why}"))).collect();
        return OcrRun { failed, ..OcrRun::default() };
    };
    let results = in_parallel(&numbers, |n| read_page(path, *n, timeout));
    let mut run = OcrRun::default();
    for (n, result) in numbers.into_iter().zip(results) {
        let page = &mut pages[n as usize - 1];
        match result {
            // A page with a text layer keeps it when OCR finds no words on it.
            Ok((read, _)) if read.words == 0 && !page.text.trim().is_empty() => {}
            Ok((read, cropped)) => {
                let confidence = read.confidence.round().clamp(0.0, 100.0) as u8;
                page.text = read.text;
                page.state = PageState::Ocr { confidence, words: read.words };
                if cropped {
                    run.cropped.push(n);
                }
            }
            Err(why) => run.failed.push((n, why)),
        }
    }
    run
}

/// Private folders holding a copy of a document for its pages' renders, while
/// OCR runs: an interrupted run removes them ([`remove_page_folders`]) rather
/// than leave a contract behind in the temporary folder.
static LIVE: Mutex<Vec<std::path::PathBuf>> = Mutex::new(Vec::new());

/// A page folder, listed in [`LIVE`] while it exists.
struct Folder(tempfile::TempDir);

impl Folder {
    fn new(dir: tempfile::TempDir) -> Folder {
        LIVE.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(dir.path().to_path_buf());
        Folder(dir)
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        LIVE.lock().unwrap_or_else(std::sync::PoisonError::into_inner).retain(|p| p != self.0.path());
    }
}

/// Removes every page folder OCR is using: for a signal handler, just
/// before the process exits.
pub fn remove_page_folders() {
    for path in LIVE.lock().unwrap_or_else(std::sync::PoisonError::into_inner).iter() {
        let _ = std::fs::remove_dir_all(path);
    }
}

/// Renders page `n` of the file at `pdf` and reads it; and whether the page
/// was larger than the largest image rendered (only its top-left part read).
fn read_page(pdf: &Path, n: u32, timeout: Duration) -> Result<(Read, bool), String> {
    let _slot = slot();
    let deadline = Instant::now() + timeout;
    let mut render = Command::new("pdftoppm");
    let (width, height) = MAX_PIXELS;
    render.args(["-r", &DPI.to_string(), "-gray", "-f", &n.to_string(), "-l", &n.to_string()]);
    render.args(["-W", &width.to_string(), "-H", &height.to_string()]).arg(pdf);
    let image = child::run(render, None, timeout).map_err(|e| format!("pdftoppm {e}"))?;
    if !image.status.success() || image.stdout.is_empty() {
        return Err(format!("pdftoppm could not render the page ({})", first_line(&image.stderr)));
    }
    let mut ocr = Command::new("tesseract");
    ocr.args(["stdin", "stdout", "--dpi", &DPI.to_string(), "-l", "eng", "tsv"]).env("OMP_THREAD_LIMIT", "1");
    let left = deadline.saturating_duration_since(Instant::now());
    let out = child::run(ocr, Some(&image.stdout), left).map_err(|e| match e {
        child::Failure::TimedOut(_) => format!("OCR took longer than {} s", timeout.as_secs_f32()),
        other => format!("tesseract {other}"),
    })?;
    if !out.status.success() {
        return Err(format!("tesseract failed ({})", first_line(&out.stderr)));
    }
    let cropped = pgm_size(&image.stdout).is_some_and(|(w, h)| w >= width || h >= height);
    Ok((from_tsv(&String::from_utf8_lossy(&out.stdout)), cropped))
}

/// Width and height from a binary PGM's header (`P5 <w> <h> <max>`).
fn pgm_size(image: &[u8]) -> Option<(u32, u32)> {
    let head = String::from_utf8_lossy(&image[..image.len().min(64)]);
    let mut fields = head.split_ascii_whitespace();
    (fields.next()? == "P5").then_some(())?;
    Some((fields.next()?.parse().ok()?, fields.next()?.parse().ok()?))
}

fn first_line(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("no message").chars().take(200).collect()
}

/// Runs `f` on every item on as many threads as there are cores, results in
/// the items' order.
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = cores().min(items.len()).max(1);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new(items.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let result = f(item);
                    if let Ok(mut all) = results.lock() {
                        all[i] = Some(result);
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_default().into_iter().flatten().collect()
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// One of the process-wide OCR slots, as many as cores: a batch audits
/// documents on every core already, and each would start its own tesseracts.
struct Slot;

static SLOTS: (Mutex<usize>, Condvar) = (Mutex::new(0), Condvar::new());

fn slot() -> Slot {
    let (busy, freed) = &SLOTS;
    let mut busy = busy.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    while *busy >= cores() {
        busy = freed.wait(busy).unwrap_or_else(std::sync::PoisonError::into_inner);
    }
    *busy += 1;
    Slot
}

impl Drop for Slot {
    fn drop(&mut self) {
        let (busy, freed) = &SLOTS;
        let mut busy = busy.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *busy = busy.saturating_sub(1);
        freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgm_headers() {
        assert_eq!(pgm_size(b"P5\n1700 2200\n255\n\x00\x01"), Some((1700, 2200)));
        assert_eq!(pgm_size(b"P5 3400 4400 255 "), Some((3400, 4400)));
        assert_eq!(pgm_size(b"P6\n1 1\n255\n"), None);
        assert_eq!(pgm_size(b"P5"), None);
    }

    #[test]
    fn modes() {
        assert!(wanted(&PageState::NoTextLayer, OcrMode::Auto));
        assert!(wanted(&PageState::Garbled, OcrMode::Auto));
        assert!(!wanted(&PageState::Read, OcrMode::Auto));
        assert!(wanted(&PageState::Read, OcrMode::Always));
        assert!(!wanted(&PageState::Blank, OcrMode::Always));
        assert!(!wanted(&PageState::NoTextLayer, OcrMode::Never));
        assert_eq!("always".parse::<OcrMode>(), Ok(OcrMode::Always));
        assert!("sometimes".parse::<OcrMode>().is_err());
    }
}
