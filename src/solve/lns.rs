//! Large-neighbourhood search: free the meetings around a few participants, keep every other
//! meeting where it is, and let HiGHS re-time the freed ones exactly: the break model of
//! `mip.rs` restricted to the neighbourhood (`ScheduleModel::restricted`), which minimises the
//! breaks of everyone the freed meetings touch under every rule the full model knows (tables,
//! interpreters, travel, visits). Each step keeps the set of pairs, so the value never drops;
//! a step is kept only when the plan gets strictly better by `State::key` (which also judges
//! fairness: the spread runs over every participant, beyond a neighbourhood's model).

use super::local::{Rng, State, NONE};
use super::mip::{Run, ScheduleModel};
use crate::progress::Progress;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// Largest number of freed meetings per step: small enough that HiGHS answers in milliseconds.
const MAX_FREE: usize = 28;
/// HiGHS's time per step: no proof needed, a better timing found fast is all a step asks for.
const STEP_TIME: Duration = Duration::from_millis(300);

pub(super) struct Lns {
    rng: Rng,
    pub steps: u64,
    pub improvements: u64,
}

impl Lns {
    pub(super) fn new(seed: u64) -> Self {
        Lns {
            rng: Rng::new(seed),
            steps: 0,
            improvements: 0,
        }
    }

    /// Runs steps until the deadline, the step budget, or a plan without breaks.
    pub(super) fn run(
        &mut self,
        st: &mut State,
        max_steps: u64,
        deadline: Instant,
        stop: &dyn Fn() -> bool,
    ) {
        let quiet = Progress::silent();
        while self.steps < max_steps && Instant::now() < deadline && !stop() {
            if st.key() == (0, 0, 0, 0) || st.settled(0) {
                break;
            }
            self.steps += 1;
            let free = self.neighbourhood(st);
            if free.is_empty() {
                continue;
            }
            let step_end = (Instant::now() + STEP_TIME).min(deadline);
            if let Some(better) = reoptimise(st, &free, step_end, &quiet) {
                if retime_if_better(st, &free, &better) == Retimed::Better {
                    self.improvements += 1;
                }
            }
        }
    }

    /// A participant with breaks (or any, sometimes) and some of its counterparts: all their
    /// meetings are freed.
    fn neighbourhood(&mut self, st: &State) -> Vec<usize> {
        if self.rng.below(3) == 0 {
            self.window(st)
        } else {
            self.around_participants(st)
        }
    }

    /// All meetings in a few consecutive slots of one session (tables and agendas reshuffle).
    fn window(&mut self, st: &State) -> Vec<usize> {
        let inst = st.inst;
        let q = self.rng.below(inst.sessions.len());
        let range = inst.sessions[q].clone();
        let w = (2 + self.rng.below(2)).min(range.len());
        let start = range.start + self.rng.below(range.len() - w + 1);
        let mut free: Vec<usize> = (0..inst.pairs.len())
            .filter(|&p| {
                let s = st.slot_of[p];
                s != NONE && (start..start + w).contains(&(s as usize))
            })
            .collect();
        for k in (1..free.len()).rev() {
            free.swap(k, self.rng.below(k + 1));
        }
        free.truncate(MAX_FREE);
        free.sort_unstable();
        free
    }

    fn around_participants(&mut self, st: &State) -> Vec<usize> {
        let inst = st.inst;
        let with_breaks: Vec<usize> = (0..inst.n_parts).filter(|&i| st.breaks_of(i) > 0).collect();
        let seed_part = if !with_breaks.is_empty() && self.rng.below(4) != 0 {
            with_breaks[self.rng.below(with_breaks.len())]
        } else {
            self.rng.below(inst.n_parts)
        };
        let mut parts = vec![seed_part];
        let mut free: Vec<usize> = Vec::new();
        let mut frontier = vec![seed_part];
        while let Some(i) = frontier.pop() {
            let mut mine: Vec<usize> = inst.by_part[i]
                .iter()
                .copied()
                .filter(|&p| st.slot_of[p] != NONE)
                .collect();
            // Deterministic shuffle, so different steps explore different counterparts.
            for k in (1..mine.len()).rev() {
                mine.swap(k, self.rng.below(k + 1));
            }
            for p in mine {
                if free.len() >= MAX_FREE {
                    break;
                }
                if !free.contains(&p) {
                    free.push(p);
                }
                let other = if inst.pairs[p].a == i {
                    inst.pairs[p].b
                } else {
                    inst.pairs[p].a
                };
                if !parts.contains(&other) && parts.len() < 4 + self.rng.below(4) {
                    parts.push(other);
                    frontier.push(other);
                }
            }
        }
        free.sort_unstable();
        free
    }
}

