//! `check`: the hard rules of a plan, verified on a schedule that may have been edited by hand.
//! Independent of the solver: it looks only at the event and the rows.

use crate::diag::Diagnostic;
use crate::event::{Event, Organiser};
use crate::schedule::Schedule;

mod travel;

/// Every rule a schedule breaks, each with its line; and warnings that break no rule.
pub fn violations(event: &Event, sched: &Schedule) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut errors = sched.clashes.clone();
    let mut warnings = Vec::new();
    let mut count = vec![0u32; event.participants.len()];
    let mut met = vec![false; event.pairs.len()];
    for e in &sched.entries {
        let (a, b) = (event.part(e.a), event.part(e.b));
        let slot = event.slot(e.slot);
        let at = |msg: String| sched.at(e.line, msg);
        for p in [a, b] {
            if !p.available[e.slot.index()] {
                errors.push(at(format!(
                    "{} is unavailable in slot {} ({} {})",
                    p.id, slot.id, slot.day, slot.start
                )));
            }
        }
        count[e.a.index()] += 1;
        count[e.b.index()] += 1;
        match e.pair {
            None => warnings.push(at(format!(
                "{}-{} was not requested in preferences.csv",
                a.id, b.id
            ))),
            Some(p) => {
                met[p.index()] = true;
                let pair = event.pair(p);
                if pair.organiser == Organiser::Forbidden {
                    errors.push(at(format!(
                        "{}-{} is forbidden by the organiser",
                        a.id, b.id
                    )));
                }
                if !pair.when[e.slot.index()] {
                    errors.push(at(format!(
                        "{}-{} in slot {} is outside its 'when'",
                        a.id, b.id, slot.id
                    )));
                }
                if let (Some(host), Some(t)) = (pair.host_table, e.table) {
                    if host != t {
                        errors.push(at(format!(
                            "{}-{} is at table {} instead of {}",
                            a.id,
                            b.id,
                            event.table(t).id,
                            event.table(host).id
                        )));
                    }
                }
            }
        }
        if let Some(t) = e.table {
            let table = event.table(t);
            if let Some(owner) = table.owner {
                if owner != e.a && owner != e.b {
                    errors.push(at(format!(
                        "table {} is the fixed table of {}, who is not in this meeting",
                        table.id,
                        event.part(owner).id
                    )));
                }
            }
            if !event.table_usable(t, e.slot) {
                errors.push(at(format!(
                    "table {} is not at the venue of slot {}",
                    table.id, slot.id
                )));
            }
        }
    }
    travel::check(event, sched, &mut errors, &mut warnings, &mut met);
    for (i, p) in event.participants.iter().enumerate() {
        if let Some(m) = p.max_meetings {
            if count[i] > m {
                errors.push(sched.whole(format!(
                    "{} has {} meetings, more than its max_meetings {m}",
                    p.id, count[i]
                )));
            }
        }
    }
    for (k, pair) in event.pairs.iter().enumerate() {
        if pair.organiser == Organiser::Required && !met[k] {
            errors.push(sched.whole(format!(
                "required {} {}-{} is missing",
                if pair.visit_host.is_some() {
                    "visit"
                } else {
                    "meeting"
                },
                event.part(pair.a).id,
                event.part(pair.b).id
            )));
        }
    }
    // In the order of the file: clashes and rules of one row together, whole-plan rules last.
    errors.sort_by_key(|d| d.line.unwrap_or(u64::MAX));
    (errors, warnings)
}
