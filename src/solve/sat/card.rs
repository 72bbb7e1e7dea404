//! Clauses into CaDiCaL, and the counting circuits the timing encoding is built from: at-most-one,
//! totalizers (unary sums that merge, for the MaxSAT loop) and Batcher's odd-even merge sorter
//! (the cardinality network: O(n log² n) clauses where a totalizer over many literals costs
//! O(n·k²); the issue measured totalizers 1.2–5× slower on the busy-slot counts).
//!
//! A unary number is a vector of literals, `u[k]` meaning "at least k + 1".

use rustsat::solvers::Solve;
use rustsat::types::{Lit, Var};
use rustsat_cadical::CaDiCaL;

/// Which implications a counting circuit carries: `Up` forces an output true once that many
/// inputs are true (enough for an upper bound "not at least k"), `Both` also the converse (for
/// exact counts, lower bounds and fairness).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Dir {
    Up,
    Both,
}

/// The SAT solver with a variable counter and a constant-true literal. Clauses with a true
/// literal are dropped and false literals removed, so circuits over constants cost nothing.
pub(super) struct Sink<'t> {
    pub solver: CaDiCaL<'t, 'static>,
    n_vars: u32,
    pub n_clauses: usize,
    tru: Lit,
    buf: Vec<Lit>,
}

impl<'t> Sink<'t> {
    pub(super) fn new() -> Self {
        let mut s = Sink {
            solver: CaDiCaL::default(),
            n_vars: 0,
            n_clauses: 0,
            tru: Var::new(0).pos_lit(),
            buf: Vec::new(),
        };
        s.tru = s.lit();
        let t = s.tru;
        s.add(&[t]);
        s
    }

    pub(super) fn fals(&self) -> Lit {
        !self.tru
    }

    pub(super) fn lit(&mut self) -> Lit {
        let v = Var::new(self.n_vars);
        self.n_vars += 1;
        v.pos_lit()
    }

    /// Adds a clause (simplified against the constants).
    pub(super) fn add(&mut self, clause: &[Lit]) {
        self.buf.clear();
        for &l in clause {
            if l == self.tru {
                return;
            }
            if l != !self.tru {
                self.buf.push(l);
            }
        }
        self.n_clauses += 1;
        // CaDiCaL only fails here when out of memory, which Rust aborts on anyway.
        self.solver
            .add_clause_ref(&self.buf[..])
            .expect("CaDiCaL accepts clauses");
    }

    /// `out` ↔ a ∨ b ∨ …, returning a fresh literal (or the only one, or a constant).
    pub(super) fn or(&mut self, lits: &[Lit]) -> Lit {
        let lits: Vec<Lit> = lits.iter().copied().filter(|&l| l != self.fals()).collect();
        if lits.contains(&self.tru) {
            return self.tru;
        }
        match lits.len() {
            0 => self.fals(),
            1 => lits[0],
            _ => {
                let o = self.lit();
                for &l in &lits {
                    self.add(&[!l, o]);
                }
                let mut big = lits.clone();
                big.push(!o);
                self.add(&big);
                o
            }
        }
    }

    /// At most one of `lits` is true: pairwise for a few, a sequential counter (3n clauses)
    /// beyond.
    pub(super) fn at_most_one(&mut self, lits: &[Lit]) {
        let lits: Vec<Lit> = lits.iter().copied().filter(|&l| l != self.fals()).collect();
        if lits.len() <= 5 {
            for i in 0..lits.len() {
                for j in i + 1..lits.len() {
                    self.add(&[!lits[i], !lits[j]]);
                }
            }
            return;
        }
        let mut prev = lits[0];
        for &x in &lits[1..] {
            let s = self.lit();
            self.add(&[!prev, s]);
            self.add(&[!x, s]);
            self.add(&[!prev, !x]);
            prev = s;
        }
    }

    /// Exactly one of `lits`.
    pub(super) fn exactly_one(&mut self, lits: &[Lit]) {
        self.add(lits);
        self.at_most_one(lits);
    }

