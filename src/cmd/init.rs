//! `init DIR`: a small example event, compiled into the binary, as a template to fill in.

use crate::error::{Error, Result};
use anyhow::Context;
use std::path::Path;

pub(crate) const FILES: [(&str, &str); 6] = [
    ("slots.csv", include_str!("../../examples/event/slots.csv")),
    (
        "buyers.csv",
        include_str!("../../examples/event/buyers.csv"),
    ),
    ("firms.csv", include_str!("../../examples/event/firms.csv")),
    (
        "preferences.csv",
        include_str!("../../examples/event/preferences.csv"),
    ),
    (
        "tables.csv",
        include_str!("../../examples/event/tables.csv"),
    ),
    ("event.csv", include_str!("../../examples/event/event.csv")),
];

pub(crate) fn run(dir: &Path) -> Result<()> {
    if dir.exists() && std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_some()) {
        return Err(Error::usage(format!(
            "{} exists and is not empty; `init` only writes into a new or empty folder",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for (name, text) in FILES {
        std::fs::write(dir.join(name), text).with_context(|| format!("cannot write {name}"))?;
    }
    println!(
        "wrote an example event to {}: edit its CSV files, then run `t4s-schedule plan {}`",
        dir.display(),
        dir.display()
    );
    Ok(())
}
