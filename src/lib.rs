//! t4s-schedule: meeting scheduler for B2B matchmaking events.
//!
//! The pipeline, one module per stage: `cli` (arguments → checked config) → `event` (the
//! organiser's lists → a checked `Event`) → `solve` (the model and the search: which pairs meet,
//! when) → `plan` (the result and its figures) → `export` (files, written atomically). Each
//! command in `cmd` reads as that pipeline. ARCHITECTURE.md says where a change goes.

// `pub` only where another crate (the binary, the fuzz targets, the tests) uses it: an item
// nobody outside uses is `pub(crate)`, so that dead code shows as dead.
#![warn(unreachable_pub)]
// A short list of pedantic lints that catch real noise, not taste.
#![warn(
    clippy::semicolon_if_nothing_returned,
    clippy::redundant_closure_for_method_calls,
    clippy::manual_let_else,
    clippy::explicit_iter_loop,
    clippy::redundant_else,
    clippy::implicit_clone,
    clippy::uninlined_format_args,
    clippy::unnested_or_patterns,
    clippy::cloned_instead_of_copied,
    clippy::inefficient_to_string,
    clippy::needless_continue,
    clippy::if_not_else,
    clippy::map_unwrap_or
)]

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
