//! Renderers return bytes; `write` puts them on disk in one place, atomically.

mod agenda;
mod report;
mod tables;
pub mod text;
mod write;

use crate::event::Event;
use crate::plan::{figures, PartFigures, Plan};
use anyhow::Result;

pub use agenda::markdown as agenda_markdown;
pub use report::summary;
pub use write::{abandon as abandon_write, write_atomically};

/// One output file: a path relative to the output folder, and its bytes.
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What every renderer gets.
pub struct Ctx<'a> {
    pub event: &'a Event,
    pub plan: &'a Plan,
    pub figures: Vec<PartFigures>,
}

impl<'a> Ctx<'a> {
    pub fn new(event: &'a Event, plan: &'a Plan) -> Self {
        Ctx {
            event,
            plan,
            figures: figures(event, plan),
        }
    }
}

/// A renderer: turns the plan into files.
pub trait Export {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>>;
}

/// The files `plan` writes.
pub fn default_set() -> Vec<Box<dyn Export>> {
    vec![
        Box::new(tables::ScheduleCsv),
        Box::new(tables::UnscheduledCsv),
        Box::new(agenda::AgendaCsv),
        Box::new(agenda::AgendaMarkdown),
        Box::new(report::ReportMarkdown),
    ]
}

pub fn render_all(ctx: &Ctx, exporters: &[Box<dyn Export>]) -> Result<Vec<OutFile>> {
    let mut files = Vec::new();
    for e in exporters {
        files.extend(e.render(ctx)?);
    }
    Ok(files)
}
