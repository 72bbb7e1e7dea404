//! The programme around the meetings in the outputs: what each participant attends besides its
//! meetings (programme items, the visits it joins or hosts), the travel line before an
//! engagement at another venue, `programme.csv` in the plan folder, and one sheet per visit
//! (who comes, when, the host) for the bus and the host.

use super::html::page;
use super::text::csv_bytes;
use super::text::html as esc;
use super::{Ctx, Export, OutFile};
use crate::event::time::{Date, Time};
use crate::event::{ItemId, PartId, VenueId, VisitId};
use crate::id::ids;
use crate::lang::fill;
use anyhow::Result;
use std::fmt::Write;

/// An engagement of a participant besides its meetings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Extra {
    pub day: Date,
    pub start: Time,
    pub end: Time,
    pub venue: Option<VenueId>,
    pub kind: ExtraKind,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum ExtraKind {
    Item(ItemId),
    /// A visit it joins as a visitor.
    Visit(VisitId),
    /// A visit the firm hosts.
    Hosting(VisitId),
    /// A programme item an earlier plan announced, withdrawn since (`Plan::past_items`):
    /// only in calendars, cancelled.
    Past(usize),
}

/// What `p` attends besides its meetings, in time order.
pub(crate) fn extras(ctx: &Ctx, p: PartId) -> Vec<Extra> {
    let ev = ctx.event;
    let mut out = Vec::new();
    for k in ids::<crate::event::Item>(ev.programme.len()) {
        let item = ev.item(k);
        if item.who[p.index()] {
            out.push(Extra {
                day: item.day,
                start: item.start,
                end: item.end,
                venue: item.venue,
                kind: ExtraKind::Item(k),
            });
        }
    }
    for b in &ctx.plan.visits {
        if b.visitor(ev) == p {
            let v = ev.visit(b.visit);
            out.push(Extra {
                day: v.day,
                start: v.start,
                end: v.end,
                venue: v.venue,
                kind: ExtraKind::Visit(b.visit),
            });
        }
    }
    for k in ids::<crate::event::Visit>(ev.visits.len()) {
        let v = ev.visit(k);
        if v.firm == p && !v.cancelled {
            out.push(Extra {
                day: v.day,
                start: v.start,
                end: v.end,
                venue: v.venue,
                kind: ExtraKind::Hosting(k),
            });
        }
    }
    out.sort_by_key(|e| (e.day, e.start, e.end));
    out
}

/// An extra as a calendar event: its revision (SEQUENCE), and whether a re-plan withdrew it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dated {
    pub extra: Extra,
    pub sequence: u32,
    pub cancelled: bool,
}

/// `p`'s calendar events besides its meetings: its extras in time order with their revisions
/// (a visit's is its booking's), then, cancelled, the visits a re-plan took it off and the
/// visits it was to host that were called off.
pub(crate) fn calendar_extras(ctx: &Ctx, p: PartId) -> Vec<Dated> {
    let ev = ctx.event;
    let of_visit = |v: VisitId, kind: ExtraKind| {
        let x = ev.visit(v);
        Extra {
            day: x.day,
            start: x.start,
            end: x.end,
            venue: x.venue,
            kind,
        }
    };
    let mut out: Vec<Dated> = extras(ctx, p)
        .into_iter()
        .map(|extra| Dated {
            extra,
            sequence: match extra.kind {
                ExtraKind::Item(k) => ctx.plan.item_sequence(k),
                ExtraKind::Visit(v) => ctx
                    .plan
                    .visits
                    .iter()
                    .find(|b| b.visit == v && b.visitor(ev) == p)
                    .map_or(0, |b| b.sequence),
                _ => 0,
            },
            cancelled: false,
        })
        .collect();
    out.extend(
        ctx.plan
            .withdrawn_visits
            .iter()
            .filter(|w| w.visitor == p)
            .map(|w| Dated {
                extra: of_visit(w.visit, ExtraKind::Visit(w.visit)),
                sequence: w.sequence,
                cancelled: true,
            }),
    );
    out.extend(
        ctx.plan
            .past_items
            .iter()
            .enumerate()
            .filter(|(_, x)| x.who.contains(&p))
            .map(|(k, x)| Dated {
                extra: Extra {
                    day: x.day,
                    start: x.start,
                    end: x.end,
                    venue: None,
                    kind: ExtraKind::Past(k),
                },
                sequence: x.sequence,
                cancelled: true,
            }),
    );
    out.extend(
        ids::<crate::event::Visit>(ev.visits.len())
            .filter(|&k| ev.visit(k).firm == p && ev.visit(k).cancelled)
            .map(|k| Dated {
                extra: of_visit(k, ExtraKind::Hosting(k)),
                sequence: 1,
                cancelled: true,
            }),
    );
    out
}

/// Visitors booked on visit `v`.
pub(crate) fn visitors(ctx: &Ctx, v: VisitId) -> Vec<PartId> {
    ctx.plan
        .visits
        .iter()
        .filter(|b| b.visit == v)
        .map(|b| b.visitor(ctx.event))
        .collect()
}

