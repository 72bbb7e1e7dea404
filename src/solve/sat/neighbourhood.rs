//! The adapter for the SAT neighbourhood search (`solve/satlns.rs`): a [`TimingProblem`] for a
//! part of a plan too large to encode whole. Some meetings are freed; every other meeting of
//! every participant they touch is in the problem too, pinned to its slot, so that the
//! engine counts those participants' breaks exactly and its optimum is the best timing of the
//! freed meetings given the rest of the plan.
//!
//! Like [`TimingProblem::from_instance`] it reads the instance and plain data (a slot per
//! candidate pair), never the solver's `State`.

use super::{Meeting, TimingProblem};
use crate::solve::instance::{Instance, UNLIMITED};
use std::ops::Range;

/// "Not scheduled" in a plan (the solver's `local::NONE`).
const NONE: u32 = u32::MAX;

/// A neighbourhood as a timing problem, and the way back to the instance.
#[derive(Debug, Clone)]
pub(crate) struct Neighbourhood {
    pub problem: TimingProblem,
    /// The candidate pair of each of the problem's first meetings (the freed ones, in the
    /// order given, but those kept in place for their interpreter); the pinned meetings
    /// follow and are never read back.
    pub pairs: Vec<usize>,
    /// The instance's participant of each of the problem's participants but the last, which
    /// stands for everyone outside (see [`TimingProblem::around`]).
    pub parts: Vec<usize>,
}

