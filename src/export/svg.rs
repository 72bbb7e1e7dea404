//! Inline SVG pictures for the HTML report: a histogram of meetings per participant and a
//! slots × tables heat map. Plain SVG, sized in user units, no scripts.

use super::floor::Place;
use super::text::html as esc;
use super::Ctx;
use crate::event::Side;
use std::fmt::Write;

const BUYER_COLOUR: &str = "#2b6cb0";
const FIRM_COLOUR: &str = "#dd8a2e";

/// Bars: how many buyers (blue) and firms (orange) hold 0, 1, 2, ... meetings.
pub(super) fn histogram(ctx: &Ctx) -> String {
    let (ev, l) = (ctx.event, ctx.labels);
    let max = ctx
        .figures
        .per_part
        .iter()
        .map(|f| f.meetings)
        .max()
        .unwrap_or(0);
    let mut counts = vec![[0usize; 2]; max + 1];
    for (p, f) in ev.participants.iter().zip(&ctx.figures.per_part) {
        counts[f.meetings][(p.side == Side::Firm) as usize] += 1;
    }
    let top = counts.iter().flatten().copied().max().unwrap_or(0).max(1);
    let (w, h, left, bottom, top_pad) = (640.0, 240.0, 40.0, 34.0, 24.0);
    let plot_h = h - bottom - top_pad;
    let group = (w - left - 10.0) / counts.len() as f64;
    let bar = (group * 0.4).min(28.0);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-label=\"{}\">",
        esc(l.histogram)
    );
    // Axis and a few gridlines with their counts.
    let steps = 4;
    for k in 0..=steps {
        let v = (top * k).div_ceil(steps);
        let y = top_pad + plot_h - plot_h * v as f64 / top as f64;
        let _ = writeln!(
            s,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\">{v}</text>",
            w - 10.0,
            left - 4.0,
            y + 3.5
        );
    }
    for (n, c) in counts.iter().enumerate() {
        let x0 = left + group * n as f64 + (group - 2.0 * bar) / 2.0;
        for (k, colour) in [BUYER_COLOUR, FIRM_COLOUR].iter().enumerate() {
            if c[k] == 0 {
                continue;
            }
            let bh = plot_h * c[k] as f64 / top as f64;
            let side = if k == 0 { l.buyers } else { l.firms };
            let _ = writeln!(
                s,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{bh:.1}\" fill=\"{colour}\"><title>{}: {} × {n} {}</title></rect>",
                x0 + bar * k as f64,
                top_pad + plot_h - bh,
                esc(side),
                c[k],
                esc(l.histogram_axis)
            );
        }
        // Label every bar group when few, else every fifth.
        if counts.len() <= 25 || n % 5 == 0 {
            let _ = writeln!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{n}</text>",
                left + group * (n as f64 + 0.5),
                h - bottom + 14.0
            );
        }
    }
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
        left + (w - left) / 2.0,
        h - 4.0,
        esc(l.histogram_axis)
    );
    let _ = writeln!(
        s,
        "<rect x=\"{left}\" y=\"4\" width=\"10\" height=\"10\" fill=\"{BUYER_COLOUR}\"/><text x=\"{}\" y=\"13\" font-size=\"11\">{}</text>\
         <rect x=\"{}\" y=\"4\" width=\"10\" height=\"10\" fill=\"{FIRM_COLOUR}\"/><text x=\"{}\" y=\"13\" font-size=\"11\">{}</text>",
        left + 14.0,
        esc(l.buyers),
        left + 110.0,
        left + 124.0,
        esc(l.firms)
    );
    s.push_str("</svg>\n");
    s
}

/// Most rows drawn; above it, consecutive tables share a row and the colour shows the share
/// of them busy.
const MAX_ROWS: usize = 60;

/// Rows: tables (or groups of them); columns: slots, a gap between days; darker = busier.
pub(super) fn heat_map(ctx: &Ctx, places: &[Place]) -> String {
    let (ev, l) = (ctx.event, ctx.labels);
    let per_row = places.len().div_ceil(MAX_ROWS).max(1);
    let rows: Vec<&[Place]> = places.chunks(per_row).collect();
    let n = ev.slots.len();
    // Per slot, how many day changes come before it: a small gap is drawn at each.
    let mut days_before = Vec::with_capacity(n);
    for (k, slot) in ev.slots.iter().enumerate() {
        let changed = k > 0 && ev.slots[k - 1].day != slot.day;
        days_before.push(days_before.last().copied().unwrap_or(0) + usize::from(changed));
    }
    let gaps = days_before.last().copied().unwrap_or(0);
    let (cell_w, cell_h, left, top) = (
        (560.0 / n.max(1) as f64).clamp(6.0, 22.0),
        (360.0 / rows.len().max(1) as f64).clamp(4.0, 14.0),
        70.0,
        18.0,
    );
    let w = left + cell_w * n as f64 + 8.0 * gaps as f64 + 10.0;
    let h = top + cell_h * rows.len() as f64 + 10.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w:.1} {h:.1}\" width=\"100%\" role=\"img\" aria-label=\"{}\">",
        esc(l.heat_map)
    );
    for (s_idx, slot) in ev.slots.iter().enumerate() {
        let x = left + cell_w * s_idx as f64 + 8.0 * days_before[s_idx] as f64;
        if s_idx == 0 || ev.slots[s_idx - 1].day != slot.day {
            let _ = writeln!(
                s,
                "<text x=\"{x:.1}\" y=\"12\" font-size=\"10\">{}</text>",
                esc(&slot.day.to_string())
            );
        }
        for (r, group) in rows.iter().enumerate() {
            let busy = group
                .iter()
                .filter(|p| !p.by_slot[s_idx].is_empty())
                .count();
            let share = busy as f64 / group.len() as f64;
            // White to dark blue.
            let c = |full: f64| (255.0 - (255.0 - full) * share).round() as u8;
            let _ = writeln!(
                s,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"rgb({},{},{})\" stroke=\"#fff\" stroke-width=\"0.5\"><title>{} {}: {busy}/{}</title></rect>",
                top + cell_h * r as f64,
                cell_w,
                cell_h,
                c(24.0),
                c(70.0),
                c(140.0),
                esc(&slot.id),
                esc(&group_label(group)),
                group.len()
            );
        }
    }
    for (r, group) in rows.iter().enumerate() {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 4.0,
            top + cell_h * (r as f64 + 0.8),
            (cell_h * 0.85).min(10.0),
            esc(&group_label(group))
        );
    }
    s.push_str("</svg>\n");
    s
}

fn group_label(group: &[Place]) -> String {
    match group {
        [one] => one.label.clone(),
        [first, .., last] => format!("{}–{}", first.label, last.label),
        [] => String::new(),
    }
}
