//! The SAT break engine as a neighbourhood solver, for events too large to encode whole
//! (above `MAX_SAT_COLUMNS`): free the meetings of one session around a participant with a
//! break there, pin every other meeting of everyone they touch, and let the engine re-time
//! the freed ones with the fewest breaks (`TimingProblem::around`). Pinned meetings are unit
//! clauses, so a step of a hundred freed meetings among a few hundred participants is most
//! often proven optimal in milliseconds; steps grow (up to 16 times) when they stop
//! improving, to escape what small neighbourhoods cannot mend.
//!
//! Measured on tradeshow-3000-popular (21,970 meetings) from the same plan (greedy start and
//! 200,000 annealing moves, 763 breaks), 30 s each: this search reached 0 breaks in 12 s;
//! the MIP neighbourhood search (`lns.rs`, at most 28 freed meetings over whole agendas)
//! reached 657. On tradeshow-7000 (59,356 meetings, 817 breaks): 16 against 797.
//!
//! The set of meetings never changes, so the value never drops. A step's timing is kept only
//! when the whole plan's own checks accept it (`State::can_place`, in place, as the MIP
//! neighbourhood search does: `lns::retime_if_better`; they check what the neighbourhood
//! problem leaves out: travel between two freed meetings, interpreters' `max_meetings`) and
//! the plan is strictly better by `State::key` (the solver's one order, `offer`'s, as the set
//! of pairs is unchanged). Fairness (`max_break_spread`) is global, so it is not encoded here
//! (`max_spread` `None`): the order ranks fairness before breaks, so a step that widens the
//! spread beyond it is dropped. The
//! neighbourhoods come from the seeded generator and the plan, so a run is reproducible up to
//! where a step's time budget cut the engine.

use super::lns::{retime_if_better, Retimed};
use super::local::{Rng, State};
use super::sat::{self, Budget, TimingProblem};
use crate::progress::Progress;
use std::ops::Range;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// Meetings freed per step, at least (plus up to `FREE_SPAN` more), before any growth.
/// Measured on tradeshow-3000-popular from 763 breaks, 12 s each without growth: 40–100
/// freed meetings reached 10 breaks, 80–200 27, 150–350 35, 300–600 132, 600–1,200 246
/// (bigger steps are proven more slowly, and fewer of them run); 20–50 stalled near 40.
const FREE_MIN: usize = 40;
const FREE_SPAN: usize = 60;
/// Steps without improvement after which neighbourhoods double, at most `MAX_GROWN` times.
/// With them, 40–100 went on from 10 breaks to 0 (it had stalled at 5 without).
const STALL: u64 = 40;
const MAX_GROWN: u32 = 4;
/// The longest one step may take: most steps are proven optimal in a fraction of this, and a
/// step stuck on a hard neighbourhood should not eat the phase.
const STEP_SECONDS: f64 = 1.5;

/// Switch for measuring on small events: with `T4S_SAT_LNS` set (any value), the search runs
/// whatever the event's size (hidden: not a flag, as no planner needs it).
const FORCE_VAR: &str = "T4S_SAT_LNS";

pub(super) struct SatLns {
    rng: Rng,
    /// Neighbourhoods are `2^grown` times the smallest size: they grow when steps stop
    /// improving.
    grown: u32,
    /// Steps since the last improvement.
    idle: u64,
    pub steps: u64,
    pub improvements: u64,
    /// Steps whose neighbourhood the engine timed optimally.
    pub proven: u64,
    /// Steps with a better timing that the whole plan's rules rejected.
    pub rejected: u64,
}

/// One step's neighbourhood, for the caller to inspect (the trace, the tests).
pub(super) struct Step {
    pub nb: sat::Neighbourhood,
    /// Breaks of the participants involved before the step, by the problem's count.
    pub before: u64,
}

