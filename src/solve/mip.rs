//! The time-indexed MIP, as a struct holding its variables with small `add_*` methods, and
//! the HiGHS run behind it (options, warm start, and the C callback that reports incumbent and
//! bound and stops the search on request, keeping the best plan).
//!
//! The same model serves the whole event (`ScheduleModel::new`) and a neighbourhood of a plan
//! (`ScheduleModel::restricted`, for the neighbourhood search): there only the freed pairs have
//! columns, every other meeting of the plan is a constant (`Fixed`), and the rows about people
//! exist only for those the freed pairs touch. Every `add_*` method builds both, so the small
//! model knows every rule the large one does.

use super::instance::{Instance, UNLIMITED};
use super::local::{State, NONE};
use crate::progress::Progress;
use anyhow::{anyhow, Result};
use good_lp::solvers::highs::HighsProblem;
use good_lp::{
    variable, Constraint, Expression, IntoAffineExpression, ProblemVariables, SolverModel, Variable,
};
use std::ffi::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// How an auxiliary column's warm-start value follows from a schedule.
enum Aux {
    /// Participant `i` is busy in slot `s` (binary, for participants with reps > 1).
    Busy(usize, usize),
    /// A run of meetings of `i` starts at slot `s`.
    Start(usize, usize),
    /// `i` has a meeting in session `q`.
    Active(usize, usize),
    /// `i` holds all its meetings back to back in session `q` (no break).
    Compact(usize, usize),
    /// ... starting at slot `k`.
    Block(usize, usize),
    /// Most / fewest breaks among the participants the fairness rule covers.
    MostBreaks,
    FewestBreaks,
    /// Pair `p` meets in slot `s` with interpreter `k`.
    Interp(usize, u32, u32),
}

/// The constant part of a restricted model: what the plan's meetings outside the neighbourhood
/// hold. Per-participant fields are indexed by the touched participant's rank in `people`.
/// Built from the plan's counters and the freed pairs alone, so its size is the
/// neighbourhood's (times the slots), never the event's.
struct Fixed {
    /// The participants the freed pairs occupy, ascending: the only ones with rows.
    people: Vec<usize>,
    /// Per touched participant × option: its kept engagements there.
    busy: Vec<u32>,
    /// Per touched participant × slot: kept engagements that keep it from the slot (a visit,
    /// travel: `Instance::covered`). Empty without conflicts between options.
    cover: Vec<u32>,
    /// Per touched participant: its kept meetings (visits not counted, as `State::count`).
    count: Vec<u32>,
    /// Per touched participant × session: its breaks there in the plan. The sessions the freed
    /// pairs cannot reach keep them: the objective's constant part.
    breaks: Vec<u32>,
    /// Per option: floating tables (a visit's seats) the kept meetings use.
    float_used: Vec<u32>,
    /// (interpreter, slot) that a kept meeting holds, sorted (the kept meetings keep their
    /// interpreters: a model solution then has an assignment, which the exact matching of
    /// `State` finds again).
    interp_held: Vec<(u32, u32)>,
    /// Per interpreter: the kept meetings it holds (against its `max_meetings`).
    interp_load: Vec<u32>,
}

pub(super) struct ScheduleModel<'a> {
    inst: &'a Instance,
    vars: ProblemVariables,
    /// The candidate pair of each row of `x`: every pair (the full model), or the freed ones.
    pairs: Vec<usize>,
    /// Per row: (slot, variable, column) for each slot the pair may use.
    x: Vec<Vec<(u32, Variable, usize)>>,
    aux: Vec<(usize, Aux)>,
    n_cols: usize,
    constraints: Vec<Constraint>,
    /// Participants under the fairness rule in the model (those with a required meeting).
    fair: Vec<usize>,
    /// Per participant with a promised minimum: (participant, shortfall variable, column).
    short: Vec<(usize, Variable, usize)>,
    /// A restricted model's constants; `None`: the full model, where nothing is fixed.
    fixed: Option<Fixed>,
}

impl<'a> ScheduleModel<'a> {
    /// One binary per (pair, allowed slot), and "each pair meets at most once".
    pub(super) fn new(inst: &'a Instance) -> Self {
        Self::build(inst, (0..inst.pairs.len()).collect(), None)
    }