impl TimingProblem {
    /// The meetings `free` (scheduled table meetings of the plan `slot_of`, one slot per
    /// candidate pair, `u32::MAX` when unscheduled) to re-time, each within its allowed slots
    /// (inside `within` when given) where the frozen rest leaves room: its participants' reps,
    /// the floating tables the meetings outside the problem leave, no conflict (overlap,
    /// travel) with a frozen engagement of either side, an interpreter left free when it
    /// needs one. Every other meeting of the participants involved is pinned to its slot
    /// (within `within` only, when given: breaks are counted per session, so the problem
    /// then counts those of the window alone).
    ///
    /// Everyone outside the problem is one extra participant, the last, with no limit and every
    /// slot skipped (it never has a break): the other side of a pinned meeting with someone
    /// not involved (their breaks do not change, the meeting only keeps its slot busy), and
    /// the holder of pinned stand-ins for the slots a frozen visit or travel keeps an involved
    /// participant from (engaged, never idle, as `State` counts them). Fairness is left out
    /// (`max_spread` `None`): it is global, and the caller's acceptance rule judges it.
    ///
    /// Interpreters are not encoded: of the given meetings that may want the same
    /// interpreter only the first is freed. What the problem does not encode, the caller
    /// checks on the whole plan: travel between two freed meetings (and the slots a freed
    /// meeting's travel covers), an interpreter's `max_meetings`.
    pub(crate) fn around(
        inst: &Instance,
        slot_of: &[u32],
        free: &[usize],
        within: Option<Range<usize>>,
    ) -> Neighbourhood {
        let n = inst.n_slots;
        // Interpreters are not encoded: of the meetings that may want the same interpreter,
        // only the first is freed, the others keep their slots, so that no two freed meetings
        // are timed into one slot where only one of them can have it (measured on the bundled
        // event, where most meetings of a participant need the same interpreter: every better
        // timing of 40 steps was dropped for want of one).
        let mut wanted = vec![false; inst.interp.n];
        let free: Vec<usize> = free
            .iter()
            .copied()
            .filter(|&p| match &inst.pairs[p].interp {
                None => true,
                Some(elig) if elig.iter().all(|&k| !wanted[k as usize]) => {
                    for &k in elig {
                        wanted[k as usize] = true;
                    }
                    true
                }
                Some(_) => false,
            })
            .collect();
        let free = &free[..];
        let mut is_free = vec![false; inst.pairs.len()];
        for &p in free {
            debug_assert!(slot_of[p] != NONE && inst.pairs[p].visit.is_none());
            is_free[p] = true;
        }
        let parts = inst.people_of(free);
        let outside = parts.len();
        let local = |i: usize| parts.binary_search(&i).unwrap_or(outside);

        // What is frozen around each participant involved: its options held by a meeting or
        // visit that stays.
        let mut frozen_at: Vec<Vec<u32>> = vec![Vec::new(); parts.len()];
        let mut in_problem = vec![false; inst.pairs.len()];
        let mut pinned: Vec<(usize, u32)> = Vec::new();
        // Within one window, what lies outside it cannot change the breaks inside (they are
        // counted per session) nor where a freed meeting fits, but for the slots it keeps
        // someone from (the stand-ins below): it is left out, so the engine counts the
        // window's breaks alone and needs no core for the fixed ones elsewhere.
        let inside = |s: u32| within.as_ref().is_none_or(|w| w.contains(&(s as usize)));
        for (k, &i) in parts.iter().enumerate() {
            for &p in &inst.by_part[i] {
                let s = slot_of[p];
                if s == NONE || is_free[p] {
                    continue;
                }
                frozen_at[k].push(s);
                if !in_problem[p] && inside(s) {
                    in_problem[p] = true;
                    pinned.push((p, s));
                }
            }
        }
        if inst.has_conflicts() {
            // Visits are in no `by_part`: only the visitor is busy.
            for (p, pair) in inst.pairs.iter().enumerate() {
                if let (Some((v, _)), s) = (pair.visit, slot_of[p]) {
                    if s != NONE && local(v) < outside {
                        frozen_at[local(v)].push(s);
                    }
                }
            }
        }
        for p in free {
            in_problem[*p] = true;
        }
        // Floating tables: what the meetings outside the problem leave.
        let mut float_cap = inst.float_cap[..n].to_vec();
        for (p, pair) in inst.pairs.iter().enumerate() {
            let s = slot_of[p];
            if s != NONE && (s as usize) < n && pair.floating && !in_problem[p] {
                let c = &mut float_cap[s as usize];
                if *c != UNLIMITED {
                    *c -= 1;
                }
            }
        }
        // And a freed meeting that needs one may go only where one it can have is free and
        // eligible for no meeting that stays there, so that those keep theirs.
        let mut claimed = vec![false; inst.interp.n * n];
        for (p, pair) in inst.pairs.iter().enumerate() {
            let s = slot_of[p];
            if let (Some(elig), false) = (&pair.interp, s == NONE || is_free[p]) {
                for &k in elig {
                    claimed[k as usize * n + s as usize] = true;
                }
            }
        }
        let interpreter = |p: usize, s: u32| {
            inst.pairs[p].interp.as_ref().is_none_or(|elig| {
                elig.iter()
                    .any(|&k| inst.interp.is_free(k, s) && !claimed[k as usize * n + s as usize])
            })
        };
        let held = |k: usize, s: u32| frozen_at[k].iter().filter(|&&o| o == s).count() as u32;
        let clash = |k: usize, s: u32| {
            frozen_at[k].iter().any(|&o| {
                inst.conflicts[s as usize].contains(&o) || inst.conflicts[o as usize].contains(&s)
            })
        };

        let mut meetings = Vec::with_capacity(free.len() + pinned.len());
        for &p in free {
            let pair = &inst.pairs[p];
            let (ka, kb) = (local(pair.a), local(pair.b));
            let slots: Vec<u32> = pair
                .slots
                .iter()
                .copied()
                .filter(|&s| {
                    // Its own slot always stays possible: the plan is a valid timing.
                    s == slot_of[p]
                        || inside(s)
                            && held(ka, s) < inst.cap[pair.a]
                            && held(kb, s) < inst.cap[pair.b]
                            && !(pair.floating && float_cap[s as usize] == 0)
                            && !clash(ka, s)
                            && !clash(kb, s)
                            && interpreter(p, s)
                })
                .collect();
            meetings.push(Meeting {
                a: ka,
                b: kb,
                slots,
                floating: pair.floating,
            });
        }
        for &(p, s) in &pinned {
            let pair = &inst.pairs[p];
            meetings.push(Meeting {
                a: local(pair.a),
                b: local(pair.b),
                slots: vec![s],
                floating: pair.floating,
            });
        }
        // The slots a frozen engagement keeps a participant from (`Instance::covered`): busy
        // for the break count, as in `State::segment`.
        for (k, opts) in frozen_at.iter().enumerate() {
            let mut covered: Vec<usize> = opts
                .iter()
                .flat_map(|&o| inst.covered(o as usize))
                .collect();
            covered.retain(|&c| inside(c as u32));
            covered.sort_unstable();
            covered.dedup();
            for c in covered {
                meetings.push(Meeting {
                    a: k,
                    b: outside,
                    slots: vec![c as u32],
                    floating: false,
                });
            }
        }

        let n_parts = parts.len() + 1;
        let mut skip = vec![false; n_parts * n];
        for (k, &i) in parts.iter().enumerate() {
            for s in 0..n {
                skip[k * n + s] = inst.skipped(i, s);
            }
        }
        skip[outside * n..].fill(true);
        let mut cap: Vec<u32> = parts.iter().map(|&i| inst.cap[i]).collect();
        cap.push(UNLIMITED);
        let incumbent = free
            .iter()
            .map(|&p| slot_of[p])
            .chain(meetings[free.len()..].iter().map(|m| m.slots[0]))
            .collect();
        Neighbourhood {
            problem: TimingProblem {
                n_parts,
                n_slots: n,
                sessions: inst.sessions.clone(),
                cap,
                float_cap,
                meetings,
                max_spread: None,
                incumbent: Some(incumbent),
                skip,
            },
            pairs: free.to_vec(),
            parts,
        }
    }
}
