//! The solver's view of an event: only the pairs that can meet, each with the slots it may use,
//! as plain indices (hot loops index vectors, they never hash). Built in one place, from the
//! event and what a re-plan fixes (`Restrictions`); nothing outside `solve` can change it.
//!
//! What a meeting needs besides its two participants is a *resource* (today: a floating table
//! when neither side has a fixed one). A new resource is a field here, filled in `new`, and a
//! check in `State::can_place`, a row family in `mip`, a clause family in the SAT engine: the
//! compiler leads from the field to every phase.

use super::explain::{why_no_slot, Reason};
use crate::event::{Event, Organiser, Pair, PairId, SlotId, VisitId};
use crate::id::{ids, Id};
use std::ops::Range;

/// "No limit" for capacities.
pub(crate) const UNLIMITED: u32 = u32::MAX;

/// What a re-plan fixes before the search. A first plan has none.
#[derive(Debug, Clone, Default)]
pub(crate) struct Restrictions {
    /// Meetings that already happened (before `--frozen-until`): they stay exactly where they
    /// were and are part of the plan, so they count for `max_meetings`, `min_meetings`, breaks
    /// and value like any other.
    pub frozen: Vec<(PairId, SlotId)>,
    /// Per slot: closed to new meetings (it has passed). Empty: every slot is open.
    pub closed: Vec<bool>,
    /// Announced meetings that stay: required, at their slot when `pinned` (the default of a
    /// re-plan, and a `locked` row), anywhere they fit otherwise (`--allow-moves`).
    pub kept: Vec<Kept>,
    /// Announced meetings that lost their place: re-placed before any new request.
    pub displaced: Vec<PairId>,
    /// Announced visits that stay (required, at their visit).
    pub kept_visits: Vec<(PairId, VisitId)>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Kept {
    pub pair: PairId,
    pub slot: SlotId,
    pub pinned: bool,
}

impl Restrictions {
    fn closed(&self, s: usize) -> bool {
        self.closed.get(s).copied().unwrap_or(false)
    }
    /// A visit has passed when a closed slot of its day starts at or after its start (a
    /// re-plan closes the slots before its cut).
    fn closed_visit(&self, event: &Event, v: VisitId) -> bool {
        let visit = event.visit(v);
        event
            .slots
            .iter()
            .enumerate()
            .any(|(s, slot)| self.closed(s) && slot.day == visit.day && slot.start >= visit.start)
            || event
                .slots
                .iter()
                .enumerate()
                .any(|(s, slot)| self.closed(s) && slot.day > visit.day)
    }
}

#[derive(Debug, Clone)]
pub(super) struct CPair {
    pub(super) id: PairId,
    pub(super) a: usize,
    pub(super) b: usize,
    pub(super) value: u32,
    pub(super) required: bool,
    /// An announced meeting to re-place: before new requests, after minimums.
    pub(super) displaced: bool,
    /// Slots the pair may use, ascending.
    pub(super) slots: Vec<u32>,
    /// Needs one of the floating tables (no fixed table on either side).
    pub(super) floating: bool,
    /// Where a kept meeting was: it goes back there when the plan allows (`--allow-moves`).
    pub(super) previous: Option<u32>,
    /// A visit request: (visitor, host firm). Its options (`slots`) are visits, numbered
    /// `n_slots + visit`; only the visitor is busy, each visit seats its capacity (as a
    /// floating table seats one meeting), and it counts for no `max_meetings`/`min_meetings`.
    pub(super) visit: Option<(usize, usize)>,
    /// `[a, b]`, for `people`.
    pub(super) ab: [usize; 2],
    /// Needs an interpreter (no shared language, interpreters.csv given): the interpreters
    /// who can hold it (indices into `Instance::interp`). `None`: needs none (visits never:
    /// a visitor is shown the firm's premises by its hosts, not at a table).
    pub(super) interp: Option<Vec<u32>>,
}

impl CPair {
    /// Those an option of the pair occupies: both sides of a meeting, the visitor of a visit.
    pub(super) fn people(&self) -> &[usize] {
        match &self.visit {
            Some((v, _)) => std::slice::from_ref(v),
            None => &self.ab,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Instance {
    pub(super) n_parts: usize,
    pub(super) n_slots: usize,
    pub(super) sessions: Vec<Range<usize>>,
    pub(super) session_of: Vec<usize>,
    pub(super) cap: Vec<u32>,
    pub(super) max_meet: Vec<u32>,
    /// Floating tables usable per slot (`UNLIMITED` without tables.csv).
    pub(super) float_cap: Vec<u32>,
    /// Requested, non-forbidden pairs with at least one possible slot (and frozen meetings).
    pub(super) pairs: Vec<CPair>,
    /// Requested pairs that have no possible slot at all, with the reason (forbidden ones
    /// excluded: they are not requests).
    pub(super) impossible: Vec<(PairId, Reason)>,
    /// Candidate pairs of each participant.
    pub(super) by_part: Vec<Vec<usize>>,
    /// Largest allowed spread of breaks over participants (max − min), if any.
    pub(super) max_break_spread: Option<u32>,
    /// The promised minimum of meetings (`min_meetings`), capped by what the participant's
    /// candidate pairs, slots and `max_meetings` allow: what a shortfall is counted against.
    pub(super) min_eff: Vec<u32>,
    /// Objective weights, lexicographic: a required pair outweighs everything below it, one
    /// meeting of a promised minimum outweighs every re-placement and all value, a re-placed
    /// announced meeting outweighs all value.
    w_disp: u64,
    w_short: u64,
    w_req: u64,
    /// Options: the slots, then the visits (`n_slots + visit`). `float_cap` covers them all
    /// (a visit's capacity).
    pub(super) n_opts: usize,
    /// Per option: the options one person cannot also hold (overlap, or too little time to
    /// travel between their venues). Empty without visits and travel.
    pub(super) conflicts: Vec<Vec<u32>>,
    /// The interpreters (none without interpreters.csv).
    pub(super) interp: super::interp::Pool,
    /// Per participant × slot: held by a fixed engagement (a programme item, a visit the firm
    /// hosts, or the travel to one). Not idle and not a meeting: breaks are counted as if the
    /// slot were not there. Empty without a programme or visits.
    pub(super) skip: Vec<bool>,
}

impl Instance {
    /// The participants a set of pairs occupies (both sides of a meeting, the visitor of a
    /// visit), ascending and once each: a neighbourhood's people.
    pub(super) fn people_of(&self, pairs: &[usize]) -> Vec<usize> {
        let mut people: Vec<usize> = pairs
            .iter()
            .flat_map(|&p| self.pairs[p].people().iter().copied())
            .collect();
        people.sort_unstable();
        people.dedup();
        people
    }

    pub(crate) fn new(
        event: &Event,
        restrictions: &Restrictions,
        max_break_spread: Option<u32>,
    ) -> Self {
        let n_slots = event.slots.len();
        let r = restrictions;
        let frozen: std::collections::HashMap<PairId, SlotId> = r.frozen.iter().copied().collect();
        let kept: std::collections::HashMap<PairId, Kept> =
            r.kept.iter().map(|k| (k.pair, *k)).collect();
        let mut pairs = Vec::new();
        let mut impossible = Vec::new();
        for p in ids::<Pair>(event.pairs.len()) {
            let pair = event.pair(p);
            let cpair = |slots: Vec<u32>, required: bool| CPair {
                id: p,
                a: pair.a.index(),
                b: pair.b.index(),
                value: pair.value(),
                required,
                displaced: false,
                slots,
                floating: pair.host_table.is_none(),
                previous: None,
                visit: None,
                ab: [pair.a.index(), pair.b.index()],
                interp: None,
            };
            // A meeting that happened stays, whatever changed since.
            if let Some(&s) = frozen.get(&p) {
                let mut c = cpair(vec![s.index() as u32], true);
                // It keeps using an interpreter (their max_meetings count it), when one is
                // still free there.
                c.interp = event
                    .interpreters_for(p)
                    .map(|ks| ks.iter().map(|k| k.index() as u32).collect::<Vec<u32>>())
                    .filter(|ks| {
                        ks.iter()
                            .any(|&k| event.interpreters[k as usize].available[s.index()])
                    });
                pairs.push(c);
                continue;
            }
            if pair.organiser == Organiser::Forbidden {
                continue;
            }
            if let Some(host) = pair.visit_host {
                let pinned = r.kept_visits.iter().find(|(q, _)| *q == p).map(|&(_, v)| v);
                let options: Vec<u32> = event
                    .visit_options(p)
                    .into_iter()
                    .filter(|&v| !r.closed_visit(event, v) || pinned == Some(v))
                    .filter(|&v| pinned.is_none_or(|k| k == v))
                    .map(|v| (n_slots + v.index()) as u32)
                    .collect();
                if options.is_empty() {
                    impossible.push((p, why_no_slot(event, p, &r.closed)));
                    continue;
                }
                let mut c = cpair(
                    options,
                    pair.organiser == Organiser::Required || pinned.is_some(),
                );
                c.floating = true;
                c.visit = Some((pair.other(host).index(), host.index()));
                pairs.push(c);
                continue;
            }
            let open: Vec<u32> = event
                .pair_slots(p)
                .iter()
                .filter(|s| !r.closed(s.index()))
                .map(|s| s.index() as u32)
                .collect();
            let slots = match kept.get(&p) {
                Some(k) if k.pinned => vec![k.slot.index() as u32],
                _ => open,
            };
            if slots.is_empty() {
                impossible.push((p, why_no_slot(event, p, &r.closed)));
                continue;
            }
            // Without a shared language, only the slots in which an interpreter of the right
            // languages is free.
            let elig: Option<Vec<u32>> = event
                .interpreters_for(p)
                .map(|ks| ks.iter().map(|k| k.index() as u32).collect());
            let slots = match &elig {
                None => slots,
                Some(ks) => slots
                    .into_iter()
                    .filter(|&s| {
                        ks.iter()
                            .any(|&k| event.interpreters[k as usize].available[s as usize])
                    })
                    .collect(),
            };
            if slots.is_empty() {
                impossible.push((p, Reason::NoInterpreter(pair.a, pair.b)));
                continue;
            }
            let mut c = cpair(slots, pair.organiser == Organiser::Required);
            c.interp = elig;
            if let Some(k) = kept.get(&p) {
                c.required = true;
                c.previous = Some(k.slot.index() as u32);
            }
            c.displaced = !c.required && r.displaced.contains(&p);
            pairs.push(c);
        }
        let mut by_part = vec![Vec::new(); event.participants.len()];
        for (i, p) in pairs.iter().enumerate() {
            // Visits count for no meeting limit: they are not in the meeting rows.
            if p.visit.is_none() {
                by_part[p.a].push(i);
                by_part[p.b].push(i);
            }
        }
        let mut float_cap: Vec<u32> = ids::<crate::event::Slot>(n_slots)
            .map(|s: SlotId| {
                event
                    .floating_tables(s)
                    .map_or(UNLIMITED, |t| t.len() as u32)
            })
            .collect();
        float_cap.extend(event.visits.iter().map(|v| v.capacity));
        let conflicts = super::visits::conflicts(event);
        let skip = if event.programme.is_empty() && event.visits.is_empty() {
            Vec::new()
        } else {
            ids::<crate::event::Participant>(event.participants.len())
                .flat_map(|p| event.blocked(p))
                .collect()
        };
        let mut inst = Instance {
            n_parts: event.participants.len(),
            n_slots,
            sessions: event.sessions.iter().map(|s| s.slots.clone()).collect(),
            session_of: event.slots.iter().map(|s| s.session).collect(),
            cap: event.participants.iter().map(|p| p.reps).collect(),
            max_meet: event
                .participants
                .iter()
                .map(|p| p.max_meetings.unwrap_or(UNLIMITED))
                .collect(),
            float_cap,
            pairs,
            impossible,
            by_part,
            max_break_spread,
            min_eff: Vec::new(),
            w_disp: 0,
            w_short: 0,
            w_req: 0,
            n_opts: n_slots + event.visits.len(),
            conflicts,
            interp: super::interp::Pool::new(
                event
                    .interpreters
                    .iter()
                    .map(|k| k.available.clone())
                    .collect(),
                event
                    .interpreters
                    .iter()
                    .map(|k| k.max_meetings.unwrap_or(UNLIMITED))
                    .collect(),
                n_slots,
            ),
            skip,
        };
        let min_meet: Vec<u32> = event
            .participants
            .iter()
            .map(|p| {
                if p.cancelled {
                    0
                } else {
                    p.min_meetings.unwrap_or(0)
                }
            })
            .collect();
        inst.min_eff = inst.capped_minimums(&min_meet);
        inst.set_weights();
        inst
    }

    fn capped_minimums(&self, min_meet: &[u32]) -> Vec<u32> {
        (0..self.n_parts)
            .map(|i| {
                let slots: usize = {
                    let mut seen = vec![false; self.n_slots];
                    for &p in &self.by_part[i] {
                        for &s in &self.pairs[p].slots {
                            seen[s as usize] = true;
                        }
                    }
                    seen.iter().filter(|&&x| x).count()
                };
                let possible = (self.by_part[i].len() as u64)
                    .min(slots as u64 * u64::from(self.cap[i]))
                    .min(u64::from(self.max_meet[i]));
                min_meet[i].min(possible as u32)
            })
            .collect()
    }

    fn set_weights(&mut self) {
        let optional = || self.pairs.iter().filter(|p| !p.required);
        let value: u64 = optional().map(|p| u64::from(p.value)).sum();
        let n_disp = optional().filter(|p| p.displaced).count() as u64;
        self.w_disp = if n_disp == 0 { 0 } else { value + 1 };
        let optional_weight = value + self.w_disp * n_disp;
        self.w_short = if self.max_shortfall() == 0 {
            0
        } else {
            1 + optional_weight
        };
        self.w_req = 1 + optional_weight + self.w_short * self.max_shortfall();
    }

    /// Most shortfall a plan can have: the sum of the (capped) minimums.
    pub(crate) fn max_shortfall(&self) -> u64 {
        self.min_eff.iter().map(|&m| u64::from(m)).sum()
    }

    /// Weight of one meeting less below a participant's minimum.
    pub(crate) fn short_weight(&self) -> u64 {
        self.w_short
    }

    /// Phase-1 weight of a required pair: maximising the score first places as many required
    /// pairs as possible, then meets the promised minimums, then re-places announced meetings,
    /// then the value.
    pub(crate) fn required_weight(&self) -> u64 {
        self.w_req
    }

    /// Phase-1 weight of pair `p`.
    pub(crate) fn weight(&self, p: usize) -> u64 {
        let pair = &self.pairs[p];
        if pair.required {
            self.w_req
        } else if pair.displaced {
            u64::from(pair.value) + self.w_disp
        } else {
            u64::from(pair.value)
        }
    }

    /// The plain value of a plan from its phase-1 score, given what the plan has in the tiers
    /// above value (its shortfall and its re-placed meetings): scores of plans equal in those
    /// tiers differ exactly by their value. Also turns a bound on the score into a bound on the
    /// value of such plans.
    pub(crate) fn value_of_score(&self, score: f64, short: u64, displaced: u64) -> f64 {
        let req: Vec<&CPair> = self.pairs.iter().filter(|p| p.required).collect();
        let req_value: u64 = req.iter().map(|p| u64::from(p.value)).sum();
        score
            - (self.w_req * req.len() as u64) as f64
            - (self.w_short * (self.max_shortfall() - short)) as f64
            - (self.w_disp * displaced) as f64
            + req_value as f64
    }

    pub(crate) fn slot_id(s: u32) -> SlotId {
        Id::new(s as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Event {
        crate::event::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/event"
        )))
        .unwrap()
    }

    #[test]
    fn frozen_meetings_stay_even_when_the_pair_is_forbidden_now() {
        let mut ev = example();
        let p: PairId = Id::new(0);
        ev.pairs[0].organiser = Organiser::Forbidden;
        let s: SlotId = Id::new(0);
        let r = Restrictions {
            frozen: vec![(p, s)],
            ..Restrictions::default()
        };
        let inst = Instance::new(&ev, &r, None);
        let c = inst.pairs.iter().find(|c| c.id == p).unwrap();
        assert_eq!(c.slots, vec![0]);
        assert!(c.required);
    }

    #[test]
    fn closed_slots_are_left_out_and_pinned_meetings_keep_their_slot() {
        let ev = example();
        let closed: Vec<bool> = (0..ev.slots.len()).map(|s| s < 2).collect();
        let kept = Kept {
            pair: Id::new(1),
            slot: Id::new(3),
            pinned: true,
        };
        let r = Restrictions {
            closed,
            kept: vec![kept],
            ..Restrictions::default()
        };
        let inst = Instance::new(&ev, &r, None);
        for c in &inst.pairs {
            if c.id == kept.pair {
                assert_eq!(c.slots, vec![3]);
            } else {
                assert!(c.slots.iter().all(|&s| s >= 2), "{c:?}");
            }
        }
    }

    #[test]
    fn tiers_outweigh_everything_below() {
        let ev = example();
        let displaced = vec![Id::new(2)];
        let r = Restrictions {
            displaced: displaced.clone(),
            ..Restrictions::default()
        };
        let inst = Instance::new(&ev, &r, None);
        let all_value: u64 = inst
            .pairs
            .iter()
            .filter(|p| !p.required && !p.displaced)
            .map(|p| u64::from(p.value))
            .sum();
        let k = inst
            .pairs
            .iter()
            .position(|c| c.id == displaced[0])
            .unwrap();
        assert!(inst.weight(k) > all_value);
        assert!(
            inst.required_weight()
                > (0..inst.pairs.len())
                    .filter(|&p| !inst.pairs[p].required)
                    .map(|p| inst.weight(p))
                    .sum::<u64>()
        );
    }
}
