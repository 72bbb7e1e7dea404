//! Why a requested pair does not meet: before the search (no possible slot at all) and after it
//! (what its slots are taken by). Reasons are data; their words live in `crate::lang`, their
//! codes (for unscheduled.csv, read back by `export`) here.

use super::instance::{Instance, UNLIMITED};
use super::local::State;
use crate::event::{Event, PairId, PartId, TableId};
use crate::id::Id;
use crate::lang::{fill, Labels, Lang};
use std::collections::HashMap;

/// Why a requested pair does not meet, in a form every language can word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reason {
    Forbidden,
    /// The participant cancelled (cancellations.csv, whole event).
    Cancelled(PartId),
    /// The organiser cancelled this pair's meeting (cancellations.csv).
    PairCancelled,
    /// The participant is unavailable in every slot.
    Unavailable(PartId),
    NoCommonSlot,
    NoSlotInWhen,
    /// The pair's fixed table is not usable (venue) in their common free slots.
    TableVenue(TableId),
    /// Every common free slot has passed (`replan --frozen-until`).
    Passed,
    /// Fully booked; with its `max_meetings` when that is what filled it.
    FullyBooked(PartId, Option<u32>),
    /// Its other meetings are worth more; with `max_meetings` when that is the limit.
    LowerValue(PartId, Option<u32>),
    TimeLimit,
    NoFreeTable,
    /// Both are booked at different times (and, when true, no table is free otherwise).
    BookedApart(PartId, PartId, bool),
    /// Read back from an unscheduled.csv without a code: shown as written.
    Text(String),
    /// A visit request: no visit of the firm fits the visitor's programme.
    NoVisit,
    /// A visit request: the firm's visits it could join are full (or clash with its agenda).
    VisitFull,
    /// No shared language, and no interpreter of their languages is free in a slot both are.
    NoInterpreter(PartId, PartId),
}

impl Reason {
    /// The reason in words, in the language of `l`.
    pub(crate) fn words(&self, ev: &Event, l: &Labels) -> String {
        let id = |p: &PartId| ev.part(*p).id.as_str();
        let max = |m: &Option<u32>| {
            m.map(|m| fill(l.r_max_reached, &[&m.to_string()]))
                .unwrap_or_default()
        };
        match self {
            Reason::Forbidden => l.r_forbidden.to_string(),
            Reason::Cancelled(p) => fill(l.r_cancelled, &[id(p)]),
            Reason::PairCancelled => l.r_pair_cancelled.to_string(),
            Reason::Unavailable(p) => fill(l.r_unavailable, &[id(p)]),
            Reason::NoCommonSlot => l.r_no_common_slot.to_string(),
            Reason::NoSlotInWhen => l.r_no_slot_in_when.to_string(),
            Reason::TableVenue(t) => fill(l.r_table_venue, &[&ev.table(*t).id]),
            Reason::Passed => l.r_passed.to_string(),
            Reason::FullyBooked(p, m) => fill(l.r_fully_booked, &[id(p)]) + &max(m),
            Reason::LowerValue(p, m) => fill(l.r_lower_value, &[id(p)]) + &max(m),
            Reason::TimeLimit => l.r_time_limit.to_string(),
            Reason::NoFreeTable => l.r_no_free_table.to_string(),
            Reason::BookedApart(a, b, tables) => fill(
                if *tables {
                    l.r_booked_apart_tables
                } else {
                    l.r_booked_apart
                },
                &[id(a), id(b)],
            ),
            Reason::Text(t) => t.clone(),
            Reason::NoVisit => l.r_no_visit.to_string(),
            Reason::VisitFull => l.r_visit_full.to_string(),
            Reason::NoInterpreter(a, b) => {
                let first = |p: &PartId| ev.part(*p).languages.first().cloned().unwrap_or_default();
                fill(l.r_no_interpreter, &[&format!("{}–{}", first(a), first(b))])
            }
        }
    }

    /// In English: unscheduled.csv, report.md, error messages.
    pub(crate) fn english(&self, ev: &Event) -> String {
        self.words(ev, Lang::En.labels())
    }

