//! A bound on the value phase at any size: which pairs meet, without saying when. Each pair is
//! a fraction y ∈ [0, 1]; a participant meets at most as many pairs as its usable slots × reps
//! and its `max_meetings` allow, the floating tables hold at most their seats over all slots,
//! and shortfalls below the promised minimums are priced as in the exact model. This
//! b-matching LP relaxes the time-indexed model (any plan gives a feasible point), so its
//! optimum bounds every plan's score; HiGHS solves it in seconds where the time-indexed model
//! is far too large to build.

use super::instance::{Instance, UNLIMITED};
use good_lp::solvers::highs::HighsProblem;
use good_lp::{variable, Expression, ProblemVariables, SolverModel};
use std::time::Instant;

/// An upper bound on `State::score` of every plan, or `None` when the LP did not finish by
/// `deadline` (or failed).
pub(super) fn score_bound(inst: &Instance, deadline: Instant) -> Option<u64> {
    let seconds = deadline
        .saturating_duration_since(Instant::now())
        .as_secs_f64();
    if seconds < 0.05 || inst.pairs.is_empty() {
        return None;
    }
    let mut vars = ProblemVariables::new();
    let y: Vec<_> = inst
        .pairs
        .iter()
        .map(|_| vars.add(variable().min(0.0).max(1.0)))
        .collect();
    let mut rows = Vec::new();
    let mut objective = Expression::with_capacity(y.len() + inst.n_parts);
    for (p, &v) in y.iter().enumerate() {
        objective.add_mul(inst.weight(p) as f64, v);
    }
    for i in 0..inst.n_parts {
        let pairs = &inst.by_part[i];
        if pairs.is_empty() {
            continue;
        }
        let mut usable = vec![false; inst.n_slots];
        for &p in pairs {
            for &s in &inst.pairs[p].slots {
                usable[s as usize] = true;
            }
        }
        let slots = usable.iter().filter(|&&u| u).count() as u64;
        let cap = (slots * u64::from(inst.cap[i])).min(u64::from(inst.max_meet[i]));
        let meetings: Expression = pairs.iter().map(|&p| y[p]).sum();
        if (pairs.len() as u64) > cap {
            rows.push(meetings.clone().leq(cap as f64));
        }
        let min = inst.min_eff[i];
        if min > 0 {
            let short = vars.add(variable().min(0.0).max(f64::from(min)));
            objective.add_mul(-(inst.short_weight() as f64), short);
            rows.push((meetings + short).geq(f64::from(min)));
        }
    }
    let mut seats = vec![false; inst.n_opts];
    let floating: Vec<usize> = (0..inst.pairs.len())
        .filter(|&p| inst.pairs[p].floating)
        .collect();
    for &p in &floating {
        for &s in &inst.pairs[p].slots {
            seats[s as usize] = true;
        }
    }
    let total: u64 = (0..inst.n_opts)
        .filter(|&s| seats[s] && inst.float_cap[s] != UNLIMITED)
        .map(|s| u64::from(inst.float_cap[s]))
        .sum();
    if !floating.is_empty()
        && (0..inst.n_opts).all(|s| !seats[s] || inst.float_cap[s] != UNLIMITED)
        && floating.len() as u64 > total
    {
        let e: Expression = floating.iter().map(|&p| y[p]).sum();
        rows.push(e.leq(total as f64));
    }
    // Visit requests: a visitor holds each at most once (y ≤ 1), and a host firm's requests
    // that meet are at most the seats of the visits they can use. Both hold in every plan.
    for host in 0..inst.n_parts {
        let mine: Vec<usize> = (0..inst.pairs.len())
            .filter(|&p| inst.pairs[p].visit.is_some_and(|(_, h)| h == host))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let mut usable = vec![false; inst.n_opts];
        for &p in &mine {
            for &o in &inst.pairs[p].slots {
                usable[o as usize] = true;
            }
        }
        let seats: u64 = (0..inst.n_opts)
            .filter(|&o| usable[o])
            .map(|o| u64::from(inst.float_cap[o]))
            .sum();
        if mine.len() as u64 > seats {
            let e: Expression = mine.iter().map(|&p| y[p]).sum();
            rows.push(e.leq(seats as f64));
        }
    }
    // Interpreters: each meeting that needs one takes a share z[p,k] of its interpreters'
    // capacity (a plan gives the point z = 1 for the interpreter it has), an interpreter at
    // most its max_meetings and one per slot it is free in that such meetings can use.
    if inst.interp.n > 0 {
        let mut per_k: Vec<Vec<good_lp::Variable>> = vec![Vec::new(); inst.interp.n];
        let mut usable = vec![false; inst.interp.n * inst.n_slots];
        for (p, pair) in inst.pairs.iter().enumerate() {
            let Some(elig) = &pair.interp else { continue };
            let mut share = Expression::default();
            for &k in elig {
                let z = vars.add(variable().min(0.0).max(1.0));
                share += z;
                per_k[k as usize].push(z);
                for &s in &pair.slots {
                    if inst.interp.is_free(k, s) {
                        usable[k as usize * inst.n_slots + s as usize] = true;
                    }
                }
            }
            rows.push((share - y[p]).eq(0.0));
        }
        for (k, t) in per_k.into_iter().enumerate() {
            let slots = usable[k * inst.n_slots..(k + 1) * inst.n_slots]
                .iter()
                .filter(|&&u| u)
                .count() as u64;
            let cap = slots.min(u64::from(inst.interp.max[k]));
            if !t.is_empty() && t.len() as u64 > cap {
                let e: Expression = t.into_iter().sum();
                rows.push(e.leq(cap as f64));
            }
        }
    }
    let mut problem: HighsProblem = vars.maximise(objective).using(good_lp::highs);
    for r in rows {
        problem.add_constraint(r);
    }
    let mut model = problem.try_into_inner().ok()?;
    model.make_quiet();
    model.set_option("threads", 1);
    model.set_option("time_limit", seconds);
    let solved = model.try_solve().ok()?;
    if solved.status() != highs::HighsModelStatus::Optimal {
        return None;
    }
    let constant = inst.short_weight() * inst.max_shortfall();
    let obj = solved.objective_value() + constant as f64;
    // The LP is solved to a relative tolerance: round up by it, then down to an integer.
    let slack = 1e-6 * obj.abs().max(1.0);
    Some((obj + slack).floor().max(0.0) as u64)
}

#[cfg(test)]
mod tests {
    use super::super::local::State;
    use super::*;
    use crate::solve::Restrictions;
    use std::time::Duration;

    /// The bound is at least every plan's score, and on the bundled event (where every firm's
    /// wishes fit) it equals the optimum.
    #[test]
    fn bounds_the_score_of_a_plan() {
        for dir in ["data", "examples/event"] {
            let ev =
                crate::event::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
                    .unwrap();
            let inst = Instance::new(&ev, &Restrictions::default(), None);
            let mut st = State::new(&inst);
            st.insert_greedily(None);
            let bound = score_bound(&inst, Instant::now() + Duration::from_secs(30)).unwrap();
            assert!(bound >= st.score(), "{dir}: {bound} < {}", st.score());
            let all: u64 = (0..inst.pairs.len()).map(|p| inst.weight(p)).sum::<u64>()
                + inst.short_weight() * inst.max_shortfall();
            assert!(bound <= all, "{dir}");
        }
    }
}
