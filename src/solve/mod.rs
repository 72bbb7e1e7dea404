//! Solving: which pairs meet, and when. Lexicographic, in two phases:
//! 1. the most value (required pairs first) — a greedy plan, then the MIP from it;
//! 2. the fewest breaks at that value — a short annealing, then the SAT break engine beside
//!    the chain of annealing, neighbourhood search and break MIP (`portfolio`, two threads).
//!
//! Each phase keeps the best plan found and the best bound proven, so a time limit or a
//! Ctrl-C still yields a complete plan with an honest status.

mod bound;
pub(crate) mod explain;
mod hall;
mod instance;
pub(crate) mod interp;
mod lns;
mod local;
mod mip;
mod sat;
mod satlns;
mod visits;

pub(crate) use crate::error::Infeasible;
use crate::event::{Event, PairId, SlotId};
use crate::id::Id;
use crate::progress::Progress;
use explain::Reason;
pub(crate) use instance::{Instance, Kept, Restrictions};
use local::State;
use mip::{Run, ScheduleModel};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Above this many (pair, slot) variables the MIP is skipped and the heuristics alone plan.
pub(crate) const MAX_MIP_COLUMNS: usize = 400_000;
/// The break model is several times larger and its LP bound weak: above this many (pair, slot)
/// variables its time goes to the annealing and the neighbourhood search instead.
pub(crate) const MAX_BREAK_MIP_COLUMNS: usize = 60_000;
/// The time budget, in one table: each phase's share of the time left when it starts (the
/// phases run in this order, so what one leaves unused goes to the next; `Limits::until`).
mod share {
    /// Repairing clashes of required meetings after the greedy start.
    pub(super) const REPAIR: f64 = 0.3;
    /// The pair-selection LP bound on the value.
    pub(super) const VALUE_BOUND: f64 = 0.15;
    /// The value MIP.
    pub(super) const VALUE_MIP: f64 = 0.5;
    /// The SAT engine deciding whether the required meetings fit, when the heuristics left
    /// some out.
    pub(super) const SAT_REQUIRED: f64 = 0.5;
    /// A short annealing, so that the SAT engine starts from a plan a few breaks from the best.
    pub(super) const SHORT_ANNEAL: f64 = 0.2;
    /// The SAT break engine's two raced runs (the core loop and the improving search, one per
    /// core), beside the chain of annealing, neighbourhood search and the break MIP
    /// (`portfolio`): they prove most real events, so they run until nearly the end (the chain
    /// beside them runs to the deadline anyway, and what follows them takes a few
    /// milliseconds). At 0.9 a 1 %-scattered ticf-13crafb stopped at 26.4 s, 10,000 conflicts
    /// short of the proof it reaches at 28 s.
    pub(super) const SAT: f64 = 0.97;
    /// Where the chain cannot run at a lower priority than the SAT runs (`lowest_priority`)
    /// and has no core of its own: the two SAT runs alone on the two cores before the chain
    /// joins them on a third thread. Most proofs come within it, and a third thread at the
    /// same priority slows the SAT runs by a third (measured at 0.3: a 1 %-unavailable
    /// ticf-14crafa proven in 22 s instead of 17 s).
    pub(super) const SAT_ALONE: f64 = 0.5;
    /// The annealing that compacts agendas.
    pub(super) const ANNEAL: f64 = 0.45;
    /// The SAT engine on neighbourhoods, where the event is too large for it whole: most of
    /// what is left, as it mends far more breaks a second than the MIP neighbourhood search
    /// (satlns.rs) and stops when none is left.
    pub(super) const SAT_LNS: f64 = 0.7;
    /// The neighbourhood search, before the break MIP (all the rest without it).
    pub(super) const LNS: f64 = 0.3;
    pub(super) const LNS_ALONE: f64 = 1.0;
    /// The break MIP: HiGHS can spend tens of seconds in its root node without reaching a point
    /// where it checks the clock or our interrupt (measured: 23 s on ticf-14crafa), so it gets
    /// headroom that keeps the whole run inside --time-limit.
    pub(super) const BREAK_MIP: f64 = 0.6;
    /// Kept before the deadline after the break MIP (at most a second).
    pub(super) const MARGIN: f64 = 0.1;
}
/// Above this many (pair, slot) variables the SAT break engine is skipped: its encoding grows
/// with pairs × slots and participants² × slots (measured on brokerage-350, 79,000 variables:
/// 700 MB and no conflict within 15 s), and such events are left to the heuristics.
pub(crate) const MAX_SAT_COLUMNS: usize = 40_000;

#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub time_limit: f64,
    pub seed: u64,
}

/// The seed every run uses: same input, same plan.
pub(crate) const SEED: u64 = 0x7453_4348;

/// How the search ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ending {
    /// Both objectives proven optimal.
    Optimal,
    /// The time limit stopped the search before a proof.
    TimeLimit,
    /// Ctrl-C stopped the search.
    Interrupted,
    /// The search ended without a proof (model too large for the MIP).
    Heuristic,
    /// Read back from a plan folder without its status.csv: how the plan was made is unknown.
    Unknown,
}

impl Ending {
    /// The word status.csv holds.
    pub(crate) fn word(self) -> &'static str {
        match self {
            Ending::Optimal => "optimal",
            Ending::TimeLimit => "time_limit",
            Ending::Interrupted => "interrupted",
            Ending::Heuristic => "heuristic",
            Ending::Unknown => "unknown",
        }
    }
    pub(crate) fn from_word(w: &str) -> Option<Ending> {
        [
            Ending::Optimal,
            Ending::TimeLimit,
            Ending::Interrupted,
            Ending::Heuristic,
            Ending::Unknown,
        ]
        .into_iter()
        .find(|e| e.word() == w)
    }
}