    /// The model of a neighbourhood of plan `st`: the `free` pairs (scheduled ones) get
    /// columns in the slots where they fit beside the rest of the plan, which stays where it
    /// is as constants; rows about people exist for the participants the freed pairs occupy.
    /// The rows are the full model's with the kept meetings' terms as numbers, so a solution
    /// plus the kept meetings is a plan of the full model. `solve` answers the freed pairs'
    /// slots in the order of `free`. Costs the neighbourhood's size times the slots: the
    /// rest of the plan is read from `st`'s counters, never walked.
    pub(super) fn restricted(inst: &'a Instance, st: &State, free: &[usize]) -> Self {
        let n = inst.n_opts;
        let people = inst.people_of(free);
        let rank = |i: usize| {
            people
                .binary_search(&i)
                .expect("a freed pair's participant")
        };
        let mut busy = Vec::with_capacity(people.len() * n);
        for &i in &people {
            busy.extend((0..n).map(|o| st.busy(i, o)));
        }
        let mut count: Vec<u32> = people.iter().map(|&i| st.count(i)).collect();
        let mut float_used: Vec<u32> = (0..n).map(|o| st.float_used(o)).collect();
        let matching = st.interpreters();
        let mut interp_load: Vec<u32> = (0..inst.interp.n as u32)
            .map(|k| matching.load(k))
            .collect();
        let mut freed = free.to_vec();
        freed.sort_unstable();
        // The plan's counters less the freed meetings' part: what the kept meetings hold.
        for &p in free {
            let s = st.slot_of[p];
            if s == NONE {
                continue;
            }
            let pr = &inst.pairs[p];
            for &i in pr.people() {
                busy[rank(i) * n + s as usize] -= 1;
                if pr.visit.is_none() {
                    count[rank(i)] -= 1;
                }
            }
            if pr.floating {
                float_used[s as usize] -= 1;
            }
            let k = st.interpreter(p);
            if k != NONE {
                interp_load[k as usize] -= 1;
            }
        }
        let ns = inst.n_slots;
        let mut cover = Vec::new();
        if inst.has_conflicts() {
            // As `State` counts it: each engagement covers the slots its option conflicts with.
            cover = vec![0; people.len() * ns];
            for r in 0..people.len() {
                for o in 0..n {
                    let b = busy[r * n + o];
                    if b > 0 {
                        for s in inst.covered(o) {
                            cover[r * ns + s] += b;
                        }
                    }
                }
            }
        }
        let mut interp_held = Vec::new();
        for &p in free {
            let Some(elig) = &inst.pairs[p].interp else {
                continue;
            };
            for &s in &inst.pairs[p].slots {
                for &k in elig {
                    let h = matching.holder(k, s);
                    if h != NONE && freed.binary_search(&(h as usize)).is_err() {
                        interp_held.push((k, s));
                    }
                }
            }
        }
        interp_held.sort_unstable();
        interp_held.dedup();
        let nq = inst.sessions.len();
        let mut breaks = Vec::with_capacity(people.len() * nq);
        for &i in &people {
            breaks.extend((0..nq).map(|q| session_breaks(inst, st, i, q)));
        }
        let fixed = Fixed {
            people,
            busy,
            cover,
            count,
            breaks,
            float_used,
            interp_held,
            interp_load,
        };
        Self::build(inst, free.to_vec(), Some(fixed))
    }

    /// Columns for `pairs` (where they fit beside what `fixed` holds) and the rows every model
    /// has.
    fn build(inst: &'a Instance, pairs: Vec<usize>, fixed: Option<Fixed>) -> Self {
        let mut m = ScheduleModel {
            inst,
            vars: ProblemVariables::new(),
            x: Vec::with_capacity(pairs.len()),
            pairs,
            aux: Vec::new(),
            n_cols: 0,
            constraints: Vec::new(),
            fair: Vec::new(),
            short: Vec::new(),
            fixed,
        };
        for k in 0..m.pairs.len() {
            let p = m.pairs[k];
            let mut row = Vec::with_capacity(inst.pairs[p].slots.len());
            for &s in &inst.pairs[p].slots {
                if m.fits(p, s) {
                    let (v, c) = m.add_var(variable().binary());
                    row.push((s, v, c));
                }
            }
            m.x.push(row);
        }
        m.add_pair_once();
        m.add_participant_capacity();
        m.add_max_meetings();
        m.add_table_capacity();
        m.add_minimums();
        m.add_conflicts();
        m.add_interpreters();
        m
    }

    /// Whether pair `p` can use option `s` beside the kept meetings (always in the full
    /// model). Leaving out the options that cannot work keeps the small model small; the rows
    /// would forbid them anyway.
    fn fits(&self, p: usize, s: u32) -> bool {
        let Some(f) = &self.fixed else {
            return true;
        };
        let inst = self.inst;
        let (pr, n, su) = (&inst.pairs[p], inst.n_opts, s as usize);
        pr.people().iter().all(|&i| {
            let r = self.rank(i);
            f.busy[r * n + su] < inst.cap[i]
                && inst.conflicts[su]
                    .iter()
                    .all(|&c| f.busy[r * n + c as usize] == 0)
        }) && (!pr.floating
            || inst.float_cap[su] == UNLIMITED
            || f.float_used[su] < inst.float_cap[su])
            && pr
                .interp
                .as_ref()
                .is_none_or(|elig| elig.iter().any(|&k| self.interp_open(k, s)))
    }