    /// A stable code for unscheduled.csv, from which `export` rewords the reason in any
    /// language: `fully_booked:F012:12`, `booked_apart:B01:F02`, ...
    pub(crate) fn code(&self, ev: &Event) -> String {
        let id = |p: &PartId| ev.part(*p).id.clone();
        let max = |m: &Option<u32>| m.map(|m| format!(":{m}")).unwrap_or_default();
        match self {
            Reason::Forbidden => "forbidden".into(),
            Reason::Cancelled(p) => format!("cancelled:{}", id(p)),
            Reason::PairCancelled => "pair_cancelled".into(),
            Reason::Unavailable(p) => format!("unavailable:{}", id(p)),
            Reason::NoCommonSlot => "no_common_slot".into(),
            Reason::NoSlotInWhen => "no_slot_in_when".into(),
            Reason::TableVenue(t) => format!("table_venue:{}", ev.table(*t).id),
            Reason::Passed => "passed".into(),
            Reason::FullyBooked(p, m) => format!("fully_booked:{}{}", id(p), max(m)),
            Reason::LowerValue(p, m) => format!("lower_value:{}{}", id(p), max(m)),
            Reason::TimeLimit => "time_limit".into(),
            Reason::NoFreeTable => "no_free_table".into(),
            Reason::BookedApart(a, b, t) => format!(
                "booked_apart{}:{}:{}",
                if *t { "_tables" } else { "" },
                id(a),
                id(b)
            ),
            Reason::Text(_) => String::new(),
            Reason::NoVisit => "no_visit".into(),
            Reason::VisitFull => "visit_full".into(),
            Reason::NoInterpreter(a, b) => format!("no_interpreter:{}:{}", id(a), id(b)),
        }
    }

    /// The reason a code stands for (`None` for an unknown code or id).
    pub(crate) fn parse(
        code: &str,
        parts: &HashMap<&str, PartId>,
        tables: &HashMap<&str, TableId>,
    ) -> Option<Reason> {
        let mut it = code.split(':');
        let kind = it.next()?;
        let rest: Vec<&str> = it.collect();
        let part = |k: usize| rest.get(k).and_then(|x| parts.get(x)).copied();
        let max = || match rest.get(1) {
            None => Some(None),
            Some(m) => m.parse().ok().map(Some),
        };
        Some(match (kind, rest.len()) {
            ("forbidden", 0) => Reason::Forbidden,
            ("cancelled", 1) => Reason::Cancelled(part(0)?),
            ("pair_cancelled", 0) => Reason::PairCancelled,
            ("unavailable", 1) => Reason::Unavailable(part(0)?),
            ("no_common_slot", 0) => Reason::NoCommonSlot,
            ("no_slot_in_when", 0) => Reason::NoSlotInWhen,
            ("table_venue", 1) => Reason::TableVenue(*tables.get(rest[0])?),
            ("passed", 0) => Reason::Passed,
            ("fully_booked", 1 | 2) => Reason::FullyBooked(part(0)?, max()?),
            ("lower_value", 1 | 2) => Reason::LowerValue(part(0)?, max()?),
            ("time_limit", 0) => Reason::TimeLimit,
            ("no_free_table", 0) => Reason::NoFreeTable,
            ("booked_apart", 2) => Reason::BookedApart(part(0)?, part(1)?, false),
            ("booked_apart_tables", 2) => Reason::BookedApart(part(0)?, part(1)?, true),
            ("no_visit", 0) => Reason::NoVisit,
            ("visit_full", 0) => Reason::VisitFull,
            ("no_interpreter", 2) => Reason::NoInterpreter(part(0)?, part(1)?),
            _ => return None,
        })
    }
}

/// Why a pair has no possible slot at all (before any scheduling): the first rule, in the
/// order an organiser would check them, that leaves it none. `closed`: slots that have passed
/// (empty when none has).
pub(crate) fn why_no_slot(event: &Event, p: PairId, closed: &[bool]) -> Reason {
    let pair = event.pair(p);
    let (a, b) = (event.part(pair.a), event.part(pair.b));
    for (part, id) in [(a, pair.a), (b, pair.b)] {
        if part.cancelled {
            return Reason::Cancelled(id);
        }
    }
    if pair.cancelled {
        return Reason::PairCancelled;
    }
    if pair.visit_host.is_some() {
        return Reason::NoVisit;
    }
    if a.free_slots() == 0 {
        return Reason::Unavailable(pair.a);
    }
    if b.free_slots() == 0 {
        return Reason::Unavailable(pair.b);
    }
    let both: Vec<usize> = (0..event.slots.len())
        .filter(|&s| a.available[s] && b.available[s])
        .collect();
    if both.is_empty() {
        return Reason::NoCommonSlot;
    }
    let in_when: Vec<usize> = both.into_iter().filter(|&s| pair.when[s]).collect();
    if in_when.is_empty() {
        return Reason::NoSlotInWhen;
    }
    let usable: Vec<usize> = match pair.host_table {
        Some(t) => in_when
            .into_iter()
            .filter(|&s| event.table_usable(t, Id::new(s)))
            .collect(),
        None => in_when,
    };
    match pair.host_table {
        Some(t) if usable.is_empty() => return Reason::TableVenue(t),
        _ => {}
    }
    if usable
        .iter()
        .all(|&s| closed.get(s).copied().unwrap_or(false))
    {
        return Reason::Passed;
    }
    Reason::NoCommonSlot
}

