//! A re-plan's changes: changes.csv (one row per participant and changed meeting) and a
//! notice per participant whose agenda changed, with the new agenda.

use super::text::{csv_bytes, md};
use super::{Ctx, Export, OutFile};
use crate::event::{Event, PartId, SlotId, TableId};
use crate::lang::fill;
use crate::replan::{Change, ChangeKind};
use anyhow::Result;
use std::collections::BTreeMap;
use std::fmt::Write;

/// changes.csv and notices/<id>.md.
pub(crate) struct Changes<'c>(pub &'c [Change]);

impl Export for Changes<'_> {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>> {
        render(ctx, self.0)
    }
}

fn place(event: &Event, at: Option<(SlotId, Option<TableId>)>) -> [String; 4] {
    match at {
        None => Default::default(),
        Some((s, t)) => {
            let slot = event.slot(s);
            [
                slot.id.clone(),
                slot.day.to_string(),
                slot.start.to_string(),
                t.map(|t| event.table(t).id.clone()).unwrap_or_default(),
            ]
        }
    }
}

/// changes.csv and notices/<id>.md for the participants whose agenda changed.
/// A visit in changes.csv: its id in the slot column, no table.
fn visit_place(event: &Event, v: Option<crate::event::VisitId>) -> [String; 4] {
    match v {
        None => Default::default(),
        Some(v) => {
            let visit = event.visit(v);
            [
                visit.id.clone(),
                visit.day.to_string(),
                visit.start.to_string(),
                String::new(),
            ]
        }
    }
}

fn render(ctx: &Ctx, changes: &[Change]) -> Result<Vec<OutFile>> {
    let ev = ctx.event;
    let rows = changes.iter().map(|c| {
        // A programme item: no counterpart, its title as the name, its id in the slots.
        if let Some(item) = &c.programme {
            let at = |w: Option<(crate::event::time::Date, crate::event::time::Time)>| match w {
                Some((d, t)) => [item.id.clone(), d.to_string(), t.to_string()],
                None => Default::default(),
            };
            let ([bs, bd, bt], [as_, ad, at]) = (at(item.before), at(item.after));
            return vec![
                ev.part(c.participant).id.clone(),
                c.kind.word().to_string(),
                String::new(),
                item.title.clone(),
                bs,
                bd,
                bt,
                String::new(),
                as_,
                ad,
                at,
                String::new(),
                c.sequence.to_string(),
                String::new(),
                String::new(),
            ];
        }
        let [bs, bd, bt, btab] = match c.visit {
            Some((v, _)) => visit_place(ev, v),
            None => place(ev, c.before),
        };
        let [as_, ad, at, atab] = match c.visit {
            Some((_, v)) => visit_place(ev, v),
            None => place(ev, c.after),
        };
        vec![
            ev.part(c.participant).id.clone(),
            c.kind.word().to_string(),
            ev.part(c.counterpart).id.clone(),
            ev.part(c.counterpart).name.clone(),
            bs,
            bd,
            bt,
            btab,
            as_,
            ad,
            at,
            atab,
            c.sequence.to_string(),
            interp_id(ev, c.interpreters.0),
            interp_id(ev, c.interpreters.1),
        ]
    });
    let header = [
        "participant",
        "change",
        "counterpart",
        "counterpart_name",
        "slot_before",
        "day_before",
        "start_before",
        "table_before",
        "slot_after",
        "day_after",
        "start_after",
        "table_after",
        "sequence",
        "interpreter_before",
        "interpreter_after",
    ];
    let mut files = vec![OutFile {
        path: "changes.csv".into(),
        bytes: csv_bytes(&header, rows)?,
    }];
    let mut by_part: BTreeMap<String, (PartId, Vec<&Change>)> = BTreeMap::new();
    for c in changes {
        by_part
            .entry(ev.part(c.participant).id.clone())
            .or_insert((c.participant, Vec::new()))
            .1
            .push(c);
    }
    let styles = ctx.auto_styles();
    let subs: Vec<Ctx> = styles.iter().map(|s| Ctx::new(ev, ctx.plan, s)).collect();
    for (id, (p, list)) in by_part {
        files.push(OutFile {
            path: format!("notices/{id}.md"),
            bytes: notice(ctx.pick(&subs, p), p, &list).into_bytes(),
        });
    }
    // Interpreters whose meetings changed: what changed, then their updated agenda.
    for k in crate::replan::interpreters_affected(changes) {
        let mut s = format!(
            "# {}\n\n",
            md(&fill(ctx.labels.n_changed, &[&ev.interpreter(k).name]))
        );
        let mut seen = std::collections::HashSet::new();
        for c in changes
            .iter()
            .filter(|c| c.interpreters.0 == Some(k) || c.interpreters.1 == Some(k))
        {
            let pair = (
                c.participant.min(c.counterpart),
                c.participant.max(c.counterpart),
            );
            if !seen.insert(pair) {
                continue;
            }
            let (kind, _, when) = change_words(ctx, c);
            let _ = writeln!(
                s,
                "- **{kind}**: {} – {}, {}",
                md(&ev.part(pair.0).display()),
                md(&ev.part(pair.1).display()),
                md(&when)
            );
        }
        let _ = write!(s, "\n{}\n\n", ctx.labels.n_follows);
        s.push_str(&super::interp_agenda::markdown(ctx, k));
        files.push(OutFile {
            path: format!("notices/interpreters/{}.md", ev.interpreter(k).id),
            bytes: s.into_bytes(),
        });
    }
    Ok(files)
}

