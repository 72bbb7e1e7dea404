//! Every figure printed about a plan (the summary, report.md, report.html, status.csv, the
//! workbook), computed in one place from the plan's meetings and the event. The solver only
//! supplies bounds; whether a plan is "optimal" is its figures meeting those bounds.

use super::Plan;
use crate::event::{Event, Organiser, PartId, Side};
use crate::event::{Participant, Slot};
use crate::id::{ids, Id};
use crate::solve::Bounds;

/// Figures per participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PartFigures {
    pub meetings: usize,
    pub breaks: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct Figures {
    /// Meetings in the plan.
    pub meetings: usize,
    /// Requested table meetings (pairs not forbidden, visit requests apart).
    pub requested: usize,
    /// Visit requests met, and asked for (not forbidden).
    pub visits: usize,
    pub visit_requests: usize,
    pub required: usize,
    pub required_met: usize,
    /// Sum of the values of the meetings.
    pub value: u64,
    pub breaks: u64,
    /// Most breaks minus fewest, over participants with a meeting.
    pub spread: u32,
    pub per_part: Vec<PartFigures>,
    /// Whether any participant has a promised minimum.
    pub has_minimums: bool,
    /// Participants below their promised minimum (cancelled ones owe nothing): who, how many
    /// meetings, the minimum.
    pub short: Vec<(PartId, usize, u32)>,
    /// Meetings whose two sides share no language (they need an interpreter).
    pub interp_needed: usize,
    /// ... per language pair ("de–it"), sorted by the pair.
    pub interp_pairs: Vec<(String, usize)>,
    /// ... per slot (indexed by `SlotId`); the peak is the number of interpreters to book.
    pub interp_per_slot: Vec<usize>,
    /// Participants per role (`role` column), sorted by role; empty when nobody has one.
    pub roles: Vec<(String, usize)>,
}