/// The line an agenda shows for an extra: its title, in the agenda's language.
pub(crate) fn title(ctx: &Ctx, e: &Extra) -> String {
    let (ev, l) = (ctx.event, ctx.labels);
    match e.kind {
        ExtraKind::Item(k) => ev.item(k).title_in(l.code).to_string(),
        ExtraKind::Past(k) => ctx.plan.past_items[k].title.clone(),
        ExtraKind::Visit(v) => fill(l.x_visit_to, &[&ev.part(ev.visit(v).firm).name]),
        ExtraKind::Hosting(v) => format!(
            "{} ({}: {})",
            fill(l.x_visit_to, &[&ev.part(ev.visit(v).firm).name]),
            l.x_visitors,
            visitors(ctx, v).len()
        ),
    }
}

/// "travel 25 min to Calzaturificio Bianchi, Segromigno".
pub(crate) fn travel_text(ctx: &Ctx, minutes: u32, to: VenueId) -> String {
    fill(
        ctx.labels.x_travel,
        &[&minutes.to_string(), &ctx.event.venues[to].display()],
    )
}

/// A stable UID for an extra in `p`'s calendar.
pub(crate) fn uid(ctx: &Ctx, p: PartId, e: &Extra) -> String {
    let ev = ctx.event;
    let what = match e.kind {
        ExtraKind::Item(k) => format!("programme-{}", ev.item(k).id),
        ExtraKind::Past(k) => format!("programme-{}", ctx.plan.past_items[k].id),
        ExtraKind::Visit(v) | ExtraKind::Hosting(v) => format!("visit-{}", ev.visit(v).id),
    };
    format!("{what}+{}@{}", ev.part(p).id, super::ics::uid_domain(ev))
}

/// programme.csv in the plan folder: the items, with who attends.
pub(crate) struct ProgrammeCsv;

impl Export for ProgrammeCsv {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>> {
        let ev = ctx.event;
        let plan = ctx.plan;
        if ev.programme.is_empty() && plan.past_items.is_empty() {
            return Ok(Vec::new());
        }
        // Each item with its revision; the items a re-plan withdrew after them, cancelled
        // (who: their ids), so that a later re-plan or export still cancels them.
        let rows = ids::<crate::event::Item>(ev.programme.len())
            .map(|k| {
                let i = ev.item(k);
                vec![
                    i.id.clone(),
                    i.title.clone(),
                    i.day.to_string(),
                    i.start.to_string(),
                    i.end.to_string(),
                    i.venue.map(|v| ev.venues[v].id.clone()).unwrap_or_default(),
                    i.who_text.clone(),
                    i.who.iter().filter(|&&w| w).count().to_string(),
                    plan.item_sequence(k).to_string(),
                    String::new(),
                ]
            })
            .chain(plan.past_items.iter().map(|x| {
                vec![
                    x.id.clone(),
                    x.title.clone(),
                    x.day.to_string(),
                    x.start.to_string(),
                    x.end.to_string(),
                    String::new(),
                    x.who
                        .iter()
                        .map(|&p| ev.part(p).id.as_str())
                        .collect::<Vec<_>>()
                        .join(";"),
                    x.who.len().to_string(),
                    x.sequence.to_string(),
                    "cancelled".to_string(),
                ]
            }));
        Ok(vec![OutFile {
            path: "programme.csv".into(),
            bytes: csv_bytes(
                &[
                    "id",
                    "title",
                    "day",
                    "start",
                    "end",
                    "venue",
                    "who",
                    "attendees",
                    "sequence",
                    "status",
                ],
                rows,
            )?,
        }])
    }
}

/// One sheet per visit: `visits/<id>.csv` (the list) and `visits/<id>.html` (to print).
pub(crate) struct VisitSheets {
    pub html: bool,
}