/// Runs the search on `st` until `deadline` or `stop` when the event has more than `above`
/// (pair, slot) variables (`MAX_SAT_COLUMNS` in `solve`; the tests force it with 0), and says
/// what it did in the progress trace.
pub(super) fn search(
    st: &mut State,
    above: usize,
    seed: u64,
    deadline: Instant,
    stop: &AtomicBool,
    progress: &Progress,
) {
    let n_x: usize = st.inst.pairs.iter().map(|p| p.slots.len()).sum();
    if n_x <= above && std::env::var_os(FORCE_VAR).is_none() {
        return;
    }
    progress.stage(format!(
        "SAT neighbourhood search from {} breaks",
        st.sum_breaks
    ));
    let mut lns = SatLns::new(seed);
    // Sizes, for the trace: meetings freed, participants involved, their breaks.
    let (mut freed, mut involved, mut breaks) = (0, 0, 0);
    while st.sum_breaks > 0
        && Instant::now() < deadline
        && !stop.load(std::sync::atomic::Ordering::Relaxed)
    {
        let Some(step) = lns.step(st, deadline, stop) else {
            break;
        };
        freed += step.nb.pairs.len();
        involved += step.nb.parts.len();
        breaks += step.before;
    }
    progress.stage(format!(
        "SAT neighbourhood search: {} breaks after {} steps ({} improving, {} proven optimal, \
         {} rejected by the whole plan's rules)",
        st.sum_breaks, lns.steps, lns.improvements, lns.proven, lns.rejected
    ));
    let per = |x: u64| x / lns.steps.max(1);
    progress.trace(|| {
        format!(
            "per step: {} meetings freed, {} participants involved, {} breaks among them",
            per(freed as u64),
            per(involved as u64),
            per(breaks)
        )
    });
}

impl SatLns {
    pub(super) fn new(seed: u64) -> Self {
        SatLns {
            rng: Rng::new(seed),
            grown: 0,
            idle: 0,
            steps: 0,
            improvements: 0,
            proven: 0,
            rejected: 0,
        }
    }

