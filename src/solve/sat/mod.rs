//! The SAT break engine (issue #16): times a FIXED set of meetings with the fewest breaks, as
//! partial MaxSAT on CaDiCaL (the encoding of Bofill et al., JAIR 74, 2022, §4, in `encode`),
//! solved by a core-guided OLL loop whose lower bound is the break bound (`oll`). Where the
//! proof cannot finish in time, a bounded search "breaks ≤ best − 1" improves the best plan.
//!
//! Its input is a plain [`TimingProblem`], built from the solver's `Instance` in two adapters
//! ([`TimingProblem::from_instance`] for a whole set of meetings, `TimingProblem::around` in
//! `neighbourhood` for a part of a plan), so the engine depends on nothing else of the
//! solver.

mod alone;
mod card;
mod dump;
mod encode;
mod neighbourhood;
mod oll;

use super::instance::{Instance, UNLIMITED};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

pub(super) use alone::forced_breaks;
pub(super) use neighbourhood::Neighbourhood;
pub(super) use oll::{solve_timing, OLL_SHARE};

/// One meeting to time: its two participants and the slots it may use (ascending).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Meeting {
    pub a: usize,
    pub b: usize,
    pub slots: Vec<u32>,
    /// Needs one of the slot's floating tables.
    pub floating: bool,
}

impl Meeting {
    /// Whether the meeting may take slot `t`.
    pub(super) fn allows(&self, t: u32) -> bool {
        self.slots.binary_search(&t).is_ok()
    }
}

/// Timing with the set of meetings fixed: every meeting gets one of its slots.
#[derive(Debug, Clone)]
pub(super) struct TimingProblem {
    pub n_parts: usize,
    pub n_slots: usize,
    /// Consecutive slots; breaks are counted within a session.
    pub sessions: Vec<Range<usize>>,
    /// Meetings a participant can hold in one slot (`reps`).
    pub cap: Vec<u32>,
    /// Floating tables per slot (`UNLIMITED`: no limit).
    pub float_cap: Vec<u32>,
    pub meetings: Vec<Meeting>,
    /// Most breaks − fewest breaks over the participants with a meeting, at most this.
    pub max_spread: Option<u32>,
    /// A valid timing to start from (slot per meeting), if any.
    pub incumbent: Option<Vec<u32>>,
    /// Per participant × slot: held by a fixed engagement (a programme item), left out when
    /// breaks are counted (`Instance::skip`). Empty: none.
    pub skip: Vec<bool>,
}

/// What stops the engine.
pub(super) struct Budget<'a> {
    pub deadline: Instant,
    pub stop: &'a AtomicBool,
    /// Share of the time the OLL proof gets before the improving search takes over
    /// (`oll::OLL_SHARE` alone; all of it when another engine improves plans beside it, none
    /// in the portfolio's improving run: [`Search::proof_share`]).
    pub proof_share: f64,
    /// How CaDiCaL searches (the portfolio races two of the ways).
    pub search: Search,
    /// The encoding's optional rows: the searches differ in them as well as in how they
    /// search, see [`Search::rows`].
    pub rows: Rows,
    /// The race this run is in (see [`Race`]), if any: its clock and where it publishes.
    pub lane: Option<Lane<'a>>,
}