    /// Participants with rows: all of them, or those a restricted model touches.
    fn n_people(&self) -> usize {
        self.fixed
            .as_ref()
            .map_or(self.inst.n_parts, |f| f.people.len())
    }
    /// The participant of rank `r` (of `n_people`).
    fn person(&self, r: usize) -> usize {
        self.fixed.as_ref().map_or(r, |f| f.people[r])
    }
    /// The rank of participant `i` (who must have rows).
    fn rank(&self, i: usize) -> usize {
        self.fixed.as_ref().map_or(i, |f| {
            f.people
                .binary_search(&i)
                .expect("a participant of the model")
        })
    }
    /// Kept engagements of the participant of rank `r` in option `o` (none in the full model).
    fn fixed_busy(&self, r: usize, o: usize) -> u32 {
        self.fixed
            .as_ref()
            .map_or(0, |f| f.busy[r * self.inst.n_opts + o])
    }
    /// Whether a kept engagement takes slot `s` of the participant of rank `r`: busy there, for
    /// the break rows, whatever the freed pairs do.
    fn fixed_engaged(&self, r: usize, s: usize) -> bool {
        self.fixed_busy(r, s) > 0 || self.fixed_cover(r, s) > 0
    }
    fn fixed_cover(&self, r: usize, s: usize) -> u32 {
        self.fixed.as_ref().map_or(0, |f| {
            f.cover.get(r * self.inst.n_slots + s).copied().unwrap_or(0)
        })
    }
    fn fixed_count(&self, r: usize) -> u32 {
        self.fixed.as_ref().map_or(0, |f| f.count[r])
    }
    /// Breaks the plan has in session `q` of the participant of rank `r`, kept as a constant
    /// when the model cannot change that session (none in the full model: it has rows for
    /// every session where something can happen).
    fn fixed_breaks(&self, r: usize, q: usize) -> u32 {
        self.fixed
            .as_ref()
            .map_or(0, |f| f.breaks[r * self.inst.sessions.len() + q])
    }
    fn fixed_float(&self, o: usize) -> u32 {
        self.fixed.as_ref().map_or(0, |f| f.float_used[o])
    }
    fn fixed_interp_load(&self, k: usize) -> u32 {
        self.fixed.as_ref().map_or(0, |f| f.interp_load[k])
    }
    /// Whether interpreter `k` can take a model meeting in slot `s`: free then, and (in a
    /// restricted model) neither holding a kept meeting there nor at its `max_meetings`.
    fn interp_open(&self, k: u32, s: u32) -> bool {
        self.inst.interp.is_free(k, s)
            && self.fixed.as_ref().is_none_or(|f| {
                f.interp_held.binary_search(&(k, s)).is_err()
                    && f.interp_load[k as usize] < self.inst.interp.max[k as usize]
            })
    }

    /// Rows of `x` that are meetings of the participant of rank `r` (visits count for no
    /// meeting limit).
    fn meeting_rows(&self, r: usize) -> Vec<usize> {
        let i = self.person(r);
        if self.fixed.is_none() {
            return self.inst.by_part[i].clone();
        }
        (0..self.pairs.len())
            .filter(|&k| {
                let pr = &self.inst.pairs[self.pairs[k]];
                pr.visit.is_none() && (pr.a == i || pr.b == i)
            })
            .collect()
    }

    /// One person cannot hold two conflicting options (overlap, or too little time to travel
    /// between their venues): per participant and conflicting pair of options, the engagements
    /// in both are at most one.
    fn add_conflicts(&mut self) {
        let n = self.inst.n_opts;
        let terms = self.part_slot_terms();
        // Conflicts with a kept engagement are out already (`fits`): the rows are between the
        // model's own options.
        for r in 0..self.n_people() {
            let i = self.person(r);
            for o in 0..n {
                let t = &terms[r * n + o];
                if t.is_empty() {
                    continue;
                }
                for &c in &self.inst.conflicts[o] {
                    let c = c as usize;
                    let u = &terms[r * n + c];
                    if c < o || u.is_empty() {
                        continue;
                    }
                    if self.inst.cap[i] == 1 {
                        let e: Expression = t.iter().chain(u).copied().sum();
                        self.constraints.push(e.leq(1));
                    } else {
                        for &x in t {
                            for &y in u {
                                self.constraints.push((x + y).leq(1));
                            }
                        }
                    }
                }
            }
        }
    }

    /// Interpreters, exactly: y[p,s,k] (pair p meets in slot s with interpreter k) for the
    /// pairs that need one; each meeting has one, an interpreter holds one meeting per slot
    /// and at most its `max_meetings`.
    fn add_interpreters(&mut self) {
        let inst = self.inst;
        if inst.interp.n == 0 {
            return;
        }
        let mut per_ks: std::collections::BTreeMap<(u32, u32), Vec<Variable>> = Default::default();
        let mut per_k: Vec<Vec<Variable>> = vec![Vec::new(); inst.interp.n];
        for row in 0..self.x.len() {
            let p = self.pairs[row];
            let Some(elig) = &inst.pairs[p].interp else {
                continue;
            };
            for j in 0..self.x[row].len() {
                let (s, xv, _) = self.x[row][j];
                let mut ys = Expression::default();
                for &k in elig {
                    if !self.interp_open(k, s) {
                        continue;
                    }
                    let (y, c) = self.add_var(variable().binary());
                    self.aux.push((c, Aux::Interp(p, s, k)));
                    ys += y;
                    per_ks.entry((k, s)).or_default().push(y);
                    per_k[k as usize].push(y);
                }
                self.constraints.push((ys - xv).eq(0));
            }
        }
        for t in per_ks.into_values() {
            if t.len() > 1 {
                let e: Expression = t.into_iter().sum();
                self.constraints.push(e.leq(1));
            }
        }
        for (k, t) in per_k.into_iter().enumerate() {
            let max = inst.interp.max[k];
            let room = max.saturating_sub(self.fixed_interp_load(k));
            if max != UNLIMITED && t.len() as u32 > room {
                let e: Expression = t.into_iter().sum();
                self.constraints.push(e.leq(room));
            }
        }
    }

