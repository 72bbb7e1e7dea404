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
pub struct Changes<'c>(pub &'c [Change]);

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
fn render(ctx: &Ctx, changes: &[Change]) -> Result<Vec<OutFile>> {
    let ev = ctx.event;
    let rows = changes.iter().map(|c| {
        let [bs, bd, bt, btab] = place(ev, c.before);
        let [as_, ad, at, atab] = place(ev, c.after);
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
    let l = ctx.labels;
    for (id, (p, list)) in by_part {
        let mut s = format!("# {}\n\n", md(&fill(l.n_changed, &[&ev.part(p).display()])));
        for c in list {
            let other = md(&ev.part(c.counterpart).display());
            let when = |at: Option<(SlotId, Option<TableId>)>| {
                at.map(|(sl, t)| {
                    let slot = ev.slot(sl);
                    let table = t
                        .map(|t| format!(", {} {}", l.table.to_lowercase(), md(&ev.table(t).id)))
                        .unwrap_or_default();
                    format!("{} {}–{}{table}", slot.day, slot.start, slot.end)
                })
                .unwrap_or_default()
            };
            let _ = match c.kind {
                ChangeKind::Cancelled => {
                    writeln!(s, "- **{}**: {other}, {}", l.n_cancelled, when(c.before))
                }
                ChangeKind::Moved => writeln!(
                    s,
                    "- **{}**: {other}, {}",
                    l.n_moved,
                    fill(l.n_from_to, &[&when(c.before), &when(c.after)])
                ),
                ChangeKind::Added => writeln!(s, "- **{}**: {other}, {}", l.n_added, when(c.after)),
            };
        }
        let _ = write!(s, "\n{}\n\n", l.n_follows);
        s.push_str(&super::agenda_markdown(ctx, p));
        files.push(OutFile {
            path: format!("notices/{id}.md"),
            bytes: s.into_bytes(),
        });
    }
    Ok(files)
}