/// How CaDiCaL searches. The ways take very different times to the same proof, each proving
/// within 30 s problems the others do not (measured in `BENCHMARKS.md`), so the portfolio
/// races two of them: the core loop and the improving search. They differ in CaDiCaL's mode as
/// well: the core loop alternates focused and stable mode, the improving search is in stable
/// mode only (`oll::solve_timing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Search {
    /// CaDiCaL's default: focused mode (frequent restarts, good at the refutations that give
    /// the cores) alternating with stable mode, following the plan; its own encoding has the
    /// order rows (`Search::rows`). The neighbourhood search and the required-meetings check
    /// search this way, with `Rows::BLOCK`; the portfolio raced it against the core loop in
    /// stable mode until the ninth session (`portfolio` says why no longer).
    Default,
    /// The portfolio's core loop: all its time to the proof, from CaDiCaL's own phases, with
    /// the block and independent-set rows, in CaDiCaL's default mode (focused and stable in
    /// turn). Until the fourteenth session it was in stable mode only (`stabilizeonly`,
    /// CaDiCaL's setting for satisfiable problems: the last call, the one that must find a plan
    /// at the bound, is satisfiable and often the long one). But its other calls are
    /// refutations, the cores, where the focused mode is the stronger, and the improving search
    /// beside it is in stable mode. On the engine alone (24 dumped hard events, 60 s each) the
    /// loop needed more conflicts than in stable mode on 13 of the 23 both prove (a late
    /// forum-13crafb 47,230 → 95,000), but the faster of the two runs proved the slowest events
    /// sooner: an unavailable forum-13crafb, whose tenth core took 425,000 conflicts in stable
    /// mode, in 19.4 s instead of 32.1 s; a pinned ticf-14crafa with a 0-break plan to find in
    /// 25.1 s instead of 30.7 s. Whole runs of `plan`, 16 sets of 80 variants, D = 2, 30 s
    /// (`BENCHMARKS.md`): 1,280 settled against 1,277, JAIR's 20 proven in every set, the
    /// slowest in 9.0 s; all runs together 14 % slower. At an 8 s limit (JAIR's 20 and one set)
    /// as many settled, the four left at 37 breaks in all against 35.
    CoreLoop,
    /// Stable mode only (CaDiCaL's setting for satisfiable problems, `stabilizeonly`: few restarts
    /// around target phases), improving the plan from the start (a `proof_share` of 0: no core loop
    /// beyond the cores unit propagation gives), with the block rows, raced against the core loop.
    /// Its plans come early, where the core loops find one only at their bound: on the engine alone
    /// a 1 %-scattered ticf-13crafb goes from 11 breaks to its optimum 6 within 12 s. It proves
    /// too, when no plan beats its best, its last call refuting "fewer breaks than the best" as one
    /// count over all break literals rather than core by core: that ticf-13crafb in 169,183
    /// conflicts, where the core loop (in stable mode then) needs 252,239 and the default search
    /// more than 60 s. From no valid, fair plan it runs the core loop. Measured in CaDiCaL's
    /// default mode as well: its refutations were faster, but its plans came later (JAIR 2022
    /// events and the variants of one set at 8 s: 42 breaks over the 4 variants left unproven,
    /// against 35 with both runs in stable mode and 37 with the core loop alone changed), so it
    /// stays in stable mode.
    Improving,
}

/// The encoding's optional rows (`encode`). Each was measured to help some searches on some
/// events and to hurt on others, so the searches differ in them ([`Search::rows`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rows {
    /// The block rows: a participant without a break holds its meetings in one block of
    /// consecutive slots, is busy where every block its meetings fit covers and idle where
    /// none reaches.
    pub block: bool,
    /// Symmetry breaking: a participant's meetings with participants that have no other
    /// meeting in increasing order of their slots, where both allow them. Only the default
    /// search's encoding has them (`Search::rows`), and since the ninth session no run of
    /// `plan` uses that encoding (the portfolio races the core loop and the improving search; the
    /// neighbourhood search and the required-meetings check take `Rows::BLOCK`): kept for the
    /// engine-alone measurements (`dump.rs`) and the property test, and for a portfolio that
    /// races the default search again.
    pub order: bool,
    /// The independent-set rows: participants of which no two meet in a slot, all of whose
    /// meetings there take a floating table, are at most its floating tables
    /// (`encode::independent_sets`). Only the core loop's encoding has them.
    /// Measured on the engine alone (21 dumped hard events, 60 s each, (45) left out in both
    /// versions, geometric mean of conflicts to the proof, all 21 proven either way): the core
    /// loop (in stable mode then) 54,892 → 43,465 (event by event from a fifth to 1.6 times as
    /// many), the improving search 85,063 → 93,171 (from a quarter to 2.6 times). The neighbourhood
    /// search and the required-meetings check leave them out as well (`Rows::BLOCK`: measured at
    /// scale without them).
    pub independent: bool,
    /// The two-run rows: a participant whose own agenda forces one break (free spans on both
    /// sides of an unavailability, or meetings bound to slots far apart) and that has no
    /// second one is busy where every two runs its meetings can be matched into cover, idle
    /// where none reaches, and has a second break where no two runs fit
    /// (`encode::two_run_slots`); with the block rows only. No search has them: like the
    /// order, they are kept for the engine-alone measurements (`dump.rs`) and the property
    /// tests. Measured on the engine alone (24 dumped hard events, 60 s each, 23 proven either
    /// way): the improving search's conflicts to the proof changed by 0.39 to 4.5 times event
    /// by event (a 3 %-unavailable forum-13crafb 304,398 → 227,418, a 1 %-scattered one 90,625
    /// → 407,913), 97,974 → 94,301 in geometric mean; the core loop's (in stable mode then)
    /// 46,287 → 53,098 (22 events). Whole runs of `plan` with them in the improving search, 16 sets
    /// of 80 variants: 1,279 settled against 1,277, each set's times within the machine's drift,
    /// the events that changed side being at the edge of 30 s either way (`BENCHMARKS.md`).
    pub two_runs: bool,
}

