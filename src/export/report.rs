//! report.md and the summary printed on stdout: the same figures, two layouts.

use super::text::md;
use super::{Ctx, Export, OutFile};
use crate::event::Side;
use crate::lang::{fill, Labels, Lang};
use crate::plan::Figures;
use crate::solve::{Bounds, Ending};
use anyhow::Result;
use std::fmt::Write;

/// The solve status in words: "optimal" only when the plan's figures reach the proven bounds,
/// else the gaps to them. Wall time only where asked: files must be byte-identical across
/// runs, stdout need not be.
pub(crate) fn status(f: &Figures, b: &Bounds, l: &Labels, with_time: bool) -> String {
    let time = if with_time {
        fill(l.st_in_seconds, &[&format!("{:.1}", b.seconds)])
    } else {
        String::new()
    };
    let why = match b.ending {
        Ending::Optimal if f.proven(b) => return format!("{}{time}", l.st_optimal),
        // The search proved its plan optimal, but the schedule was edited since.
        Ending::Optimal => l.st_edited,
        Ending::TimeLimit => l.st_time_limit,
        Ending::Interrupted => l.st_interrupted,
        Ending::Heuristic => l.st_heuristic,
        Ending::Unknown => return l.st_unknown.to_string(),
    };
    let mut parts = Vec::new();
    if f.value_proven(b) {
        parts.push(l.st_value_optimal.to_string());
    } else {
        let gap = 100.0 * (b.value_bound - f.value) as f64 / b.value_bound.max(1) as f64;
        parts.push(fill(
            l.st_value_gap,
            &[&format!("{gap:.1}"), &b.value_bound.to_string()],
        ));
    }
    if f.breaks_proven(b) {
        parts.push(l.st_breaks_optimal.to_string());
    } else {
        parts.push(fill(
            l.st_breaks_bound,
            &[&f.breaks.to_string(), &b.breaks_bound.to_string()],
        ));
    }
    format!("{why}{time}: {}", parts.join(", "))
}

/// (label, value) lines shared by report.md, report.html and the summary.
pub(super) fn lines(ctx: &Ctx, l: &Labels, with_time: bool) -> Vec<(String, String)> {
    let ev = ctx.event;
    let (f, b) = (&ctx.figures, &ctx.plan.bounds);
    let n = |x: usize| x.to_string();
    let mut out = vec![(
        l.fig_meetings_scheduled.to_string(),
        fill(l.fig_of_requested, &[&n(f.meetings), &n(f.requested)]),
    )];
    if f.visit_requests > 0 {
        out.push((
            l.fig_visits.to_string(),
            fill(l.fig_of_requested, &[&n(f.visits), &n(f.visit_requests)]),
        ));
    }
    out.push((
        l.fig_required_met.to_string(),
        fill(l.fig_of, &[&n(f.required_met), &n(f.required)]),
    ));
    let value = if b.ending == Ending::Unknown {
        f.value.to_string()
    } else {
        let mut v = fill(
            l.fig_value_of_bound,
            &[&f.value.to_string(), &b.value_bound.to_string()],
        );
        if f.value_proven(b) {
            v.push_str(&format!(" ({})", l.fig_optimal));
        }
        v
    };
    out.push((l.fig_value.to_string(), value));
    for (side, label) in [
        (Side::Buyer, l.fig_meetings_per[0]),
        (Side::Firm, l.fig_meetings_per[1]),
    ] {
        if let Some((lo, med, hi)) = f.spread_of(ev, side) {
            out.push((
                label.to_string(),
                fill(l.fig_min_median_max, &[&n(lo), &n(med), &n(hi)]),
            ));
        }
    }
    let worst = f
        .per_part
        .iter()
        .enumerate()
        .max_by_key(|(i, p)| (p.breaks, std::cmp::Reverse(*i)))
        .filter(|(_, p)| p.breaks > 0)
        .map(|(i, p)| fill(l.fig_worst, &[&ev.participants[i].id, &n(p.breaks)]))
        .unwrap_or_default();
    out.push((
        l.fig_breaks.to_string(),
        fill(
            l.fig_breaks_total,
            &[&f.breaks.to_string(), &worst, &f.spread.to_string()],
        ),
    ));
    // Hosted-buyer programmes promise a minimum: every participant below it, by name.
    if f.has_minimums {
        let short: Vec<String> = f
            .short
            .iter()
            .map(|&(p, got, min)| fill(l.fig_short, &[&ev.part(p).id, &n(got), &n(min as usize)]))
            .collect();
        let text = if short.is_empty() {
            l.fig_minimum_met.to_string()
        } else {
            fill(l.fig_below_minimum, &[&short.join(", ")])
        };
        out.push((l.fig_minimum.to_string(), text));
    }
    // Interpreters: what to book (without interpreters.csv), or what the plan uses.
    if f.interp_needed > 0 {
        let pairs: Vec<String> = f
            .interp_pairs
            .iter()
            .map(|(p, k)| format!("{p} {k}"))
            .collect();
        let text = format!(
            "{} ({})",
            fill(
                l.fig_interp_needed,
                &[&n(f.interp_needed), &n(f.interp_peak())]
            ),
            pairs.join(", ")
        );
        out.push((l.fig_interpreters.to_string(), text));
    }
    if !f.roles.is_empty() {
        let roles: Vec<String> = f.roles.iter().map(|(r, k)| format!("{r} {k}")).collect();
        out.push((l.role.to_lowercase(), roles.join(", ")));
    }
    out.push((l.fig_status.to_string(), status(f, b, l, with_time)));
    out
}

/// The summary on stdout and report.md are for the organiser's tools and staff: English.
fn english() -> &'static Labels {
    Lang::En.labels()
}

pub(crate) fn summary(ctx: &Ctx) -> String {
    let mut s = String::new();
    for (k, v) in lines(ctx, english(), true) {
        let _ = writeln!(s, "{:<20} {v}", format!("{k}:"));
    }
    s
}

pub(super) struct ReportMarkdown;

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
             of idle slots between two meetings of a participant within one session; time at a \
             programme item, on a visit or travelling is not idle).\n",
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
        for (p, f) in ev.participants.iter().zip(&ctx.figures.per_part) {
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
pub(super) struct ReportHtml;

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
        for (p, f) in ev.participants.iter().zip(&ctx.figures.per_part) {
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
