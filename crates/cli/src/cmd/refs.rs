//! `annals refs parse`: one reference a line on stdin, one CSL-JSON item a
//! line on stdout.
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub(crate) enum RefsCommand {
    /// Parse references (one a line on stdin) into CSL-JSON (one item a line).
    Parse(ParseArgs),
}

#[derive(clap::Args)]
pub(crate) struct ParseArgs {
    /// Accepted for symmetry with the other commands: the output is JSON lines already.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(c: RefsCommand) -> anyhow::Result<ExitCode> {
    match c {
        RefsCommand::Parse(_) => {
            let stdin = std::io::stdin().lock();
            let stdout = std::io::BufWriter::new(std::io::stdout().lock());
            annals_engine::tools::parse_references(stdin, stdout)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