impl Rows {
    /// As the neighbourhood search and the required-meetings check have them (measured at
    /// scale before the portfolio's runs differed in their rows).
    pub(crate) const BLOCK: Rows = Rows {
        block: true,
        order: false,
        independent: false,
        two_runs: false,
    };
}

impl Search {
    /// The encoding for this search: the default search with the order of interchangeable
    /// meetings and without the block rows, the core loop and the improving search the other
    /// way round. On the engine alone each search proved some hard events faster with the block
    /// rows and others without (conflicts to the proof, default search without them / core loop
    /// in stable mode with them, and both with them as before: a 3 %-unavailable
    /// forum-13crafb 70,672 / 149,788 against 128,089 / 149,788, ticf-13crafb 44,394 / 54,597
    /// against 95,365 / 54,597, forum-13crafb 133,723 / 53,797 against 52,091 / 53,797; six
    /// events in `BENCHMARKS.md`). The order, measured on eight hard events where it applies,
    /// took the default search to the proof in fewer conflicts on four (a 1 %-scattered
    /// forum-13crafb 209,551 → 65,677, ticf-13crafb 44,394 → 27,609), more on two, neither
    /// proving the other two within 60 s; the core loop in stable mode in more on four
    /// (forum-13crafb 53,797 → 70,601), fewer on three: the default search has the order, the
    /// core loop not. The independent-set rows: the core loop alone ([`Rows::independent`]);
    /// the two-run rows: none ([`Rows::two_runs`]).
    pub(crate) fn rows(self) -> Rows {
        match self {
            Search::Default => Rows {
                block: false,
                order: true,
                independent: false,
                two_runs: false,
            },
            Search::CoreLoop => Rows {
                independent: true,
                ..Rows::BLOCK
            },
            Search::Improving => Rows::BLOCK,
        }
    }

    /// Whether the best plan's slots are forced phases, from the seed plan on and from each
    /// better plan the search finds: for the default and improving searches, not the core
    /// loop, which then searches from CaDiCaL's own phases and so differs from the default run
    /// in where it looks as well as how. On the engine alone (nine hard events, conflicts to
    /// the proof, geometric means over those both versions prove within 60 s) the core loop, in
    /// stable mode then, without them took 51,400 against 59,952 on seven (and a late
    /// forum-13crafb 53,953 against 253,635; a 1 %-scattered ticf-13crafb 252,239 against
    /// 224,406, both beyond 30 s); the default search without them took 70,729 against 51,066
    /// on eight, and the improving search (30 s) reached more breaks on one of the nine, fewer
    /// on one, and the same plan in more conflicts on the other seven.
    /// Over nine sets of variants in 30 s runs: 717 of 720 settled against 716, in 9 % less
    /// time (`BENCHMARKS.md`); which of the two finds a plan at the bound sooner differs from
    /// event to event (a 3 %-unavailable ticf-13crafb: 23,085 conflicts with them, 178,553
    /// without).
    pub(crate) fn follows_the_plan(self) -> bool {
        !matches!(self, Search::CoreLoop)
    }

