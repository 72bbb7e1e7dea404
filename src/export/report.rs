//! report.md and the summary printed on stdout: the same figures, two layouts.

use super::lang::{fill, Labels, Lang};
use super::text::md;
use super::{Ctx, Export, OutFile};
use crate::event::{Organiser, Side};
use crate::plan::spread_of;
use crate::solve::{Ending, Stats};
use anyhow::Result;
use std::fmt::Write;

/// The solve status in words: "optimal" only when proven, else the gaps to the bounds.
/// Wall time only where asked: files must be byte-identical across runs, stdout need not be.
pub fn status(stats: &Stats, l: &Labels, with_time: bool) -> String {
    let time = if with_time {
        fill(l.st_in_seconds, &[&format!("{:.1}", stats.seconds)])
    } else {
        String::new()
    };
    let why = match stats.ending {
        Ending::Optimal => return format!("{}{time}", l.st_optimal),
        Ending::TimeLimit => l.st_time_limit,
        Ending::Interrupted => l.st_interrupted,
        Ending::Heuristic => l.st_heuristic,
        Ending::Unknown => return l.st_unknown.to_string(),
    };
    let mut parts = Vec::new();
    if stats.value_proven() {
        parts.push(l.st_value_optimal.to_string());
    } else {
        let gap =
            100.0 * (stats.value_bound - stats.value) as f64 / stats.value_bound.max(1) as f64;
        parts.push(fill(
            l.st_value_gap,
            &[&format!("{gap:.1}"), &stats.value_bound.to_string()],
        ));
    }
    if stats.breaks_proven() {
        parts.push(l.st_breaks_optimal.to_string());
    } else {
        parts.push(fill(
            l.st_breaks_bound,
            &[&stats.breaks.to_string(), &stats.breaks_bound.to_string()],
        ));
    }
    format!("{why}{time}: {}", parts.join(", "))
}

/// (label, value) lines shared by report.md, report.html and the summary.
pub(super) fn lines(ctx: &Ctx, l: &Labels, with_time: bool) -> Vec<(String, String)> {
    let ev = ctx.event;
    let st = &ctx.plan.stats;
    let count = |o: Organiser| ev.pairs.iter().filter(|p| p.organiser == o).count();
    let requested = ev.pairs.len() - count(Organiser::Forbidden);
    let required = count(Organiser::Required);
    let n = |x: usize| x.to_string();
    let mut out = vec![
        (
            l.fig_meetings_scheduled.to_string(),
            fill(
                l.fig_of_requested,
                &[&n(ctx.plan.meetings.len()), &n(requested)],
            ),
        ),
        (
            l.fig_required_met.to_string(),
            fill(l.fig_of, &[&n(required), &n(required)]),
        ),
    ];
    let value = if st.ending == Ending::Unknown {
        st.value.to_string()
    } else {
        let mut v = fill(
            l.fig_value_of_bound,
            &[&st.value.to_string(), &st.value_bound.to_string()],
        );
        if st.value_proven() {
            v.push_str(&format!(" ({})", l.fig_optimal));
        }
        v
    };
    out.push((l.fig_value.to_string(), value));
    for (side, label) in [
        (Side::Buyer, l.fig_meetings_per[0]),
        (Side::Firm, l.fig_meetings_per[1]),
    ] {
        if let Some((lo, med, hi)) = spread_of(ev, &ctx.figures, side) {
            out.push((
                label.to_string(),
                fill(l.fig_min_median_max, &[&n(lo), &n(med), &n(hi)]),
            ));
        }
    }
    let worst = ctx
        .figures
        .iter()
        .enumerate()
        .max_by_key(|(i, f)| (f.breaks, std::cmp::Reverse(*i)))
        .filter(|(_, f)| f.breaks > 0)
        .map(|(i, f)| fill(l.fig_worst, &[&ev.participants[i].id, &n(f.breaks)]))
        .unwrap_or_default();
    out.push((
        l.fig_breaks.to_string(),
        fill(
            l.fig_breaks_total,
            &[&st.breaks.to_string(), &worst, &st.spread.to_string()],
        ),
    ));
    // Hosted-buyer programmes promise a minimum: every participant below it, by name.
    let short: Vec<String> = ev
        .participants
        .iter()
        .zip(&ctx.figures)
        .filter_map(|(p, f)| {
            let min = p.min_meetings? as usize;
            (f.meetings < min).then(|| fill(l.fig_short, &[&p.id, &n(f.meetings), &n(min)]))
        })
        .collect();
    if ev.participants.iter().any(|p| p.min_meetings.is_some()) {
        let text = if short.is_empty() {
            l.fig_minimum_met.to_string()
        } else {
            fill(l.fig_below_minimum, &[&short.join(", ")])
        };
        out.push((l.fig_minimum.to_string(), text));
    }
    out.push((l.fig_status.to_string(), status(st, l, with_time)));
    out
}

