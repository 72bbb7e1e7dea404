//! Simulated annealing on the slots of the scheduled pairs: compacts agendas (fewer breaks,
//! less idle time, fairness) without changing which pairs meet, and anneals clashes away while
//! required meetings are repaired. The moves (relocation, swap, Kempe chain) each come with
//! what undoes them.

use super::{Rng, State, BREAK_W};

enum Undo {
    Relocate(u32),
    Swap(usize),
    Chain(u32, u32),
}

/// Longest Kempe chain tried: longer ones rarely pay and cost time.
const MAX_CHAIN: usize = 48;

impl State<'_> {
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
}
