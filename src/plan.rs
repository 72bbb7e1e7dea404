//! The result: meetings with their slot and table, every requested pair left out with the
//! reason in words, and the figures the report and the summary print.

use crate::event::{Event, Organiser, PairId, PartId, Side, SlotId, TableId};
use crate::id::{ids, Id};
use crate::solve::instance::{Instance, UNLIMITED};
use crate::solve::local::{State, NONE};
use crate::solve::{Solved, Stats};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub pair: PairId,
    pub slot: SlotId,
    pub table: Option<TableId>,
    /// Revision of the announced meeting: 0 when first planned, raised by each re-plan that
    /// moves it (iCalendar SEQUENCE, so calendars update instead of duplicating).
    pub sequence: u32,
}

/// An announced meeting a re-plan cancelled: calendars get it as STATUS:CANCELLED.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawn {
    pub a: PartId,
    pub b: PartId,
    pub slot: SlotId,
    pub table: Option<TableId>,
    pub sequence: u32,
}

#[derive(Debug, Clone)]
pub struct Unscheduled {
    pub pair: PairId,
    pub reason: Reason,
}

/// Why a requested pair does not meet, in a form every language can word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    Forbidden,
    /// The participant is unavailable in every slot.
    Unavailable(PartId),
    NoCommonSlot,
    NoSlotInWhen,
    /// The pair's fixed table is not usable (venue) in their common free slots.
    TableVenue(TableId),
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
}

impl Reason {
    /// The reason in words, in the language of `l`.
    pub fn words(&self, ev: &Event, l: &crate::export::lang::Labels) -> String {
        use crate::export::lang::fill;
        let id = |p: &PartId| ev.part(*p).id.as_str();
        let max = |m: &Option<u32>| {
            m.map(|m| fill(l.r_max_reached, &[&m.to_string()]))
                .unwrap_or_default()
        };
        match self {
            Reason::Forbidden => l.r_forbidden.to_string(),
            Reason::Unavailable(p) => fill(l.r_unavailable, &[id(p)]),
            Reason::NoCommonSlot => l.r_no_common_slot.to_string(),
            Reason::NoSlotInWhen => l.r_no_slot_in_when.to_string(),
            Reason::TableVenue(t) => fill(l.r_table_venue, &[&ev.table(*t).id]),
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
        }
    }

    /// In English: unscheduled.csv, report.md, error messages.
    pub fn english(&self, ev: &Event) -> String {
        self.words(ev, crate::export::lang::Lang::En.labels())
    }

    /// A stable code for unscheduled.csv, from which `export` rewords the reason in any
    /// language: `fully_booked:F012:12`, `booked_apart:B01:F02`, ...
    pub fn code(&self, ev: &Event) -> String {
        let id = |p: &PartId| ev.part(*p).id.clone();
        let max = |m: &Option<u32>| m.map(|m| format!(":{m}")).unwrap_or_default();
        match self {
            Reason::Forbidden => "forbidden".into(),
            Reason::Unavailable(p) => format!("unavailable:{}", id(p)),
            Reason::NoCommonSlot => "no_common_slot".into(),
            Reason::NoSlotInWhen => "no_slot_in_when".into(),
            Reason::TableVenue(t) => format!("table_venue:{}", ev.table(*t).id),
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
        }
    }

    /// The reason a code stands for (`None` for an unknown code or id).
    pub fn parse(
        code: &str,
        parts: &std::collections::HashMap<&str, PartId>,
        tables: &std::collections::HashMap<&str, TableId>,
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
            ("unavailable", 1) => Reason::Unavailable(part(0)?),
            ("no_common_slot", 0) => Reason::NoCommonSlot,
            ("no_slot_in_when", 0) => Reason::NoSlotInWhen,
            ("table_venue", 1) => Reason::TableVenue(*tables.get(rest[0])?),
            ("fully_booked", 1 | 2) => Reason::FullyBooked(part(0)?, max()?),
            ("lower_value", 1 | 2) => Reason::LowerValue(part(0)?, max()?),
            ("time_limit", 0) => Reason::TimeLimit,
            ("no_free_table", 0) => Reason::NoFreeTable,
            ("booked_apart", 2) => Reason::BookedApart(part(0)?, part(1)?, false),
            ("booked_apart_tables", 2) => Reason::BookedApart(part(0)?, part(1)?, true),
            _ => return None,
        })
    }
}

pub struct Plan {
    /// Sorted by slot (day, start), table, then participant a.
    pub meetings: Vec<Meeting>,
    pub unscheduled: Vec<Unscheduled>,
    /// Announced meetings this re-plan cancelled (empty for a first plan).
    pub withdrawn: Vec<Withdrawn>,
    pub stats: Stats,
}

