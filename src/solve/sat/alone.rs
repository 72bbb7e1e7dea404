//! What one participant's own agenda says, before any search: whether its meetings fit its
//! slots at all, and the fewest breaks they can have. Both are matchings of its meetings to
//! its slots, exact and at once, where CDCL would need a pigeonhole argument (exponentially
//! long in resolution) to learn the same: that 15 meetings do not fit in the 14 slots of two
//! free spans is one matching here, and more than a million conflicts without a proof in
//! CaDiCaL (a 3 %-unavailable forum-13, issue #16).

use super::{NoTiming, TimingProblem};

/// Most free spans of one participant whose every subset is tried (2^12 matchings at most);
/// beyond, its bound is left to the search.
const MAX_SPANS: usize = 12;

/// The first participant whose meetings cannot all be placed in its own slots, if any: most
/// often a window with fewer free slots than meetings, which a SAT core would need a full
/// search to show (and its minimisation a search for every selector it drops).
pub(super) fn alone(p: &TimingProblem) -> Option<NoTiming> {
    let by_part = p.by_part();
    (0..p.n_parts)
        .find(|&i| !fits(p, &by_part[i], p.cap[i], |_| true))
        .map(|i| NoTiming::Capacity {
            participants: vec![i],
            slots: Vec::new(),
        })
}

/// Whether `meetings` fit the slots `open` admits, `cap` to a slot (a maximum bipartite
/// matching of meetings to slot places, `hall::fits`).
pub(super) fn fits(
    p: &TimingProblem,
    meetings: &[usize],
    cap: u32,
    open: impl Fn(usize) -> bool,
) -> bool {
    let domains: Vec<&[u32]> = meetings
        .iter()
        .map(|&m| p.meetings[m].slots.as_slice())
        .collect();
    crate::solve::hall::fits(&domains, p.n_slots, cap as usize, open)
}

/// The breaks every timing has, participant by participant ([`fewest_breaks`]): a lower bound
/// at any size.
pub(crate) fn forced_breaks(p: &TimingProblem) -> u64 {
    let by_part = p.by_part();
    (0..p.n_parts)
        .map(|i| fewest_breaks(p, i, &by_part[i]) as u64)
        .sum()
}