fn interp_id(ev: &Event, k: Option<crate::event::InterpId>) -> String {
    k.map(|k| ev.interpreter(k).id.clone()).unwrap_or_default()
}

/// A change in words (unescaped): what (cancelled, moved, added), with whom, when and where.
pub(crate) fn change_words(ctx: &Ctx, c: &Change) -> (&'static str, String, String) {
    let (ev, l) = (ctx.event, ctx.labels);
    let when = |at: Option<(SlotId, Option<TableId>)>| {
        at.map(|(sl, t)| {
            let slot = ev.slot(sl);
            let table = t
                .map(|t| format!(", {} {}", l.table.to_lowercase(), ev.table(t).id))
                .unwrap_or_default();
            format!("{} {}–{}{table}", slot.day, slot.start, slot.end)
        })
        .unwrap_or_default()
    };
    if let Some(item) = &c.programme {
        let at = |w: Option<(crate::event::time::Date, crate::event::time::Time)>| {
            w.map(|(d, t)| format!("{d} {t}")).unwrap_or_default()
        };
        let title = match ev.programme.iter().find(|i| i.id == item.id) {
            Some(i) => i.title_in(l.code).to_string(),
            None => item.title.clone(),
        };
        return match c.kind {
            ChangeKind::Cancelled => (l.n_cancelled, title, at(item.before)),
            ChangeKind::Added => (l.n_added, title, at(item.after)),
            _ => (
                l.n_moved,
                title,
                fill(l.n_from_to, &[&at(item.before), &at(item.after)]),
            ),
        };
    }
    let other = ev.part(c.counterpart).display();
    if let Some((before, after)) = c.visit {
        let visit = |v: Option<crate::event::VisitId>| {
            v.map(|v| {
                let x = ev.visit(v);
                format!(
                    "{} {} {}–{}",
                    fill(l.x_visit_to, &[&ev.part(x.firm).name]),
                    x.day,
                    x.start,
                    x.end
                )
            })
            .unwrap_or_default()
        };
        return match c.kind {
            ChangeKind::Cancelled => (l.n_cancelled, other, visit(before)),
            ChangeKind::Moved => (
                l.n_moved,
                other,
                fill(l.n_from_to, &[&visit(before), &visit(after)]),
            ),
            ChangeKind::Added => (l.n_added, other, visit(after)),
            // Visits have no interpreter: never a visit's change.
            ChangeKind::Interpreter => (l.n_interpreter, other, String::new()),
        };
    }
    match c.kind {
        ChangeKind::Cancelled => (l.n_cancelled, other, when(c.before)),
        ChangeKind::Moved => (
            l.n_moved,
            other,
            fill(l.n_from_to, &[&when(c.before), &when(c.after)]),
        ),
        ChangeKind::Added => (l.n_added, other, when(c.after)),
        ChangeKind::Interpreter => {
            let name = |k: Option<crate::event::InterpId>| {
                k.map_or_else(|| "–".into(), |k| ev.interpreter(k).name.clone())
            };
            (
                l.n_interpreter,
                other,
                format!(
                    "{}, {}",
                    when(c.after),
                    fill(
                        l.n_from_to,
                        &[&name(c.interpreters.0), &name(c.interpreters.1)]
                    )
                ),
            )
        }
    }
}

/// The notice of `p` (Markdown, in the context's language): what changed, then the updated
/// agenda. `notices/<id>.md` and the text of `mail`'s update messages.
pub(crate) fn notice(ctx: &Ctx, p: PartId, list: &[&Change]) -> String {
    let (ev, l) = (ctx.event, ctx.labels);
    let mut s = format!("# {}\n\n", md(&fill(l.n_changed, &[&ev.part(p).display()])));
    for c in list {
        let (kind, other, when) = change_words(ctx, c);
        let _ = writeln!(s, "- **{kind}**: {}, {}", md(&other), md(&when));
    }
    let _ = write!(s, "\n{}\n\n", l.n_follows);
    s.push_str(&super::agenda_markdown(ctx, p));
    s
}