    /// `min_meetings`: meetings of i + shortfall_i >= minimum, the shortfall priced in the
    /// objective (`weight_expr`).
    fn add_minimums(&mut self) {
        for r in 0..self.n_people() {
            let i = self.person(r);
            // What the model's meetings must add to the kept ones.
            let min = self.inst.min_eff[i].saturating_sub(self.fixed_count(r));
            if min == 0 {
                continue;
            }
            let (v, c) = self.add_var(variable().min(0.0).max(min as f64));
            self.short.push((i, v, c));
            let e: Expression = self
                .meeting_rows(r)
                .into_iter()
                .map(|k| self.sum_x(k))
                .sum::<Expression>()
                + v;
            self.constraints.push(e.geq(min as f64));
        }
    }

    fn add_var(&mut self, def: good_lp::variable::VariableDefinition) -> (Variable, usize) {
        let v = self.vars.add(def);
        self.n_cols += 1;
        (v, self.n_cols - 1)
    }

    pub(super) fn n_cols(&self) -> usize {
        self.n_cols
    }
    pub(super) fn n_rows(&self) -> usize {
        self.constraints.len()
    }

    /// The x variables of row `k`.
    fn sum_x(&self, k: usize) -> Expression {
        self.x[k].iter().map(|&(_, v, _)| v).sum()
    }

    fn add_pair_once(&mut self) {
        for p in 0..self.x.len() {
            if self.x[p].len() > 1 {
                let c = self.sum_x(p).leq(1);
                self.constraints.push(c);
            }
        }
    }

    /// x variables of the participant of rank `r` (`n_people`) in option `o`, at `r * n_opts + o`.
    fn part_slot_terms(&self) -> Vec<Vec<Variable>> {
        let n = self.inst.n_opts;
        let mut terms = vec![Vec::new(); self.n_people() * n];
        for (k, row) in self.x.iter().enumerate() {
            let pr = &self.inst.pairs[self.pairs[k]];
            for &(s, v, _) in row {
                for &i in pr.people() {
                    terms[self.rank(i) * n + s as usize].push(v);
                }
            }
        }
        terms
    }

    fn add_participant_capacity(&mut self) {
        let terms = self.part_slot_terms();
        let n = self.inst.n_opts;
        for (k, t) in terms.iter().enumerate() {
            let (r, o) = (k / n, k % n);
            let room = self.inst.cap[self.person(r)].saturating_sub(self.fixed_busy(r, o));
            if t.len() as u32 > room {
                let e: Expression = t.iter().copied().sum();
                self.constraints.push(e.leq(room));
            }
        }
    }

    fn add_max_meetings(&mut self) {
        for r in 0..self.n_people() {
            let max = self.inst.max_meet[self.person(r)];
            if max == UNLIMITED {
                continue;
            }
            let rows = self.meeting_rows(r);
            let room = max.saturating_sub(self.fixed_count(r));
            if rows.len() as u32 > room {
                let e: Expression = rows.into_iter().map(|k| self.sum_x(k)).sum();
                self.constraints.push(e.leq(room));
            }
        }
    }

    fn add_table_capacity(&mut self) {
        let mut per_slot: Vec<Vec<Variable>> = vec![Vec::new(); self.inst.n_opts];
        for (k, row) in self.x.iter().enumerate() {
            if self.inst.pairs[self.pairs[k]].floating {
                for &(s, v, _) in row {
                    per_slot[s as usize].push(v);
                }
            }
        }
        for (s, t) in per_slot.into_iter().enumerate() {
            let cap = self.inst.float_cap[s];
            let room = cap.saturating_sub(self.fixed_float(s));
            if cap != UNLIMITED && t.len() as u32 > room {
                let e: Expression = t.into_iter().sum();
                self.constraints.push(e.leq(room));
            }
        }
    }

    /// Phase-1 objective: the weighted value of the scheduled pairs, less the priced shortfall
    /// below the promised minimums (the same number as `State::score`).
    /// The full model's only: a restricted one keeps its pairs (`add_all_meet`).
    pub(super) fn weight_expr(&self) -> Expression {
        debug_assert!(self.fixed.is_none(), "the value of a neighbourhood");
        let mut e = Expression::with_capacity(self.n_cols);
        for (k, row) in self.x.iter().enumerate() {
            let w = self.inst.weight(self.pairs[k]) as f64;
            for &(_, v, _) in row {
                e.add_mul(w, v);
            }
        }
        // As `State::score`: the shortfall counts down from the most there can be.
        let w_short = self.inst.short_weight() as f64;
        for &(_, v, _) in &self.short {
            e.add_mul(-w_short, v);
        }
        e + w_short * self.inst.max_shortfall() as f64
    }

