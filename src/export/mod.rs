//! Renderers return bytes; `write` puts them on disk in one place, atomically.

pub(crate) mod agenda;
pub(crate) mod changes;
mod floor;
pub(crate) mod html;
pub(crate) mod ics;
pub(crate) mod interp_agenda;
mod paged;
pub(crate) mod programme;
mod report;
mod svg;
mod tables;
pub(crate) mod text;
mod write;
mod xlsx;

use crate::event::Event;
use crate::lang::{Labels, Lang};
use crate::plan::{Figures, Meeting, Plan};
use anyhow::Result;

use agenda::markdown as agenda_markdown;
pub(crate) use changes::Changes;
pub(crate) use report::summary;
pub(crate) use write::{abandon as abandon_write, write_atomically, MARKER};

/// One output file: a path relative to the output folder, and its bytes.
pub(crate) struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The output formats (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Format {
    /// schedule.csv, unscheduled.csv, status.csv, agendas/*/<id>.csv
    Csv,
    /// report.md, agendas/*/<id>.md
    Md,
    /// printable agendas, booklet.html, floor/*.html, report.html
    Html,
    /// agendas/*/<id>.ics calendars
    Ics,
    /// schedule.xlsx: schedule, grids, agendas, requests not scheduled, summary
    Xlsx,
}

pub(crate) const ALL_FORMATS: [Format; 5] = [
    Format::Csv,
    Format::Md,
    Format::Html,
    Format::Ics,
    Format::Xlsx,
];

/// How the files are written: language and time zone.
#[derive(Debug, Clone)]
pub(crate) struct Style {
    pub lang: Lang,
    /// IANA name, checked.
    pub timezone: String,
    /// When the files are written, for iCalendar's DTSTAMP.
    pub stamp: jiff::Timestamp,
    /// `--duplex`: the booklet starts every participant on a front page.
    pub duplex: bool,
}

impl Style {
    /// `--timezone` first, then the event's own, then the default; `SOURCE_DATE_EPOCH` pins
    /// the time stamp (reproducible outputs).
    pub(crate) fn new(lang: Lang, timezone: Option<&str>, event: &Event) -> Style {
        let timezone = timezone
            .map(str::to_string)
            .or_else(|| event.info.timezone.clone())
            .unwrap_or_else(|| crate::event::info::DEFAULT_TIMEZONE.to_string());
        let stamp = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .and_then(|s| jiff::Timestamp::from_second(s).ok())
            .unwrap_or_else(jiff::Timestamp::now);
        Style {
            lang,
            timezone,
            stamp,
            duplex: false,
        }
    }
}

/// What every renderer gets.
pub(crate) struct Ctx<'a> {
    pub event: &'a Event,
    pub plan: &'a Plan,
    /// The plan's figures, computed once from its meetings.
    pub figures: Figures,
    pub labels: &'static Labels,
    pub style: &'a Style,
    /// Per participant, its meetings' indices in `plan.meetings` (time order): every
    /// renderer walks every agenda, so they are sorted out once.
    agendas: Vec<Vec<usize>>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(event: &'a Event, plan: &'a Plan, style: &'a Style) -> Self {
        let mut agendas = vec![Vec::new(); event.participants.len()];
        for (k, m) in plan.meetings.iter().enumerate() {
            let pair = event.pair(m.pair);
            agendas[pair.a.index()].push(k);
            agendas[pair.b.index()].push(k);
        }
        Ctx {
            event,
            plan,
            figures: Figures::of(event, plan),
            labels: style.lang.labels(),
            style,
            agendas,
        }
    }

    /// With `--lang auto`, the language of participant `p`'s own files (the first of its
    /// languages that has labels, else English); `None` otherwise (the context's language).
    pub(crate) fn auto_lang(&self, p: crate::event::PartId) -> Option<Lang> {
        (self.style.lang == Lang::Auto)
            .then(|| Lang::of_languages(&self.event.part(p).languages).unwrap_or(Lang::En))
    }

    /// Styles for the languages `--lang auto` needs (none otherwise): build a context per
    /// style and pick a participant's with `pick`.
    pub(crate) fn auto_styles(&self) -> Vec<Style> {
        if self.style.lang != Lang::Auto {
            return Vec::new();
        }
        let mut langs: Vec<Lang> = crate::id::ids(self.event.participants.len())
            .filter_map(|p| self.auto_lang(p))
            .collect();
        langs.sort_by_key(|l| l.labels().code);
        langs.dedup();
        langs
            .into_iter()
            .map(|lang| Style {
                lang,
                ..self.style.clone()
            })
            .collect()
    }

    /// The context of participant `p`'s own files among `subs` (built from `auto_styles`).
    pub(crate) fn pick<'s>(&'s self, subs: &'s [Ctx<'a>], p: crate::event::PartId) -> &'s Ctx<'a> {
        match self.auto_lang(p) {
            Some(l) => subs.iter().find(|c| c.style.lang == l).unwrap_or(self),
            None => self,
        }
    }

    /// Meetings of participant `p`, in time order.
    pub(crate) fn agenda(&self, p: crate::event::PartId) -> Vec<&'a Meeting> {
        let meetings = &self.plan.meetings;
        self.agendas[p.index()]
            .iter()
            .map(|&k| &meetings[k])
            .collect()
    }
}

/// A renderer: turns the plan into files.
pub(crate) trait Export {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>>;
}

/// The renderers of the given formats.
pub(crate) fn exporters(formats: &[Format]) -> Vec<Box<dyn Export>> {
    let mut out: Vec<Box<dyn Export>> = Vec::new();
    for f in formats {
        match f {
            Format::Csv => {
                out.push(Box::new(tables::ScheduleCsv));
                out.push(Box::new(tables::UnscheduledCsv));
                out.push(Box::new(tables::StatusCsv));
                out.push(Box::new(agenda::AgendaCsv));
                out.push(Box::new(programme::ProgrammeCsv));
                out.push(Box::new(programme::VisitSheets { html: false }));
            }
            Format::Md => {
                out.push(Box::new(agenda::AgendaMarkdown));
                out.push(Box::new(report::ReportMarkdown));
            }
            Format::Html => {
                out.push(Box::new(html::Agendas));
                out.push(Box::new(floor::Floor));
                out.push(Box::new(report::ReportHtml));
                out.push(Box::new(programme::VisitSheets { html: true }));
            }
            Format::Ics => out.push(Box::new(ics::Calendars)),
            Format::Xlsx => out.push(Box::new(xlsx::ScheduleXlsx)),
        }
        if *f != Format::Xlsx {
            out.push(Box::new(interp_agenda::InterpreterAgendas(*f)));
        }
    }
    out
}

/// The files `plan` and `replan` write: every format.
pub(crate) fn default_set() -> Vec<Box<dyn Export>> {
    exporters(&ALL_FORMATS)
}

pub(crate) fn render_all(ctx: &Ctx, exporters: &[Box<dyn Export>]) -> Result<Vec<OutFile>> {
    let mut files = Vec::new();
    for e in exporters {
        files.extend(e.render(ctx)?);
    }
    Ok(files)
}