/// What the search proved, and how it ended. The plan's own figures are computed from its
/// meetings (`plan::Figures`); these are the bounds they are compared with.
#[derive(Debug, Clone)]
pub(crate) struct Bounds {
    /// No plan (as good in the tiers above value: required meetings, promised minimums,
    /// re-placed announced meetings) is worth more.
    pub value_bound: u64,
    /// No plan of the chosen meetings has fewer breaks.
    pub breaks_bound: u64,
    pub ending: Ending,
    pub seconds: f64,
}

/// The solver's plan: which pairs meet in which slot, and why the others do not.
pub(crate) struct Solved {
    pub meetings: Vec<(PairId, SlotId)>,
    pub unscheduled: Vec<(PairId, Reason)>,
    pub bounds: Bounds,
    /// Visit requests met: the pair and the visit.
    pub visits: Vec<(PairId, crate::event::VisitId)>,
}

struct Limits<'a> {
    deadline: Instant,
    stop: &'a AtomicBool,
}

impl Limits<'_> {
    fn left(&self) -> f64 {
        self.deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
    }
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
    fn expired(&self) -> bool {
        self.stopped() || Instant::now() >= self.deadline
    }
    /// When a phase given `share` of the time left (a line of `share`) must end.
    fn until(&self, share: f64) -> Instant {
        Instant::now() + Duration::from_secs_f64(self.left() * share)
    }
}

/// A plan's place in the one order every phase is judged by (`offer`): lower is better.
pub(super) fn rank(s: &State) -> (u64, std::cmp::Reverse<u64>, u32, u64, u64) {
    let (violations, excess, breaks, idle) = s.key();
    (
        violations,
        std::cmp::Reverse(s.score()),
        excess,
        breaks,
        idle,
    )
}

/// Offers `candidate` (a plan from a model or the SAT engine) to the incumbent `st`, and keeps
/// it when better by the one rule every phase is judged by: no hard-rule violation first, then
/// the weight (required meetings, promised minimums, value), then fairness, breaks and idle
/// slots. Returns whether it was taken.
fn offer<'a>(st: &mut State<'a>, candidate: Option<State<'a>>) -> bool {
    match candidate {
        Some(c) if rank(&c) < rank(st) => {
            *st = c;
            true
        }
        _ => false,
    }
}

