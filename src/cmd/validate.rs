//! `validate`: load and check an event without planning; print what it holds, every problem
//! `plan` would stop on (the same checks, all at once: exit 3), and what predicts trouble.

use super::print_warnings;
use crate::error::Result;
use crate::solve::{self, Instance, Restrictions};
use std::path::Path;

pub(crate) fn run(dir: &Path) -> Result<()> {
    let loaded = crate::event::load_with_warnings(dir)?;
    print_warnings(&loaded.warnings);
    let event = loaded.event;
    print!("{}", crate::validate::describe(&event));
    let inst = Instance::new(&event, &Restrictions::default(), None);
    let mut forecast = crate::validate::forecast(&event);
    forecast.extend(solve::unreachable_minimums(&event, &inst));
    for f in &forecast {
        println!("warning: {f}");
    }
    let problems = solve::precheck(&event, &inst);
    if !problems.is_empty() {
        return Err(solve::Infeasible {
            reasons: problems,
            proven: true,
        }
        .into());
    }
    if forecast.is_empty() {
        println!("no problems found");
    }
    Ok(())
}