/// What a re-plan fixes beyond the solver's choice: meetings kept at their table, and meetings
/// outside the solver (those that already happened).
#[derive(Default)]
pub struct Fixed {
    pub tables: std::collections::HashMap<PairId, TableId>,
    pub meetings: Vec<Meeting>,
}

impl Plan {
    pub fn new(event: &Event, inst: &Instance, solved: Solved) -> Plan {
        Plan::with_fixed(event, inst, solved, &Fixed::default())
    }

    pub fn with_fixed(event: &Event, inst: &Instance, solved: Solved, fixed: &Fixed) -> Plan {
        let state =
            State::from_assignment(inst, &solved.slot_of).expect("the solver returns valid plans");
        let mut by_slot: Vec<Vec<PairId>> = vec![Vec::new(); event.slots.len()];
        for (p, &s) in solved.slot_of.iter().enumerate() {
            if s != NONE {
                by_slot[s as usize].push(inst.pairs[p].id);
            }
        }
        let mut pinned = fixed.tables.clone();
        for m in &fixed.meetings {
            by_slot[m.slot.index()].push(m.pair);
            if let Some(t) = m.table {
                pinned.insert(m.pair, t);
            }
        }
        let meetings = assign_tables(event, by_slot, &pinned);
        let mut unscheduled = reasons(event, inst, &state);
        unscheduled.retain(|u| !fixed.meetings.iter().any(|m| m.pair == u.pair));
        Plan {
            meetings,
            unscheduled,
            withdrawn: Vec::new(),
            stats: solved.stats,
        }
    }
}

/// Tables: a pair with a fixed table meets there; the others take floating tables, preferring
/// the one either participant sat at in the previous slot of the session (fewer walks), then
/// the first free one. Deterministic: pairs are taken in id order.
fn assign_tables(
    event: &Event,
    by_slot: Vec<Vec<PairId>>,
    pinned: &std::collections::HashMap<PairId, TableId>,
) -> Vec<Meeting> {
    let mut out = Vec::new();
    let mut last_table: Vec<Option<(usize, TableId)>> = vec![None; event.participants.len()];
    for (s, mut pairs) in by_slot.into_iter().enumerate() {
        let slot: SlotId = Id::new(s);
        pairs.sort();
        let mut free: Vec<TableId> = event.floating_tables(slot).unwrap_or_default();
        // Meetings kept from an announced plan keep their table; the others take what is left.
        free.retain(|t| !pairs.iter().any(|p| pinned.get(p) == Some(t)));
        pairs.sort_by_key(|p| !pinned.contains_key(p));
        let mut meetings: Vec<Meeting> = Vec::with_capacity(pairs.len());
        for &p in &pairs {
            let pair = event.pair(p);
            let table = if let Some(&t) = pinned.get(&p) {
                Some(t)
            } else if pair.host_table.is_some() || !event.tables_limited {
                pair.host_table
            } else {
                let prev = [pair.a, pair.b].into_iter().find_map(|i| {
                    last_table[i.index()]
                        .filter(|&(ps, t)| {
                            ps + 1 == s
                                && event.slots[ps].session == event.slots[s].session
                                && free.contains(&t)
                        })
                        .map(|(_, t)| t)
                });
                let t = prev.or_else(|| free.first().copied());
                if let Some(t) = t {
                    free.retain(|&f| f != t);
                }
                t
            };
            if let Some(t) = table {
                last_table[pair.a.index()] = Some((s, t));
                last_table[pair.b.index()] = Some((s, t));
            }
            meetings.push(Meeting {
                pair: p,
                slot,
                table,
                sequence: 0,
            });
        }
        meetings.sort_by(|x, y| {
            let key = |m: &Meeting| {
                (
                    m.table.map(|t| event.table(t).id.clone()),
                    event.part(event.pair(m.pair).a).id.clone(),
                )
            };
            key(x).cmp(&key(y))
        });
        out.extend(meetings);
    }
    out
}

/// Why a pair has no possible slot at all (before any scheduling).
pub fn why_no_slot(event: &Event, p: PairId) -> Reason {
    let pair = event.pair(p);
    let (a, b) = (event.part(pair.a), event.part(pair.b));
    let both: Vec<usize> = (0..event.slots.len())
        .filter(|&s| a.available[s] && b.available[s])
        .collect();
    if a.free_slots() == 0 {
        return Reason::Unavailable(pair.a);
    }
    if b.free_slots() == 0 {
        return Reason::Unavailable(pair.b);
    }
    if both.is_empty() {
        return Reason::NoCommonSlot;
    }
    if both.iter().all(|&s| !pair.when[s]) {
        return Reason::NoSlotInWhen;
    }
    match pair.host_table {
        Some(t) => Reason::TableVenue(t),
        None => Reason::NoCommonSlot,
    }
}

