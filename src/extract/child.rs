//! Running a helper program (pdftotext, pdftoppm, tesseract) on untrusted
//! input under a time limit.
//!
//! The input goes in on standard input from a thread of its own, and standard
//! output and error are drained by two more: a helper may start writing before
//! it has read everything, and a full pipe each way would deadlock. Every
//! helper thread is joined before the call returns — a detached one holds the
//! input's copy until it notices the pipe closed, and is a leak to the
//! sanitizers.

use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// What a finished helper printed.
pub(super) struct Output {
    /// How it ended.
    pub status: ExitStatus,
    /// Its standard output.
    pub stdout: Vec<u8>,
    /// The first 64 KiB of its standard error (a damaged file can make a
    /// helper repeat itself; what it says first is enough).
    pub stderr: Vec<u8>,
}

/// Why a helper gave no output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Failure {
    /// It could not be started (not installed, or not runnable).
    Spawn(String),
    /// It ran over the time limit and was killed.
    TimedOut(Duration),
    /// Its pipes or its wait failed.
    Io(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Spawn(why) => write!(f, "cannot be run: {why}"),
            Failure::TimedOut(limit) => write!(f, "took longer than {} s", limit.as_secs_f32()),
            Failure::Io(why) => f.write_str(why),
        }
    }
}

/// Runs `command`, feeding it `input`, and waits at most `timeout`.
pub(super) fn run(mut command: Command, input: Option<&[u8]>, timeout: Duration) -> Result<Output, Failure> {
    let mut child = command
        .stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Failure::Spawn(e.to_string()))?;
    let (Some(mut stdout), Some(mut stderr)) = (child.stdout.take(), child.stderr.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(Failure::Io("the helper's pipes could not be opened".into()));
    };
    let stdin = child.stdin.take();
    let input = input.map(<[u8]>::to_vec);
    // A write error (the helper gave up early) shows as its exit status.
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        if let (Some(mut stdin), Some(input)) = (stdin, input) {
            let _ = stdin.write_all(&input);
        }
    });
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.read_to_end(&mut out).map(|_| out)
    });
    let complaints = std::thread::spawn(move || {
        let mut err = Vec::new();
        let _ = (&mut stderr).take(64 * 1024).read_to_end(&mut err);
        let _ = std::io::copy(&mut stderr, &mut std::io::sink());
        err
    });
    let deadline = Instant::now() + timeout;
    let ended = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) if Instant::now() >= deadline => break Err(Failure::TimedOut(timeout)),
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => break Err(Failure::Io(e.to_string())),
        }
    };
    if ended.is_err() {
        let _ = child.kill();
        let _ = child.wait();
    }
    // The child has ended, so its pipes are closed and every thread ends.
    let _ = writer.join();
    let stdout = reader.join().map_err(|_| Failure::Io("the output reader failed".into()));
    let stderr = complaints.join().unwrap_or_default();
    let status = ended?;
    let stdout = stdout?.map_err(|e| Failure::Io(e.to_string()))?;
    Ok(Output { status, stdout, stderr })
}

/// Whether `program` runs with `arg` (a version flag) and exits 0.
pub(super) fn runs(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
