//! Interpreters as a resource: which meetings can have which interpreter, and an exact,
//! incremental assignment of interpreters to the meetings that need one.
//!
//! The assignment is a flow: meeting → (interpreter, its slot) [1] → interpreter
//! [`max_meetings`]. A new meeting is added by one augmenting path (breadth-first in the
//! residual graph: it may hand an interpreter's slot to the new meeting and move the meeting
//! that held it to another interpreter, or free one of an interpreter's meetings elsewhere
//! to stay within its `max_meetings`), so a set of meetings gets interpreters whenever any
//! assignment exists: never a greedy guess.

use super::local::NONE;
use std::collections::VecDeque;

/// The interpreters of an instance: who is free when, and how many meetings each may hold.
#[derive(Debug, Clone, Default)]
pub(crate) struct Pool {
    pub(super) n: usize,
    pub(super) n_slots: usize,
    /// `k * n_slots + s`: interpreter k is free in slot s.
    pub(super) free: Vec<bool>,
    pub(crate) max: Vec<u32>,
}

impl Pool {
    pub(crate) fn new(free: Vec<Vec<bool>>, max: Vec<u32>, n_slots: usize) -> Pool {
        Pool {
            n: max.len(),
            n_slots,
            free: free.into_iter().flatten().collect(),
            max,
        }
    }
    pub(crate) fn is_free(&self, k: u32, s: u32) -> bool {
        self.free[k as usize * self.n_slots + s as usize]
    }
}

/// Which interpreter holds which meeting. Meetings are numbered by the caller (candidate
/// pairs in the solver, meetings of a plan when assigning one).
#[derive(Debug, Clone)]
pub(crate) struct Matching {
    n_slots: usize,
    /// `k * n_slots + s` → the meeting interpreter k holds in slot s, or `NONE`.
    holder: Vec<u32>,
    load: Vec<u32>,
    /// Per meeting: its interpreter, or `NONE`.
    of: Vec<u32>,
}

/// One step of an augmenting path: meeting `m`, in slot `s`, takes interpreter `k`.
type Step = (u32, u32, u32);

impl Matching {
    pub(crate) fn new(pool: &Pool, n_meetings: usize) -> Matching {
        Matching {
            n_slots: pool.n_slots,
            holder: vec![NONE; pool.n * pool.n_slots],
            load: vec![0; pool.n],
            of: vec![NONE; n_meetings],
        }
    }

    pub(crate) fn of(&self, m: usize) -> u32 {
        self.of[m]
    }

    /// The meeting interpreter `k` holds in slot `s`, or `NONE`.
    pub(crate) fn holder(&self, k: u32, s: u32) -> u32 {
        self.holder[k as usize * self.n_slots + s as usize]
    }

    /// How many meetings interpreter `k` holds.
    pub(crate) fn load(&self, k: u32) -> u32 {
        self.load[k as usize]
    }