    /// Every pair of the model meets: when a plan holds them all, no plan of the same value can
    /// do without one, and these rows say it far more plainly to the LP than a weight row. (A
    /// restricted model: the neighbourhood keeps its meetings, only their times change.)
    pub(super) fn add_all_meet(&mut self) {
        for k in 0..self.x.len() {
            let c = self.sum_x(k).eq(1);
            self.constraints.push(c);
        }
    }

    /// Keeps the weighted value at least `min` (phase 2 must not trade value for breaks).
    pub(super) fn add_min_weight(&mut self, min: u64) {
        let e = self.weight_expr();
        self.constraints.push(e.geq(min as f64));
    }

    /// Break accounting; returns the total number of breaks as an expression.
    ///
    /// Per participant i and session q: busy_s (the sum of its x in slot s, or a binary when it
    /// holds several meetings at once), start_s >= busy_s - busy_{s-1} counts the runs of
    /// meetings, active_q <= sum busy marks a session with meetings, and
    /// breaks = sum start - active (a session's first run is no break). A slot that one of
    /// i's engagements keeps it from (a visit, travel) counts as busy; a slot held by a fixed
    /// engagement (programme, a hosted visit) is left out, as `State::segment` does.
    ///
    /// In a restricted model, for the touched participants: a slot a kept engagement takes is
    /// busy (the constant 1), a session the freed pairs cannot reach keeps the plan's breaks
    /// (a constant), so the objective is the touched participants' total breaks. The fairness
    /// rows are the full model's only: the spread runs over every participant, and a
    /// neighbourhood's step is judged by the plan's own rule (`State::key`) instead.
    pub(super) fn add_breaks(&mut self) -> Expression {
        let terms = self.part_slot_terms();
        let n = self.inst.n_opts;
        let ns = self.inst.n_slots;
        let np = self.n_people();
        let mut cover: Vec<Vec<Variable>> = Vec::new();
        if self.inst.has_conflicts() {
            cover = vec![Vec::new(); np * ns];
            for r in 0..np {
                for o in 0..n {
                    for s in self.inst.covered(o) {
                        let t = terms[r * n + o].clone();
                        cover[r * ns + s].extend(t);
                    }
                }
            }
        }
        let covered = |r: usize, s: usize| cover.get(r * ns + s).map_or(&[][..], Vec::as_slice);
        let mut total = Expression::default();
        let mut spread: Option<(Variable, Variable)> = None;
        for r in 0..np {
            let i = self.person(r);
            let mut mine = Expression::default();
            for q in 0..self.inst.sessions.len() {
                let range = self.inst.sessions[q].clone();
                let kept: Vec<usize> = range
                    .clone()
                    .filter(|&s| !self.inst.skipped(i, s))
                    .collect();
                if kept
                    .iter()
                    .all(|&s| terms[r * n + s].is_empty() && covered(r, s).is_empty())
                {
                    let b = self.fixed_breaks(r, q);
                    if b > 0 {
                        mine += f64::from(b);
                    }
                    continue;
                }
                let mut busy: Vec<Option<Expression>> = Vec::with_capacity(kept.len());
                let mut any_cover = false;
                for &s in &kept {
                    let mut t = terms[r * n + s].clone();
                    any_cover |= !covered(r, s).is_empty() || self.fixed_cover(r, s) > 0;
                    let sure_single = self.inst.cap[i] == 1 && covered(r, s).is_empty();
                    t.extend_from_slice(covered(r, s));
                    busy.push(if self.fixed_engaged(r, s) {
                        Some(Expression::from(1.0))
                    } else if t.is_empty() {
                        None
                    } else if sure_single || t.len() == 1 {
                        Some(t.iter().copied().sum())
                    } else {
                        let (y, c) = self.add_var(variable().binary());
                        self.aux.push((c, Aux::Busy(i, s)));
                        for &v in &t {
                            self.constraints.push((v - y).leq(0));
                        }
                        let sum: Expression = t.iter().copied().sum();
                        self.constraints.push((y - sum).leq(0));
                        Some(y.into())
                    });
                }
                let (active, c) = self.add_var(variable().min(0).max(1));
                self.aux.push((c, Aux::Active(i, q)));
                let all_busy: Expression = busy.iter().flatten().cloned().sum();
                self.constraints.push((active - all_busy).leq(0));
                let mut starts = Expression::default();
                for (k, &s) in kept.iter().enumerate() {
                    let Some(b) = &busy[k] else { continue };
                    let (st, c) = self.add_var(variable().min(0).max(1));
                    self.aux.push((c, Aux::Start(i, s)));
                    let prev = if k > 0 { busy[k - 1].clone() } else { None };
                    let rhs = match prev {
                        Some(p) => b.clone() - p,
                        None => b.clone(),
                    };
                    self.constraints.push(Expression::from(st).geq(rhs));
                    starts += st;
                }
                // Every session with a meeting has a first run: a valid cut that lifts the LP bound.
                self.constraints.push(starts.clone().geq(active));
                // The block rows assume the meetings alone fill the session's slots.
                if kept.len() == range.len() && !any_cover {
                    if let Some(len) = self.fixed_block(i, q) {
                        self.add_block(i, q, &busy, len, starts.clone() - active);
                    }
                }
                mine += starts - active;
            }
            total += mine.clone();
            let scope_all = self.fixed.is_none();
            if let Some(d) = self.inst.max_break_spread.filter(|_| scope_all) {
                if self.inst.by_part[i]
                    .iter()
                    .any(|&p| self.inst.pairs[p].required)
                {
                    let (hi, lo) = *spread.get_or_insert_with(|| {
                        let (hi, c_hi) = self.add_var(variable().min(0));
                        self.aux.push((c_hi, Aux::MostBreaks));
                        let (lo, c_lo) = self.add_var(variable().min(0));
                        self.aux.push((c_lo, Aux::FewestBreaks));
                        self.constraints.push((hi - lo).leq(d));
                        (hi, lo)
                    });
                    self.fair.push(i);
                    self.constraints.push(mine.clone().leq(hi));
                    self.constraints.push(mine.geq(lo));
                }
            }
        }
        total
    }

