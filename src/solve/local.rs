//! Incremental schedule state with fast feasibility checks and break accounting, and the
//! heuristics built on it: greedy construction, insertion of waiting requests, and simulated
//! annealing that compacts agendas (fewer breaks) without changing which pairs meet.
//!
//! Everything is driven by a seeded generator and iteration counts, never by the clock alone,
//! so the same input gives the same plan (a deadline only cuts a search short).

use super::instance::{Instance, UNLIMITED};
use super::interp::Matching;
use std::time::Instant;

pub(super) const NONE: u32 = u32::MAX;

/// SA cost weights: a break outweighs any realistic amount of idle time inside one agenda,
/// idle slots only guide the search towards closing gaps; fairness violations outweigh both.
const BREAK_W: i64 = 32;
const SPREAD_W: i64 = 4096;

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

enum Undo {
    Relocate(u32),
    Swap(usize),
    Chain(u32, u32),
}

/// Longest Kempe chain tried: longer ones rarely pay and cost time.
const MAX_CHAIN: usize = 48;
/// Weight of one hard-rule violation while repairing (relaxed mode): two breaks' worth, so the
/// annealing can cross a clash to escape a plateau; the best state kept is by violations first.
const VIOLATION_W: i64 = 64;

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

    /// Moves scheduled pair `p` to slot `t` if the rules allow; returns whether it moved.
    pub(crate) fn relocate(&mut self, p: usize, t: u32) -> bool {
        let s = self.slot_of[p];
        if s == t {
            return false;
        }
        self.raw_remove(p);
        if !self.can_place(p, t) {
            self.raw_place(p, s);
            return false;
        }
        self.raw_place(p, t);
        self.refresh_pairs(&[p], &[s, t]);
        true
    }

    /// Exchanges the slots of scheduled pairs `p` and `q` if the rules allow.
    pub(crate) fn swap(&mut self, p: usize, q: usize) -> bool {
        let (s, t) = (self.slot_of[p], self.slot_of[q]);
        if s == t
            || !self.inst.pairs[p].slots.contains(&t)
            || !self.inst.pairs[q].slots.contains(&s)
        {
            return false;
        }
        self.raw_remove(p);
        self.raw_remove(q);
        if self.can_place(p, t) {
            self.raw_place(p, t);
            if self.can_place(q, s) {
                self.raw_place(q, s);
                self.refresh_pairs(&[p, q], &[s, t]);
                return true;
            }
            self.raw_remove(p);
        }
        self.raw_place(p, s);
        self.raw_place(q, t);
        false
    }

    /// Kempe chain: the meetings of slots s (p's) and t linked to p through shared participants
    /// swap slots together, so every participant keeps its load per slot — the move that still
    /// works when agendas are full. `chain` receives the members. Returns whether it moved.
    pub(crate) fn kempe(&mut self, p: usize, t: u32, chain: &mut Vec<usize>) -> bool {
        let s = self.slot_of[p];
        if s == t {
            return false;
        }
        chain.clear();
        chain.push(p);
        let mut k = 0;
        while k < chain.len() {
            let m = chain[k];
            k += 1;
            let other = if self.slot_of[m] == s { t } else { s };
            if self.inst.pairs[m].slots.binary_search(&other).is_err() {
                return false;
            }
            let pr = &self.inst.pairs[m];
            for &i in pr.people() {
                for &q in &self.at[i] {
                    let q = q as usize;
                    if self.slot_of[q] == other && !chain.contains(&q) {
                        chain.push(q);
                    }
                }
            }
            if chain.len() > MAX_CHAIN {
                return false;
            }
        }
        if self.flip(chain, s, t) {
            self.refresh_pairs(chain, &[s, t]);
            true
        } else {
            false
        }
    }

    /// Moves each member of `chain` from s to t or from t to s, all or none.
    fn flip(&mut self, chain: &[usize], s: u32, t: u32) -> bool {
        let olds: Vec<u32> = chain.iter().map(|&m| self.slot_of[m]).collect();
        for &m in chain {
            self.raw_remove(m);
        }
        for (k, &m) in chain.iter().enumerate() {
            let new = if olds[k] == s { t } else { s };
            if !self.can_place(m, new) {
                for &done in &chain[..k] {
                    self.raw_remove(done);
                }
                for (j, &back) in chain.iter().enumerate() {
                    self.raw_place(back, olds[j]);
                }
                return false;
            }
            self.raw_place(m, new);
        }
        true
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

    /// Places every unscheduled required pair, evicting optional meetings in its way and
    /// accepting clashes among required ones, then anneals the clashes away (min-conflicts).
    /// Returns whether every required pair now meets within the rules.
    pub(crate) fn repair_required(
        &mut self,
        iterations: u64,
        seed: u64,
        over: &dyn Fn() -> bool,
    ) -> bool {
        let inst = self.inst;
        let mut missing: Vec<usize> = (0..inst.pairs.len())
            .filter(|&p| inst.pairs[p].required && self.slot_of[p] == NONE)
            .collect();
        if missing.is_empty() {
            return true;
        }
        missing.sort_by_key(|&p| (inst.pairs[p].slots.len(), p));
        self.relaxed = true;
        for p in missing {
            // The slot with the fewest required meetings in the way, earliest on ties.
            let pr = &inst.pairs[p];
            let clash = |st: &State, s: u32| -> usize {
                pr.people()
                    .iter()
                    .map(|&i| {
                        st.at[i]
                            .iter()
                            .filter(|&&q| {
                                st.slot_of[q as usize] == s && inst.pairs[q as usize].required
                            })
                            .count()
                    })
                    .sum()
            };
            let s = *pr
                .slots
                .iter()
                .min_by_key(|&&s| (clash(self, s), s))
                .expect("candidate pairs have slots");
            self.place(p, s);
            self.evict_optional(p, s);
        }
        for round in 0..4u64 {
            if self.violations == 0 {
                break;
            }
            self.anneal(iterations, seed.wrapping_add(round), over);
        }
        let ok = self.violations == 0;
        if ok {
            self.relaxed = false;
        } else {
            // Leave a valid state behind: drop what still clashes.
            let clashing: Vec<usize> = self.scheduled().collect();
            self.relaxed = false;
            let keep = self.slot_of.clone();
            let mut clean = State::new(inst);
            for p in clashing {
                if clean.can_place(p, keep[p]) {
                    clean.place(p, keep[p]);
                }
            }
            *self = clean;
        }
        ok
    }

    /// Unschedules optional meetings that now exceed a capacity around pair `p` in slot `s`.
    fn evict_optional(&mut self, p: usize, s: u32) {
        let inst = self.inst;
        let pr = &inst.pairs[p];
        for &i in pr.people() {
            // Optional engagements it cannot also hold (overlap, travel) make way.
            let conflicting: Vec<usize> = self.at[i]
                .iter()
                .map(|&q| q as usize)
                .filter(|&q| {
                    q != p
                        && !inst.pairs[q].required
                        && inst.conflicts[s as usize].contains(&self.slot_of[q])
                })
                .collect();
            for q in conflicting {
                self.remove(q);
            }
            loop {
                let over_slot = self.busy(i, s as usize) > inst.cap[i];
                let over_count = inst.max_meet[i] != UNLIMITED && self.count[i] > inst.max_meet[i];
                if !over_slot && !over_count {
                    break;
                }
                let victim = self.at[i]
                    .iter()
                    .map(|&q| q as usize)
                    .filter(|&q| !inst.pairs[q].required && (over_count || self.slot_of[q] == s))
                    .min_by_key(|&q| (inst.pairs[q].value, q));
                match victim {
                    Some(q) => self.remove(q),
                    None => break,
                }
            }
        }
        // A required meeting left without an interpreter: free one from an optional meeting
        // of the slot, then try again.
        while self.no_interp[p] {
            let elig = self.eligible(p as u32);
            let victim = (0..inst.pairs.len())
                .filter(|&q| {
                    self.slot_of[q] == s
                        && !inst.pairs[q].required
                        && elig.contains(&self.interp.of(q))
                })
                .min_by_key(|&q| (inst.pairs[q].value, q));
            match victim {
                Some(q) => {
                    self.remove(q);
                    self.remove(p);
                    self.place(p, s);
                }
                None => break,
            }
        }
        if pr.floating && inst.float_cap[s as usize] != UNLIMITED {
            while self.float_used[s as usize] > inst.float_cap[s as usize] {
                let victim = (0..inst.pairs.len())
                    .filter(|&q| {
                        self.slot_of[q] == s && inst.pairs[q].floating && !inst.pairs[q].required
                    })
                    .min_by_key(|&q| (inst.pairs[q].value, q));
                match victim {
                    Some(q) => self.remove(q),
                    None => break,
                }
            }
        }
    }

    /// Cheapest slot for unscheduled pair `p` by the SA cost, earliest on ties.
    fn best_slot(&mut self, p: usize) -> Option<u32> {
        let mut best: Option<(i64, u32)> = None;
        for k in 0..self.inst.pairs[p].slots.len() {
            let s = self.inst.pairs[p].slots[k];
            if !self.can_place(p, s) {
                continue;
            }
            self.place(p, s);
            let c = self.cost();
            self.remove(p);
            if best.is_none_or(|(bc, _)| c < bc) {
                best = Some((c, s));
            }
        }
        best.map(|(_, s)| s)
    }

    /// Greedy: required pairs first, then by value, the most constrained first; each into the
    /// slot that keeps agendas most compact. Also used to insert waiting requests into a plan.
    pub(crate) fn insert_greedily(&mut self, deadline: Option<Instant>) -> usize {
        let inst = self.inst;
        let mut order: Vec<usize> = (0..inst.pairs.len())
            .filter(|&p| self.slot_of[p] == NONE)
            .collect();
        order.sort_by_key(|&p| {
            let pr = &inst.pairs[p];
            // Displaced announced meetings before new requests, as their weight says.
            (
                !pr.required,
                std::cmp::Reverse(inst.weight(p)),
                pr.slots.len(),
                p,
            )
        });
        let below = |st: &State, i: usize| st.count[i] < inst.min_eff[i];
        // Required pairs lead the order; then the pairs that bring someone up to a promised
        // minimum (both sides below it first); then everything by value.
        let n_req = order
            .iter()
            .take_while(|&&p| inst.pairs[p].required)
            .count();
        // (pass, only while a side is below its minimum)
        let mut passes = vec![(order[..n_req].to_vec(), false)];
        if inst.min_eff.iter().any(|&m| m > 0) {
            let mut helps: Vec<usize> = order[n_req..]
                .iter()
                .copied()
                .filter(|&p| {
                    inst.pairs[p].visit.is_none()
                        && (inst.min_eff[inst.pairs[p].a] > 0 || inst.min_eff[inst.pairs[p].b] > 0)
                })
                .collect();
            helps.sort_by_key(|&p| {
                let pr = &inst.pairs[p];
                let both = inst.min_eff[pr.a] > 0 && inst.min_eff[pr.b] > 0;
                (!both, std::cmp::Reverse(pr.value), pr.slots.len(), p)
            });
            passes.push((helps, true));
        }
        passes.push((order[n_req..].to_vec(), false));
        let mut placed = 0;
        let mut k = 0;
        for (list, minimum_pass) in passes {
            for p in list {
                k += 1;
                if k % 256 == 0 && deadline.is_some_and(|d| Instant::now() > d) {
                    return placed;
                }
                if self.slot_of[p] != NONE {
                    continue;
                }
                let pr = &inst.pairs[p];
                if minimum_pass && !(below(self, pr.a) || below(self, pr.b)) {
                    continue;
                }
                if let Some(s) = self.best_slot(p) {
                    self.place(p, s);
                    placed += 1;
                }
            }
        }
        placed
    }

    /// Simulated annealing on the slots of the scheduled pairs (the set stays the same):
    /// relocations and swaps of two meetings sharing a participant. Keeps the best state seen.
    /// `over` (the deadline or Ctrl-C) is asked every few thousand steps.
    pub(crate) fn anneal(&mut self, iterations: u64, seed: u64, over: &dyn Fn() -> bool) {
        let sched: Vec<usize> = self.scheduled().collect();
        if sched.is_empty() || iterations == 0 {
            return;
        }
        let mut rng = Rng::new(seed);
        let mut cur = self.cost();
        let mut best_key = self.key();
        let mut best = self.slot_of.clone();
        let (t0, t1) = (BREAK_W as f64 * 0.8, 0.3);
        let mut chain: Vec<usize> = Vec::with_capacity(MAX_CHAIN + 1);
        for it in 0..iterations {
            if it % 4096 == 0 {
                if over() {
                    break;
                }
                if best_key == (0, 0, 0, 0) {
                    break; // perfectly compact
                }
            }
            let temp = t0 * (t1 / t0).powf(it as f64 / iterations as f64);
            let p = sched[rng.below(sched.len())];
            // A move, with what undoes it: the old slot of a relocation, the swapped pair, or
            // the two slots of a Kempe chain.
            let r = rng.below(100);
            let moved = if r < 35 {
                let slots = &self.inst.pairs[p].slots;
                let t = slots[rng.below(slots.len())];
                let old = self.slot_of[p];
                self.relocate(p, t).then_some(Undo::Relocate(old))
            } else if r < 70 {
                let people = self.inst.pairs[p].people();
                let i = people[rng.below(people.len())];
                let list = &self.at[i];
                let q = list[rng.below(list.len())] as usize;
                (q != p && self.swap(p, q)).then_some(Undo::Swap(q))
            } else {
                let slots = &self.inst.pairs[p].slots;
                let t = slots[rng.below(slots.len())];
                let s = self.slot_of[p];
                self.kempe(p, t, &mut chain).then_some(Undo::Chain(s, t))
            };
            let Some(undo) = moved else { continue };
            let new = self.cost();
            let delta = new - cur;
            if delta <= 0 || rng.unit() < (-(delta as f64) / temp).exp() {
                cur = new;
                let key = self.key();
                if key < best_key {
                    best_key = key;
                    best.clone_from(&self.slot_of);
                }
            } else {
                // Undoing always succeeds: the move just freed exactly what it needs.
                let undone = match undo {
                    Undo::Swap(q) => self.swap(p, q),
                    Undo::Relocate(old) => self.relocate(p, old),
                    Undo::Chain(s, t) => {
                        let ok = self.flip(&chain, s, t);
                        self.refresh_pairs(&chain, &[s, t]);
                        ok
                    }
                };
                // A real assertion under the unit tests (which run in release), a debug one
                // in the tool.
                if cfg!(test) {
                    assert!(undone, "an annealing move could not be undone");
                } else {
                    debug_assert!(undone);
                }
            }
        }
        if self.key() > best_key {
            self.rebuild(&best);
        }
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
