//! `check`: a schedule (possibly edited by hand) against the event's rules. Every violation of
//! a readable schedule is listed in one run (exit 4); an unreadable one is bad input (exit 2).

use super::print_warnings;
use crate::error::{Error, Result};
use std::path::Path;

pub(crate) fn run(dir: &Path, schedule: &Path) -> Result<()> {
    let loaded = crate::event::load_with_warnings(dir)?;
    print_warnings(&loaded.warnings);
    let sched = crate::schedule::read(schedule, &loaded.event)?;
    print_warnings(&sched.warnings);
    let (errors, warnings) = crate::check::violations(&loaded.event, &sched);
    print_warnings(&warnings);
    for e in &errors {
        println!("{e}");
    }
    if errors.is_empty() {
        let visits = match sched.visits.len() {
            0 => String::new(),
            1 => " and 1 visit".to_string(),
            n => format!(" and {n} visits"),
        };
        println!(
            "valid: {} meetings{visits}, every rule holds",
            sched.entries.len()
        );
        Ok(())
    } else {
        Err(Error::Violations(errors.len()))
    }
}