pub(crate) fn solve(
    event: &Event,
    inst: &Instance,
    opts: &Options,
    progress: &Progress,
    stop: &AtomicBool,
) -> crate::error::Result<Solved> {
    let started = Instant::now();
    let limits = Limits {
        deadline: started + Duration::from_secs_f64(opts.time_limit.max(0.0)),
        stop,
    };
    let problems = precheck(event, inst);
    if !problems.is_empty() {
        return Err(Infeasible {
            reasons: problems,
            proven: true,
        }
        .into());
    }
    let w_req = inst.required_weight();
    let n_req = inst.pairs.iter().filter(|p| p.required).count() as u64;
    let (w_short, max_short) = (inst.short_weight(), inst.max_shortfall());
    let all_weight: u64 =
        (0..inst.pairs.len()).map(|p| inst.weight(p)).sum::<u64>() + w_short * max_short;
    let n_x: usize = inst.pairs.iter().map(|p| p.slots.len()).sum();
    let use_mip = n_x <= MAX_MIP_COLUMNS;
    let break_mip = n_x <= MAX_BREAK_MIP_COLUMNS;

    // Phase 1: value.
    progress.stage("planning: greedy start");
    let mut st = State::new(inst);
    st.insert_greedily(Some(limits.deadline));
    let n_req_pairs = inst.pairs.iter().filter(|p| p.required).count() as u64;
    let repair_until = limits.until(share::REPAIR);
    if !st.repair_required(
        (n_req_pairs * 2000).clamp(100_000, 20_000_000),
        opts.seed,
        &|| limits.stopped() || Instant::now() > repair_until,
    ) {
        progress.stage("planning: required meetings still clash, trying the exact model");
    }
    st.insert_greedily(Some(limits.deadline));
    let mut weight_bound = all_weight;
    if st.score() < weight_bound && !limits.expired() {
        // The pair-selection LP first: a quarter second where the exact model takes minutes,
        // it bounds any size, and often proves the greedy plan optimal already (measured: a
        // 300 × 150 brokerage whose value model HiGHS could not finish in 37 s).
        progress.stage("bounding value");
        let until = limits.until(share::VALUE_BOUND);
        if let Some(b) = bound::score_bound(inst, until) {
            progress.trace(|| format!("pair-selection bound {b} (plan {})", st.score()));
            weight_bound = weight_bound.min(b);
        }
    }
    if st.score() < weight_bound && use_mip && !limits.expired() {
        let model = ScheduleModel::new(inst);
        progress.stage(format!(
            "solving value: {} variables, {} constraints",
            model.n_cols(),
            model.n_rows()
        ));
        let describe = move |best: f64, bound: f64| {
            if best.is_finite() && best >= (w_req * n_req) as f64 {
                format!(
                    "value {:.0} (bound {:.0})",
                    inst.value_of_score(best, 0, 0),
                    inst.value_of_score(bound, 0, 0).floor()
                )
            } else {
                "placing the required meetings".to_string()
            }
        };
        let run = Run {
            deadline: limits.until(share::VALUE_MIP),
            stop,
            progress,
            describe: &describe,
        };
        let obj = model.weight_expr();
        let res = model.solve(obj, true, Some(&st), &run)?;
        if res.bound.is_finite() {
            weight_bound = weight_bound.min((res.bound + 1e-6).floor().max(0.0) as u64);
        }
        offer(
            &mut st,
            res.slot_of.and_then(|s| State::from_assignment(inst, &s)),
        );
        if res.proven {
            weight_bound = st.score();
        }
    }
    // Whatever stopped phase 1, fill what still fits.
    st.insert_greedily(None);
    let missing: Vec<usize> = (0..inst.pairs.len())
        .filter(|&p| inst.pairs[p].required && st.slot_of[p] == local::NONE)
        .collect();
    // The SAT engine times table meetings in slots only: placing required meetings with it is
    // skipped when visits or travel add rules it does not encode.
    let sat_off = inst.has_visits_or_travel();
    let missing = match missing.is_empty() || n_x > MAX_SAT_COLUMNS || limits.expired() || sat_off {
        true => missing,
        false => sat_required(event, inst, &mut st, &limits, progress)?,
    };
    if !missing.is_empty() {
        let proven = weight_bound < w_req * n_req;
        let reasons = missing
            .iter()
            .map(|&p| {
                let pr = &inst.pairs[p];
                if let Some((visitor, host)) = pr.visit {
                    return no_seat(event, inst, visitor, host, &pr.slots);
                }
                let (a, b) = (event.part(Id::new(pr.a)), event.part(Id::new(pr.b)));
                format!(
                    "{}-{}: no slot left where both are free ({} has {} and {}; {} has {} and {})",
                    a.id,
                    b.id,
                    a.id,
                    plural(a.free_slots(), "free slot"),
                    plural(required_of(inst, pr.a), "required meeting"),
                    b.id,
                    plural(b.free_slots(), "free slot"),
                    plural(required_of(inst, pr.b), "required meeting"),
                )
            })
            .collect();
        return Err(Infeasible { reasons, proven }.into());
    }

    // Phase 2: breaks at this value.
    let n_sched = st.scheduled().count() as u64;
    let mut breaks_bound = 0u64;
    if !st.settled(0) {
        // A short annealing first: the SAT engine's plans start from it (the improving run's
        // phases follow it: `sat::Search::follows_the_plan`), and a plan a few breaks from
        // the optimum leads CaDiCaL to one at the bound far sooner (measured: ticf-14crafa
        // proven in 11 s from a 7-break plan, not within 30 s from the greedy's).
        let d = limits.until(share::SHORT_ANNEAL);
        let short = (n_sched * 5_000).clamp(200_000, 50_000_000);
        st.anneal(short, opts.seed ^ 0x5a7, &|| {
            limits.expired() || Instant::now() > d
        });
        progress.stage(format!("short annealing: {} breaks", st.sum_breaks));
    }
    if !st.settled(0) && n_x <= MAX_SAT_COLUMNS && !limits.expired() {
        breaks_bound = portfolio(inst, &mut st, &limits, opts, progress, break_mip)?;
    } else if !st.settled(0) {
        let chain = if break_mip {
            Chain::BreakMip
        } else {
            Chain::Heuristics
        };
        breaks_bound = compact(inst, &mut st, &limits, opts, progress, chain)?;
    }
    if st.sum_breaks == 0 {
        breaks_bound = 0;
    }
    let weight = st.score();
    let (short, disp) = (st.shortfall(), st.displaced_placed());
    let value_bound = inst.value_of_score(weight_bound.max(weight) as f64, short, disp) as u64;
    let value = inst.value_of_score(weight as f64, short, disp) as u64;
    // The break bounds speak of fair plans only (the SAT engine encodes the spread): a plan
    // that breaks the spread may have fewer breaks than every fair one.
    let proven = weight >= weight_bound && st.settled(breaks_bound);
    let ending = if proven {
        Ending::Optimal
    } else if limits.stopped() {
        Ending::Interrupted
    } else if !use_mip || !break_mip {
        Ending::Heuristic
    } else {
        Ending::TimeLimit
    };
    progress.trace(|| format!("search: value {value}, {} breaks", st.sum_breaks));
    // A kept announced meeting that may move (`--allow-moves`) goes back where it was when
    // the plan allows it: only moves that buy something remain.
    for p in 0..inst.pairs.len() {
        if let Some(prev) = inst.pairs[p].previous {
            if st.slot_of[p] != prev && inst.pairs[p].slots.contains(&prev) {
                st.relocate(p, prev);
            }
        }
    }
    let unscheduled = explain::unscheduled(event, inst, &st);
    Ok(Solved {
        meetings: st
            .scheduled()
            .filter(|&p| !inst.is_visit(st.slot_of[p]))
            .map(|p| (inst.pairs[p].id, Instance::slot_id(st.slot_of[p])))
            .collect(),
        visits: st
            .scheduled()
            .filter(|&p| inst.is_visit(st.slot_of[p]))
            .map(|p| {
                let v = st.slot_of[p] as usize - inst.n_slots;
                (inst.pairs[p].id, crate::id::Id::new(v))
            })
            .collect(),
        unscheduled,
        bounds: Bounds {
            value_bound,
            breaks_bound: breaks_bound.min(st.sum_breaks),
            ending,
            seconds: started.elapsed().as_secs_f64(),
        },
    })
}