/// The reason for every requested pair the plan leaves out: `impossible` pairs keep the
/// reason found when the instance was built, the others are explained by what fills their
/// slots in the final state.
pub(crate) fn unscheduled(event: &Event, inst: &Instance, st: &State) -> Vec<(PairId, Reason)> {
    let mut by_pair: Vec<Option<usize>> = vec![None; event.pairs.len()];
    for (k, cp) in inst.pairs.iter().enumerate() {
        by_pair[cp.id.index()] = Some(k);
    }
    let impossible: HashMap<PairId, &Reason> =
        inst.impossible.iter().map(|(p, r)| (*p, r)).collect();
    // Lowest value among each participant's scheduled meetings.
    let mut min_value = vec![u32::MAX; event.participants.len()];
    for p in st.scheduled() {
        let cp = &inst.pairs[p];
        for i in [cp.a, cp.b] {
            min_value[i] = min_value[i].min(cp.value);
        }
    }
    let mut out = Vec::new();
    for p in crate::id::ids::<crate::event::Pair>(event.pairs.len()) {
        let reason = match by_pair[p.index()] {
            Some(k) if st.slot_of[k] != super::local::NONE => continue,
            Some(k) => booked_reason(inst, st, k, &min_value),
            None => match impossible.get(&p) {
                Some(r) => (*r).clone(),
                None => Reason::Forbidden,
            },
        };
        out.push((p, reason));
    }
    out
}

fn booked_reason(inst: &Instance, st: &State, k: usize, min_value: &[u32]) -> Reason {
    let cp = &inst.pairs[k];
    if cp.visit.is_some() {
        return Reason::VisitFull;
    }
    let id = |i: usize| -> PartId { Id::new(i) };
    let full = |i: usize, max: Option<u32>| -> Reason {
        if cp.value < min_value[i] && min_value[i] != u32::MAX {
            Reason::LowerValue(id(i), max)
        } else {
            Reason::FullyBooked(id(i), max)
        }
    };
    for i in [cp.a, cp.b] {
        if inst.max_meet[i] != UNLIMITED && st.count(i) >= inst.max_meet[i] {
            return full(i, Some(inst.max_meet[i]));
        }
    }
    let (mut by_a, mut by_b, mut by_table, mut open) = (0, 0, 0, 0);
    for &s in &cp.slots {
        let a_full = st.busy(cp.a, s as usize) >= inst.cap[cp.a];
        let b_full = st.busy(cp.b, s as usize) >= inst.cap[cp.b];
        let t_full = cp.floating
            && inst.float_cap[s as usize] != UNLIMITED
            && st.float_used(s as usize) >= inst.float_cap[s as usize];
        match (a_full, b_full, t_full) {
            (true, _, _) => by_a += 1,
            (_, true, _) => by_b += 1,
            (_, _, true) => by_table += 1,
            _ => open += 1,
        }
    }
    let n = cp.slots.len();
    if open > 0 {
        Reason::TimeLimit
    } else if by_a == n {
        full(cp.a, None)
    } else if by_b == n {
        full(cp.b, None)
    } else if by_table == n {
        Reason::NoFreeTable
    } else {
        Reason::BookedApart(id(cp.a), id(cp.b), by_table > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_codes_read_back_as_the_same_reason() {
        let ev = crate::event::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/event"
        )))
        .unwrap();
        let (b, f): (PartId, PartId) = (Id::new(0), Id::new(5));
        let t: TableId = Id::new(1);
        let parts = crate::id::index_by(&ev.participants, |p| &p.id);
        let tables = crate::id::index_by(&ev.tables, |t| &t.id);
        for r in [
            Reason::Forbidden,
            Reason::Cancelled(b),
            Reason::PairCancelled,
            Reason::Unavailable(b),
            Reason::NoCommonSlot,
            Reason::NoSlotInWhen,
            Reason::TableVenue(t),
            Reason::Passed,
            Reason::FullyBooked(f, None),
            Reason::FullyBooked(f, Some(12)),
            Reason::LowerValue(b, Some(3)),
            Reason::TimeLimit,
            Reason::NoFreeTable,
            Reason::BookedApart(b, f, false),
            Reason::BookedApart(b, f, true),
            Reason::NoVisit,
            Reason::VisitFull,
        ] {
            let code = r.code(&ev);
            assert_eq!(
                Reason::parse(&code, &parts, &tables),
                Some(r.clone()),
                "{code}"
            );
            for lang in [Lang::En, Lang::It] {
                assert!(!r.words(&ev, lang.labels()).is_empty());
            }
        }
        assert_eq!(
            Reason::FullyBooked(f, Some(12)).english(&ev),
            "F02 fully booked (max_meetings 12 reached)"
        );
        assert_eq!(Reason::parse("fully_booked:NOBODY", &parts, &tables), None);
    }
}
