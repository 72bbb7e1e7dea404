//! The MaxSAT search on the encoding: a core-guided OLL loop (Morgado et al. 2014; Andres et
//! al. 2012) whose lower bound grows by one with each core, then, when its share of the time
//! is spent without a proof, a solution-improving search "breaks ≤ best − 1" from the best
//! plan. Cores come from CaDiCaL's failed assumptions; a terminator callback ends any call at
//! the deadline or on the stop flag. The same input gives the same calls in the same order,
//! so the same result whenever the search ends by proof.

use super::alone::alone;
use super::card::{Dir, Sink};
use super::encode::{encode, Encoding, Mode};
use super::{Budget, Lane, NoTiming, Timing, TimingProblem};
use rustsat::solvers::{ControlSignal, PhaseLit, Solve, SolveIncremental, SolverResult, Terminate};
use rustsat::types::Lit;
use rustsat_cadical::Statistic;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::time::Instant;

/// Share of the time the OLL proof gets before the improving search takes over (all of it
/// when there is no plan to improve). Measured on the JAIR events: the last OLL call, the one
/// that finds a plan at the bound, is the long one, and improving calls are as slow.
pub(crate) const OLL_SHARE: f64 = 0.85;

/// Times the meetings with the fewest breaks found within the budget; see [`Timing`].
pub(crate) fn solve_timing(p: &TimingProblem, budget: &Budget) -> Timing {
    let mut out = Timing {
        best: None,
        lower_bound: 0,
        optimal: false,
        infeasible: None,
        cores: 0,
        conflicts: 0,
    };
    if let Some(m) = p.meetings.iter().find(|m| m.slots.is_empty()) {
        out.infeasible = Some(NoTiming::Capacity {
            participants: vec![m.a.min(m.b), m.a.max(m.b)],
            slots: Vec::new(),
        });
        return out;
    }
    if let Some(why) = alone(p) {
        out.infeasible = Some(why);
        return out;
    }
    if let Some(inc) = &p.incumbent {
        if let Some(c) = p.cost(inc) {
            out.best = Some((inc.clone(), c));
            if let Some(lane) = budget.lane {
                lane.found(c);
            }
        }
    }
    if out.best.as_ref().is_some_and(|b| b.1 == 0) {
        out.optimal = true;
        return out;
    }
    let start = Instant::now();
    let phase_end = Cell::new(if out.best.is_some() {
        start
            + budget
                .deadline
                .saturating_duration_since(start)
                .mul_f64(budget.proof_share.clamp(0.0, 1.0))
    } else {
        budget.deadline
    });
    let stop = budget.stop;
    let lane = budget.lane;
    let mut enc = encode(p, Mode::Breaks(budget.rows));
    enc.sink.solver.attach_terminator(|| {
        // Every poll is counted, even past the deadline: the count is the race's clock.
        let limit = lane.is_some_and(Lane::tick);
        if limit || stop.load(Ordering::Relaxed) || Instant::now() >= phase_end.get() {
            ControlSignal::Terminate
        } else {
            ControlSignal::Continue
        }
    });
    // CaDiCaL decides "true" first by default: wrong for exactly-one rows and break literals.
    // Where the search follows the plan (`Search::follows_the_plan`), the seed plan's slots
    // are forced phases (they outrank CaDiCaL's saved phases for the whole search; releasing
    // them after the first call was tried and did not help).
    let _ = enc.sink.solver.set_option("phase", 0);
    // Target phases (the longest conflict-free assignment seen) in both of CaDiCaL's modes, not
    // only the stable one: the hard call is the one that must find a plan at the bound.
    // Measured on the engine alone (conflicts to the proof): forum-13crafb 78,674 → 44,785,
    // ticf-13crafb 103,388 → 61,100, a 1 %-unavailable ticf-14crafa 432,693 → 209,096, a
    // 3 %-unavailable forum-13crafb 169,952 → 120,857 (100 s → 17 s); tic-13crafc alone is
    // slower (267,134 → 296,358, 8 → 14 s), and there the HiGHS side proves it as well.
    let _ = enc.sink.solver.set_option("target", 2);
    // The improving search in stable mode only; the core loop and the default search alternate
    // focused and stable mode, CaDiCaL's default (`Search` says why).
    if budget.search == super::Search::Improving {
        let _ = enc.sink.solver.set_option("stabilizeonly", 1);
    }
    // For measuring other settings on dumped problems (`dump.rs`): T4S_CADICAL="opt=val,…".
    if let Ok(opts) = std::env::var("T4S_CADICAL") {
        for kv in opts.split(',') {
            if let Some((k, v)) = kv.split_once('=') {
                if let Ok(v) = v.parse() {
                    let _ = enc.sink.solver.set_option(k, v);
                }
            }
        }
    }
    let follow = budget.search.follows_the_plan();
    if let Some(inc) = p.incumbent.as_ref().filter(|_| follow) {
        set_phases(p, &mut enc, inc);
    }
    let outcome = oll(p, &mut enc, &mut out, follow, lane);
    out.conflicts = enc.sink.solver.get_statistic(Statistic::Conflicts);
    match outcome {
        Outcome::Done => return out,
        Outcome::NoTiming(why) => {
            out.infeasible = Some(match why {
                Some(w) => w,
                None => explain(p, budget),
            });
            return out;
        }
        Outcome::Stopped => {}
    }
    phase_end.set(budget.deadline);
    improve(p, &mut enc, &mut out, budget);
    out.conflicts = enc.sink.solver.get_statistic(Statistic::Conflicts);
    out
}