    /// The portfolio's share of the time for the core loop ([`Budget::proof_share`]): all of
    /// it for the core loop's run, as the improving run raced beside it improves plans (measured: a
    /// 3 %-unavailable forum-13crafb is proven only after 92 % of 100 s, its last call
    /// yielding the optimal plan); none for the improving run.
    pub(crate) fn proof_share(self) -> f64 {
        match self {
            Search::Improving => 0.0,
            _ => 1.0,
        }
    }
}

impl std::fmt::Display for Search {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Search::Default => "default search",
            Search::CoreLoop => "core loop",
            Search::Improving => "improving search",
        })
    }
}

/// A clock for racing two runs of the engine deterministically: the number of times CaDiCaL
/// has polled the run's terminator. CaDiCaL polls at fixed points of its search (every
/// `terminateint` checks), so the count depends on the search alone, never on the machine's
/// speed or load, and "which run proved first" compared on it has one answer for an input.
/// A run stops when its count reaches the limit set by [`Clock::stop_at`]. Aligned to its own
/// cache lines: the two raced runs' clocks lie side by side in a [`Race`], and each run writes
/// its own at every poll (about 100,000 a second).
#[derive(Debug)]
#[repr(align(128))]
pub(crate) struct Clock {
    ticks: AtomicU64,
    limit: AtomicU64,
}

impl Clock {
    pub(crate) fn new() -> Self {
        Clock {
            ticks: AtomicU64::new(0),
            limit: AtomicU64::new(u64::MAX),
        }
    }

    /// Polls so far.
    pub(crate) fn ticks(&self) -> u64 {
        self.ticks.load(Ordering::Acquire)
    }

    /// Stops the run at poll `t` (at its next poll if it is past `t`: it then lost anyway).
    pub(crate) fn stop_at(&self, t: u64) {
        self.limit.fetch_min(t, Ordering::AcqRel);
    }

    /// One poll: whether the run must stop.
    fn tick(&self) -> bool {
        let t = self.ticks.fetch_add(1, Ordering::AcqRel) + 1;
        t >= self.limit.load(Ordering::Acquire)
    }
}

/// Two runs of the engine raced on the same problem (the portfolio's), each on its own
/// [`Clock`], each publishing its best plan's breaks and its lower bound with the poll they
/// came at. When one run's plan reaches the other's bound, the plan is proven optimal though
/// neither run has proven it alone (the core loop has the bound and still searches for a plan
/// at it; the improving search has that plan and still refutes one fewer): both runs stop at
/// the later of the two polls, "met" there ([`Race::met`]). Published values and their polls
/// depend on the searches alone, so the poll they meet at is the same on every run.
#[derive(Debug)]
pub(crate) struct Race {
    clocks: [Clock; 2],
    /// Whether the runs publish (not where a run's plan may be turned down by rules the
    /// engine does not encode: then its breaks prove nothing about the plan kept).
    sharing: bool,
    news: Mutex<News>,
}

/// What the raced runs have published: per run, its best plan's breaks and its lower bound,
/// each with the run's poll when it came; and where they met.
#[derive(Debug, Default)]
struct News {
    best: [Option<(u64, u64)>; 2],
    bound: [Option<(u64, u64)>; 2],
    met: Option<Met>,
}

/// Where the raced runs met: the poll, on both clocks, and the run whose plan reached the
/// other's bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Met {
    pub at: u64,
    pub plan_of: usize,
}

impl Race {
    pub(crate) fn new(sharing: bool) -> Self {
        Race {
            clocks: [Clock::new(), Clock::new()],
            sharing,
            news: Mutex::new(News::default()),
        }
    }