/// The engines side by side: two runs of the SAT break engine, one per core, the core loop and
/// the improving search (`sat::Search`: their times to a proof differ a lot, each proving what
/// the other does not; the improving run's plans come early as well), and on a
/// third thread the chain that does not race (`compact`: annealing, neighbourhood search), each
/// from the same plan and none reading another's plans while it runs. The SAT runs share only
/// figures (`sat::Race`): when one's plan reaches the other's lower bound, that plan is proven
/// optimal and both stop, though neither has proven it alone. The chain is the
/// fallback: it starts at once but at the lowest priority (`lowest_priority`), so that it
/// runs on what CPU the SAT runs leave (all of a third core, little of two busy ones), or,
/// where the priority cannot be lowered and there is no third core, once the SAT runs have
/// had `share::SAT_ALONE` of the time to themselves or have both ended. Where the engine times
/// a relaxation (interpreters, visits or travel, which it does not encode, may reject its
/// plans) the chain is no fallback: it starts at once at the same priority, with the HiGHS
/// break model. Returns the break bound proven for this value.
///
/// Why the lowest priority: on two cores a third thread at the same priority took a third of
/// each SAT run's CPU from mid-run on, where the SAT runs prove nearly every event they time
/// whole and end the others with the better plan (`BENCHMARKS.md`, tenth session: 799 of 800
/// variants proven by them; on the last, 6 breaks against the chain's 11; at a 4 s limit, where
/// few proofs come, no plan worse than with the chain at the same priority). At the lowest
/// priority the improving run reached 159,000 conflicts instead of 131,000 in the same 26 s.
///
/// Why these two: over nine sets of 80 variants (`BENCHMARKS.md`, ninth session) the core loop
/// (in stable mode then) raced with the improving search settled as many or more than the
/// default search raced with that core loop on every set, JAIR's slowest event faster; the
/// improving search proves on its own what no core loop proves within 30 s (a 1 %-scattered
/// ticf-13crafb, 169,183 conflicts), and on the third thread, after the annealing, it had
/// started too late. Since the fourteenth session the core loop alternates CaDiCaL's focused
/// and stable modes (`sat::Search::CoreLoop`): 1,280 of 1,280 variants of sixteen sets settled.
///
/// Which plan is kept never depends on which engine finishes first, so that the same input
/// gives the same plan whenever the run ends by proof: of the proofs, the one that came at the
/// fewest polls of the SAT runs' [`sat::Clock`]s (a count the machine's speed does not change):
/// a run's own proof at its count, the other run being stopped there, or the runs' meeting at
/// the later of the two polls that made it, both runs being stopped there (on a tie, the
/// core loop's own proof, then the improving search's, then the meeting); when there is no
/// proof, once all have ended, the best plan by `offer` (the core loop's, then the improving
/// search's, then the chain's on a tie), with the highest of their bounds. A run that reached
/// the meeting as its bound, without a proof of its own, stops the other at once
/// (`sat::Race::end`): the other's plan is kept whatever it does until the meeting's poll.
fn portfolio<'a>(
    inst: &'a Instance,
    st: &mut State<'a>,
    limits: &Limits,
    opts: &Options,
    progress: &Progress,
    break_mip: bool,
) -> crate::error::Result<u64> {
    // The chain's own stop: set when a SAT run settles the question or on Ctrl-C.
    let settled = AtomicBool::new(false);
    let theirs = Limits {
        deadline: limits.deadline,
        stop: &settled,
    };
    let relaxed = inst.has_visits_or_travel() || inst.pairs.iter().any(|p| p.interp.is_some());
    let third_core = std::thread::available_parallelism().is_ok_and(|n| n.get() >= 3);
    // Decided on the chain's thread, which alone can lower its own priority.
    let chain_from = |lowered: bool| match relaxed || lowered || third_core {
        true => Instant::now(),
        false => limits.until(share::SAT_ALONE),
    };
    // Where the SAT runs may reject an engine's plan (`relaxed`), its breaks prove nothing
    // about the plan kept: the runs do not publish.
    let race = sat::Race::new(!relaxed);
    // SAT runs that have ended: when both have (without a proof: a timing that is optimal for
    // this set of meetings but not proven best for the value), the chain need not wait.
    let ended = AtomicUsize::new(0);
    let start = st.clone();
    let hold = |who: &str| {
        // For the tests: hold one engine back, so that the others finish first.
        if std::env::var("T4S_HOLD").is_ok_and(|v| v == who) {
            std::thread::sleep(Duration::from_millis(1500));
        }
    };
    // SAT run `k`, on `mine`: its end may stop the other run (`sat::Race::end`). Returns what
    // it proved and its count at the end.
    let run = |k: usize, search: sat::Search, mine: &mut State<'a>| {
        let r = sat_breaks(inst, mine, limits, search, race.lane(k), progress);
        let at = race.clock(k).ticks();
        race.end(k, r.proven);
        ended.fetch_add(1, Ordering::Relaxed);
        (r, at)
    };
    std::thread::scope(|scope| {
        let second = scope.spawn(|| {
            hold("second");
            let mut mine = start.clone();
            let (r, at) = run(1, sat::Search::Improving, &mut mine);
            (mine, r, at)
        });
        let chain = scope.spawn(|| {
            hold("compact");
            let chain_from = chain_from(!relaxed && lowest_priority());
            while Instant::now() < chain_from
                && !settled.load(Ordering::Relaxed)
                && ended.load(Ordering::Relaxed) < 2
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            if settled.load(Ordering::Relaxed) {
                return Ok((start.clone(), 0));
            }
            let mut mine = start.clone();
            // The HiGHS break model only where the SAT runs time a relaxation: elsewhere their
            // bounds are stronger, and HiGHS can take seconds to notice a stop in its root
            // node (measured: 3.5 s after a SAT run had proven the optimum), which the whole
            // run would wait for.
            let chain = if relaxed && break_mip {
                Chain::BreakMip
            } else {
                Chain::Heuristics
            };
            compact(inst, &mut mine, &theirs, opts, progress, chain).map(|b| (mine, b))
        });
        hold("sat");
        let (first, at) = run(0, sat::Search::CoreLoop, st);
        let wait = |done: &dyn Fn() -> bool| {
            // Ctrl-C while another engine still runs reaches it here.
            while !done() {
                if limits.stopped() {
                    settled.store(true, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        };
        wait(&|| second.is_finished());
        let (second_plan, other, other_at) = match second.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        // The runs met where one's plan reached the other's bound, if its plan is the one
        // kept (the engine's plan can be turned down only where the runs do not publish).
        let bounds = [first.bound, other.bound];
        let met = race.met().filter(|m| {
            let plan = if m.plan_of == 0 { &*st } else { &second_plan };
            plan.settled(bounds[1 - m.plan_of])
        });
        // The earliest proof on the clocks: the core loop's own, the improving run's own,
        // then their meeting, on a tie.
        let winner = [
            first.proven.then_some((at, 0)),
            other.proven.then_some((other_at, 1)),
            met.map(|m| (m.at, 2)),
        ]
        .into_iter()
        .flatten()
        .min();
        if winner.is_some() || limits.stopped() {
            settled.store(true, Ordering::Relaxed);
        }
        wait(&|| chain.is_finished());
        let (chain_plan, chain_bound) = match chain.join() {
            Ok(result) => result?,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        // Which run's plan is kept, and how it was proven: the plan is the same whichever run
        // finished first in wall time, and so is whose plan it is; how is not always (a run
        // whose plan met the other's bound may be stopped before a proof of its own, or reach
        // it first: `sat::Race::end`).
        let runs = ["core loop's", "improving run's"];
        let kept = |st: &State, k: usize, how: &str| {
            progress.stage(format!(
                "portfolio: {} breaks, the {} plan, proven {how}",
                st.sum_breaks, runs[k],
            ));
        };
        match (winner, met) {
            (Some((_, 0)), _) => {
                kept(st, 0, "by its own search");
                return Ok(first.bound);
            }
            (Some((_, 1)), _) => {
                *st = second_plan;
                kept(st, 1, "by its own search");
                return Ok(other.bound);
            }
            (Some(_), Some(m)) => {
                if m.plan_of == 1 {
                    *st = second_plan;
                }
                kept(
                    st,
                    m.plan_of,
                    &format!("at the {} bound", runs[1 - m.plan_of]),
                );
                return Ok(bounds[1 - m.plan_of]);
            }
            _ => {}
        }
        offer(st, Some(second_plan));
        offer(st, Some(chain_plan));
        let bound = first.bound.max(other.bound).max(chain_bound);
        progress.stage(format!(
            "portfolio: {} breaks, bound {bound} (SAT {} and {}, third thread {chain_bound})",
            st.sum_breaks, first.bound, other.bound
        ));
        Ok(bound)
    })
}

/// Gives the calling thread the lowest scheduling priority (nice 19), so that it runs on the
/// CPU other threads leave. Linux only, where a thread has a nice value of its own; returns
/// whether it did. A thread cannot raise its priority back without privileges, so this is for
/// a thread that ends with its work (the portfolio's chain).
#[cfg(target_os = "linux")]
fn lowest_priority() -> bool {
    // SAFETY: both calls only read or set this thread's own scheduling attributes.
    unsafe {
        let me = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, me as libc::id_t, 19) == 0
    }
}

#[cfg(not(target_os = "linux"))]
fn lowest_priority() -> bool {
    false
}

/// What `compact` runs besides the annealing and the neighbourhood search.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Chain {
    /// Nothing more: the break model would exceed `MAX_BREAK_MIP_COLUMNS`, or the SAT runs
    /// beside the chain time the event itself (their bounds are stronger).
    Heuristics,
    /// The HiGHS break model, after the neighbourhood search.
    BreakMip,
}

/// Compacts agendas without the SAT engine on the whole event: annealing, the SAT engine on
/// neighbourhoods (above its size limit), neighbourhood search, then the HiGHS break model
/// (`Chain::BreakMip`) and what time is left to more of both. Returns the break bound it
/// proved.
fn compact<'a>(
    inst: &'a Instance,
    st: &mut State<'a>,
    limits: &Limits,
    opts: &Options,
    progress: &Progress,
    chain: Chain,
) -> crate::error::Result<u64> {
    let break_mip = chain == Chain::BreakMip;
    let stop = limits.stop;
    // The breaks each participant's own agenda forces (its free slots split by unavailability
    // or the programme): a bound at any size, a matching per participant and no search, where
    // the break MIP is too large to run (the SAT engine beside this chain finds it as well).
    let mut breaks_bound = if sat_bounds_the_value(inst, st) {
        let problem = sat::TimingProblem::from_instance(inst, &table_meetings(inst, st), None);
        sat::forced_breaks(&problem)
    } else {
        0
    };
    let n_sched = st.scheduled().count() as u64;
    progress.stage("compacting agendas");
    // Deterministic budget (~1 M iterations per second here); the deadline only guards it.
    let iterations = (n_sched * 40_000).clamp(1_000_000, 400_000_000);
    if !st.settled(breaks_bound) {
        let anneal_deadline = limits.until(share::ANNEAL);
        st.anneal(iterations, opts.seed, &|| {
            limits.expired() || Instant::now() > anneal_deadline
        });
    }
    // Above MAX_SAT_COLUMNS: the SAT engine on neighbourhoods of the plan (satlns.rs).
    if st.sum_breaks > breaks_bound && !limits.expired() {
        let until = limits.until(share::SAT_LNS);
        satlns::search(st, MAX_SAT_COLUMNS, opts.seed, until, stop, progress);
    }
    if !st.settled(breaks_bound) {
        progress.stage(format!(
            "compacting agendas: {} breaks, neighbourhood search",
            st.sum_breaks
        ));
        let lns_deadline = limits.until(if break_mip {
            share::LNS
        } else {
            share::LNS_ALONE
        });
        let mut lns = lns::Lns::new(opts.seed);
        let budget = (n_sched * 200).max(2_000);
        lns.run(st, budget, lns_deadline.min(limits.deadline), &|| {
            limits.stopped()
        });
        progress.stage(format!(
            "neighbourhood search: {} breaks after {} steps ({} improving)",
            st.sum_breaks, lns.steps, lns.improvements
        ));
    }
    if st.key() > (0, 0, 0, 0) && st.sum_breaks > breaks_bound && break_mip && !limits.expired() {
        let mut model = ScheduleModel::new(inst);
        if st.scheduled().count() == inst.pairs.len() {
            model.add_all_meet();
        } else {
            model.add_min_weight(st.score());
        }
        let obj = model.add_breaks();
        progress.stage(format!(
            "solving breaks: {} variables, {} constraints",
            model.n_cols(),
            model.n_rows()
        ));
        let describe = |best: f64, bound: f64| {
            format!("breaks {best:.0} (bound {:.0})", bound.max(0.0).ceil())
        };
        let run = Run {
            deadline: limits.until(share::BREAK_MIP),
            stop,
            progress,
            describe: &describe,
        };
        let res = model.solve(obj, false, Some(st), &run)?;
        if res.bound.is_finite() {
            breaks_bound = breaks_bound.max((res.bound - 1e-6).ceil().max(0.0) as u64);
        }
        offer(
            st,
            res.slot_of.and_then(|s| State::from_assignment(inst, &s)),
        );
        if res.proven {
            // The model's optimum bounds every plan (its fairness rule covers a subset).
            breaks_bound = breaks_bound.max((res.objective - 1e-6).ceil().max(0.0) as u64);
        }
        progress.stage(format!(
            "break model: {} breaks, bound {breaks_bound}",
            st.sum_breaks
        ));
        // What the headroom left (HiGHS usually stops on time) goes to more neighbourhood
        // search, ending a little before the deadline.
        let until =
            limits.deadline - Duration::from_secs_f64((limits.left() * share::MARGIN).min(1.0));
        if st.sum_breaks > breaks_bound && Instant::now() < until {
            // A second annealing from the best plan, with another seed (its results vary by
            // a break or two with the seed), then neighbourhood search with what is left.
            st.anneal(iterations, opts.seed ^ 0xa11e, &|| {
                limits.stopped() || Instant::now() > until
            });
            progress.stage(format!("second annealing: {} breaks", st.sum_breaks));
            let mut lns = lns::Lns::new(opts.seed ^ 0x5eed);
            lns.run(st, n_sched * 200, until, &|| limits.stopped());
            progress.stage(format!(
                "neighbourhood search: {} breaks after {} more steps",
                st.sum_breaks, lns.steps
            ));
        }
    }
    Ok(breaks_bound)
}