    /// When participant `i` has a known number of meetings (all its pairs are required) that
    /// can only fall in session `q`, that number: its agenda there is one block or has a break.
    fn fixed_block(&self, i: usize, q: usize) -> Option<usize> {
        let pairs = &self.inst.by_part[i];
        let all_required = pairs.iter().all(|&p| self.inst.pairs[p].required);
        let in_session = pairs.iter().all(|&p| {
            self.inst.pairs[p]
                .slots
                .iter()
                .all(|&s| self.inst.session_of[s as usize] == q)
        });
        (all_required && in_session && !pairs.is_empty()).then_some(pairs.len())
    }

    /// Implied constraints on a participant's busy span (Bofill et al., JAIR 2022, §4-5, in MIP
    /// form): no break means its `len` meetings fill one block of consecutive slots; a block can
    /// only start where all its slots are usable. `compact` = 1 forbids busy slots outside the
    /// chosen block, and breaks >= 1 - compact. Where no block fits, the LP bound sees a break.
    fn add_block(
        &mut self,
        i: usize,
        q: usize,
        busy: &[Option<Expression>],
        len: usize,
        breaks: Expression,
    ) {
        let (compact, c) = self.add_var(variable().binary());
        self.aux.push((c, Aux::Compact(i, q)));
        self.constraints
            .push(breaks.geq(Expression::from(1.0) - compact));
        let slots: Vec<usize> = self.inst.sessions[q].clone().collect();
        let mut blocks: Vec<(usize, Variable)> = Vec::new();
        if len <= slots.len() {
            for k in 0..=slots.len() - len {
                if busy[k..k + len].iter().all(Option::is_some) {
                    let (w, c) = self.add_var(variable().binary());
                    self.aux.push((c, Aux::Block(i, slots[k])));
                    blocks.push((k, w));
                }
            }
        }
        let sum_w: Expression = blocks.iter().map(|&(_, w)| w).sum();
        self.constraints.push((sum_w - compact).eq(0));
        for (k, b) in busy.iter().enumerate() {
            let Some(b) = b else { continue };
            let covering: Expression = blocks
                .iter()
                .filter(|&&(start, _)| start <= k && k < start + len)
                .map(|&(_, w)| w)
                .sum();
            // busy_k <= covering + (1 - compact)
            self.constraints
                .push((b.clone() - covering + compact).leq(1.0));
        }
    }

    /// Column values of a schedule, for HiGHS's warm start: each column's value from what the
    /// model recorded it to be (`x`, `short`, `aux`), whatever the order it was added in.
    fn start_vector(&self, st: &State) -> Vec<f64> {
        let inst = self.inst;
        let mut v = vec![0.0; self.n_cols];
        for (k, row) in self.x.iter().enumerate() {
            let p = self.pairs[k];
            for &(s, _, c) in row {
                if st.slot_of[p] == s {
                    v[c] = 1.0;
                }
            }
        }
        for &(i, _, c) in &self.short {
            v[c] = f64::from(self.inst.min_eff[i].saturating_sub(st.count(i)));
        }
        for (c, aux) in &self.aux {
            let on = match *aux {
                Aux::Busy(i, s) => st.engaged(i, s),
                Aux::Start(i, s) => starts_run(inst, st, i, s),
                Aux::Active(i, q) => inst.sessions[q]
                    .clone()
                    .any(|s| !inst.skipped(i, s) && st.engaged(i, s)),
                // The session's breaks, not the participant's: a visit can add breaks elsewhere.
                Aux::Compact(i, q) => session_breaks(inst, st, i, q) == 0,
                Aux::Block(i, k) => {
                    session_breaks(inst, st, i, inst.session_of[k]) == 0
                        && starts_run(inst, st, i, k)
                }
                Aux::MostBreaks => {
                    v[*c] = self
                        .fair
                        .iter()
                        .map(|&i| st.breaks_of(i))
                        .max()
                        .unwrap_or(0) as f64;
                    continue;
                }
                Aux::Interp(p, s, k) => st.slot_of[p] == s && st.interpreter(p) == k,
                Aux::FewestBreaks => {
                    v[*c] = self
                        .fair
                        .iter()
                        .map(|&i| st.breaks_of(i))
                        .min()
                        .unwrap_or(0) as f64;
                    continue;
                }
            };
            v[*c] = if on { 1.0 } else { 0.0 };
        }
        v
    }