/// The summary on stdout and report.md are for the organiser's tools and staff: English.
fn english() -> &'static Labels {
    Lang::En.labels()
}

pub fn summary(ctx: &Ctx) -> String {
    let mut s = String::new();
    for (k, v) in lines(ctx, english(), true) {
        let _ = writeln!(s, "{:<20} {v}", format!("{k}:"));
    }
    s
}

pub struct ReportMarkdown;

impl Export for ReportMarkdown {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>> {
        let ev = ctx.event;
        let mut s = String::from("# Plan report\n\n| | |\n|---|---|\n");
        for (k, v) in lines(ctx, english(), false) {
            let _ = writeln!(s, "| {} | {} |", md(&k), md(&v));
        }
        s.push_str(
            "\nObjective, in this order: the total value of the scheduled pairs (each side's \
             interest, high 3, medium 2, low 1, summed), then the fewest breaks (a break is a run \
             of idle slots between two meetings of a participant within one session).\n",
        );
        let _ = writeln!(
            s,
            "\n## Requests not scheduled ({})\n",
            ctx.plan.unscheduled.len()
        );
        if ctx.plan.unscheduled.is_empty() {
            s.push_str("Every requested pair meets.\n");
        } else {
            s.push_str("| From | To | Reason |\n|---|---|---|\n");
            for u in &ctx.plan.unscheduled {
                let pair = ev.pair(u.pair);
                let _ = writeln!(
                    s,
                    "| {} | {} | {} |",
                    md(&ev.part(pair.a).id),
                    md(&ev.part(pair.b).id),
                    md(&u.reason.english(ev))
                );
            }
        }
        s.push_str("\n## Participants\n\n| Id | Name | Side | Country | Meetings | Breaks |\n|---|---|---|---|---|---|\n");
        for (p, f) in ev.participants.iter().zip(&ctx.figures) {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} |",
                md(&p.id),
                md(&p.display()),
                p.side.word(),
                md(&p.country),
                f.meetings,
                f.breaks
            );
        }
        Ok(vec![OutFile {
            path: "report.md".into(),
            bytes: s.into_bytes(),
        }])
    }
}

/// report.html: the figures, then pictures (meetings per participant, table occupancy), then
/// the requests left out and every participant.
pub struct ReportHtml;

impl Export for ReportHtml {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>> {
        use super::html::{event_line, footer, page};
        use super::text::html as esc;
        let (ev, l) = (ctx.event, ctx.labels);
        let mut s = String::from("<section class=\"sheet\">\n");
        s.push_str(&event_line(ctx));
        let _ = writeln!(
            s,
            "<h1>{}</h1>\n<h2>{}</h2>\n<table class=\"figures\">",
            esc(l.report),
            esc(l.figures)
        );
        for (k, v) in lines(ctx, l, false) {
            let _ = writeln!(s, "<tr><th>{}</th><td>{}</td></tr>", esc(&k), esc(&v));
        }
        s.push_str("</table>\n");
        let _ = writeln!(s, "<h2>{}</h2>", esc(l.histogram));
        s.push_str(&super::svg::histogram(ctx));
        let _ = writeln!(s, "<h2>{}</h2>", esc(l.heat_map));
        s.push_str(&super::svg::heat_map(ctx, &super::floor::places(ctx)));
        let _ = writeln!(s, "<p class=\"small\">{}</p>", esc(l.heat_map_note));
        let _ = writeln!(
            s,
            "<h2>{} ({})</h2>",
            esc(l.not_scheduled),
            ctx.plan.unscheduled.len()
        );
        if ctx.plan.unscheduled.is_empty() {
            let _ = writeln!(s, "<p>{}</p>", esc(l.every_pair_meets));
        } else {
            let _ = writeln!(
                s,
                "<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
                l.from, l.to, l.reason
            );
            for u in &ctx.plan.unscheduled {
                let pair = ev.pair(u.pair);
                let _ = writeln!(
                    s,
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&ev.part(pair.a).id),
                    esc(&ev.part(pair.b).id),
                    esc(&u.reason.words(ev, l))
                );
            }
            s.push_str("</tbody>\n</table>\n");
        }
        let _ = writeln!(
            s,
            "<h2>{}</h2>\n<table>\n<thead><tr><th>Id</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            esc(l.participants_heading),
            l.name,
            l.side,
            l.country,
            l.meetings_col,
            l.breaks_col
        );
        for (p, f) in ev.participants.iter().zip(&ctx.figures) {
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&p.id),
                esc(&p.display()),
                l.side(p.side),
                esc(&p.country),
                f.meetings,
                f.breaks
            );
        }
        s.push_str("</tbody>\n</table>\n");
        s.push_str(&footer(ctx));
        s.push_str("</section>\n");
        Ok(vec![OutFile {
            path: "report.html".into(),
            bytes: page(ctx, l.report, &s),
        }])
    }
}