/// The SAT break engine on the scheduled meetings, from the current plan: its plan replaces
/// the current one when better; returns the break bound it proved for this set of meetings.
///
/// Interpreters are not encoded: the engine times a relaxation, so its lower bound on breaks
/// and its proofs of infeasibility stay valid, and a timing it finds that leaves a meeting
/// without an interpreter is rejected by `State::from_assignment`.
fn sat_breaks<'a>(
    inst: &'a Instance,
    st: &mut State<'a>,
    limits: &Limits,
    search: sat::Search,
    lane: sat::Lane<'_>,
    progress: &Progress,
) -> SatBreaks {
    // Table meetings only, visits staying where they are. The engine knows neither visits nor
    // travel nor interpreters: its plan is kept only if `State::from_assignment` finds it
    // valid under every rule, and its bound is a bound only where it counts breaks as the
    // plan does (`sat_bounds_the_value`).
    let pairs = table_meetings(inst, st);
    let problem = sat::TimingProblem::from_instance(inst, &pairs, Some(&st.slot_of));
    progress.stage(format!(
        "timing with SAT ({search}): {} meetings, {} breaks so far",
        pairs.len(),
        st.sum_breaks
    ));
    let budget = sat::Budget {
        deadline: limits.until(share::SAT),
        stop: limits.stop,
        proof_share: search.proof_share(),
        search,
        rows: search.rows(),
        lane: Some(lane),
    };
    // For measuring the engine alone (src/solve/sat/dump.rs).
    if let Some(path) = std::env::var_os("T4S_SAT_DUMP").filter(|_| search == sat::Search::CoreLoop)
    {
        let _ = std::fs::write(path, problem.to_text());
    }
    let t = sat::solve_timing(&problem, &budget);
    if let Some((plan, _)) = &t.best {
        let mut slot_of = vec![local::NONE; inst.pairs.len()];
        for p in st.scheduled() {
            if inst.pairs[p].visit.is_some() {
                slot_of[p] = st.slot_of[p];
            }
        }
        for (k, &p) in pairs.iter().enumerate() {
            slot_of[p] = plan[k];
        }
        offer(st, State::from_assignment(inst, &slot_of));
    }
    progress.stage(format!(
        "SAT timing ({search}): {} breaks, bound {} ({} cores, {} conflicts, {} polls){}",
        st.sum_breaks,
        t.lower_bound,
        t.cores,
        t.conflicts,
        lane.ticks(),
        match &t.infeasible {
            Some(sat::NoTiming::Fairness) => ", the break spread cannot be met",
            _ => "",
        }
    ));
    let bounds_the_value = sat_bounds_the_value(inst, st);
    let bound = match t.infeasible {
        // No fair timing at all: the bound speaks of fair plans only, and the plan is not one.
        Some(_) => 0,
        None if bounds_the_value => t.lower_bound,
        None => 0,
    };
    SatBreaks {
        bound,
        proven: bounds_the_value && t.infeasible.is_none() && st.settled(t.lower_bound),
    }
}