    /// The steps that give meeting `m0` (not yet holding one) an interpreter in slot `s0`,
    /// or `None` when no assignment of the meetings held plus this one exists.
    /// `elig(m)`: the interpreters meeting m can have.
    fn path<'e>(
        &self,
        pool: &Pool,
        m0: u32,
        s0: u32,
        elig: &dyn Fn(u32) -> &'e [u32],
    ) -> Option<Vec<Step>> {
        // BFS nodes: (meeting, its slot, parent node, interpreter it took from the parent).
        let mut nodes: Vec<(u32, u32, usize, u32)> = vec![(m0, s0, usize::MAX, NONE)];
        let mut seen_k = vec![false; pool.n];
        let mut queue = VecDeque::from([0usize]);
        let seen = |nodes: &[(u32, u32, usize, u32)], m: u32| nodes.iter().any(|n| n.0 == m);
        while let Some(at) = queue.pop_front() {
            let (m, s, _, _) = nodes[at];
            for &k in elig(m) {
                if !pool.is_free(k, s) {
                    continue;
                }
                let h = self.holder[k as usize * self.n_slots + s as usize];
                if h == NONE {
                    if self.load[k as usize] < pool.max[k as usize] {
                        // Found: walk back from `at`, m taking k.
                        let mut steps = vec![(m, s, k)];
                        let mut cur = at;
                        while nodes[cur].2 != usize::MAX {
                            let (_, _, parent, via) = nodes[cur];
                            let (pm, ps, _, _) = nodes[parent];
                            steps.push((pm, ps, via));
                            cur = parent;
                        }
                        return Some(steps);
                    }
                    if !seen_k[k as usize] {
                        seen_k[k as usize] = true;
                        // k is at its max_meetings: one of its meetings elsewhere moves on.
                        for s2 in 0..self.n_slots as u32 {
                            let h2 = self.holder[k as usize * self.n_slots + s2 as usize];
                            if h2 != NONE && !seen(&nodes, h2) {
                                nodes.push((h2, s2, at, k));
                                queue.push_back(nodes.len() - 1);
                            }
                        }
                    }
                } else if h != m && !seen(&nodes, h) {
                    nodes.push((h, s, at, k));
                    queue.push_back(nodes.len() - 1);
                }
            }
        }
        None
    }

    /// Whether meeting `m` could get an interpreter in slot `s` (possibly by reassigning).
    pub(crate) fn can_add<'e>(
        &self,
        pool: &Pool,
        m: u32,
        s: u32,
        elig: &dyn Fn(u32) -> &'e [u32],
    ) -> bool {
        self.path(pool, m, s, elig).is_some()
    }

    /// Gives meeting `m` an interpreter in slot `s`; false (nothing changed) when impossible.
    pub(crate) fn add<'e>(
        &mut self,
        pool: &Pool,
        m: u32,
        s: u32,
        elig: &dyn Fn(u32) -> &'e [u32],
    ) -> bool {
        let Some(steps) = self.path(pool, m, s, elig) else {
            return false;
        };
        // Release first (every moved meeting gives up what it held), then take.
        for &(m, _, _) in &steps {
            self.release(m as usize);
        }
        for &(m, s, k) in &steps {
            self.take(m as usize, s, k);
        }
        true
    }

    /// Gives meeting `m` interpreter `k` in slot `s` directly when that is free (a re-plan
    /// keeping an announced interpreter); false otherwise.
    pub(crate) fn try_take(&mut self, pool: &Pool, m: usize, s: u32, k: u32) -> bool {
        let cell = k as usize * self.n_slots + s as usize;
        if self.of[m] != NONE
            || !pool.is_free(k, s)
            || self.holder[cell] != NONE
            || self.load[k as usize] >= pool.max[k as usize]
        {
            return false;
        }
        self.take(m, s, k);
        true
    }

    fn take(&mut self, m: usize, s: u32, k: u32) {
        self.holder[k as usize * self.n_slots + s as usize] = m as u32;
        self.load[k as usize] += 1;
        self.of[m] = k;
    }

    /// Frees meeting `m`'s interpreter (if any).
    pub(crate) fn release(&mut self, m: usize) {
        let k = self.of[m];
        if k == NONE {
            return;
        }
        let row = &mut self.holder[k as usize * self.n_slots..(k as usize + 1) * self.n_slots];
        if let Some(c) = row.iter_mut().find(|h| **h == m as u32) {
            *c = NONE;
        }
        self.load[k as usize] -= 1;
        self.of[m] = NONE;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two interpreters, a speaks both languages, b only one pair's: the second meeting of
    /// the slot forces the first onto b.
    #[test]
    fn an_augmenting_path_moves_a_meeting_to_another_interpreter() {
        let pool = Pool::new(vec![vec![true; 2], vec![true; 2]], vec![5, 5], 2);
        let elig: Vec<Vec<u32>> = vec![vec![0, 1], vec![0]];
        let e = |m: u32| elig[m as usize].as_slice();
        let mut mt = Matching::new(&pool, 2);
        assert!(mt.add(&pool, 0, 0, &e));
        assert_eq!(mt.of(0), 0);
        assert!(mt.add(&pool, 1, 0, &e));
        assert_eq!((mt.of(0), mt.of(1)), (1, 0));
    }

    /// max_meetings 1: the interpreter's meeting in another slot moves to the other one.
    #[test]
    fn a_full_interpreter_hands_a_meeting_elsewhere() {
        let pool = Pool::new(vec![vec![true; 2], vec![true; 2]], vec![1, 1], 2);
        let elig: Vec<Vec<u32>> = vec![vec![0, 1], vec![0]];
        let e = |m: u32| elig[m as usize].as_slice();
        let mut mt = Matching::new(&pool, 2);
        assert!(mt.add(&pool, 0, 0, &e));
        assert!(mt.add(&pool, 1, 1, &e));
        assert_eq!((mt.of(0), mt.of(1)), (1, 0));
        mt.release(1);
        assert_eq!(mt.of(1), NONE);
    }
}
