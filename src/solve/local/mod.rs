//! Incremental schedule state: the plan of the candidate pairs with fast feasibility checks
//! (capacities, conflicts, floating tables, interpreters) and break accounting, kept exact by
//! `place` / `remove` and the raw moves underneath. The heuristics built on it live one job per
//! file: greedy construction and insertion of waiting requests (`greedy.rs`), repair of
//! required meetings (`repair.rs`), and simulated annealing that compacts agendas (fewer
//! breaks) without changing which pairs meet (`anneal.rs`).
//!
//! Everything is driven by a seeded generator and iteration counts, never by the clock alone,
//! so the same input gives the same plan (a deadline only cuts a search short).

mod anneal;
mod greedy;
mod repair;

use super::instance::{Instance, UNLIMITED};
use super::interp::Matching;

pub(super) const NONE: u32 = u32::MAX;

/// SA cost weights: a break outweighs any realistic amount of idle time inside one agenda,
/// idle slots only guide the search towards closing gaps; fairness violations outweigh both.
const BREAK_W: i64 = 32;
const SPREAD_W: i64 = 4096;
/// Weight of one hard-rule violation while repairing (relaxed mode): two breaks' worth, so the
/// annealing can cross a clash to escape a plateau; the best state kept is by violations first.
const VIOLATION_W: i64 = 64;

/// Small deterministic generator (SplitMix64): reproducible plans need no crate.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub(super) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[derive(Clone)]
pub(crate) struct State<'a> {
    pub inst: &'a Instance,
    /// Slot of each candidate pair, `NONE` when not scheduled.
    pub slot_of: Vec<u32>,
    busy: Vec<u8>,
    /// Per participant × slot: its engagements that keep it from the slot (`Instance::covered`:
    /// a visit, or a meeting at another venue too close in time). Empty without visits and
    /// travel.
    cover: Vec<u8>,
    count: Vec<u32>,
    float_used: Vec<u32>,
    /// Scheduled pairs of each participant.
    at: Vec<Vec<u32>>,
    /// (breaks, idle slots) per participant × session.
    seg: Vec<(u32, u32)>,
    tot_breaks: Vec<u32>,
    active: Vec<bool>,
    /// Participants with at least one meeting, by their number of breaks.
    hist: Vec<u32>,
    pub sum_breaks: u64,
    pub sum_idle: u64,
    /// Relaxed mode (repair): capacities may be exceeded, each excess counted here.
    relaxed: bool,
    pub violations: u64,
    /// Interpreters of the scheduled pairs that need one (exact: augmenting paths).
    interp: Matching,
    /// Scheduled pairs that need an interpreter and have none (relaxed mode only): each is
    /// one violation.
    no_interp: Vec<bool>,
}

impl<'a> State<'a> {
    pub(crate) fn new(inst: &'a Instance) -> Self {
        let n_sess = inst.sessions.len().max(1);
        State {
            inst,
            slot_of: vec![NONE; inst.pairs.len()],
            busy: vec![0; inst.n_parts * inst.n_opts],
            cover: if inst.has_conflicts() {
                vec![0; inst.n_parts * inst.n_slots]
            } else {
                Vec::new()
            },
            count: vec![0; inst.n_parts],
            float_used: vec![0; inst.n_opts],
            at: vec![Vec::new(); inst.n_parts],
            seg: vec![(0, 0); inst.n_parts * n_sess],
            tot_breaks: vec![0; inst.n_parts],
            active: vec![false; inst.n_parts],
            hist: vec![0; inst.n_slots + 2],
            sum_breaks: 0,
            sum_idle: 0,
            relaxed: false,
            violations: 0,
            interp: Matching::new(&inst.interp, inst.pairs.len()),
            no_interp: vec![false; inst.pairs.len()],
        }
    }

    /// Rebuilds the state from an assignment; `None` if it breaks a hard rule (interpreters
    /// included: a plan whose meetings cannot all get one is rejected, whichever phase, the
    /// MIP or the SAT engine, proposed it).
    pub(crate) fn from_assignment(inst: &'a Instance, slot_of: &[u32]) -> Option<Self> {
        let mut st = State::new(inst);
        for (p, &s) in slot_of.iter().enumerate() {
            if s != NONE {
                if !inst.pairs[p].slots.contains(&s) || !st.can_place(p, s) {
                    return None;
                }
                st.raw_place(p, s);
            }
        }
        for i in 0..inst.n_parts {
            let all: Vec<usize> = (0..inst.sessions.len()).collect();
            st.refresh(i, &all);
        }
        Some(st)
    }