/// A lower bound on participant `i`'s breaks with its meetings on their own: its free spans
/// (maximal runs of slots some meeting of it may use, in a session, slots the programme holds
/// passed over as the break count passes over them) each hold at most one run of busy slots
/// if used whole, so a plan whose busy slots lie in spans T has at least Σ over sessions of
/// (spans of T there − 1) breaks; the bound is the least of that over the sets T its meetings
/// can be matched into. Exact for a participant whose every meeting may use every free slot.
pub(super) fn fewest_breaks(p: &TimingProblem, i: usize, meetings: &[usize]) -> usize {
    if meetings.len() < 2 {
        return 0;
    }
    let mut open = vec![false; p.n_slots];
    for &m in meetings {
        for &t in &p.meetings[m].slots {
            open[t as usize] = true;
        }
    }
    // (session, slots) per free span.
    let mut spans: Vec<(usize, Vec<usize>)> = Vec::new();
    for (q, range) in p.sessions.iter().enumerate() {
        let mut run: Vec<usize> = Vec::new();
        for t in range.clone() {
            if p.skipped(i, t) {
                continue;
            }
            if open[t] {
                run.push(t);
            } else if !run.is_empty() {
                spans.push((q, std::mem::take(&mut run)));
            }
        }
        if !run.is_empty() {
            spans.push((q, run));
        }
    }
    if spans.len() > MAX_SPANS {
        return 0;
    }
    // Open slots the count passes over (held by the programme, or outside every session)
    // cost no break: every set may use them.
    let mut free = open;
    for (_, slots) in &spans {
        for &t in slots {
            free[t] = false;
        }
    }
    let need = meetings.len().div_ceil(p.cap[i] as usize);
    let n_free = free.iter().filter(|&&f| f).count();
    // Each set of spans with its breaks and slots; tried by fewest breaks first, the first
    // that the meetings fit is the bound.
    let mut sets: Vec<(usize, usize)> = (1..1usize << spans.len())
        .filter_map(|mask| {
            let chosen = || (0..spans.len()).filter(move |&k| mask >> k & 1 == 1);
            let size = n_free + chosen().map(|k| spans[k].1.len()).sum::<usize>();
            let used = chosen().count();
            let sessions = (0..p.sessions.len())
                .filter(|&q| chosen().any(|k| spans[k].0 == q))
                .count();
            (size >= need).then_some((used - sessions, mask))
        })
        .collect();
    sets.sort_unstable();
    let mut in_mask = vec![false; p.n_slots];
    for (breaks, mask) in sets {
        in_mask.copy_from_slice(&free);
        for (k, (_, slots)) in spans.iter().enumerate() {
            if mask >> k & 1 == 1 {
                for &t in slots {
                    in_mask[t] = true;
                }
            }
        }
        if fits(p, meetings, p.cap[i], |t| in_mask[t]) {
            return breaks;
        }
    }
    // No set fits: the timing is impossible, which `alone` reports.
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::instance::UNLIMITED;
    use crate::solve::sat::Meeting;

    /// Participant 0 meets 1, 2, 3, … once each, every meeting allowed in `slots`.
    fn agenda(
        k: usize,
        n_slots: usize,
        slots: &[u32],
        sessions: &[(usize, usize)],
    ) -> TimingProblem {
        TimingProblem {
            n_parts: k + 1,
            n_slots,
            sessions: sessions.iter().map(|&(a, b)| a..b).collect(),
            cap: vec![1; k + 1],
            float_cap: vec![UNLIMITED; n_slots],
            meetings: (1..=k)
                .map(|b| Meeting {
                    a: 0,
                    b,
                    slots: slots.to_vec(),
                    floating: true,
                })
                .collect(),
            max_spread: None,
            incumbent: None,
            skip: Vec::new(),
        }
    }

    fn fewest(p: &TimingProblem) -> usize {
        fewest_breaks(p, 0, &p.by_part()[0])
    }

    #[test]
    fn meetings_that_overflow_a_free_span_need_a_break_per_span_they_spill_into() {
        // Free spans of 2, 3 and 1 slots (slots 2 and 6 closed).
        let slots = [0, 1, 3, 4, 5, 7];
        assert_eq!(fewest(&agenda(3, 8, &slots, &[(0, 8)])), 0);
        assert_eq!(fewest(&agenda(4, 8, &slots, &[(0, 8)])), 1);
        assert_eq!(fewest(&agenda(5, 8, &slots, &[(0, 8)])), 1);
        assert_eq!(fewest(&agenda(6, 8, &slots, &[(0, 8)])), 2);
        // Two meetings a slot: four fit in the 3-slot span.
        let mut p = agenda(6, 8, &slots, &[(0, 8)]);
        p.cap[0] = 2;
        assert_eq!(fewest(&p), 0);
    }

    #[test]
    fn spans_in_different_sessions_cost_no_break() {
        assert_eq!(fewest(&agenda(4, 6, &[0, 1, 3, 4], &[(0, 3), (3, 6)])), 0);
        assert_eq!(fewest(&agenda(4, 6, &[0, 1, 3, 4], &[(0, 6)])), 1);
    }

    #[test]
    fn a_slot_the_programme_holds_joins_the_spans_around_it() {
        let mut p = agenda(4, 5, &[0, 1, 3, 4], &[(0, 5)]);
        assert_eq!(fewest(&p), 1);
        p.skip = vec![false; p.n_parts * p.n_slots];
        p.skip[2] = true;
        assert_eq!(fewest(&p), 0);
    }

    #[test]
    fn the_meetings_own_slots_decide_which_spans_can_hold_them() {
        // Four meetings, spans of 3 and 3 slots: enough room in one span by count, but one
        // meeting can only be in the second span and two only in the first.
        let mut p = agenda(4, 7, &[0, 1, 2, 4, 5, 6], &[(0, 7)]);
        assert_eq!(fewest(&p), 1, "four meetings in spans of three");
        p = agenda(3, 7, &[0, 1, 2, 4, 5, 6], &[(0, 7)]);
        assert_eq!(fewest(&p), 0);
        p.meetings[0].slots = vec![4, 5, 6];
        p.meetings[1].slots = vec![0, 1];
        assert_eq!(fewest(&p), 1);
        // A participant that cannot fit at all is `alone`'s to report, not a bound.
        p.meetings[2].slots = vec![0, 1];
        p.meetings[0].slots = vec![0, 1];
        assert_eq!(fewest(&p), 0);
        assert!(alone(&p).is_some());
    }
}