    /// Solves, maximising or minimising `objective`, starting from `start` when given.
    pub(super) fn solve(
        self,
        objective: Expression,
        maximise: bool,
        start: Option<&State>,
        run: &Run,
    ) -> Result<MipResult> {
        run.progress
            .trace(|| "building the HiGHS model".to_string());
        let warm = start.map(|s| self.start_vector(s));
        // good_lp hands HiGHS the objective's terms but not its constant (the value's
        // shortfall base, a restricted model's kept breaks): added back to what HiGHS reports.
        let offset = objective.constant();
        let vars = self.vars;
        let unsolved = if maximise {
            vars.maximise(objective)
        } else {
            vars.minimise(objective)
        };
        let mut problem: HighsProblem = unsolved.using(good_lp::highs);
        for c in self.constraints {
            problem.add_constraint(c);
        }
        let mut model = problem
            .try_into_inner()
            .map_err(|e| anyhow!("HiGHS rejected the model: {e}"))?;
        model.make_quiet();
        // Measured on 2 cores: one thread is much faster than two (presolve 2 s vs 42 s).
        model.set_option("threads", 1);
        let seconds = run
            .deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64();
        model.set_option("time_limit", seconds.max(0.01));
        // Objectives are integral: a gap below 1 proves optimality. good_lp's default relative
        // gap would stop early and call it a gap limit.
        model.set_option("mip_rel_gap", 0.0);
        model.set_option("mip_abs_gap", 0.999);
        model.set_option("mip_heuristic_effort", 0.2);
        if let Some(w) = &warm {
            // A rejected warm start is not fatal: HiGHS then starts from scratch.
            let _ = model.try_set_solution(Some(w), None, None, None);
        }
        let ctx = CallbackCtx { run, offset };
        // SAFETY: `ctx` outlives the solve (the callback is only called inside `try_solve`),
        // and the callback only reads it through a shared reference.
        unsafe {
            let ptr = model.as_mut_ptr();
            highs_sys::Highs_setCallback(
                ptr,
                Some(callback),
                &ctx as *const CallbackCtx as *mut c_void,
            );
            highs_sys::Highs_startCallback(ptr, highs_sys::kHighsCallbackMipInterrupt as c_int);
            highs_sys::Highs_startCallback(ptr, highs_sys::kHighsCallbackSimplexInterrupt as c_int);
            highs_sys::Highs_startCallback(
                ptr,
                highs_sys::kHighsCallbackMipImprovingSolution as c_int,
            );
        }
        run.progress
            .trace(|| format!("HiGHS starts, {seconds:.1} s to its deadline"));
        let solved = model
            .try_solve()
            .map_err(|e| anyhow!("HiGHS failed: {e:?}"))?;
        run.progress
            .trace(|| format!("HiGHS ended: {:?}", solved.status()));
        let status = solved.status();
        use highs::{HighsModelStatus as S, HighsSolutionStatus};
        let proven = matches!(status, S::Optimal);
        let has_solution = solved.primal_solution_status() == HighsSolutionStatus::Feasible;
        let objective = solved.objective_value() + offset;
        let bound = solved.double_info_value(c"mip_dual_bound").map_or(
            if maximise {
                f64::INFINITY
            } else {
                f64::NEG_INFINITY
            },
            |b| b + offset,
        );
        // By the columns the model recorded for each row, in the order of its pairs.
        let slot_of = has_solution.then(|| {
            let cols = solved.get_solution();
            let cols = cols.columns();
            self.x
                .iter()
                .map(|row| {
                    row.iter()
                        .find(|&&(_, _, c)| cols[c] > 0.5)
                        .map_or(NONE, |&(s, _, _)| s)
                })
                .collect()
        });
        Ok(MipResult {
            slot_of,
            objective,
            bound,
            proven,
        })
    }
}

/// Whether a run of meetings of participant `i` starts at slot `s` in plan `st` (its
/// session's first slot, or one after an idle slot; slots held by a fixed engagement left out).
fn starts_run(inst: &Instance, st: &State, i: usize, s: usize) -> bool {
    let first = inst.sessions[inst.session_of[s]].start;
    st.engaged(i, s)
        && (first..s)
            .rev()
            .find(|&t| !inst.skipped(i, t))
            .is_none_or(|t| !st.engaged(i, t))
}

