//! t4s-schedule: meeting scheduler for B2B matchmaking events.
//!
//! The pipeline, one module per stage: `cli` (arguments → checked config) → `event` (the
//! organiser's lists → a checked `Event`) → `solve` (the model and the search: which pairs meet,
//! when) → `plan` (the result and its figures) → `export` (files, written atomically). Each
//! command in `cmd` reads as that pipeline. ARCHITECTURE.md says where a change goes.

mod check;
pub mod cli;
mod cmd;
mod diag;
mod error;
mod event;
mod export;
#[doc(hidden)]
pub mod fuzzing;
mod id;
mod lang;
mod mail;
mod plan;
mod plandir;
mod progress;
mod replan;
mod schedule;
mod solve;
mod stop;
mod validate;

pub use error::{Error, ExitCode};

use cli::{Cli, Command, PlanConfig};

/// Runs one command; every failure maps to its exit code (`Error::code`).
pub fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Plan(args) => cmd::plan::run(PlanConfig::new(args)?),
        Command::Validate(args) => cmd::validate::run(&args.event),
        Command::Check(args) => cmd::check::run(&args.event, &args.schedule),
        Command::Replan(args) => cmd::replan::run(args),
        Command::Export(args) => cmd::export::run(args),
        Command::Mail(args) => cmd::mail::run(args),
        Command::Init(args) => cmd::init::run(&args.dir),
    }
}
