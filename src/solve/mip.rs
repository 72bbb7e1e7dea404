//! The time-indexed MIP, as a struct holding its variables with small `add_*` methods, and
//! the HiGHS run behind it (options, warm start, and the C callback that reports incumbent and
//! bound and stops the search on request, keeping the best plan).

use super::instance::{Instance, UNLIMITED};
use super::local::{State, NONE};
use crate::progress::Progress;
use anyhow::{anyhow, Result};
use good_lp::solvers::highs::HighsProblem;
use good_lp::{variable, Constraint, Expression, ProblemVariables, SolverModel, Variable};
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
    /// `i` holds all its meetings back to back (no break).
    Compact(usize),
    /// ... starting at slot `k`.
    Block(usize, usize),
    /// Most / fewest breaks among the participants the fairness rule covers.
    MostBreaks,
    FewestBreaks,
    /// Pair `p` meets in slot `s` with interpreter `k`.
    Interp(usize, u32, u32),
}

pub(super) struct ScheduleModel<'a> {
    inst: &'a Instance,
    vars: ProblemVariables,
    /// Per candidate pair: (slot, variable, column) for each of its slots.
    x: Vec<Vec<(u32, Variable, usize)>>,
    aux: Vec<(usize, Aux)>,
    n_cols: usize,
    constraints: Vec<Constraint>,
    /// Participants under the fairness rule in the model (those with a required meeting).
    fair: Vec<usize>,
    /// Per participant with a promised minimum: (participant, shortfall variable, column).
    short: Vec<(usize, Variable, usize)>,
}