/// The reason for every requested pair left out of the plan.
fn reasons(event: &Event, inst: &Instance, st: &State) -> Vec<Unscheduled> {
    let mut by_pair: Vec<Option<usize>> = vec![None; event.pairs.len()];
    for (k, cp) in inst.pairs.iter().enumerate() {
        by_pair[cp.id.index()] = Some(k);
    }
    // Lowest value among each participant's scheduled meetings.
    let mut min_value = vec![u32::MAX; event.participants.len()];
    for p in st.scheduled() {
        let cp = &inst.pairs[p];
        for i in [cp.a, cp.b] {
            min_value[i] = min_value[i].min(cp.value);
        }
    }
    let mut out = Vec::new();
    for p in ids::<crate::event::Pair>(event.pairs.len()) {
        let pair = event.pair(p);
        let reason = if pair.organiser == Organiser::Forbidden {
            Reason::Forbidden
        } else {
            match by_pair[p.index()] {
                None => why_no_slot(event, p),
                Some(k) if st.slot_of[k] != NONE => continue,
                Some(k) => booked_reason(event, inst, st, k, &min_value),
            }
        };
        out.push(Unscheduled { pair: p, reason });
    }
    out
}

fn booked_reason(
    event: &Event,
    inst: &Instance,
    st: &State,
    k: usize,
    min_value: &[u32],
) -> Reason {
    let cp = &inst.pairs[k];
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
    let _ = event;
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

/// Figures per participant, for the report and the summary.
pub struct PartFigures {
    pub meetings: usize,
    pub breaks: usize,
}

pub fn figures(event: &Event, plan: &Plan) -> Vec<PartFigures> {
    let n = event.slots.len();
    let mut busy = vec![false; event.participants.len() * n];
    let mut meetings = vec![0; event.participants.len()];
    for m in &plan.meetings {
        let pair = event.pair(m.pair);
        for i in [pair.a, pair.b] {
            busy[i.index() * n + m.slot.index()] = true;
            meetings[i.index()] += 1;
        }
    }
    (0..event.participants.len())
        .map(|i| PartFigures {
            meetings: meetings[i],
            breaks: event
                .sessions
                .iter()
                .map(|q| breaks_in(&busy[i * n + q.slots.start..i * n + q.slots.end]))
                .sum(),
        })
        .collect()
}

/// Maximal runs of idle slots between two busy slots.
pub fn breaks_in(busy: &[bool]) -> usize {
    let runs = busy
        .iter()
        .enumerate()
        .filter(|&(k, &b)| b && (k == 0 || !busy[k - 1]))
        .count();
    runs.saturating_sub(1)
}

/// (min, median, max) of meetings per participant on one side.
pub fn spread_of(event: &Event, figs: &[PartFigures], side: Side) -> Option<(usize, usize, usize)> {
    let mut v: Vec<usize> = event
        .participants
        .iter()
        .zip(figs)
        .filter(|(p, _)| p.side == side)
        .map(|(_, f)| f.meetings)
        .collect();
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    Some((v[0], v[v.len() / 2], v[v.len() - 1]))
}

#[cfg(test)]
mod tests {
    use super::breaks_in;

    #[test]
    fn reason_codes_read_back_as_the_same_reason() {
        use super::{PartId, Reason, TableId};
        use crate::id::Id;
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
            Reason::Unavailable(b),
            Reason::NoCommonSlot,
            Reason::NoSlotInWhen,
            Reason::TableVenue(t),
            Reason::FullyBooked(f, None),
            Reason::FullyBooked(f, Some(12)),
            Reason::LowerValue(b, Some(3)),
            Reason::TimeLimit,
            Reason::NoFreeTable,
            Reason::BookedApart(b, f, false),
            Reason::BookedApart(b, f, true),
        ] {
            let code = r.code(&ev);
            assert_eq!(
                Reason::parse(&code, &parts, &tables),
                Some(r.clone()),
                "{code}"
            );
        }
        assert_eq!(
            Reason::FullyBooked(f, Some(12)).english(&ev),
            "F02 fully booked (max_meetings 12 reached)"
        );
        assert_eq!(Reason::parse("fully_booked:NOBODY", &parts, &tables), None);
    }

    #[test]
    fn breaks_count_gaps_between_meetings_only() {
        assert_eq!(breaks_in(&[false, true, true, false, false]), 0);
        assert_eq!(breaks_in(&[true, false, true, false, true]), 2);
        assert_eq!(breaks_in(&[true, false, false, true]), 1);
        assert_eq!(breaks_in(&[]), 0);
    }
}