/// Whether a break bound the SAT engine's problem gives for this set of meetings bounds every
/// plan of this value: no plan of the value can leave a meeting out when all candidates meet,
/// each worth > 0; and the problem counts breaks as the plan does, which it cannot with visits
/// or travel (a slot spent on a visit or travelling is no break, but the problem knows neither
/// and sees the slot idle, so its count can exceed the plan's).
fn sat_bounds_the_value(inst: &Instance, st: &State) -> bool {
    st.scheduled().count() == inst.pairs.len()
        && (0..inst.pairs.len()).all(|p| inst.weight(p) > 0)
        && !inst.has_visits_or_travel()
}

/// The table meetings of the plan (visits are not timed by the SAT engine).
fn table_meetings(inst: &Instance, st: &State) -> Vec<usize> {
    st.scheduled()
        .filter(|&p| inst.pairs[p].visit.is_none())
        .collect()
}

/// What the SAT break engine leaves: a break bound for every plan of the value, and whether
/// the plan (its own, or the one it started from) is proven optimal.
struct SatBreaks {
    bound: u64,
    proven: bool,
}

/// The heuristics left required meetings out: the SAT engine decides exactly whether they fit
/// (optional meetings can always make way). Fitting, the plan becomes its timing of them plus
/// what fits greedily, and no required pair is missing; not fitting, the proven reason.
fn sat_required<'a>(
    event: &Event,
    inst: &'a Instance,
    st: &mut State<'a>,
    limits: &Limits,
    progress: &Progress,
) -> Result<Vec<usize>, Infeasible> {
    progress.stage("placing the required meetings with SAT");
    let required: Vec<usize> = (0..inst.pairs.len())
        .filter(|&p| inst.pairs[p].required)
        .collect();
    let mut problem = sat::TimingProblem::from_instance(inst, &required, None);
    problem.max_spread = None;
    let budget = sat::Budget {
        deadline: limits.until(share::SAT_REQUIRED),
        stop: limits.stop,
        proof_share: sat::OLL_SHARE,
        search: sat::Search::Default,
        rows: sat::Rows::BLOCK,
        lane: None,
    };
    let t = sat::solve_timing(&problem, &budget);
    if let Some((plan, _)) = &t.best {
        let mut slot_of = vec![local::NONE; inst.pairs.len()];
        for (k, &p) in required.iter().enumerate() {
            slot_of[p] = plan[k];
        }
        if let Some(fresh) = State::from_assignment(inst, &slot_of) {
            *st = fresh;
            st.insert_greedily(None);
        }
    }
    if let Some(sat::NoTiming::Capacity {
        participants,
        slots,
    }) = t.infeasible
    {
        let ids: Vec<&str> = participants
            .iter()
            .map(|&i| event.participants[i].id.as_str())
            .collect();
        let n_ids = ids.len();
        let mut reason = format!(
            "{}: {} cannot all be placed, too few slots where both sides of each are free \
             (proven by the SAT search)",
            list_ids(&ids),
            if n_ids == 1 {
                "the required meetings"
            } else {
                "their required meetings"
            },
        );
        if !slots.is_empty() {
            let names: Vec<&str> = slots.iter().map(|&s| event.slots[s].id.as_str()).collect();
            reason += &format!(
                "; the floating tables of {} are part of it",
                list_ids(&names)
            );
        }
        return Err(Infeasible {
            reasons: vec![reason],
            proven: true,
        });
    }
    Ok((0..inst.pairs.len())
        .filter(|&p| inst.pairs[p].required && st.slot_of[p] == local::NONE)
        .collect())
}