    /// Run `k`'s side of the race, for its [`Budget`].
    pub(crate) fn lane(&self, k: usize) -> Lane<'_> {
        Lane { race: self, k }
    }

    pub(crate) fn clock(&self, k: usize) -> &Clock {
        &self.clocks[k]
    }

    /// Where the runs met, if they did.
    pub(crate) fn met(&self) -> Option<Met> {
        self.news.lock().map_or(None, |n| n.met)
    }

    /// Run `k` has ended, at its clock's count, with a proof of its own (`proven`) or not: a
    /// proof stops the other run at that count (the other may still prove first on its own
    /// clock). A run that ended at or past the poll where the runs met, without a proof, and
    /// whose bound the other's plan met: the other run's plan is then the one kept whatever
    /// that run does until the meeting (no plan beats the bound, and a proof of its own keeps
    /// the same plan with the same bound), so it stops now instead of searching on to the
    /// meeting's poll on its own clock, which took it 8 s more on a 3 %-unavailable
    /// forum-13crafb (its clock ran at three quarters of the core loop's). The run whose
    /// plan met the bound stops nothing when it ends: the other may still prove on its own
    /// before the meeting's poll, with a plan of its own.
    pub(crate) fn end(&self, k: usize, proven: bool) {
        let at = self.clocks[k].ticks();
        if proven {
            self.clocks[1 - k].stop_at(at);
        } else if self.met().is_some_and(|m| m.plan_of != k && at >= m.at) {
            self.clocks[1 - k].stop_at(0);
        }
    }

    /// Run `k` publishes: `best` its plan's breaks, or else `bound` its lower bound. One lock
    /// for publishing and comparing, so that of two runs publishing at once the second sees
    /// the first.
    fn publish(&self, k: usize, best: Option<u64>, bound: Option<u64>) {
        if !self.sharing {
            return;
        }
        let at = self.clocks[k].ticks();
        let Ok(mut news) = self.news.lock() else {
            return;
        };
        if let Some(b) = best {
            news.best[k] = Some((b, at));
        }
        if let Some(b) = bound {
            news.bound[k] = Some((b, at));
        }
        if news.met.is_some() {
            return;
        }
        for j in 0..2 {
            if let (Some((plan, t1)), Some((lb, t2))) = (news.best[j], news.bound[1 - j]) {
                if plan <= lb {
                    let at = t1.max(t2);
                    news.met = Some(Met { at, plan_of: j });
                    self.clocks[0].stop_at(at);
                    self.clocks[1].stop_at(at);
                    return;
                }
            }
        }
    }
}

/// One run's side of a [`Race`]: its clock, and where it publishes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lane<'a> {
    race: &'a Race,
    k: usize,
}

impl Lane<'_> {
    /// Polls so far on this run's clock.
    pub(crate) fn ticks(self) -> u64 {
        self.race.clocks[self.k].ticks()
    }

    fn tick(self) -> bool {
        self.race.clocks[self.k].tick()
    }

    /// A better plan, with this many breaks.
    fn found(self, breaks: u64) {
        self.race.publish(self.k, Some(breaks), None);
    }

    /// A higher lower bound.
    fn proved(self, bound: u64) {
        self.race.publish(self.k, None, Some(bound));
    }
}

/// Why no timing exists (proven).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum NoTiming {
    /// The meetings fit, but never with the breaks spread within `max_spread`.
    Fairness,
    /// These participants cannot all hold their meetings in their allowed slots (with the
    /// floating tables of `slots`, when tables are part of the reason).
    Capacity {
        participants: Vec<usize>,
        slots: Vec<usize>,
    },
}

#[derive(Debug, Clone)]
pub(super) struct Timing {
    /// Best valid timing found (slot per meeting) and its breaks.
    pub best: Option<(Vec<u32>, u64)>,
    /// Proven: no timing has fewer breaks.
    pub lower_bound: u64,
    /// The best timing is proven optimal.
    pub optimal: bool,
    /// Proven: no timing at all.
    pub infeasible: Option<NoTiming>,
    /// Cores found and CaDiCaL's conflicts (for the progress trace and benchmarks).
    pub cores: u32,
    pub conflicts: u64,
}

