//! The `redflag` command: parse arguments, call the library, render, exit.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::args::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            cli::eprint_diagnostic(&e);
            ExitCode::from(cli::exit::USAGE)
        }
    }
}
