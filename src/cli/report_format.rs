//! Which report format and layout `redflag audit` writes: the main report
//! (which `--color` and a terminal concern) and any extra `--output-format`.

use std::io::IsTerminal;

use redflag::report::{self, HumanOptions};

use super::args::{AuditArgs, Color, FormatArg};

pub(super) fn format(args: &AuditArgs) -> report::Format {
    format_of(args.format, true, args)
}

/// The report format `arg`, for the main report (which `--color` and
/// `--output` concern) or for an extra one (a file, never coloured).
pub(super) fn format_of(arg: FormatArg, main: bool, args: &AuditArgs) -> report::Format {
    let terminal = main && args.output.is_none() && std::io::stdout().is_terminal();
    match arg {
        FormatArg::Json => report::Format::Json,
        FormatArg::Jsonl => report::Format::Jsonl,
        FormatArg::Sarif => report::Format::Sarif,
        FormatArg::Markdown => report::Format::Markdown,
        FormatArg::Html => report::Format::Html,
        FormatArg::Csv => report::Format::Csv { bom: args.csv_bom },
        FormatArg::Human | FormatArg::HumanNarrated => {
            // NO_COLOR counts when set to anything but "" (no-color.org).
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
            let color = main
                && match args.color {
                    Color::Always => true,
                    Color::Never => false,
                    Color::Auto => terminal && !no_color && !dumb,
                };
            report::Format::Human(HumanOptions {
                graphical: arg == FormatArg::Human,
                color: color && arg == FormatArg::Human,
                width: terminal_width(),
            })
        }
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(100).clamp(60, 200)
}