enum Outcome {
    /// Proven optimal (or infeasible, recorded in the result).
    Done,
    /// Out of time.
    Stopped,
    /// No timing: fairness (`Some`) or the hard rules (`None`: to be explained).
    NoTiming(Option<NoTiming>),
}

fn set_phases(p: &TimingProblem, enc: &mut Encoding, slot_of: &[u32]) {
    let slot_of = enc.in_order(p, slot_of);
    for (row, &s) in enc.x.iter().zip(&slot_of) {
        for &(t, l) in row {
            let _ = enc.sink.solver.phase_lit(if t == s { l } else { !l });
        }
    }
}

fn read_timing(enc: &Encoding) -> Vec<u32> {
    enc.x
        .iter()
        .map(|row| {
            row.iter()
                .find(|&&(_, l)| {
                    enc.sink
                        .solver
                        .lit_val(l)
                        .is_ok_and(|v| v.to_bool_with_def(false))
                })
                .map_or(u32::MAX, |&(t, _)| t)
        })
        .collect()
}

/// Takes the solver's model if it beats the best plan (its slots becoming the forced phases
/// where the search `follow`s the plan, its breaks published in the race); returns its breaks.
fn offer(
    p: &TimingProblem,
    enc: &mut Encoding,
    out: &mut Timing,
    follow: bool,
    lane: Option<Lane>,
) -> Option<u64> {
    let t = read_timing(enc);
    let c = p.cost(&t);
    debug_assert!(c.is_some(), "the encoding admits only valid, fair timings");
    let c = c?;
    if out.best.as_ref().is_none_or(|b| c < b.1) {
        if follow {
            set_phases(p, enc, &t);
        }
        out.best = Some((t, c));
        if let Some(lane) = lane {
            lane.found(c);
        }
    }
    Some(c)
}