/// Ids for a message, the first six and a count of the rest where there are more than eight
/// (a core the time did not let the SAT engine shrink can name most of the event).
fn list_ids(ids: &[&str]) -> String {
    match ids.len() {
        n if n > 8 => format!("{} and {} more", ids[..6].join(", "), n - 6),
        _ => ids.join(", "),
    }
}

/// Slots (ascending indices) by their ids, a run of three or more consecutive slots as
/// "first–last".
fn slot_runs(event: &Event, slots: &[usize]) -> String {
    let mut parts = Vec::new();
    let mut k = 0;
    while k < slots.len() {
        let mut end = k;
        while end + 1 < slots.len() && slots[end + 1] == slots[end] + 1 {
            end += 1;
        }
        let id = |s: usize| event.slots[s].id.as_str();
        match end - k {
            0 => parts.push(id(slots[k]).to_owned()),
            1 => parts.push(format!("{}, {}", id(slots[k]), id(slots[end]))),
            _ => parts.push(format!("{}–{}", id(slots[k]), id(slots[end]))),
        }
        k = end + 1;
    }
    parts.join(", ")
}

/// Why a required visit found no seat: the visits the visitor can join, their seats, and the
/// required visits to the same firm competing for them.
fn no_seat(event: &Event, inst: &Instance, visitor: usize, host: usize, options: &[u32]) -> String {
    let (v, h) = (event.part(Id::new(visitor)), event.part(Id::new(host)));
    let offered: Vec<String> = options
        .iter()
        .map(|&o| {
            let visit = &event.visits[o as usize - inst.n_slots];
            format!("{} {}", visit.id, plural(visit.capacity as usize, "seat"))
        })
        .collect();
    let competing = inst
        .pairs
        .iter()
        .filter(|q| q.required && q.visit.is_some_and(|(_, f)| f == host))
        .count();
    format!(
        "{}'s visit to {}: no seat left on the visits it can join ({}; {} to {})",
        v.id,
        h.id,
        offered.join(", "),
        plural(competing, "required visit"),
        h.id,
    )
}

