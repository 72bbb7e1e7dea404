//! `check`: the hard rules of a plan, verified on a schedule that may have been edited by hand.
//! Independent of the solver: it looks only at the event and the rows.

use crate::diag::Diagnostic;
use crate::event::{Event, Organiser};
use crate::schedule::Schedule;

mod travel;

/// Every rule a schedule breaks, each with its line; and warnings that break no rule.
pub(crate) fn violations(event: &Event, sched: &Schedule) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut errors = sched.clashes.clone();
    let mut warnings = Vec::new();
    let mut count = vec![0u32; event.participants.len()];
    let mut met = vec![false; event.pairs.len()];
    let mut interp = Interp {
        count: vec![0; event.interpreters.len()],
        busy: std::collections::HashMap::new(),
    };
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
        interpreter_rules(event, e, &mut interp, &mut |m| errors.push(at(m)));
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
    for (k, t) in event.interpreters.iter().enumerate() {
        if let Some(m) = t.max_meetings {
            if interp.count[k] > m {
                errors.push(sched.whole(format!(
                    "interpreter {} has {} meetings, more than their max_meetings {m}",
                    t.id, interp.count[k]
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

/// Interpreters seen so far: meetings per interpreter, and who is busy in which slot (with
/// the line of that meeting).
struct Interp {
    count: Vec<u32>,
    busy: std::collections::HashMap<(usize, usize), u64>,
}

/// The interpreter rules of one row: a meeting without a shared language has an interpreter
/// (when the event lists interpreters) who speaks a language of each side, is free in the
/// slot and in no other meeting of the slot.
fn interpreter_rules(
    event: &Event,
    e: &crate::schedule::Entry,
    seen: &mut Interp,
    err: &mut dyn FnMut(String),
) {
    let (a, b) = (event.part(e.a), event.part(e.b));
    let slot = event.slot(e.slot);
    let needs = !crate::event::interpreters::understand(a, b);
    match e.interpreter {
        None if needs && event.interpreters_listed => err(format!(
            "{}-{} share no language ({} / {}) and have no interpreter",
            a.id,
            b.id,
            a.languages.join(";"),
            b.languages.join(";")
        )),
        None => {}
        Some(k) => {
            let t = event.interpreter(k);
            if !t.serves(a, b) {
                err(format!(
                    "interpreter {} ({}) does not speak a language of both {} ({}) and {} ({})",
                    t.id,
                    t.languages.join(";"),
                    a.id,
                    a.languages.join(";"),
                    b.id,
                    b.languages.join(";")
                ));
            }
            if !t.available[e.slot.index()] {
                err(format!(
                    "interpreter {} is unavailable in slot {} ({} {})",
                    t.id, slot.id, slot.day, slot.start
                ));
            }
            if let Some(first) = seen.busy.insert((k.index(), e.slot.index()), e.line) {
                err(format!(
                    "interpreter {} is in two meetings in slot {} (also at line {first})",
                    t.id, slot.id
                ));
            }
            seen.count[k.index()] += 1;
        }
    }
}
