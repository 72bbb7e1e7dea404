//! Large-neighbourhood search: free the meetings around a few participants, keep every other
//! meeting where it is, and let HiGHS re-time the freed ones exactly (a small MIP that
//! minimises the breaks of everyone they touch). Each step keeps the set of pairs, so the
//! value never drops; a step is kept only when the plan gets strictly better.

use super::instance::{Instance, UNLIMITED};
use super::local::{Rng, State, NONE};
use good_lp::{variable, Expression, ProblemVariables, SolverModel, Variable};
use std::time::Instant;

/// Largest number of freed meetings per step: small enough that HiGHS answers in milliseconds.
const MAX_FREE: usize = 28;

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
        while self.steps < max_steps && Instant::now() < deadline && !stop() {
            if st.key() == (0, 0, 0, 0) || st.sum_breaks == 0 && st.spread_excess() == 0 {
                break;
            }
            self.steps += 1;
            let free = self.neighbourhood(st);
            if free.is_empty() {
                continue;
            }
            if let Some(better) = reoptimise(st, &free) {
                let mut next = st.clone();
                for &p in &free {
                    next.remove(p);
                }
                // The small model knows no travel between two freed meetings: a timing that
                // breaks a rule is dropped here.
                let mut valid = true;
                for (&p, &s) in free.iter().zip(&better) {
                    if !next.can_place(p, s) {
                        valid = false;
                        break;
                    }
                    next.place(p, s);
                }
                if valid && next.key() < st.key() {
                    *st = next;
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

/// New slots for the `free` pairs (in order), minimising the breaks of everyone they touch,
/// or `None` when HiGHS finds nothing better than the current timing.
fn reoptimise(st: &State, free: &[usize]) -> Option<Vec<u32>> {
    let inst: &Instance = st.inst;
    let mut rest = st.clone();
    for &p in free {
        rest.remove(p);
    }
    let mut vars = ProblemVariables::new();
    let mut x: Vec<Vec<(u32, Variable)>> = Vec::with_capacity(free.len());
    let mut terms: std::collections::BTreeMap<(usize, usize), Vec<Variable>> = Default::default();
    let mut float_terms: std::collections::BTreeMap<usize, Vec<Variable>> = Default::default();
    let mut warm = Vec::new();
    for &p in free {
        let pr = &inst.pairs[p];
        let mut row = Vec::new();
        for &s in &pr.slots {
            let su = s as usize;
            let clear = |i: usize| {
                inst.conflicts[su]
                    .iter()
                    .all(|&c| rest.busy(i, c as usize) == 0)
            };
            let fits = rest.busy(pr.a, su) < inst.cap[pr.a]
                && rest.busy(pr.b, su) < inst.cap[pr.b]
                && clear(pr.a)
                && clear(pr.b)
                && (!pr.floating
                    || inst.float_cap[su] == UNLIMITED
                    || rest.float_used(su) < inst.float_cap[su]);
            if !fits {
                continue;
            }
            let v = vars.add(variable().binary());
            warm.push((v, if st.slot_of[p] == s { 1.0 } else { 0.0 }));
            row.push((s, v));
            terms.entry((pr.a, su)).or_default().push(v);
            terms.entry((pr.b, su)).or_default().push(v);
            if pr.floating && inst.float_cap[su] != UNLIMITED {
                float_terms.entry(su).or_default().push(v);
            }
        }
        x.push(row);
    }
    let mut cons = Vec::new();
    for row in &x {
        let e: Expression = row.iter().map(|&(_, v)| v).sum();
        cons.push(e.eq(1));
    }
    for (&(i, s), t) in &terms {
        let room = inst.cap[i] - rest.busy(i, s);
        if t.len() as u32 > room {
            let e: Expression = t.iter().copied().sum();
            cons.push(e.leq(room));
        }
    }
    for (&s, t) in &float_terms {
        let room = inst.float_cap[s] - rest.float_used(s);
        if t.len() as u32 > room {
            let e: Expression = t.iter().copied().sum();
            cons.push(e.leq(room));
        }
    }
    // Breaks of every touched participant, in the sessions the freed pairs can reach.
    let mut touched: Vec<usize> = free
        .iter()
        .flat_map(|&p| [inst.pairs[p].a, inst.pairs[p].b])
        .collect();
    touched.sort_unstable();
    touched.dedup();
    let mut objective = Expression::default();
    let mut current = 0.0;
    for &i in &touched {
        for range in &inst.sessions {
            if !range.clone().any(|s| terms.contains_key(&(i, s))) {
                continue;
            }
            // busy: 1 when a kept meeting is there, else the sum of the freed options (for a
            // participant with several reps, a binary bounded by them).
            let mut busy: Vec<Expression> = Vec::with_capacity(range.len());
            let mut cur_busy: Vec<bool> = Vec::with_capacity(range.len());
            for s in range.clone() {
                cur_busy.push(st.busy(i, s) > 0);
                let fixed = rest.busy(i, s) > 0;
                let t = terms.get(&(i, s));
                busy.push(if fixed {
                    Expression::from(1.0)
                } else {
                    match t {
                        None => Expression::from(0.0),
                        Some(t) if inst.cap[i] == 1 || t.len() == 1 => t.iter().copied().sum(),
                        Some(t) => {
                            let y = vars.add(variable().binary());
                            warm.push((
                                y,
                                if cur_busy.last() == Some(&true) {
                                    1.0
                                } else {
                                    0.0
                                },
                            ));
                            for &v in t {
                                cons.push((v - y).leq(0));
                            }
                            let sum: Expression = t.iter().copied().sum();
                            cons.push((y - sum).leq(0));
                            y.into()
                        }
                    }
                });
            }
            let active = vars.add(variable().min(0).max(1));
            let any = cur_busy.iter().any(|&b| b);
            warm.push((active, if any { 1.0 } else { 0.0 }));
            let all: Expression = busy.iter().cloned().sum();
            cons.push((Expression::from(active) - all).leq(0));
            let mut starts = Expression::default();
            for k in 0..busy.len() {
                let st_v = vars.add(variable().min(0).max(1));
                let starts_here = cur_busy[k] && (k == 0 || !cur_busy[k - 1]);
                warm.push((st_v, if starts_here { 1.0 } else { 0.0 }));
                let rhs = if k == 0 {
                    busy[k].clone()
                } else {
                    busy[k].clone() - busy[k - 1].clone()
                };
                cons.push(Expression::from(st_v).geq(rhs));
                starts += st_v;
                if starts_here {
                    current += 1.0;
                }
            }
            if any {
                current -= 1.0;
            }
            objective += starts - active;
        }
    }
    if current < 0.5 {
        return None; // nothing to gain around here
    }
    let mut problem = vars.minimise(objective).using(good_lp::highs);
    for c in cons {
        problem.add_constraint(c);
    }
    let mut model = problem.try_into_inner().ok()?;
    model.make_quiet();
    model.set_option("threads", 1);
    // No proof needed here: a better timing found fast is all a step asks for.
    model.set_option("time_limit", 0.3);
    model.set_option("mip_rel_gap", 0.0);
    model.set_option("mip_abs_gap", 0.999);
    let mut cols = vec![0.0; model.num_cols()];
    for (k, (_, v)) in warm.iter().enumerate() {
        cols[k] = *v;
    }
    let _ = model.try_set_solution(Some(&cols), None, None, None);
    let solved = model.try_solve().ok()?;
    if solved.primal_solution_status() != highs::HighsSolutionStatus::Feasible
        || solved.objective_value() > current - 0.5
    {
        return None;
    }
    let values = solved.get_solution();
    let values = values.columns();
    // Columns are numbered in the order variables were added; x's come first per pair.
    let mut col = 0;
    let mut out = Vec::with_capacity(free.len());
    for row in &x {
        let mut chosen = NONE;
        for &(s, _) in row {
            if values[col] > 0.5 {
                chosen = s;
            }
            col += 1;
        }
        if chosen == NONE {
            return None;
        }
        out.push(chosen);
    }
    Some(out)
}