impl<'a> ScheduleModel<'a> {
    /// One binary per (pair, allowed slot), and "each pair meets at most once".
    pub(super) fn new(inst: &'a Instance) -> Self {
        let mut m = ScheduleModel {
            inst,
            vars: ProblemVariables::new(),
            x: Vec::with_capacity(inst.pairs.len()),
            aux: Vec::new(),
            n_cols: 0,
            constraints: Vec::new(),
            fair: Vec::new(),
            short: Vec::new(),
        };
        for p in 0..inst.pairs.len() {
            let mut row = Vec::with_capacity(inst.pairs[p].slots.len());
            for &s in &inst.pairs[p].slots {
                let (v, c) = m.add_var(variable().binary());
                row.push((s, v, c));
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

    /// One person cannot hold two conflicting options (overlap, or too little time to travel
    /// between their venues): per participant and conflicting pair of options, the engagements
    /// in both are at most one.
    fn add_conflicts(&mut self) {
        let n = self.inst.n_opts;
        let terms = self.part_slot_terms();
        for i in 0..self.inst.n_parts {
            for o in 0..n {
                let t = &terms[i * n + o];
                if t.is_empty() {
                    continue;
                }
                for &c in &self.inst.conflicts[o] {
                    let c = c as usize;
                    let u = &terms[i * n + c];
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
        for p in 0..self.x.len() {
            let Some(elig) = &inst.pairs[p].interp else {
                continue;
            };
            for j in 0..self.x[p].len() {
                let (s, xv, _) = self.x[p][j];
                let mut ys = Expression::default();
                for &k in elig {
                    if !inst.interp.is_free(k, s) {
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
            if max != UNLIMITED && t.len() as u32 > max {
                let e: Expression = t.into_iter().sum();
                self.constraints.push(e.leq(max));
            }
        }
    }

    /// `min_meetings`: meetings of i + shortfall_i >= minimum, the shortfall priced in the
    /// objective (`weight_expr`).
    fn add_minimums(&mut self) {
        for i in 0..self.inst.n_parts {
            let min = self.inst.min_eff[i];
            if min == 0 {
                continue;
            }
            let (v, c) = self.add_var(variable().min(0.0).max(min as f64));
            self.short.push((i, v, c));
            let e: Expression = self.inst.by_part[i]
                .iter()
                .map(|&p| self.sum_x(p))
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

    fn sum_x(&self, p: usize) -> Expression {
        self.x[p].iter().map(|&(_, v, _)| v).sum()
    }

    fn add_pair_once(&mut self) {
        for p in 0..self.x.len() {
            if self.x[p].len() > 1 {
                let c = self.sum_x(p).leq(1);
                self.constraints.push(c);
            }
        }
    }

    /// x variables of participant `i` in slot `s`.
    fn part_slot_terms(&self) -> Vec<Vec<Variable>> {
        let n = self.inst.n_opts;
        let mut terms = vec![Vec::new(); self.inst.n_parts * n];
        for (p, row) in self.x.iter().enumerate() {
            let pr = &self.inst.pairs[p];
            for &(s, v, _) in row {
                for &i in pr.people() {
                    terms[i * n + s as usize].push(v);
                }
            }
        }
        terms
    }

    fn add_participant_capacity(&mut self) {
        let terms = self.part_slot_terms();
        for (k, t) in terms.iter().enumerate() {
            let i = k / self.inst.n_opts;
            if t.len() as u32 > self.inst.cap[i] {
                let e: Expression = t.iter().copied().sum();
                self.constraints.push(e.leq(self.inst.cap[i]));
            }
        }
    }

    fn add_max_meetings(&mut self) {
        for i in 0..self.inst.n_parts {
            let max = self.inst.max_meet[i];
            let pairs = &self.inst.by_part[i];
            if max != UNLIMITED && pairs.len() as u32 > max {
                let e: Expression = pairs.iter().map(|&p| self.sum_x(p)).sum();
                self.constraints.push(e.leq(max));
            }
        }
    }

    fn add_table_capacity(&mut self) {
        let mut per_slot: Vec<Vec<Variable>> = vec![Vec::new(); self.inst.n_opts];
        for (p, row) in self.x.iter().enumerate() {
            if self.inst.pairs[p].floating {
                for &(s, v, _) in row {
                    per_slot[s as usize].push(v);
                }
            }
        }
        for (s, t) in per_slot.into_iter().enumerate() {
            let cap = self.inst.float_cap[s];
            if cap != UNLIMITED && t.len() as u32 > cap {
                let e: Expression = t.into_iter().sum();
                self.constraints.push(e.leq(cap));
            }
        }
    }

    /// Phase-1 objective: the weighted value of the scheduled pairs, less the priced shortfall
    /// below the promised minimums (the same number as `State::score`).
    pub(super) fn weight_expr(&self) -> Expression {
        let mut e = Expression::with_capacity(self.n_cols);
        for (p, row) in self.x.iter().enumerate() {
            let w = self.inst.weight(p) as f64;
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

    /// Every candidate pair meets: when a plan holds them all, no plan of the same value can do
    /// without one, and these rows say it far more plainly to the LP than a weight row.
    pub(super) fn add_all_meet(&mut self) {
        for p in 0..self.x.len() {
            let c = self.sum_x(p).eq(1);
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
    pub(super) fn add_breaks(&mut self) -> Expression {
        let terms = self.part_slot_terms();
        let n = self.inst.n_opts;
        let ns = self.inst.n_slots;
        let mut cover: Vec<Vec<Variable>> = Vec::new();
        if self.inst.has_conflicts() {
            cover = vec![Vec::new(); self.inst.n_parts * ns];
            for i in 0..self.inst.n_parts {
                for o in 0..n {
                    for s in self.inst.covered(o) {
                        let t = terms[i * n + o].clone();
                        cover[i * ns + s].extend(t);
                    }
                }
            }
        }
        let covered = |i: usize, s: usize| cover.get(i * ns + s).map_or(&[][..], Vec::as_slice);
        let mut total = Expression::default();
        let mut spread: Option<(Variable, Variable)> = None;
        for i in 0..self.inst.n_parts {
            let mut mine = Expression::default();
            for q in 0..self.inst.sessions.len() {
                let range = self.inst.sessions[q].clone();
                let kept: Vec<usize> = range
                    .clone()
                    .filter(|&s| !self.inst.skipped(i, s))
                    .collect();
                if kept
                    .iter()
                    .all(|&s| terms[i * n + s].is_empty() && covered(i, s).is_empty())
                {
                    continue;
                }
                let mut busy: Vec<Option<Expression>> = Vec::with_capacity(kept.len());
                let mut any_cover = false;
                for &s in &kept {
                    let mut t = terms[i * n + s].clone();
                    any_cover |= !covered(i, s).is_empty();
                    let sure_single = self.inst.cap[i] == 1 && covered(i, s).is_empty();
                    t.extend_from_slice(covered(i, s));
                    busy.push(if t.is_empty() {
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
                        self.add_block(i, range.clone(), &busy, len, starts.clone() - active);
                    }
                }
                mine += starts - active;
            }
            total += mine.clone();
            if let Some(d) = self.inst.max_break_spread {
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
        range: std::ops::Range<usize>,
        busy: &[Option<Expression>],
        len: usize,
        breaks: Expression,
    ) {
        let (compact, c) = self.add_var(variable().binary());
        self.aux.push((c, Aux::Compact(i)));
        self.constraints
            .push(breaks.geq(Expression::from(1.0) - compact));
        let slots: Vec<usize> = range.clone().collect();
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

    /// Whether a run of meetings of participant `i` starts at slot `s` (its session's first
    /// slot, or one after an idle slot).
    fn starts_run(&self, st: &State, i: usize, s: usize) -> bool {
        let first = self.inst.sessions[self.inst.session_of[s]].start;
        st.engaged(i, s)
            && (first..s)
                .rev()
                .find(|&t| !self.inst.skipped(i, t))
                .is_none_or(|t| !st.engaged(i, t))
    }

    /// Column values of a schedule, for HiGHS's warm start.
    fn start_vector(&self, st: &State) -> Vec<f64> {
        let mut v = vec![0.0; self.n_cols];
        for (p, row) in self.x.iter().enumerate() {
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
                Aux::Start(i, s) => self.starts_run(st, i, s),
                Aux::Active(i, q) => self.inst.sessions[q]
                    .clone()
                    .any(|s| !self.inst.skipped(i, s) && st.engaged(i, s)),
                Aux::Compact(i) => st.breaks_of(i) == 0,
                Aux::Block(i, k) => st.breaks_of(i) == 0 && self.starts_run(st, i, k),
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
        let ctx = CallbackCtx { run };
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
        let objective = solved.objective_value();
        let bound = solved
            .double_info_value(c"mip_dual_bound")
            .unwrap_or(if maximise {
                f64::INFINITY
            } else {
                f64::NEG_INFINITY
            });
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

pub(super) struct MipResult {
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
            ctx.run.progress.solving(&(ctx.run.describe)(primal, dual));
        }
    });
}
