//! The one error type every command returns, and the exit code each kind maps to (as fd's
//! `exit_codes.rs` and just's `Error::code()`): a new kind of failure is a variant here, and
//! the compiler asks for its code.

use crate::diag::InvalidInput;
use std::fmt;

/// Exit codes, documented in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    Success,
    /// Anything unexpected: a bug, a disk error.
    Internal,
    /// Bad input or arguments: nothing was written.
    InvalidInput,
    /// The required meetings cannot all be scheduled: nothing was written.
    Infeasible,
    /// `check`: the schedule breaks a rule.
    Violations,
    /// `mail`: some participants due a message do not have it (each listed).
    Undelivered,
    /// A second Ctrl-C: the run was abandoned, nothing was written.
    Killed,
}

impl ExitCode {
    pub fn code(self) -> i32 {
        match self {
            ExitCode::Success => 0,
            ExitCode::Internal => 1,
            ExitCode::InvalidInput => 2,
            ExitCode::Infeasible => 3,
            ExitCode::Violations => 4,
            ExitCode::Undelivered => 5,
            ExitCode::Killed => 130,
        }
    }
}

/// What a command can fail with.
#[derive(Debug)]
pub enum Error {
    /// Input files with problems, each located (file, line, column) with a hint.
    Input(InvalidInput),
    /// The user's request itself cannot be done as asked (arguments, an output folder that is
    /// not ours, a non-empty folder for `init`): one sentence saying what to do instead.
    Usage(String),
    /// The required meetings cannot all be placed.
    Infeasible(Infeasible),
    /// `check` found this many rule violations (each printed with its line).
    Violations(usize),
    /// `mail`: this many participants due a message did not get it (each listed).
    Undelivered(usize),
    /// Anything else: reading or writing failed, or a bug.
    Internal(anyhow::Error),
}

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn code(&self) -> ExitCode {
        match self {
            Error::Input(_) | Error::Usage(_) => ExitCode::InvalidInput,
            Error::Infeasible(_) => ExitCode::Infeasible,
            Error::Violations(_) => ExitCode::Violations,
            Error::Undelivered(_) => ExitCode::Undelivered,
            Error::Internal(_) => ExitCode::Internal,
        }
    }

    pub fn usage(message: impl Into<String>) -> Error {
        Error::Usage(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(e) => e.fmt(f),
            Error::Usage(m) => f.write_str(m),
            Error::Infeasible(e) => e.fmt(f),
            Error::Violations(n) => write!(
                f,
                "the schedule breaks {n} rule{}",
                if *n == 1 { "" } else { "s" }
            ),
            Error::Undelivered(n) => write!(
                f,
                "{n} participant{} did not get their message (listed above)",
                if *n == 1 { "" } else { "s" }
            ),
            // The whole chain, as anyhow's `{:#}` prints it.
            Error::Internal(e) => write!(f, "{e:#}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<InvalidInput> for Error {
    fn from(e: InvalidInput) -> Self {
        Error::Input(e)
    }
}

impl From<Infeasible> for Error {
    fn from(e: Infeasible) -> Self {
        Error::Infeasible(e)
    }
}

impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Self {
        Error::Internal(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Internal(e.into())
    }
}

/// The required meetings cannot all be placed; each entry says which and why.
#[derive(Debug)]
pub struct Infeasible {
    pub reasons: Vec<String>,
    pub proven: bool,
}

impl std::fmt::Display for Infeasible {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.proven {
            write!(f, "the required meetings cannot all be scheduled:")?;
        } else {
            write!(
                f,
                "no plan with every required meeting was found within the time limit \
                 (try a longer --time-limit):"
            )?;
        }
        for r in &self.reasons {
            write!(f, "\n  - {r}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Infeasible {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_documented_code() {
        assert_eq!(Error::usage("x").code().code(), 2);
        assert_eq!(Error::Violations(3).code().code(), 4);
        assert_eq!(Error::Internal(anyhow::anyhow!("disk")).code().code(), 1);
        assert_eq!(
            Error::Violations(1).to_string(),
            "the schedule breaks 1 rule"
        );
    }
}