fn oll(
    p: &TimingProblem,
    enc: &mut Encoding,
    out: &mut Timing,
    follow: bool,
    lane: Option<Lane>,
) -> Outcome {
    // Assumption (the negation of a soft literal) → the unary sum and output it came from.
    // A participant's break count is such a sum already: "not at least one break" stands for
    // all its soft literals until a core relaxes it to "not at least two" (as OLL does for the
    // sums it builds), so the solver carries one assumption per participant, not one per
    // possible break (each restart replays the assumptions).
    let mut assumps: BTreeMap<Lit, Option<(usize, usize)>> = BTreeMap::new();
    let mut totals: Vec<Vec<Lit>> = Vec::new();
    for b in &enc.breaks {
        if let Some(&first) = b.first() {
            assumps.insert(!first, Some((totals.len(), 0)));
            totals.push(b.clone());
        }
    }
    let fair: Vec<Lit> = enc.fair_on.into_iter().collect();
    loop {
        if out.best.as_ref().is_some_and(|b| b.1 <= out.lower_bound) {
            out.optimal = true;
            return Outcome::Done;
        }
        let a: Vec<Lit> = fair.iter().chain(assumps.keys()).copied().collect();
        match enc.sink.solver.solve_assumps(&a) {
            Ok(SolverResult::Sat) => {
                let c = offer(p, enc, out, follow, lane);
                debug_assert_eq!(c, Some(out.lower_bound));
                out.optimal = c.is_some();
                if let Some(c) = c {
                    out.lower_bound = c;
                }
                return Outcome::Done;
            }
            Ok(SolverResult::Unsat) => {}
            _ => return Outcome::Stopped,
        }
        let mut core = enc.sink.solver.core().unwrap_or_default();
        // The fairness guard is a hard rule, not a cost.
        let fairness = fair.first().is_some_and(|&f| core.contains(&!f));
        core.retain(|&l| !fair.iter().any(|&f| l == !f));
        if core.is_empty() {
            return match fairness {
                true => why_none(enc),
                false => Outcome::NoTiming(None),
            };
        }
        // Trim: solving under the core alone often gives a smaller one.
        for _ in 0..3 {
            let a: Vec<Lit> = fair
                .iter()
                .copied()
                .chain(core.iter().map(|&l| !l))
                .collect();
            if enc.sink.solver.solve_assumps(&a).ok() != Some(SolverResult::Unsat) {
                break;
            }
            let mut smaller = enc.sink.solver.core().unwrap_or_default();
            smaller.retain(|&l| !fair.iter().any(|&f| l == !f));
            if smaller.is_empty() || smaller.len() >= core.len() {
                break;
            }
            core = smaller;
        }
        core.sort();
        out.lower_bound += 1;
        out.cores += 1;
        if let Some(lane) = lane {
            lane.proved(out.lower_bound);
        }
        // Measuring on dumped problems (`dump.rs`): when each core came, and how wide it is.
        #[cfg(test)]
        if std::env::var_os("T4S_SAT_LOG").is_some() {
            let sums: Vec<String> = core
                .iter()
                .filter_map(|&o| assumps.get(&!o).copied().flatten())
                .map(|(t, k)| format!("{t}:{k}"))
                .collect();
            eprintln!(
                "core {}: {} literals, {} conflicts, sums {}",
                out.lower_bound,
                core.len(),
                enc.sink.solver.get_statistic(Statistic::Conflicts),
                sums.join(" ")
            );
        }
        for &o in &core {
            if let Some(Some((t, k))) = assumps.remove(&!o) {
                if let Some(&next) = totals[t].get(k + 1) {
                    assumps.insert(!next, Some((t, k + 1)));
                }
            }
        }
        if core.len() >= 2 {
            let tot =
                enc.sink
                    .totalizer(core.iter().map(|&l| vec![l]).collect(), core.len(), Dir::Up);
            assumps.insert(!tot[1], Some((totals.len(), 1)));
            totals.push(tot);
        }
    }
}

/// A core named the fairness guard alone, but cores need not be minimal: without fairness,
/// is there a timing at all?
fn why_none(enc: &mut Encoding) -> Outcome {
    match enc.sink.solver.solve_assumps(&[]) {
        Ok(SolverResult::Sat) => Outcome::NoTiming(Some(NoTiming::Fairness)),
        Ok(SolverResult::Unsat) => Outcome::NoTiming(None),
        _ => Outcome::Stopped,
    }
}