    pub(crate) fn count(&self, i: usize) -> u32 {
        self.count[i]
    }
    pub(crate) fn breaks_of(&self, i: usize) -> u32 {
        self.tot_breaks[i]
    }
    pub(crate) fn busy(&self, i: usize, s: usize) -> u32 {
        u32::from(self.busy[i * self.inst.n_opts + s])
    }
    /// Whether slot `s` counts as time spent for participant `i`: a meeting, or a slot one of
    /// its engagements keeps it from (the visit, the travel).
    pub(crate) fn engaged(&self, i: usize, s: usize) -> bool {
        self.busy[i * self.inst.n_opts + s] > 0
            || self
                .cover
                .get(i * self.inst.n_slots + s)
                .is_some_and(|&c| c > 0)
    }
    pub(crate) fn float_used(&self, s: usize) -> u32 {
        self.float_used[s]
    }
    /// The interpreter (index) of scheduled pair `p`, `NONE` when it needs none.
    pub(crate) fn interpreter(&self, p: usize) -> u32 {
        self.interp.of(p)
    }
    /// The interpreters' assignment (a neighbourhood's model keeps the other meetings' own).
    pub(crate) fn interpreters(&self) -> &Matching {
        &self.interp
    }
    pub(crate) fn scheduled(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.slot_of.len()).filter(|&p| self.slot_of[p] != NONE)
    }

    /// Weighted value (phase-1 weights) of the scheduled pairs.
    pub(crate) fn weight(&self) -> u64 {
        self.scheduled().map(|p| self.inst.weight(p)).sum()
    }

    /// Announced meetings re-placed (a re-plan's tier above value).
    pub(crate) fn displaced_placed(&self) -> u64 {
        self.scheduled()
            .filter(|&p| self.inst.pairs[p].displaced)
            .count() as u64
    }

    /// Meetings missing to the participants' promised minimums.
    pub(crate) fn shortfall(&self) -> u64 {
        self.inst
            .min_eff
            .iter()
            .zip(&self.count)
            .map(|(&m, &c)| u64::from(m.saturating_sub(c)))
            .sum()
    }

    /// The phase-1 objective: required meetings, then minimums met, then value. Never
    /// negative: the shortfall counts down from the most there can be.
    pub(crate) fn score(&self) -> u64 {
        self.weight() + self.inst.short_weight() * (self.inst.max_shortfall() - self.shortfall())
    }

    pub(crate) fn spread(&self) -> u32 {
        let lo = self.hist.iter().position(|&h| h > 0);
        let hi = self.hist.iter().rposition(|&h| h > 0);
        match (lo, hi) {
            (Some(lo), Some(hi)) => (hi - lo) as u32,
            _ => 0,
        }
    }
    pub(crate) fn spread_excess(&self) -> u32 {
        self.inst
            .max_break_spread
            .map_or(0, |d| self.spread().saturating_sub(d))
    }

    /// Nothing left for the break search: no more breaks than `bound` (a proven lower bound,
    /// or 0) and the break spread kept. The break bounds speak of fair plans only, so a plan
    /// that misses the spread is never settled by its breaks alone.
    pub(crate) fn settled(&self, bound: u64) -> bool {
        self.sum_breaks <= bound && self.spread_excess() == 0
    }

    /// The SA cost: fairness excess, then breaks, then idle slots.
    pub(crate) fn cost(&self) -> i64 {
        VIOLATION_W * self.violations as i64
            + SPREAD_W * i64::from(self.spread_excess())
            + BREAK_W * self.sum_breaks as i64
            + self.sum_idle as i64
    }

    /// Lexicographic quality: (rule violations, fairness excess, breaks, idle).
    pub(crate) fn key(&self) -> (u64, u32, u64, u64) {
        (
            self.violations,
            self.spread_excess(),
            self.sum_breaks,
            self.sum_idle,
        )
    }

    /// Can pair `p` (currently unscheduled) go into slot `s`? (`s` must be one of its slots.)
    pub(crate) fn can_place(&self, p: usize, s: u32) -> bool {
        if self.relaxed {
            return true;
        }
        let inst = self.inst;
        let pair = &inst.pairs[p];
        let s = s as usize;
        let n = inst.n_opts;
        pair.people().iter().all(|&i| {
            u32::from(self.busy[i * n + s]) < inst.cap[i]
                && (pair.visit.is_some() || self.count[i] < inst.max_meet[i])
                && inst.conflicts[s]
                    .iter()
                    .all(|&c| self.busy[i * n + c as usize] == 0)
        }) && (!pair.floating
            || inst.float_cap[s] == UNLIMITED
            || self.float_used[s] < inst.float_cap[s])
            && (pair.interp.is_none()
                || self
                    .interp
                    .can_add(&inst.interp, p as u32, s as u32, &|m| self.eligible(m)))
    }

    /// The interpreters pair `m` can have (empty when it needs none).
    fn eligible(&self, m: u32) -> &'a [u32] {
        self.inst.pairs[m as usize].interp.as_deref().unwrap_or(&[])
    }

    /// Engagements of participant `i` in options that conflict with option `s`.
    fn conflicting(&self, i: usize, s: usize) -> u64 {
        let n = self.inst.n_opts;
        self.inst.conflicts[s]
            .iter()
            .map(|&c| u64::from(self.busy[i * n + c as usize]))
            .sum()
    }

    fn raw_place(&mut self, p: usize, s: u32) {
        let inst = self.inst;
        let pair = &inst.pairs[p];
        let n = inst.n_opts;
        for &i in pair.people() {
            self.violations += self.conflicting(i, s as usize);
            let b = &mut self.busy[i * n + s as usize];
            if u32::from(*b) >= inst.cap[i] {
                self.violations += 1;
            }
            *b += 1;
            if !self.cover.is_empty() {
                for c in inst.covered(s as usize) {
                    self.cover[i * inst.n_slots + c] += 1;
                }
            }
        }
        if pair.visit.is_none() {
            self.count[pair.a] += 1;
            self.count[pair.b] += 1;
        }
        if pair.floating {
            let f = &mut self.float_used[s as usize];
            if inst.float_cap[s as usize] != UNLIMITED && *f >= inst.float_cap[s as usize] {
                self.violations += 1;
            }
            *f += 1;
        }
        if pair.interp.is_some() {
            let inst = self.inst;
            let elig = |m: u32| inst.pairs[m as usize].interp.as_deref().unwrap_or(&[]);
            if !self.interp.add(&inst.interp, p as u32, s, &elig) {
                self.violations += 1;
                self.no_interp[p] = true;
            }
        }
        for &i in pair.people() {
            self.at[i].push(p as u32);
        }
        self.slot_of[p] = s;
    }

    fn raw_remove(&mut self, p: usize) -> u32 {
        let s = self.slot_of[p];
        let inst = self.inst;
        let pair = &inst.pairs[p];
        let n = inst.n_opts;
        for &i in pair.people() {
            let b = &mut self.busy[i * n + s as usize];
            *b -= 1;
            if u32::from(*b) >= inst.cap[i] {
                self.violations -= 1;
            }
            self.violations -= self.conflicting(i, s as usize);
            if !self.cover.is_empty() {
                for c in inst.covered(s as usize) {
                    self.cover[i * inst.n_slots + c] -= 1;
                }
            }
        }
        if pair.visit.is_none() {
            self.count[pair.a] -= 1;
            self.count[pair.b] -= 1;
        }
        if pair.floating {
            let f = &mut self.float_used[s as usize];
            *f -= 1;
            if inst.float_cap[s as usize] != UNLIMITED && *f >= inst.float_cap[s as usize] {
                self.violations -= 1;
            }
        }
        if std::mem::take(&mut self.no_interp[p]) {
            self.violations -= 1;
        } else {
            self.interp.release(p);
        }
        for &i in pair.people() {
            let list = &mut self.at[i];
            let k = list
                .iter()
                .position(|&q| q == p as u32)
                .expect("scheduled pair is listed");
            list.swap_remove(k);
        }
        self.slot_of[p] = NONE;
        s
    }

    /// Breaks and idle slots of participant `i` in session `q`: runs of idle slots between
    /// engaged ones, slots held by a fixed engagement left out (as if not there).
    fn segment(&self, i: usize, q: usize) -> (u32, u32) {
        let inst = self.inst;
        let row = &self.busy[i * inst.n_opts..i * inst.n_opts + inst.n_slots];
        let fixed = !inst.skip.is_empty();
        let covers = !self.cover.is_empty();
        let (mut runs, mut idle, mut pending) = (0u32, 0u32, 0u32);
        let mut prev = false;
        for s in inst.sessions[q].clone() {
            if fixed && inst.skip[i * inst.n_slots + s] {
                continue;
            }
            let b = row[s] > 0 || covers && self.cover[i * inst.n_slots + s] > 0;
            if b {
                if !prev {
                    runs += 1;
                    if runs > 1 {
                        idle += pending;
                    }
                }
                pending = 0;
            } else {
                pending += 1;
            }
            prev = b;
        }
        (runs.saturating_sub(1), idle)
    }

    /// Recomputes participant `i`'s cached breaks for the given sessions.
    fn refresh(&mut self, i: usize, sessions: &[usize]) {
        let n_sess = self.inst.sessions.len();
        if self.active[i] {
            self.hist[self.tot_breaks[i] as usize] -= 1;
        }
        for &q in sessions {
            let new = self.segment(i, q);
            let old = std::mem::replace(&mut self.seg[i * n_sess + q], new);
            self.sum_breaks = self.sum_breaks + u64::from(new.0) - u64::from(old.0);
            self.sum_idle = self.sum_idle + u64::from(new.1) - u64::from(old.1);
            self.tot_breaks[i] = self.tot_breaks[i] + new.0 - old.0;
        }
        self.active[i] = self.count[i] > 0;
        if self.active[i] {
            self.hist[self.tot_breaks[i] as usize] += 1;
        }
    }

    fn refresh_pairs(&mut self, pairs: &[usize], slots: &[u32]) {
        let mut parts: Vec<usize> = Vec::with_capacity(4);
        for &p in pairs {
            let pr = &self.inst.pairs[p];
            for &i in pr.people() {
                if !parts.contains(&i) {
                    parts.push(i);
                }
            }
        }
        let mut sess: Vec<usize> = Vec::with_capacity(2);
        let mut add = |q: usize| {
            if !sess.contains(&q) {
                sess.push(q);
            }
        };
        for &s in slots {
            // A visit is in no session; it and a meeting with travel around it change the
            // breaks of the sessions whose slots they cover.
            if !self.inst.is_visit(s) {
                add(self.inst.session_of[s as usize]);
            }
            if !self.cover.is_empty() {
                for c in self.inst.covered(s as usize) {
                    add(self.inst.session_of[c]);
                }
            }
        }
        for i in parts {
            self.refresh(i, &sess);
        }
    }

    /// Schedules unscheduled pair `p` in slot `s` (checked by the caller).
    pub(crate) fn place(&mut self, p: usize, s: u32) {
        self.raw_place(p, s);
        self.refresh_pairs(&[p], &[s]);
    }

    pub(crate) fn remove(&mut self, p: usize) {
        let s = self.raw_remove(p);
        self.refresh_pairs(&[p], &[s]);
    }

    /// Replaces the whole assignment (in the current mode).
    fn rebuild(&mut self, slot_of: &[u32]) {
        let relaxed = self.relaxed;
        let mut fresh = State::new(self.inst);
        fresh.relaxed = true; // a copy of a state that was valid in its mode
        for (p, &s) in slot_of.iter().enumerate() {
            if s != NONE {
                fresh.raw_place(p, s);
            }
        }
        let all: Vec<usize> = (0..self.inst.sessions.len()).collect();
        for i in 0..self.inst.n_parts {
            fresh.refresh(i, &all);
        }
        fresh.relaxed = relaxed;
        *self = fresh;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::{Instance, Restrictions};

    /// Everything the state keeps incrementally, compared with a state rebuilt from scratch.
    fn assert_consistent(st: &State) {
        let fresh = State::from_assignment(st.inst, &st.slot_of).expect("a valid plan");
        assert_eq!(st.busy, fresh.busy);
        assert_eq!(st.count, fresh.count);
        assert_eq!(st.float_used, fresh.float_used);
        assert_eq!(st.seg, fresh.seg);
        assert_eq!(st.tot_breaks, fresh.tot_breaks);
        assert_eq!(st.hist, fresh.hist);
        assert_eq!(
            (st.sum_breaks, st.sum_idle),
            (fresh.sum_breaks, fresh.sum_idle)
        );
        for i in 0..st.inst.n_parts {
            let mut a = st.at[i].clone();
            let mut b = fresh.at[i].clone();
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b, "meetings of participant {i}");
        }
    }

    fn event(dir: &str) -> crate::event::Event {
        crate::event::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)).unwrap()
    }

    /// The annealing's moves and their undoing keep the incremental counts exact, on the
    /// bundled event (two sessions a day, fixed tables) and the example (reps, venues), with
    /// and without fairness.
    #[test]
    fn annealing_keeps_its_incremental_state_exact() {
        for dir in ["data", "examples/event"] {
            let ev = event(dir);
            for spread in [None, Some(0)] {
                let inst = Instance::new(&ev, &Restrictions::default(), spread);
                let mut st = State::new(&inst);
                st.insert_greedily(None);
                assert_consistent(&st);
                for seed in 0..3 {
                    st.anneal(20_000, seed, &|| false);
                    assert_consistent(&st);
                }
                let mut chain = Vec::new();
                let mut rng = Rng::new(7);
                let sched: Vec<usize> = st.scheduled().collect();
                for _ in 0..2_000 {
                    let p = sched[rng.below(sched.len())];
                    let slots = inst.pairs[p].slots.clone();
                    let t = slots[rng.below(slots.len())];
                    match rng.below(3) {
                        0 => {
                            st.relocate(p, t);
                        }
                        1 => {
                            let q = sched[rng.below(sched.len())];
                            if q != p {
                                st.swap(p, q);
                            }
                        }
                        _ => {
                            st.kempe(p, t, &mut chain);
                        }
                    }
                }
                assert_consistent(&st);
            }
        }
    }
}
