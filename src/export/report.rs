//! report.md and the summary printed on stdout: the same figures, two layouts.

use super::text::md;
use super::{Ctx, Export, OutFile};
use crate::event::{Organiser, Side};
use crate::plan::spread_of;
use crate::solve::{Ending, Stats};
use anyhow::Result;
use std::fmt::Write;

/// The solve status in words: "optimal" only when proven, else the gaps to the bounds.
/// Wall time only where asked: files must be byte-identical across runs, stdout need not be.
pub fn status(stats: &Stats, with_time: bool) -> String {
    let time = if with_time {
        format!(" in {:.1} s", stats.seconds)
    } else {
        String::new()
    };
    let why = match stats.ending {
        Ending::Optimal => return format!("optimal (proven){time}"),
        Ending::TimeLimit => "stopped by the time limit",
        Ending::Interrupted => "interrupted",
        Ending::Heuristic => "heuristic search (the exact model is too large to prove)",
        Ending::Unknown => return "not known (the plan folder has no status.csv)".to_string(),
    };
    let mut parts = Vec::new();
    if stats.value_proven() {
        parts.push("value optimal".to_string());
    } else {
        let gap =
            100.0 * (stats.value_bound - stats.value) as f64 / stats.value_bound.max(1) as f64;
        parts.push(format!(
            "value gap {gap:.1} % to the bound {}",
            stats.value_bound
        ));
    }
    if stats.breaks_proven() {
        parts.push("breaks optimal".to_string());
    } else {
        parts.push(format!(
            "breaks {} against a lower bound of {}",
            stats.breaks, stats.breaks_bound
        ));
    }
    format!("{why}{time}: {}", parts.join(", "))
}

/// (label, value) lines shared by report.md and the summary.
fn lines(ctx: &Ctx, with_time: bool) -> Vec<(String, String)> {
    let ev = ctx.event;
    let st = &ctx.plan.stats;
    let requested = ev
        .pairs
        .iter()
        .filter(|p| p.organiser != Organiser::Forbidden)
        .count();
    let required = ev
        .pairs
        .iter()
        .filter(|p| p.organiser == Organiser::Required)
        .count();
    let mut out = vec![
        (
            "meetings scheduled".to_string(),
            format!(
                "{} of {} requested pairs",
                ctx.plan.meetings.len(),
                requested
            ),
        ),
        (
            "required met".to_string(),
            format!("{required} of {required}"),
        ),
        (
            "value".to_string(),
            format!(
                "{} of bound {}{}",
                st.value,
                st.value_bound,
                if st.value_proven() { " (optimal)" } else { "" }
            ),
        ),
    ];
    for side in [Side::Buyer, Side::Firm] {
        if let Some((lo, med, hi)) = spread_of(ev, &ctx.figures, side) {
            out.push((
                format!("meetings per {}", side.word()),
                format!("min {lo} · median {med} · max {hi}"),
            ));
        }
    }
    let worst = ctx
        .figures
        .iter()
        .enumerate()
        .max_by_key(|(i, f)| (f.breaks, std::cmp::Reverse(*i)))
        .filter(|(_, f)| f.breaks > 0)
        .map(|(i, f)| format!(", worst {} ({})", ev.participants[i].id, f.breaks))
        .unwrap_or_default();
    out.push((
        "breaks".to_string(),
        format!(
            "{} in total{worst}; spread (most − fewest per participant) {}",
            st.breaks, st.spread
        ),
    ));
    // Hosted-buyer programmes promise a minimum: every participant below it, by name.
    let short: Vec<String> = ev
        .participants
        .iter()
        .zip(&ctx.figures)
        .filter_map(|(p, f)| {
            let min = p.min_meetings? as usize;
            (f.meetings < min).then(|| format!("{} {} of {min}", p.id, f.meetings))
        })
        .collect();
    if ev.participants.iter().any(|p| p.min_meetings.is_some()) {
        let text = if short.is_empty() {
            "every promised minimum met".to_string()
        } else {
            format!("below min_meetings: {}", short.join(", "))
        };
        out.push(("minimum meetings".to_string(), text));
    }
    out.push(("status".to_string(), status(st, with_time)));
    out
}

pub fn summary(ctx: &Ctx) -> String {
    let mut s = String::new();
    for (k, v) in lines(ctx, true) {
        let _ = writeln!(s, "{:<20} {v}", format!("{k}:"));
    }
    s
}

pub struct ReportMarkdown;

impl Export for ReportMarkdown {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>> {
        let ev = ctx.event;
        let mut s = String::from("# Plan report\n\n| | |\n|---|---|\n");
        for (k, v) in lines(ctx, false) {
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
                    md(&u.reason)
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
        for (k, v) in lines(ctx, false) {
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
                    esc(&u.reason)
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