    /// One step: a neighbourhood, its timing, the plan replaced when better. `None` when no
    /// participant has a break left.
    pub(super) fn step<'a>(
        &mut self,
        st: &mut State<'a>,
        deadline: Instant,
        stop: &AtomicBool,
    ) -> Option<Step> {
        let (free, within) = self.neighbourhood(st)?;
        self.steps += 1;
        self.idle += 1;
        if self.idle > STALL && self.grown < MAX_GROWN {
            self.grown += 1;
            self.idle = 0;
        }
        let inst = st.inst;
        let nb = TimingProblem::around(inst, &st.slot_of, &free, Some(within.clone()));
        let incumbent = nb.problem.incumbent.as_deref().unwrap_or_default();
        let before = nb
            .problem
            .breaks(incumbent)
            .map_or(0, |b| b.iter().map(|&x| u64::from(x)).sum());
        let step = Step { nb, before };
        if before == 0 {
            return Some(step);
        }
        let budget = Budget {
            deadline: deadline.min(Instant::now() + Duration::from_secs_f64(STEP_SECONDS)),
            stop,
            // A step is short: its proof, then the improving search from the current plan.
            proof_share: sat::OLL_SHARE,
            search: sat::Search::Default,
            rows: sat::Rows::BLOCK,
            lane: None,
        };
        let t = sat::solve_timing(&step.nb.problem, &budget);
        self.proven += u64::from(t.optimal);
        if let Some((plan, _)) = t.best.filter(|&(_, b)| b < before) {
            match retime_if_better(st, &step.nb.pairs, &plan) {
                Retimed::Better => {
                    self.improvements += 1;
                    self.idle = 0;
                }
                Retimed::NotBetter => {}
                Retimed::Invalid => self.rejected += 1,
            }
        }
        Some(step)
    }

    /// The meetings to free and the session they stay within: a session where a participant
    /// with breaks has one, and there the meetings of that participant, of its counterparts
    /// (those with breaks first), of theirs, and so on, up to the step's size.
    ///
    /// One session rather than the whole event or two sessions (measured on
    /// tradeshow-3000-popular: whole agendas, 120–320 meetings, and two sessions, 500–900, were
    /// neither proven nor improved within 1.5 s a step, where one session's 300–600 were
    /// proven in 0.1–0.4 s): the engine then counts that session's breaks alone, not the fixed
    /// ones elsewhere that each cost it a core.
    fn neighbourhood(&mut self, st: &State) -> Option<(Vec<usize>, Range<usize>)> {
        let inst = st.inst;
        let with_breaks: Vec<usize> = (0..inst.n_parts).filter(|&i| st.breaks_of(i) > 0).collect();
        if with_breaks.is_empty() {
            return None;
        }
        let seed = with_breaks[self.rng.below(with_breaks.len())];
        let sessions = &inst.sessions;
        let gappy: Vec<usize> = (0..sessions.len())
            .filter(|&q| runs(st, seed, sessions[q].clone()) > 1)
            .collect();
        let q = if gappy.is_empty() {
            // A break across slots a visit or travel covers, counted in no single session's
            // runs here: any session of the seed will do.
            self.rng.below(sessions.len())
        } else {
            gappy[self.rng.below(gappy.len())]
        };
        let window = sessions[q].clone();
        let target = (FREE_MIN + self.rng.below(FREE_SPAN)) << self.grown;
        let inside = |s: u32| (s as usize) < inst.n_slots && window.contains(&(s as usize));
        let mut free: Vec<usize> = Vec::new();
        let mut freed = vec![false; inst.pairs.len()];
        let mut seen = vec![false; inst.n_parts];
        seen[seed] = true;
        let mut queue = std::collections::VecDeque::from([seed]);
        while let Some(i) = queue.pop_front() {
            if free.len() >= target {
                break;
            }
            let mut mine: Vec<usize> = inst.by_part[i]
                .iter()
                .copied()
                .filter(|&p| inside(st.slot_of[p]))
                .collect();
            self.shuffle(&mut mine);
            let mut next = Vec::new();
            for p in mine {
                if !freed[p] {
                    freed[p] = true;
                    free.push(p);
                }
                let pair = &inst.pairs[p];
                let other = if pair.a == i { pair.b } else { pair.a };
                if !seen[other] {
                    seen[other] = true;
                    next.push(other);
                }
            }
            // Counterparts with breaks first: their breaks are what a step can mend.
            next.sort_by_key(|&j| st.breaks_of(j) == 0);
            queue.extend(next);
        }
        free.sort_unstable();
        Some((free, window))
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for k in (1..v.len()).rev() {
            v.swap(k, self.rng.below(k + 1));
        }
    }
}