    /// Merges two unary numbers into their sum, keeping the outputs up to `cap` (the last one
    /// then means "at least cap", saturated).
    pub(super) fn merge(&mut self, a: &[Lit], b: &[Lit], cap: usize, dir: Dir) -> Vec<Lit> {
        if a.is_empty() {
            return b[..b.len().min(cap)].to_vec();
        }
        if b.is_empty() {
            return a[..a.len().min(cap)].to_vec();
        }
        let n = (a.len() + b.len()).min(cap);
        let r: Vec<Lit> = (0..n).map(|_| self.lit()).collect();
        // a_i ∧ b_j → r_{i+j}  (index 0 = "at least 0", always true, is left out)
        for i in 0..=a.len().min(n) {
            for j in 0..=b.len().min(n - i) {
                if i + j == 0 {
                    continue;
                }
                let mut c = Vec::with_capacity(3);
                if i > 0 {
                    c.push(!a[i - 1]);
                }
                if j > 0 {
                    c.push(!b[j - 1]);
                }
                c.push(r[i + j - 1]);
                self.add(&c);
            }
        }
        if dir == Dir::Both {
            // ¬a_{i+1} ∧ ¬b_{j+1} → ¬r_{i+j+1}
            for i in 0..=a.len() {
                for j in 0..=b.len() {
                    if i + j >= n {
                        continue;
                    }
                    let mut c = Vec::with_capacity(3);
                    if i < a.len() {
                        c.push(a[i]);
                    }
                    if j < b.len() {
                        c.push(b[j]);
                    }
                    c.push(!r[i + j]);
                    self.add(&c);
                }
            }
        }
        r
    }

    /// Totalizer over unary numbers (single literals are numbers of length 1), merged as a
    /// balanced tree in input order (deterministic).
    pub(super) fn totalizer(&mut self, mut parts: Vec<Vec<Lit>>, cap: usize, dir: Dir) -> Vec<Lit> {
        parts.retain(|p| !p.is_empty());
        if parts.is_empty() {
            return Vec::new();
        }
        while parts.len() > 1 {
            let mut next = Vec::with_capacity(parts.len().div_ceil(2));
            let mut it = parts.into_iter();
            while let Some(a) = it.next() {
                match it.next() {
                    Some(b) => next.push(self.merge(&a, &b, cap, dir)),
                    None => next.push(a),
                }
            }
            parts = next;
        }
        let mut out = parts.pop().unwrap_or_default();
        out.truncate(cap);
        out
    }

    /// Comparator: (max, min) of two literals, i.e. (a ∨ b, a ∧ b), folding constants.
    fn compare(&mut self, a: Lit, b: Lit, dir: Dir) -> (Lit, Lit) {
        let (t, f) = (self.tru, self.fals());
        if a == f || b == t {
            return (b, a);
        }
        if b == f || a == t {
            return (a, b);
        }
        let (hi, lo) = (self.lit(), self.lit());
        self.add(&[!a, hi]);
        self.add(&[!b, hi]);
        self.add(&[!a, !b, lo]);
        if dir == Dir::Both {
            self.add(&[!hi, a, b]);
            self.add(&[!lo, a]);
            self.add(&[!lo, b]);
        }
        (hi, lo)
    }

    /// Batcher's odd-even merge sorter: the inputs sorted descending, so output k means "at
    /// least k + 1 inputs are true". Padding with false constants costs no clause.
    pub(super) fn sorter(&mut self, lits: &[Lit], dir: Dir) -> Vec<Lit> {
        let n = lits.len();
        if n <= 1 {
            return lits.to_vec();
        }
        let m = n.next_power_of_two();
        let mut v = lits.to_vec();
        v.resize(m, self.fals());
        let mut p = 1;
        while p < m {
            let mut k = p;
            while k >= 1 {
                let mut j = k % p;
                while j + k < m {
                    for i in 0..k.min(m - j - k) {
                        if (i + j) / (2 * p) == (i + j + k) / (2 * p) {
                            let (hi, lo) = self.compare(v[i + j], v[i + j + k], dir);
                            v[i + j] = hi;
                            v[i + j + k] = lo;
                        }
                    }
                    j += 2 * k;
                }
                k /= 2;
            }
            p *= 2;
        }
        v.truncate(n);
        v
    }