/// New slots for the `free` pairs (in order), with fewer breaks among everyone they touch,
/// or `None` when HiGHS finds nothing better than the current timing by `step_end`.
fn reoptimise(st: &State, free: &[usize], step_end: Instant, quiet: &Progress) -> Option<Vec<u32>> {
    let inst = st.inst;
    let touched = inst.people_of(free);
    // The model's objective is these participants' breaks, the kept sessions as constants.
    let current: u64 = touched.iter().map(|&i| u64::from(st.breaks_of(i))).sum();
    if current == 0 {
        return None; // nothing to gain around here
    }
    let mut model = ScheduleModel::restricted(inst, st, free);
    model.add_all_meet();
    let breaks = model.add_breaks();
    // Ctrl-C is asked between steps (`run`), and a step ends by `step_end`.
    let never = AtomicBool::new(false);
    let run = Run {
        deadline: step_end,
        stop: &never,
        progress: quiet,
        describe: &|_, _| String::new(),
    };
    let res = model.solve(breaks, false, Some(st), &run).ok()?;
    let slots = res.slot_of?;
    (res.objective < current as f64 - 0.5 && !slots.contains(&NONE)).then_some(slots)
}

/// Moves the `free` pairs to `slots` (in order), all or returns false: the plan's own checks
/// (`State::can_place`) stay the authority on a timing, whichever model proposed it.
/// What became of a new timing of some pairs (`retime_if_better`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Retimed {
    /// Kept: the plan is strictly better by `State::key`.
    Better,
    /// Valid but not better: the old timing is back.
    NotBetter,
    /// It breaks a rule of the whole plan (`State::can_place`): the old timing is back.
    Invalid,
}

/// Moves the `free` pairs to `slots` (in order) in place and keeps the move only when the plan
/// gets strictly better by `State::key` (the set of pairs, hence the weight, is unchanged, so
/// this is `offer`'s order); otherwise puts them back. A step of a neighbourhood search costs
/// the neighbourhood this way, never a copy or a rebuild of the whole plan.
pub(super) fn retime_if_better(st: &mut State, free: &[usize], slots: &[u32]) -> Retimed {
    let before = st.key();
    let old: Vec<u32> = free.iter().map(|&p| st.slot_of[p]).collect();
    let outcome = match retime(st, free, slots) {
        true if st.key() < before => return Retimed::Better,
        true => Retimed::NotBetter,
        false => Retimed::Invalid,
    };
    // Always possible: every partial plan on the way back is part of the plan the step
    // started from, and the interpreters' matching is exact.
    let restored = retime(st, free, &old);
    // A real assertion under the unit tests (which run in release), a debug one in the tool,
    // as for the annealing's undo.
    if cfg!(test) {
        assert!(
            restored,
            "a neighbourhood's old timing could not be restored"
        );
    } else {
        debug_assert!(restored);
    }
    outcome
}