/// Breaks of participant `i` in session `q` of plan `st`: its runs of engaged slots, less the
/// first (as `State::segment` counts them).
fn session_breaks(inst: &Instance, st: &State, i: usize, q: usize) -> u32 {
    let runs = inst.sessions[q]
        .clone()
        .filter(|&s| !inst.skipped(i, s) && starts_run(inst, st, i, s))
        .count() as u32;
    runs.saturating_sub(1)
}

pub(super) struct MipResult {
    /// The slot of each of the model's pairs (every candidate pair, or a restricted model's
    /// freed ones in the order given), `NONE` when it does not meet.
    pub slot_of: Option<Vec<u32>>,
    pub objective: f64,
    /// Best bound on the objective (HiGHS's dual bound).
    pub bound: f64,
    pub proven: bool,
}

/// What a MIP run reports to and takes from the outside.
pub(super) struct Run<'a> {
    /// When the search must end; the model is built before, so the clock is read at the start.
    pub deadline: Instant,
    pub stop: &'a AtomicBool,
    pub progress: &'a Progress,
    /// Turns (incumbent, bound) into the progress message.
    pub describe: &'a (dyn Fn(f64, f64) -> String + Sync),
}

struct CallbackCtx<'a> {
    run: &'a Run<'a>,
    /// The objective's constant, which HiGHS does not see.
    offset: f64,
}

unsafe extern "C" fn callback(
    kind: c_int,
    _message: *const c_char,
    out: *const highs_sys::HighsCallbackDataOut,
    input: *mut highs_sys::HighsCallbackDataIn,
    user: *mut c_void,
) {
    // A panic must not unwind into C.
    let _ = std::panic::catch_unwind(|| {
        // SAFETY: `user` is the `CallbackCtx` passed to Highs_setCallback, alive during the solve;
        // `out` and `input` are valid for the duration of the call, as HiGHS documents.
        let ctx = unsafe { &*(user as *const CallbackCtx) };
        if kind == highs_sys::kHighsCallbackMipInterrupt as c_int
            || kind == highs_sys::kHighsCallbackSimplexInterrupt as c_int
        {
            // HiGHS checks its own time limit only between phases; the deadline is firm.
            let late = Instant::now() > ctx.run.deadline;
            if (late || ctx.run.stop.load(Ordering::Relaxed)) && !input.is_null() {
                unsafe { (*input).user_interrupt = 1 };
            }
        } else if !out.is_null() {
            let (primal, dual) = unsafe { ((*out).mip_primal_bound, (*out).mip_dual_bound) };
            let (primal, dual) = (primal + ctx.offset, dual + ctx.offset);
            ctx.run.progress.solving(&(ctx.run.describe)(primal, dual));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::Restrictions;
    use std::time::Duration;

    fn event(dir: &str) -> crate::event::Event {
        crate::event::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)).unwrap()
    }

    /// Solves to the end (the models here are small): the optimum and the slots of its pairs.
    fn optimum(model: ScheduleModel, obj: Expression, st: &State) -> (f64, Vec<u32>) {
        let never = AtomicBool::new(false);
        let quiet = Progress::silent();
        let run = Run {
            deadline: Instant::now() + Duration::from_secs(60),
            stop: &never,
            progress: &quiet,
            describe: &|_, _| String::new(),
        };
        let res = model.solve(obj, false, Some(st), &run).unwrap();
        assert!(res.proven, "solved to optimality");
        (res.objective, res.slot_of.expect("a solution"))
    }

    /// With every meeting freed, the neighbourhood's model is the full break model: the same
    /// optimum, on the example (reps, fixed tables) and the bundled event (interpreters,
    /// travel, company visits, a programme).
    #[test]
    fn restricted_to_every_meeting_it_has_the_full_models_optimum() {
        for dir in ["examples/event"] {
            let ev = event(dir);
            let inst = Instance::new(&ev, &Restrictions::default(), None);
            let mut st = State::new(&inst);
            st.insert_greedily(None);
            let all: Vec<usize> = st.scheduled().collect();
            let mut full = ScheduleModel::new(&inst);
            if all.len() == inst.pairs.len() {
                full.add_all_meet();
            } else {
                // The same meetings, as the restricted model keeps its pairs.
                for k in 0..full.x.len() {
                    let rhs = i32::from(st.slot_of[k] != NONE);
                    let c = full.sum_x(k).eq(rhs);
                    full.constraints.push(c);
                }
            }
            let obj = full.add_breaks();
            let (best_full, _) = optimum(full, obj, &st);
            let mut part = ScheduleModel::restricted(&inst, &st, &all);
            part.add_all_meet();
            let obj = part.add_breaks();
            let (best_part, slots) = optimum(part, obj, &st);
            assert!(
                (best_full - best_part).abs() < 1e-6,
                "{dir}: full {best_full}, restricted {best_part}"
            );
            let mut slot_of = vec![NONE; inst.pairs.len()];
            for (k, &p) in all.iter().enumerate() {
                slot_of[p] = slots[k];
            }
            let plan = State::from_assignment(&inst, &slot_of).expect("a valid plan");
            assert_eq!(plan.sum_breaks as f64, best_part.round(), "{dir}");
        }
    }
}