    /// Unary count of `lits` up to `cap` outputs: a sorter for many inputs, a totalizer for few
    /// (where its k² per node stays small).
    pub(super) fn count(&mut self, lits: &[Lit], cap: usize, dir: Dir) -> Vec<Lit> {
        let lits: Vec<Lit> = lits.iter().copied().filter(|&l| l != self.fals()).collect();
        let mut out = if lits.len() <= 8 || cap <= 2 {
            let parts = lits.iter().map(|&l| vec![l]).collect();
            self.totalizer(parts, cap, dir)
        } else {
            self.sorter(&lits, dir)
        };
        out.truncate(cap);
        out
    }

    /// At most `k` of `lits`.
    pub(super) fn at_most(&mut self, lits: &[Lit], k: usize) {
        if lits.len() <= k {
            return;
        }
        if k == 0 {
            for &l in lits {
                self.add(&[!l]);
            }
            return;
        }
        if k == 1 {
            self.at_most_one(lits);
            return;
        }
        let c = self.count(lits, k + 1, Dir::Up);
        if let Some(&over) = c.get(k) {
            self.add(&[!over]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustsat::solvers::{SolveIncremental, SolverResult};

    /// Every assignment of n inputs: the circuit's outputs, forced by assumptions, must agree
    /// with the true count (both directions), and an `Up` circuit must never claim less.
    fn check_counter(n: usize, cap: usize, build: impl Fn(&mut Sink, &[Lit]) -> Vec<Lit>) {
        let mut s = Sink::new();
        let xs: Vec<Lit> = (0..n).map(|_| s.lit()).collect();
        let out = build(&mut s, &xs);
        assert_eq!(out.len(), n.min(cap));
        for mask in 0..(1u32 << n) {
            let assumps: Vec<Lit> = (0..n)
                .map(|i| if mask >> i & 1 == 1 { xs[i] } else { !xs[i] })
                .collect();
            assert_eq!(s.solver.solve_assumps(&assumps).unwrap(), SolverResult::Sat);
            let count = mask.count_ones() as usize;
            for (k, &o) in out.iter().enumerate() {
                let want = count > k;
                let got = s.solver.lit_val(o).unwrap().to_bool_with_def(false);
                assert_eq!(got, want, "n={n} mask={mask:b} output {k}");
            }
        }
    }

    #[test]
    fn sorter_counts_exactly() {
        for n in 1..=7 {
            check_counter(n, n, |s, xs| s.sorter(xs, Dir::Both));
        }
    }

    #[test]
    fn totalizer_counts_exactly_and_saturates() {
        for n in 1..=7 {
            for cap in 1..=n {
                check_counter(n, cap, |s, xs| {
                    s.totalizer(xs.iter().map(|&l| vec![l]).collect(), cap, Dir::Both)
                });
            }
        }
    }

    #[test]
    fn at_most_k_admits_exactly_the_small_counts() {
        for n in 1..=7 {
            for k in 0..=n {
                let mut s = Sink::new();
                let xs: Vec<Lit> = (0..n).map(|_| s.lit()).collect();
                s.at_most(&xs, k);
                for mask in 0..(1u32 << n) {
                    let assumps: Vec<Lit> = (0..n)
                        .map(|i| if mask >> i & 1 == 1 { xs[i] } else { !xs[i] })
                        .collect();
                    let sat = s.solver.solve_assumps(&assumps).unwrap() == SolverResult::Sat;
                    assert_eq!(sat, mask.count_ones() as usize <= k, "n={n} k={k} {mask:b}");
                }
            }
        }
    }
}