/// Solution-improving search from the best plan: each model beats it, until none does (the
/// best is then optimal) or the time is out.
fn improve(p: &TimingProblem, enc: &mut Encoding, out: &mut Timing, budget: &Budget) {
    let follow = budget.search.follows_the_plan();
    let fair: Vec<Lit> = enc.fair_on.into_iter().collect();
    let mut bound: Option<Vec<Lit>> = None;
    loop {
        if out.best.as_ref().is_some_and(|b| b.1 <= out.lower_bound) {
            out.optimal = true;
            return;
        }
        let mut a = fair.clone();
        if let Some((_, best)) = &out.best {
            let best = *best as usize;
            // The sum of all breaks, counted up to the best plan's.
            let obj = bound.get_or_insert_with(|| {
                let parts = enc.breaks.clone();
                enc.sink.totalizer(parts, best, Dir::Up)
            });
            match obj.get(best - 1) {
                Some(&at_best) => a.push(!at_best),
                None => return,
            }
        }
        match enc.sink.solver.solve_assumps(&a) {
            Ok(SolverResult::Sat) => {
                if offer(p, enc, out, follow, budget.lane).is_none() {
                    return;
                }
                #[cfg(test)]
                if std::env::var_os("T4S_SAT_LOG").is_some() {
                    eprintln!(
                        "plan {:?}: {} conflicts",
                        out.best.as_ref().map(|b| b.1),
                        enc.sink.solver.get_statistic(Statistic::Conflicts)
                    );
                }
            }
            Ok(SolverResult::Unsat) => {
                match &out.best {
                    Some((_, c)) => {
                        out.lower_bound = *c;
                        out.optimal = true;
                    }
                    None => {
                        if let Outcome::NoTiming(why) = why_none(enc) {
                            out.infeasible = Some(why.unwrap_or_else(|| explain(p, budget)));
                        }
                    }
                }
                return;
            }
            _ => return,
        }
    }
}

/// Which participants (and slots' tables) make the timing impossible: an unsatisfiable core
/// over one selector per participant's reps and per slot's tables, made minimal by deletion
/// while time allows.
fn explain(p: &TimingProblem, budget: &Budget) -> NoTiming {
    if let Some(why) = alone(p) {
        return why;
    }
    let mut enc = encode(p, Mode::Explain);
    let stop = budget.stop;
    let deadline = budget.deadline;
    enc.sink.solver.attach_terminator(move || {
        if stop.load(Ordering::Relaxed) || Instant::now() >= deadline {
            ControlSignal::Terminate
        } else {
            ControlSignal::Continue
        }
    });
    let sels: Vec<Lit> = enc
        .part_sel
        .iter()
        .chain(&enc.slot_sel)
        .flatten()
        .copied()
        .collect();
    let mut core: Vec<Lit> = sels.clone();
    let unsat = |s: &mut Sink, a: &[Lit]| -> Option<Vec<Lit>> {
        (s.solver.solve_assumps(a).ok()? == SolverResult::Unsat)
            .then(|| s.solver.core().unwrap_or_default())
            .map(|c| c.into_iter().map(|l| !l).collect())
    };
    if let Some(c) = unsat(&mut enc.sink, &core) {
        core = c;
        core.sort();
        let mut k = 0;
        while k < core.len() && Instant::now() < deadline {
            let mut without = core.clone();
            without.remove(k);
            match unsat(&mut enc.sink, &without) {
                Some(c) => {
                    let mut c: Vec<Lit> = c.into_iter().filter(|l| without.contains(l)).collect();
                    c.sort();
                    core = c;
                }
                None => k += 1,
            }
        }
    }
    let participants = (0..p.n_parts)
        .filter(|&i| enc.part_sel[i].is_some_and(|l| core.contains(&l)))
        .collect();
    let slots = (0..p.n_slots)
        .filter(|&t| enc.slot_sel[t].is_some_and(|l| core.contains(&l)))
        .collect();
    NoTiming::Capacity {
        participants,
        slots,
    }
}
