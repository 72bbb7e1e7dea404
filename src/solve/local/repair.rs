//! Repair of required meetings: places every one still missing, evicting optional meetings in
//! its way and accepting clashes among required ones, then anneals the clashes away.

use super::{State, NONE};
use crate::solve::instance::UNLIMITED;

impl State<'_> {
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
}