impl TimingProblem {
    /// The adapter from the solver's instance (the one place the engine reads it): the
    /// meetings are the given candidate pairs, each with its allowed slots (already cut by
    /// `when`, unavailability and pins); `incumbent`, a slot per candidate pair, seeds the
    /// search. Fairness as the instance asks, over the participants with a meeting (as
    /// `State::spread`).
    pub(super) fn from_instance(
        inst: &Instance,
        pairs: &[usize],
        incumbent: Option<&[u32]>,
    ) -> Self {
        TimingProblem {
            n_parts: inst.n_parts,
            n_slots: inst.n_slots,
            sessions: inst.sessions.clone(),
            cap: inst.cap.clone(),
            // Slots only: visits (options after the slots) are not timed here.
            float_cap: inst.float_cap[..inst.n_slots].to_vec(),
            meetings: pairs
                .iter()
                .map(|&p| {
                    let pair = &inst.pairs[p];
                    Meeting {
                        a: pair.a,
                        b: pair.b,
                        slots: pair.slots.clone(),
                        floating: pair.floating,
                    }
                })
                .collect(),
            max_spread: inst.max_break_spread,
            incumbent: incumbent.map(|s| pairs.iter().map(|&p| s[p]).collect()),
            skip: inst.skip.clone(),
        }
    }

    /// Whether participant `i`'s slot `s` is left out of its break count.
    pub(super) fn skipped(&self, i: usize, s: usize) -> bool {
        !self.skip.is_empty() && self.skip[i * self.n_slots + s]
    }

    /// Meetings of each participant.
    pub(super) fn by_part(&self) -> Vec<Vec<usize>> {
        let mut by = vec![Vec::new(); self.n_parts];
        for (m, mt) in self.meetings.iter().enumerate() {
            by[mt.a].push(m);
            by[mt.b].push(m);
        }
        by
    }

    /// Breaks of each participant under a timing, counted from the slots alone (a maximal run
    /// of idle slots between two busy ones in a session), or `None` if the timing breaks a
    /// rule: a slot outside a meeting's list, a participant over its reps, a slot over its
    /// floating tables. Fairness is not checked here (see [`TimingProblem::fair`]).
    pub(super) fn breaks(&self, slot_of: &[u32]) -> Option<Vec<u32>> {
        if slot_of.len() != self.meetings.len() {
            return None;
        }
        let n = self.n_slots;
        let mut busy = vec![0u32; self.n_parts * n];
        let mut floating = vec![0u32; n];
        for (m, &s) in self.meetings.iter().zip(slot_of) {
            if !m.allows(s) {
                return None;
            }
            for i in [m.a, m.b] {
                busy[i * n + s as usize] += 1;
                if busy[i * n + s as usize] > self.cap[i] {
                    return None;
                }
            }
            if m.floating {
                floating[s as usize] += 1;
                let cap = self.float_cap[s as usize];
                if cap != UNLIMITED && floating[s as usize] > cap {
                    return None;
                }
            }
        }
        let mut out = vec![0u32; self.n_parts];
        for (i, b) in out.iter_mut().enumerate() {
            for q in &self.sessions {
                let mut runs = 0;
                let mut prev = false;
                for s in q.clone() {
                    if self.skipped(i, s) {
                        continue;
                    }
                    let now = busy[i * n + s] > 0;
                    if now && !prev {
                        runs += 1;
                    }
                    prev = now;
                }
                *b += runs.max(1) - 1;
            }
        }
        Some(out)
    }

    /// Whether per-participant breaks keep the spread over the participants with a meeting.
    pub(super) fn fair(&self, breaks: &[u32]) -> bool {
        let Some(d) = self.max_spread else {
            return true;
        };
        let by = self.by_part();
        let active = || {
            (0..self.n_parts)
                .filter(|&i| !by[i].is_empty())
                .map(|i| breaks[i])
        };
        match (active().min(), active().max()) {
            (Some(lo), Some(hi)) => hi - lo <= d,
            _ => true,
        }
    }

    /// Total breaks of a valid, fair timing.
    pub(super) fn cost(&self, slot_of: &[u32]) -> Option<u64> {
        let b = self.breaks(slot_of)?;
        self.fair(&b).then(|| b.iter().map(|&x| u64::from(x)).sum())
    }
}

#[cfg(test)]
mod tests;
