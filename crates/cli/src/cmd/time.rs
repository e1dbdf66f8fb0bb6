//! `annals time tag`: `{"id","dct","text"}` lines on stdin, `{"id","timexes"}`
//! lines on stdout.
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub(crate) enum TimeCommand {
    /// Tag time expressions in JSON lines {"id","dct","text"} → {"id","timexes":[...]}.
    Tag(TagArgs),
}

#[derive(clap::Args)]
pub(crate) struct TagArgs {
    /// Accepted for symmetry with the other commands: the output is JSON lines already.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(c: TimeCommand) -> anyhow::Result<ExitCode> {
    match c {
        TimeCommand::Tag(_) => {
            let stdin = std::io::stdin().lock();
            let stdout = std::io::BufWriter::new(std::io::stdout().lock());
            annals_engine::tools::tag_time(stdin, stdout)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