impl Export for VisitSheets {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>> {
        let (ev, l) = (ctx.event, ctx.labels);
        let mut files = Vec::new();
        for v in ids::<crate::event::Visit>(ev.visits.len()) {
            let visit = ev.visit(v);
            let host = ev.part(visit.firm);
            let who = visitors(ctx, v);
            if !self.html {
                let rows = who.iter().map(|&p| {
                    let me = ev.part(p);
                    vec![
                        visit.id.clone(),
                        visit.day.to_string(),
                        visit.start.to_string(),
                        visit.end.to_string(),
                        ev.venue_text(visit.venue),
                        host.id.clone(),
                        super::agenda::counterpart(host),
                        me.id.clone(),
                        me.name.clone(),
                        me.company.clone(),
                        me.country.clone(),
                        me.languages.join(";"),
                    ]
                });
                files.push(OutFile {
                    path: format!("visits/{}.csv", visit.id),
                    bytes: csv_bytes(
                        &[
                            "visit",
                            "day",
                            "start",
                            "end",
                            "venue",
                            "firm",
                            "host",
                            "visitor",
                            "name",
                            "company",
                            "country",
                            "languages",
                        ],
                        rows,
                    )?,
                });
                continue;
            }
            let mut s = String::from("<section class=\"sheet\">\n");
            s.push_str(&super::html::event_line(ctx));
            let _ = writeln!(
                s,
                "<h1>{}</h1>\n<p class=\"facts\">{} · {}–{} · {}: {} · {}: {} · {}: {}/{}</p>",
                esc(&fill(l.x_visit_to, &[&host.name])),
                esc(&l.long_date(visit.day)),
                visit.start,
                visit.end,
                esc(l.x_venue),
                esc(&ev.venue_text(visit.venue)),
                esc(l.x_host),
                esc(&super::agenda::counterpart(host)),
                esc(l.x_visitors),
                who.len(),
                visit.capacity
            );
            let _ = writeln!(
                s,
                "<table class=\"agenda\">\n<thead><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
                esc(l.meeting_with),
                esc(l.company),
                esc(l.country)
            );
            for (k, &p) in who.iter().enumerate() {
                let me = ev.part(p);
                let _ = writeln!(
                    s,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    k + 1,
                    esc(&me.name),
                    esc(&me.company),
                    esc(&me.country)
                );
            }
            s.push_str("</tbody>\n</table>\n");
            s.push_str(&super::html::footer(ctx));
            s.push_str("</section>\n");
            files.push(OutFile {
                path: format!("visits/{}.html", visit.id),
                bytes: page(ctx, &fill(l.x_visit_to, &[&host.name]), &s),
            });
        }
        Ok(files)
    }
}

/// The rows of one day of `p`'s agenda with its extras merged in time order and a travel row
/// before every engagement at another venue than the one before it.
pub(crate) fn merge<'a>(
    ctx: &'a Ctx,
    p: PartId,
    date: Date,
    timed: Vec<(Time, u8, Option<VenueId>, super::agenda::Row<'a>)>,
) -> Vec<super::agenda::Row<'a>> {
    use super::agenda::Row;
    let ev = ctx.event;
    let mut all = timed;
    for e in extras(ctx, p).into_iter().filter(|e| e.day == date) {
        all.push((e.start, 2, e.venue, Row::Extra(e)));
    }
    all.sort_by_key(|(t, order, _, _)| (*t, *order));
    let mut out = Vec::with_capacity(all.len());
    let mut here: Option<VenueId> = None;
    for (_, _, venue, row) in all {
        let engagement = matches!(row, Row::Meeting(_) | Row::Extra(_));
        if engagement {
            if let (Some(from), Some(to)) = (here, venue) {
                let minutes = ev.travel_minutes(Some(from), Some(to));
                if from != to && minutes > 0 {
                    out.push(Row::Travel(minutes, to));
                }
            }
            if venue.is_some() {
                here = venue;
            }
        }
        out.push(row);
    }
    out
}

/// The agendas' slot id of an extra, for CSV: the item or visit id.
pub(crate) fn extra_id(ctx: &Ctx, e: &Extra) -> String {
    match e.kind {
        ExtraKind::Item(k) => ctx.event.item(k).id.clone(),
        ExtraKind::Past(k) => ctx.plan.past_items[k].id.clone(),
        ExtraKind::Visit(v) | ExtraKind::Hosting(v) => ctx.event.visit(v).id.clone(),
    }
}

/// The day's programme items and visits, in time order, for the floor's day overview.
pub(crate) fn day_programme(ctx: &Ctx, day: Date) -> String {
    let (ev, l) = (ctx.event, ctx.labels);
    let mut rows: Vec<(Time, String)> = Vec::new();
    for item in ev.programme.iter().filter(|i| i.day == day) {
        rows.push((
            item.start,
            format!(
                "<tr><td class=\"time\">{}–{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                item.start,
                item.end,
                esc(item.title_in(l.code)),
                esc(&ev.venue_text(item.venue)),
                item.who.iter().filter(|&&w| w).count()
            ),
        ));
    }
    for v in ids::<crate::event::Visit>(ev.visits.len()) {
        let visit = ev.visit(v);
        if visit.day != day {
            continue;
        }
        rows.push((
            visit.start,
            format!(
                "<tr><td class=\"time\">{}–{}</td><td>{}</td><td>{}</td><td>{}/{}</td></tr>",
                visit.start,
                visit.end,
                esc(&fill(l.x_visit_to, &[&ev.part(visit.firm).name])),
                esc(&ev.venue_text(visit.venue)),
                visitors(ctx, v).len(),
                visit.capacity
            ),
        ));
    }
    if rows.is_empty() {
        return String::new();
    }
    rows.sort_by_key(|(t, _)| *t);
    let mut s = format!(
        "<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        esc(l.x_programme),
        esc(l.time),
        esc(l.x_programme),
        esc(l.x_venue),
        esc(l.x_visitors)
    );
    for (_, r) in rows {
        s.push_str(&r);
        s.push('\n');
    }
    s.push_str("</tbody>\n</table>\n");
    s
}
