//! The `kyodo` binary: parse the command line and dispatch (see `kyodo::cli`).

use clap::Parser;

fn main() {
    let cli = kyodo::cli::Cli::parse();
    match kyodo::cli::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!(
                "kyodo: {}",
                kyodo::text::sanitize_multiline(&format!("{e:#}"))
            );
            std::process::exit(1);
        }
    }
}
