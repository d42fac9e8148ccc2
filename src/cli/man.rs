//! `redflag man [COMMAND]`: a manual page per subcommand (clap_mangen's name,
//! synopsis, description and options), with the sections clap cannot know:
//! exit status, files and environment. `--dir` writes every page at once.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use super::{CliError, exit, print};

const EXIT_STATUS: &str = "\
0\tnothing at or above --fail-on was found (or, for rules test, every example passed)
1\tfindings at or above --fail-on (rules test: an example failed)
2\tusage, configuration or rule-file error; nothing was audited
3\tan input could not be read in full (an error, or a warning about unread pages); outranks 1";

const FILES: &str = "\
redflag.yaml, redflag.yml\tthe configuration, looked for in the current folder and then each parent (not with --no-config)
waivers.yaml\tfindings accepted by fingerprint (--waivers or waivers: in the configuration)
*.yaml rule files\textra rule packs (--rules), checked by rules validate and rules test";

const ENVIRONMENT: &str = "\
NO_COLOR\tset (to anything but empty): no colour in the human report unless --color always
TERM\tdumb: no colour
COLUMNS\twidth of the human report
PATH\twhere pdftotext, pdftoppm and tesseract are looked for (all optional)
OMP_THREAD_LIMIT\tset to 1 for each tesseract redflag starts";

/// Prints the page of `command` (the main page when `None`), or writes every
/// page into `dir`.
pub fn run(command: Option<&str>, dir: Option<&Path>) -> Result<ExitCode, CliError> {
    let root = <super::args::Cli as clap::CommandFactory>::command();
    if let Some(dir) = dir {
        let fail = |e: std::io::Error| CliError::Output { path: dir.display().to_string(), message: e.to_string() };
        std::fs::create_dir_all(dir).map_err(fail)?;
        let names: Vec<Option<String>> =
            std::iter::once(None).chain(root.get_subcommands().map(|c| Some(c.get_name().to_string()))).collect();
        for name in names {
            let (file, page) = page(&root, name.as_deref())?;
            std::fs::write(dir.join(file), page).map_err(fail)?;
        }
        return Ok(ExitCode::from(exit::CLEAN));
    }
    let (_, page) = page(&root, command)?;
    print(page.as_bytes())?;
    Ok(ExitCode::from(exit::CLEAN))
}

/// The file name and roff text of one page.
fn page(root: &clap::Command, name: Option<&str>) -> Result<(String, String), CliError> {
    let cmd = match name {
        None => root.clone(),
        Some(name) => {
            let found = root.find_subcommand(name).ok_or_else(|| {
                let names: Vec<&str> = root.get_subcommands().map(clap::Command::get_name).collect();
                CliError::Usage(format!("no command `{name}`"), Some(format!("one of: {}", names.join(", "))))
            })?;
            let full = format!("redflag-{name}");
            found.clone().name(full.clone()).bin_name(format!("redflag {name}")).display_name(full)
        }
    };
    let file = format!("{}.1", cmd.get_name());
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .map_err(|e| CliError::Output { path: "standard output".into(), message: e.to_string() })?;
    let mut page = String::from_utf8_lossy(&out).into_owned();
    for (title, rows) in [("EXIT STATUS", EXIT_STATUS), ("FILES", FILES), ("ENVIRONMENT", ENVIRONMENT)] {
        let _ = writeln!(page, ".SH \"{title}\"");
        for row in rows.lines() {
            let (term, text) = row.split_once('\t').unwrap_or((row, ""));
            let _ = writeln!(page, ".TP\n\\fB{}\\fR\n{}", roff(term), roff(text));
        }
    }
    Ok((file, page))
}

/// Text safe in a roff line: backslashes doubled, no line starting with a
/// control character.
fn roff(text: &str) -> String {
    let text = text.replace('\\', "\\\\");
    if text.starts_with(['.', '\'']) { format!("\\&{text}") } else { text }
}
