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
    pub reason: String,
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

    /// Meetings of participant `p`, in time order.
    pub fn agenda(&self, event: &Event, p: PartId) -> Vec<&Meeting> {
        self.meetings
            .iter()
            .filter(|m| event.pair(m.pair).involves(p))
            .collect()
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
pub fn why_no_slot(event: &Event, p: PairId) -> String {
    let pair = event.pair(p);
    let (a, b) = (event.part(pair.a), event.part(pair.b));
    let both: Vec<usize> = (0..event.slots.len())
        .filter(|&s| a.available[s] && b.available[s])
        .collect();
    if a.free_slots() == 0 {
        return format!("{} is unavailable in every slot", a.id);
    }
    if b.free_slots() == 0 {
        return format!("{} is unavailable in every slot", b.id);
    }
    if both.is_empty() {
        return "no common free slot".to_string();
    }
    if both.iter().all(|&s| !pair.when[s]) {
        return "no common free slot inside its 'when'".to_string();
    }
    match pair.host_table {
        Some(t) => format!(
            "table {} is not usable in the common free slots (venue)",
            event.table(t).id
        ),
        None => "no common free slot".to_string(),
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
            "forbidden by the organiser".to_string()
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
) -> String {
    let cp = &inst.pairs[k];
    let full = |i: usize| -> String {
        let id = &event.participants[i].id;
        if cp.value < min_value[i] && min_value[i] != u32::MAX {
            format!("lower value than {id}'s other meetings")
        } else {
            format!("{id} fully booked")
        }
    };
    for i in [cp.a, cp.b] {
        if inst.max_meet[i] != UNLIMITED && st.count(i) >= inst.max_meet[i] {
            let m = inst.max_meet[i];
            return format!("{} (max_meetings {m} reached)", full(i));
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
        "left out when the search stopped (time limit): a slot is still free".to_string()
    } else if by_a == n {
        full(cp.a)
    } else if by_b == n {
        full(cp.b)
    } else if by_table == n {
        "no free table in the common free slots".to_string()
    } else if by_table > 0 {
        format!(
            "no common free slot left ({} and {} are booked at different times, no table free otherwise)",
            event.participants[cp.a].id, event.participants[cp.b].id
        )
    } else {
        format!(
            "no common free slot left ({} and {} are booked at different times)",
            event.participants[cp.a].id, event.participants[cp.b].id
        )
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
    fn breaks_count_gaps_between_meetings_only() {
        assert_eq!(breaks_in(&[false, true, true, false, false]), 0);
        assert_eq!(breaks_in(&[true, false, true, false, true]), 2);
        assert_eq!(breaks_in(&[true, false, false, true]), 1);
        assert_eq!(breaks_in(&[]), 0);
    }
}
