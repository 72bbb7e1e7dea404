//! `cancellations.csv`: participants or pairs the organiser cancelled, for the whole event, a
//! day or a slot. Applied to the event itself, so that every later stage (the solver, the
//! checker, the figures) sees a cancelled participant as unavailable there.

use super::files::EventFiles;
use super::sheet::{opt, Column};
use super::time::Date;
use super::{Event, Organiser, PartId};
use crate::diag::{suggest, Problems};
use crate::id::index_by;
use std::collections::HashMap;

const CANCEL_COLUMNS: &[Column] = &[
    opt("participant"),
    opt("from"),
    opt("to"),
    opt("day"),
    opt("slot"),
    opt("visit"),
];

/// Applies `cancellations.csv` (if present) to the event: a cancelled participant is
/// unavailable in the cancelled scope (the whole event, a day or a slot), a cancelled pair may
/// not meet there.
/// The event's cancellations (a `cancellations` list: CSV file or sheet), applied; returns
/// how many rows it applied. Problems go to `pr` with the event's others.
pub(crate) fn apply(files: &mut EventFiles, event: &mut Event, pr: &mut Problems) -> usize {
    if !files.has("cancellations") {
        return 0;
    }
    let Some(f) = files.read("cancellations", CANCEL_COLUMNS, pr) else {
        return 0;
    };
    let ids: HashMap<&str, PartId> = index_by(&event.participants, |p| &p.id);
    let mut n = 0;
    let mut part_scope: Vec<(PartId, Vec<bool>)> = Vec::new();
    let mut pair_scope: Vec<((PartId, PartId), Vec<bool>)> = Vec::new();
    for row in &f.rows {
        let lookup = |pr: &mut Problems, col: &str| -> Option<PartId> {
            let c = f.cell(row, col);
            match ids.get(c.value) {
                Some(&p) => Some(p),
                None => {
                    let mut d = f.diag(&c, format!("unknown participant '{}'", c.value));
                    if let Some(s) = suggest(c.value, ids.keys().copied()) {
                        d = d.hint(format!("did you mean '{s}'?"));
                    }
                    pr.error(d);
                    None
                }
            }
        };
        // A company visit the organiser (or its firm) called off: nobody goes.
        let vc = f.cell(row, "visit");
        if !vc.value.is_empty() {
            match event.visits.iter().position(|v| v.id == vc.value) {
                Some(k) => {
                    event.visits[k].cancelled = true;
                    n += 1;
                }
                None => {
                    let mut d = f.diag(&vc, format!("unknown visit '{}'", vc.value));
                    if let Some(s) = suggest(vc.value, event.visits.iter().map(|v| v.id.as_str())) {
                        d = d.hint(format!(
                            "did you mean '{s}'? visits are listed in visits.csv"
                        ));
                    } else {
                        d = d.hint("visits are listed in visits.csv");
                    }
                    pr.error(d);
                }
            }
            continue;
        }
        // Scope: a slot, a day, or the whole event.
        let (dc, sc) = (f.cell(row, "day"), f.cell(row, "slot"));
        let scope: Option<Vec<bool>> = if !sc.value.is_empty() {
            match event.slots.iter().position(|s| s.id == sc.value) {
                Some(k) => Some((0..event.slots.len()).map(|i| i == k).collect()),
                None => {
                    pr.error(
                        f.diag(&sc, format!("unknown slot '{}'", sc.value))
                            .hint("slots are listed in slots.csv"),
                    );
                    None
                }
            }
        } else if !dc.value.is_empty() {
            match Date::read(dc.value) {
                Ok(d) => Some(event.slots.iter().map(|s| s.day == d).collect()),
                Err(bad) => {
                    pr.error(f.diag(&dc, bad.message).hint(bad.hint));
                    None
                }
            }
        } else {
            Some(vec![true; event.slots.len()])
        };
        let who = f.cell(row, "participant");
        if !who.value.is_empty() {
            if let (Some(p), Some(scope)) = (lookup(pr, "participant"), scope) {
                part_scope.push((p, scope));
                n += 1;
            }
        } else if !f.cell(row, "from").value.is_empty() || !f.cell(row, "to").value.is_empty() {
            if let (Some(a), Some(b), Some(scope)) = (lookup(pr, "from"), lookup(pr, "to"), scope) {
                pair_scope.push(((a.min(b), a.max(b)), scope));
                n += 1;
            }
        } else {
            pr.error(
                f.at(row.line, "a cancellation names nobody")
                    .hint("fill either 'participant' or 'from' and 'to'"),
            );
        }
    }
    if pr.has_errors() {
        return n;
    }
    // A cancellation wins over "required": the organiser says this meeting will not happen
    // (a participant cancelled for the whole event, or the pair itself).
    for (p, scope) in part_scope {
        for (a, s) in event.participants[p.index()]
            .available
            .iter_mut()
            .zip(&scope)
        {
            *a &= !s;
        }
        if scope.iter().all(|&s| s) {
            event.participants[p.index()].cancelled = true;
            for pair in event
                .pairs
                .iter_mut()
                .filter(|q| q.involves(p) && q.organiser == Organiser::Required)
            {
                pair.organiser = Organiser::Free;
            }
        }
    }
    for (key, scope) in pair_scope {
        for pair in event
            .pairs
            .iter_mut()
            .filter(|q| (q.a.min(q.b), q.a.max(q.b)) == key)
        {
            for (w, s) in pair.when.iter_mut().zip(&scope) {
                *w &= !s;
            }
            if scope.iter().all(|&s| s) {
                pair.cancelled = true;
            }
            if pair.organiser == Organiser::Required {
                pair.organiser = Organiser::Free;
            }
        }
    }
    n
}