/// Runs of engaged slots of participant `i` within `range` (slots held by a fixed engagement
/// left out, as `State` counts breaks): more than one is a break.
fn runs(st: &State, i: usize, range: Range<usize>) -> usize {
    let mut runs = 0;
    let mut prev = false;
    for s in range {
        if st.inst.skipped(i, s) {
            continue;
        }
        let now = st.engaged(i, s);
        if now && !prev {
            runs += 1;
        }
        prev = now;
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::{rank, Instance, Restrictions};

    static NO_STOP: AtomicBool = AtomicBool::new(false);

    fn event(dir: &str) -> crate::event::Event {
        crate::event::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)).unwrap()
    }

    /// A scrambled plan of a small event, so that there are breaks to mend.
    fn scrambled(inst: &Instance) -> State<'_> {
        let mut st = State::new(inst);
        st.insert_greedily(None);
        let mut rng = Rng::new(3);
        let sched: Vec<usize> = st
            .scheduled()
            .filter(|&p| inst.pairs[p].visit.is_none())
            .collect();
        for _ in 0..400 {
            let p = sched[rng.below(sched.len())];
            let t = inst.pairs[p].slots[rng.below(inst.pairs[p].slots.len())];
            st.relocate(p, t);
        }
        assert!(st.sum_breaks > 0, "the scrambled plan has breaks to mend");
        st
    }

    /// Breaks of participant `i` in the session holding `range`, as `State` counts them.
    fn session_breaks(st: &State, i: usize, range: Range<usize>) -> u32 {
        runs(st, i, range).saturating_sub(1) as u32
    }

    /// Forced on small events (the bundled one: programme, visits, travel, interpreters; the
    /// example: reps, fixed tables), from a scrambled plan: every step leaves a valid plan
    /// never worse by `offer`'s rule, and where nothing escapes the neighbourhood problem (no
    /// travel, no visits) its count of the breaks of the participants involved is `State`'s:
    /// in the session of the step, and over the whole event when the same meetings are freed
    /// without a window.
    #[test]
    fn sat_neighbourhoods_count_breaks_exactly_and_never_worsen_the_plan() {
        let mut exact_somewhere = false;
        for dir in ["data", "examples/event"] {
            let ev = event(dir);
            for spread in [None, Some(1)] {
                let inst = Instance::new(&ev, &Restrictions::default(), spread);
                let mut st = scrambled(&inst);
                let start = st.sum_breaks;
                let exact = !inst.has_conflicts();
                exact_somewhere |= exact;
                let mut lns = SatLns::new(7);
                let deadline = Instant::now() + Duration::from_secs(60);
                for _ in 0..40 {
                    let prev = st.clone();
                    let Some(step) = lns.step(&mut st, deadline, &NO_STOP) else {
                        break;
                    };
                    assert!(State::from_assignment(&inst, &st.slot_of).is_some());
                    assert!(
                        rank(&st) <= rank(&prev),
                        "{dir}: a step made the plan worse"
                    );
                    if !exact {
                        continue;
                    }
                    let nb = &step.nb;
                    let q = inst.session_of[prev.slot_of[nb.pairs[0]] as usize];
                    let window = inst.sessions[q].clone();
                    let inc = nb.problem.incumbent.clone().unwrap();
                    let b = nb.problem.breaks(&inc).unwrap();
                    for (k, &i) in nb.parts.iter().enumerate() {
                        let want = session_breaks(&prev, i, window.clone());
                        assert_eq!(b[k], want, "{dir}: participant {i}");
                    }
                    assert_eq!(b[nb.parts.len()], 0, "{dir}: the outside has no breaks");
                    assert_eq!(step.before, b.iter().map(|&x| u64::from(x)).sum::<u64>());
                    // The same meetings freed over their whole slot lists: the whole agendas.
                    let whole = TimingProblem::around(&inst, &prev.slot_of, &nb.pairs, None);
                    assert_eq!(whole.parts, nb.parts);
                    let inc = whole.problem.incumbent.clone().unwrap();
                    let b = whole.problem.breaks(&inc).unwrap();
                    for (k, &i) in whole.parts.iter().enumerate() {
                        assert_eq!(b[k], prev.breaks_of(i), "{dir}: participant {i}");
                    }
                }
                assert!(lns.steps > 0);
                assert!(st.sum_breaks <= start);
                if spread.is_none() {
                    assert!(lns.improvements > 0, "{dir}: some step mends a break");
                }
            }
        }
        assert!(exact_somewhere, "the exact count is checked on some event");
    }

    /// `search` runs only above its threshold (the hook passes `MAX_SAT_COLUMNS`), and there
    /// mends breaks.
    #[test]
    fn sat_neighbourhood_search_runs_above_its_threshold() {
        if std::env::var_os(FORCE_VAR).is_some() {
            return; // forced on: the threshold is not what decides
        }
        let ev = event("examples/event");
        let inst = Instance::new(&ev, &Restrictions::default(), None);
        let progress = Progress::new(true, 10.0);
        let deadline = || Instant::now() + Duration::from_secs(10);
        let mut st = scrambled(&inst);
        let before = st.slot_of.clone();
        search(&mut st, usize::MAX, 1, deadline(), &NO_STOP, &progress);
        assert_eq!(st.slot_of, before, "below the threshold: untouched");
        let start = st.sum_breaks;
        search(&mut st, 0, 1, deadline(), &NO_STOP, &progress);
        assert!(st.sum_breaks < start);
        assert!(State::from_assignment(&inst, &st.slot_of).is_some());
    }
}