fn retime(st: &mut State, free: &[usize], slots: &[u32]) -> bool {
    for &p in free {
        if st.slot_of[p] != NONE {
            st.remove(p);
        }
    }
    for (&p, &s) in free.iter().zip(slots) {
        if !st.can_place(p, s) {
            return false;
        }
        st.place(p, s);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::{Instance, Restrictions};

    fn event(dir: &str) -> crate::event::Event {
        crate::event::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)).unwrap()
    }

    /// The neighbourhoods the search draws, each re-timed exactly by its restricted model: the
    /// timing is a valid plan (every rule, interpreters and travel included, rechecked from
    /// scratch), and the model's optimum is the touched participants' breaks in it. On the
    /// bundled event (interpreters, travel, visits, a programme) and the example (reps).
    #[test]
    fn a_neighbourhoods_model_gives_a_valid_timing_with_its_breaks() {
        let never = AtomicBool::new(false);
        let quiet = Progress::silent();
        for dir in ["data", "examples/event"] {
            let ev = event(dir);
            let inst = Instance::new(&ev, &Restrictions::default(), None);
            // A plan with breaks to take away: each pair in the last slot it fits.
            let mut st = State::new(&inst);
            for p in 0..inst.pairs.len() {
                if let Some(&s) = inst.pairs[p]
                    .slots
                    .iter()
                    .rev()
                    .find(|&&s| st.can_place(p, s))
                {
                    st.place(p, s);
                }
            }
            let mut lns = Lns::new(11);
            let mut fewer = 0;
            for _ in 0..30 {
                let free = lns.neighbourhood(&st);
                if free.is_empty() {
                    continue;
                }
                let touched = inst.people_of(&free);
                let breaks_in =
                    |s: &State| -> u64 { touched.iter().map(|&i| u64::from(s.breaks_of(i))).sum() };
                let mut model = ScheduleModel::restricted(&inst, &st, &free);
                model.add_all_meet();
                let obj = model.add_breaks();
                let run = Run {
                    deadline: Instant::now() + Duration::from_secs(60),
                    stop: &never,
                    progress: &quiet,
                    describe: &|_, _| String::new(),
                };
                let res = model.solve(obj, false, Some(&st), &run).unwrap();
                assert!(res.proven);
                let slots = res.slot_of.expect("the plan's own timing at least");
                let mut slot_of = st.slot_of.clone();
                for (k, &p) in free.iter().enumerate() {
                    slot_of[p] = slots[k];
                }
                let next = State::from_assignment(&inst, &slot_of).expect("a valid plan");
                assert_eq!(breaks_in(&next) as f64, res.objective.round(), "{dir}");
                assert!(breaks_in(&next) <= breaks_in(&st), "{dir}");
                if breaks_in(&next) < breaks_in(&st) {
                    fewer += 1;
                }
                // Every participant outside the neighbourhood keeps its agenda.
                for i in 0..inst.n_parts {
                    if touched.binary_search(&i).is_err() {
                        assert_eq!(next.breaks_of(i), st.breaks_of(i));
                    }
                }
                st = next;
            }
            assert!(fewer > 0, "{dir}: some neighbourhood had fewer breaks");
        }
    }

    /// Measures the search alone from a fixed start: `T4S_LNS_BENCH=EVENT_DIR [T4S_LNS_SPREAD=d]
    /// [T4S_LNS_SECONDS=s] cargo test --release lns_bench -- --ignored --nocapture`. The start is
    /// the greedy plan after a short annealing, the same for every build, so two builds compare
    /// step for step.
    #[test]
    #[ignore = "a measurement, run by hand"]
    fn lns_bench() {
        let Some(dir) = std::env::var_os("T4S_LNS_BENCH") else {
            return;
        };
        let ev = crate::event::load(std::path::Path::new(&dir)).unwrap();
        let spread = std::env::var("T4S_LNS_SPREAD")
            .ok()
            .map(|d| d.parse().unwrap());
        let secs: f64 = std::env::var("T4S_LNS_SECONDS")
            .ok()
            .map_or(10.0, |s| s.parse().unwrap());
        let inst = Instance::new(&ev, &Restrictions::default(), spread);
        let mut st = State::new(&inst);
        st.insert_greedily(None);
        st.repair_required(100_000, 1, &|| false);
        st.insert_greedily(None);
        st.anneal(200_000, 1, &|| false);
        let n_sched = st.scheduled().count();
        let (b0, e0) = (st.sum_breaks, st.spread_excess());
        let mut lns = Lns::new(0x7453_4348);
        let t = Instant::now();
        lns.run(
            &mut st,
            u64::MAX,
            t + std::time::Duration::from_secs_f64(secs),
            &|| false,
        );
        let el = t.elapsed().as_secs_f64();
        println!(
            "{} meetings: {b0} breaks (excess {e0}) -> {} (excess {}) in {} steps ({} improving), {:.2} ms/step",
            n_sched,
            st.sum_breaks,
            st.spread_excess(),
            lns.steps,
            lns.improvements,
            el * 1000.0 / lns.steps.max(1) as f64
        );
        assert!(State::from_assignment(&inst, &st.slot_of).is_some());
        // The model's construction alone (what must cost the neighbourhood, not the event).
        let (mut built, mut cols, mut rows) = (std::time::Duration::ZERO, 0, 0);
        let mut n = 0;
        for _ in 0..200 {
            let free = lns.neighbourhood(&st);
            if free.is_empty() {
                continue;
            }
            let t = Instant::now();
            let mut model = ScheduleModel::restricted(&inst, &st, &free);
            model.add_all_meet();
            let _ = model.add_breaks();
            built += t.elapsed();
            cols += model.n_cols();
            rows += model.n_rows();
            n += 1;
        }
        println!(
            "model building: {:.0} µs per neighbourhood ({} columns, {} rows on average)",
            built.as_secs_f64() * 1e6 / f64::from(n.max(1)),
            cols / n.max(1) as usize,
            rows / n.max(1) as usize
        );
    }
}
