//! `plan`: the event's lists in, a plan folder out.

use super::{print_warnings, Planning};
use crate::cli::PlanConfig;
use crate::error::Result;
use crate::solve::Restrictions;

pub(crate) fn run(cfg: PlanConfig) -> Result<()> {
    let run = Planning::new(cfg);
    run.progress.stage("loading the event");
    let loaded = crate::event::load_with_warnings(&run.cfg.event)?;
    print_warnings(&loaded.warnings);
    let event = loaded.event;
    let plan = run.solve(&event, &Restrictions::default(), 1.0, |_| {
        Default::default()
    })?;
    let (summary, n_files) = run.write(&event, &plan, |_| Ok(Vec::new()))?;
    run.progress.finish();
    print!("{summary}");
    println!("wrote {} ({n_files} files)", run.cfg.out.display());
    Ok(())
}