impl Figures {
    pub(crate) fn of(event: &Event, plan: &Plan) -> Figures {
        let n = event.slots.len();
        let np = event.participants.len();
        let mut busy = vec![false; np * n];
        let mut meetings = vec![0; np];
        let mut value = 0u64;
        let mut required_met = 0;
        for m in &plan.meetings {
            let pair = event.pair(m.pair);
            value += u64::from(pair.value());
            if pair.organiser == Organiser::Required {
                required_met += 1;
            }
            for i in [pair.a, pair.b] {
                busy[i.index() * n + m.slot.index()] = true;
                meetings[i.index()] += 1;
            }
        }
        // A visit counts its pair's value (and a required one as met), not as a meeting.
        for b in &plan.visits {
            let pair = event.pair(b.pair);
            value += u64::from(pair.value());
            if pair.organiser == Organiser::Required {
                required_met += 1;
            }
        }
        // A slot one's engagements keep one from (a visit; too little time to travel) is time
        // spent, not idle.
        if !event.visits.is_empty() || event.travel.is_some() {
            let mut spans: Vec<Vec<crate::event::Span>> = vec![Vec::new(); np];
            for m in &plan.meetings {
                let pair = event.pair(m.pair);
                for i in [pair.a, pair.b] {
                    spans[i.index()].push(event.slot_span(m.slot));
                }
            }
            for b in &plan.visits {
                spans[b.visitor(event).index()].push(event.visit(b.visit).span());
            }
            for (i, mine) in spans.iter().enumerate() {
                mark_covered(event, mine, &mut busy[i * n..(i + 1) * n]);
            }
        }
        let per_part: Vec<PartFigures> = ids::<Participant>(np)
            .map(|p| {
                let i = p.index();
                let skip = event.blocked(p);
                let breaks = event
                    .sessions
                    .iter()
                    .map(|q| {
                        let row: Vec<bool> = q
                            .slots
                            .clone()
                            .filter(|&s| !skip.get(s).copied().unwrap_or(false))
                            .map(|s| busy[i * n + s])
                            .collect();
                        breaks_in(&row)
                    })
                    .sum();
                PartFigures {
                    meetings: meetings[i],
                    breaks,
                }
            })
            .collect();
        let active = || per_part.iter().filter(|f| f.meetings > 0).map(|f| f.breaks);
        let spread = match (active().min(), active().max()) {
            (Some(lo), Some(hi)) => (hi - lo) as u32,
            _ => 0,
        };
        let count = |o: Organiser| event.pairs.iter().filter(|p| p.organiser == o).count();
        let visit_requests = event
            .pairs
            .iter()
            .filter(|p| p.organiser != Organiser::Forbidden && p.visit_host.is_some())
            .count();
        let short = event
            .participants
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.cancelled)
            .filter_map(|(i, p)| {
                let min = p.min_meetings?;
                (meetings[i] < min as usize).then_some((Id::new(i), meetings[i], min))
            })
            .collect();
        let mut interp_per_slot = vec![0; n];
        let mut pairs: std::collections::BTreeMap<String, usize> = Default::default();
        let mut interp_needed = 0;
        for m in &plan.meetings {
            if event.needs_interpreter(m.pair) {
                interp_needed += 1;
                interp_per_slot[m.slot.index()] += 1;
                *pairs.entry(event.language_pair(m.pair)).or_default() += 1;
            }
        }
        let mut roles: std::collections::BTreeMap<String, usize> = Default::default();
        for p in &event.participants {
            if !p.role.is_empty() {
                *roles.entry(p.role.to_lowercase()).or_default() += 1;
            }
        }
        Figures {
            interp_needed,
            interp_pairs: pairs.into_iter().collect(),
            interp_per_slot,
            roles: roles.into_iter().collect(),
            meetings: plan.meetings.len(),
            requested: event.pairs.len() - count(Organiser::Forbidden) - visit_requests,
            visits: plan.visits.len(),
            visit_requests,
            required: count(Organiser::Required),
            required_met,
            value,
            breaks: per_part.iter().map(|f| f.breaks as u64).sum(),
            spread,
            has_minimums: event
                .participants
                .iter()
                .any(|p| p.min_meetings.is_some() && !p.cancelled),
            short,
            per_part,
        }
    }

    /// No plan is worth more: the value reaches the proven bound.
    pub(crate) fn value_proven(&self, b: &Bounds) -> bool {
        self.value >= b.value_bound
    }

    /// No plan of this value has fewer breaks.
    pub(crate) fn breaks_proven(&self, b: &Bounds) -> bool {
        self.breaks <= b.breaks_bound
    }

    /// Optimal: both objectives at their proven bounds.
    pub(crate) fn proven(&self, b: &Bounds) -> bool {
        self.value_proven(b) && self.breaks_proven(b)
    }

    /// Most meetings needing an interpreter in one slot: the interpreters to book.
    pub(crate) fn interp_peak(&self) -> usize {
        self.interp_per_slot.iter().copied().max().unwrap_or(0)
    }

    /// (min, median, max) of meetings per participant on one side.
    pub(crate) fn spread_of(&self, event: &Event, side: Side) -> Option<(usize, usize, usize)> {
        let mut v: Vec<usize> = event
            .participants
            .iter()
            .zip(&self.per_part)
            .filter(|(p, _)| p.side == side)
            .map(|(_, f)| f.meetings)
            .collect();
        if v.is_empty() {
            return None;
        }
        v.sort_unstable();
        Some((v[0], v[v.len() / 2], v[v.len() - 1]))
    }
}

/// Marks in `busy` (one participant's slots) those its engagements `spans` (meetings, visits)
/// keep it from: they overlap, or leave too little time to travel. Time spent, not idle.
pub(crate) fn mark_covered(event: &Event, spans: &[crate::event::Span], busy: &mut [bool]) {
    for s in ids::<Slot>(busy.len()) {
        let slot = event.slot_span(s);
        if !busy[s.index()] && spans.iter().any(|e| event.spans_conflict(e, &slot)) {
            busy[s.index()] = true;
        }
    }
}

/// Maximal runs of idle slots between two busy slots.
pub(super) fn breaks_in(busy: &[bool]) -> usize {
    let runs = busy
        .iter()
        .enumerate()
        .filter(|&(k, &b)| b && (k == 0 || !busy[k - 1]))
        .count();
    runs.saturating_sub(1)
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