/// Required meetings of participant `i` among the candidates.
fn required_of(inst: &Instance, i: usize) -> usize {
    inst.by_part[i]
        .iter()
        .filter(|&&p| inst.pairs[p].required)
        .count()
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// What makes the required meetings impossible before any search, each in words: a required
/// pair without a possible slot, a participant whose required meetings need more distinct
/// slots than their possible slots offer (`when`, unavailability, passed slots and pins
/// included), or some of them more than the slots they share (`hall::too_few_slots`: a
/// morning's meetings bound to the morning, the others free), or more than its
/// `max_meetings`. `validate` prints the same list.
pub(crate) fn precheck(event: &Event, inst: &Instance) -> Vec<String> {
    let mut reasons = Vec::new();
    for (p, why) in &inst.impossible {
        let pair = event.pair(*p);
        if pair.organiser == crate::event::Organiser::Required {
            let (a, b) = (event.part(pair.a), event.part(pair.b));
            reasons.push(format!("{}-{}: {}", a.id, b.id, why.english(event)));
        }
    }
    for (i, part) in event.participants.iter().enumerate() {
        let req: Vec<usize> = inst.by_part[i]
            .iter()
            .copied()
            .filter(|&p| inst.pairs[p].required)
            .collect();
        if req.is_empty() {
            continue;
        }
        let mut usable = vec![false; inst.n_slots];
        for &p in &req {
            for &s in &inst.pairs[p].slots {
                usable[s as usize] = true;
            }
        }
        let slots = usable.iter().filter(|&&u| u).count() * part.reps as usize;
        if req.len() > slots {
            reasons.push(format!(
                "{} has {} but {} where they can take place",
                part.id,
                plural(req.len(), "required meeting"),
                plural(slots, "slot")
            ));
            continue;
        }
        // Short of that, some of them may compete for a few slots while the others could go
        // anywhere (a morning's meetings pinned or bound by `when`): the matching finds them.
        // This and `max_meetings` below can both hold, and each needs its own fix.
        let domains: Vec<&[u32]> = req
            .iter()
            .map(|&p| inst.pairs[p].slots.as_slice())
            .collect();
        let places = part.reps as usize;
        if let Some((meetings, slots)) = hall::too_few_slots(&domains, inst.n_slots, places) {
            let with: Vec<&str> = meetings
                .iter()
                .map(|&k| {
                    let c = &inst.pairs[req[k]];
                    let other = if c.a == i { c.b } else { c.a };
                    event.participants[other].id.as_str()
                })
                .collect();
            // With reps > 1 the slots are counted as they are, their places said apart.
            let at_a_time = match places {
                1 => String::new(),
                n => format!(", {n} at a time"),
            };
            reasons.push(format!(
                "{} has {} (with {}) that can only take place in {} ({}{at_a_time})",
                part.id,
                plural(meetings.len(), "required meeting"),
                with.join(", "),
                plural(slots.len(), "slot"),
                slot_runs(event, &slots)
            ));
        }
        if let Some(m) = part.max_meetings.filter(|&m| req.len() > m as usize) {
            reasons.push(format!(
                "{} has {} but max_meetings {m}",
                part.id,
                plural(req.len(), "required meeting")
            ));
        }
    }
    reasons
}

/// Promised minimums (`min_meetings`) no plan can meet: the participant's possible meetings
/// (requests, their slots, its `max_meetings`) are fewer. Planning goes ahead; `validate`
/// warns, and the report names the shortfall.
pub(crate) fn unreachable_minimums(event: &Event, inst: &Instance) -> Vec<String> {
    event
        .participants
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let min = p.min_meetings.filter(|_| !p.cancelled)?;
            (inst.min_eff[i] < min).then(|| {
                format!(
                    "{} is promised {} (min_meetings) but can have at most {} (its requests, free slots and max_meetings)",
                    p.id,
                    plural(min as usize, "meeting"),
                    inst.min_eff[i]
                )
            })
        })
        .collect()
}
