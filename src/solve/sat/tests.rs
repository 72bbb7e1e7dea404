//! The engine against brute force on tiny instances: every timing enumerated, the fewest
//! breaks among the valid, fair ones compared with the engine's proven optimum.

use super::*;
use crate::solve::instance::UNLIMITED;
use proptest::prelude::*;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

static NO_STOP: AtomicBool = AtomicBool::new(false);

fn run(p: &TimingProblem) -> Timing {
    run_with(p, Search::Default, Rows::BLOCK)
}

fn run_with(p: &TimingProblem, search: Search, rows: Rows) -> Timing {
    solve_timing(
        p,
        &Budget {
            deadline: Instant::now() + Duration::from_secs(60),
            stop: &NO_STOP,
            // The improving run has no time for the core loop: its proof is the improving
            // search's own (no plan beats the best).
            proof_share: match search {
                Search::Improving => search.proof_share(),
                _ => super::OLL_SHARE,
            },
            search,
            rows,
            lane: None,
        },
    )
}

/// Every timing of `p` (each meeting in one of its slots), valid or not.
fn each_timing(p: &TimingProblem, mut visit: impl FnMut(&[u32])) {
    if p.meetings.iter().any(|m| m.slots.is_empty()) {
        return;
    }
    let mut idx = vec![0usize; p.meetings.len()];
    loop {
        let t: Vec<u32> = idx
            .iter()
            .zip(&p.meetings)
            .map(|(&k, m)| m.slots[k])
            .collect();
        visit(&t);
        let mut k = 0;
        loop {
            if k == idx.len() {
                return;
            }
            idx[k] += 1;
            if idx[k] < p.meetings[k].slots.len() {
                break;
            }
            idx[k] = 0;
            k += 1;
        }
    }
}

/// By enumeration, in one pass: the optimum (`None` when no valid, fair timing exists) and a
/// valid, fair timing with the most breaks (a plan to improve).
fn brute(p: &TimingProblem) -> (Option<u64>, Option<Vec<u32>>) {
    let mut best: Option<u64> = None;
    let mut worst: Option<(u64, Vec<u32>)> = None;
    each_timing(p, |t| {
        if let Some(c) = p.cost(t) {
            best = Some(best.map_or(c, |b| b.min(c)));
            if worst.as_ref().is_none_or(|w| c > w.0) {
                worst = Some((c, t.to_vec()));
            }
        }
    });
    (best, worst.map(|w| w.1))
}

fn meeting(a: usize, b: usize, slots: &[u32]) -> Meeting {
    Meeting {
        a,
        b,
        slots: slots.to_vec(),
        floating: true,
    }
}

fn problem(n_parts: usize, n_slots: usize, meetings: Vec<Meeting>) -> TimingProblem {
    TimingProblem {
        n_parts,
        n_slots,
        sessions: std::iter::once(0..n_slots).collect(),
        cap: vec![1; n_parts],
        float_cap: vec![UNLIMITED; n_slots],
        meetings,
        max_spread: None,
        incumbent: None,
        skip: Vec::new(),
    }
}

/// The engine proves what brute force finds, and its plan is valid with that many breaks, with
/// each of the optional rows and without, and as an improving run: from the worst valid plan
/// (the improving search and its own proof; its phases put in order where the order rows
/// are), and from none (its core loop); and as the portfolio's core loop from the worst valid
/// plan (the search that does not follow the plan's phases).
fn agrees(p: &TimingProblem) {
    let (want, worst) = brute(p);
    for block in [true, false] {
        for order in [true, false] {
            for independent in [true, false] {
                // The two-run rows are drawn in the block rows' loop: nothing without them.
                let two_runs: &[bool] = if block { &[false, true] } else { &[false] };
                for &two_runs in two_runs {
                    let rows = Rows {
                        block,
                        order,
                        independent,
                        two_runs,
                    };
                    agrees_with(p, want, &run_with(p, Search::Default, rows));
                }
            }
        }
    }
    for rows in [Search::Improving.rows(), Search::Default.rows()] {
        agrees_with(p, want, &run_with(p, Search::Improving, rows));
        if let Some(plan) = &worst {
            let from = TimingProblem {
                incumbent: Some(plan.clone()),
                ..p.clone()
            };
            agrees_with(p, want, &run_with(&from, Search::Improving, rows));
        }
    }
    if let Some(plan) = &worst {
        let from = TimingProblem {
            incumbent: Some(plan.clone()),
            ..p.clone()
        };
        let core = Search::CoreLoop;
        agrees_with(p, want, &run_with(&from, core, core.rows()));
    }
}

fn agrees_with(p: &TimingProblem, want: Option<u64>, got: &Timing) {
    match want {
        None => assert!(
            got.infeasible.is_some(),
            "{p:?}: expected no timing, got {got:?}"
        ),
        Some(opt) => {
            assert!(got.optimal, "{p:?}: not proven: {got:?}");
            let (plan, breaks) = got.best.clone().expect("a plan");
            assert_eq!(breaks, opt, "{p:?}");
            assert_eq!(p.cost(&plan), Some(opt));
            assert_eq!(got.lower_bound, opt);
        }
    }
}

#[test]
fn a_forced_gap_is_one_break() {
    // P0 meets P1 in slot 0 and P2 in slot 2 (P2 is only free then): one break.
    let p = problem(3, 3, vec![meeting(0, 1, &[0, 1, 2]), meeting(0, 2, &[2])]);
    agrees(&p);
    let t = run(&p);
    assert_eq!(t.best.unwrap().1, 0, "slot 1 closes the gap");
    let p = problem(3, 3, vec![meeting(0, 1, &[0]), meeting(0, 2, &[2])]);
    assert_eq!(run(&p).best.unwrap().1, 1);
    agrees(&p);
}

#[test]
fn an_agenda_split_by_unavailability_is_busy_where_every_two_runs_cover() {
    // P0 meets P1..P5 in slots 0-2 or 4-6 (slot 3 is unavailable): one break at least, and
    // with no second one its five meetings are two runs, {0,1,2} + {4,5} or {5,6}, or
    // {0,1} or {1,2} + {4,5,6}: busy at 1 and 5 in every one.
    let free = [0, 1, 2, 4, 5, 6];
    let mut p = problem(6, 7, (1..6).map(|b| meeting(0, b, &free)).collect());
    let by_part = p.by_part();
    assert_eq!(alone::fewest_breaks(&p, 0, &by_part[0]), 1);
    let open: Vec<bool> = (0..7).map(|t| t != 3).collect();
    let (every, some) = encode::two_run_slots(&p, &by_part[0], &open, 0..7).unwrap();
    let at = |v: &[bool]| (0..7).filter(|&t| v[t]).collect::<Vec<_>>();
    assert_eq!(at(&every), [1, 5]);
    assert_eq!(at(&some), [0, 1, 2, 4, 5, 6]);
    agrees(&p);
    // P1 may only meet at 0: the first run starts there, and the second can still be {4,5},
    // {5,6} or {4,5,6}.
    p.meetings[0].slots = vec![0];
    let (every, some) = encode::two_run_slots(&p, &p.by_part()[0], &open, 0..7).unwrap();
    assert_eq!(at(&every), [0, 1, 5]);
    assert_eq!(at(&some), [0, 1, 2, 4, 5, 6]);
    agrees(&p);
    // P2 bound to 2, P3 to 4, P4 to 6 as well: any five of the six free slots with 0, 2, 4
    // and 6 are three runs, so no two fit, and P0 has a second break.
    for (m, t) in [(1, 2), (2, 4), (3, 6)] {
        p.meetings[m].slots = vec![t];
    }
    assert!(encode::two_run_slots(&p, &p.by_part()[0], &open, 0..7).is_none());
    agrees(&p);
}

#[test]
fn sessions_do_not_count_the_gap_between_them() {
    let mut p = problem(3, 4, vec![meeting(0, 1, &[0]), meeting(0, 2, &[3])]);
    assert_eq!(run(&p).best.unwrap().1, 1);
    p.sessions = vec![0..2, 2..4];
    let t = run(&p);
    assert_eq!(t.best.unwrap().1, 0);
    assert!(t.optimal);
}

#[test]
fn a_slot_held_by_the_programme_is_left_out_of_the_count() {
    // P0 meets P1 in slot 0 and P2 in slot 2, P1 meets P2 in slot 4: a break each. A
    // programme item holds P0 in slot 1 (no break left), P1 in slots 1 and 3 (slot 2 is
    // still idle between its meetings: one break).
    let mut p = problem(
        3,
        5,
        vec![
            meeting(0, 1, &[0]),
            meeting(0, 2, &[2]),
            meeting(1, 2, &[4]),
        ],
    );
    assert_eq!(run(&p).best.unwrap().1, 3);
    p.skip = vec![false; 3 * 5];
    p.skip[1] = true;
    p.skip[5 + 1] = true;
    p.skip[5 + 3] = true;
    let t = run(&p);
    assert_eq!(t.best.unwrap().1, 2);
    assert!(t.optimal);
    agrees(&p);
}

#[test]
fn reps_let_a_firm_hold_two_meetings_at_once() {
    // Firm 0 meets buyer 1 in slot 0 and buyer 2 in slot 0 or 2.
    let ms = vec![meeting(0, 1, &[0]), meeting(0, 2, &[0, 2])];
    let mut p = problem(3, 3, ms);
    agrees(&p);
    assert_eq!(run(&p).best.unwrap().1, 1);
    p.cap[0] = 2;
    agrees(&p);
    assert_eq!(run(&p).best.unwrap().1, 0);
}

#[test]
fn floating_tables_limit_a_slot() {
    // Two disjoint pairs, both would like slot 0; one table per slot.
    let mut p = problem(4, 2, vec![meeting(0, 1, &[0, 1]), meeting(2, 3, &[0, 1])]);
    p.float_cap = vec![1, 1];
    agrees(&p);
    let (plan, _) = run(&p).best.unwrap();
    assert_ne!(plan[0], plan[1]);
    p.float_cap = vec![1, 0];
    agrees(&p);
    assert!(matches!(
        run(&p).infeasible,
        Some(NoTiming::Capacity { ref slots, .. }) if slots == &vec![0, 1]
    ));
    // A meeting at a fixed table does not take a floating one.
    p.meetings[1].floating = false;
    agrees(&p);
}

#[test]
fn fairness_can_force_breaks_or_make_it_impossible() {
    // P0 must have a break (slots 0 and 2 only); P3-P4 could meet without one, but with
    // D = 0 everybody with a meeting needs as many breaks as P0.
    let ms = vec![
        meeting(0, 1, &[0]),
        meeting(0, 2, &[2]),
        meeting(3, 4, &[0, 1, 2]),
        meeting(3, 5, &[0, 1, 2]),
    ];
    let mut p = problem(6, 3, ms);
    p.max_spread = Some(1);
    agrees(&p);
    p.max_spread = Some(0);
    agrees(&p);
    // P1 and P2 have one meeting each: never a break, so D = 0 is impossible.
    assert_eq!(run(&p).infeasible, Some(NoTiming::Fairness));
}

#[test]
fn a_participant_with_too_few_slots_is_named() {
    let ms = vec![
        meeting(0, 1, &[0, 1]),
        meeting(0, 2, &[0, 1]),
        meeting(0, 3, &[0, 1]),
        meeting(4, 5, &[0, 1, 2]),
    ];
    let p = problem(6, 3, ms);
    agrees(&p);
    match run(&p).infeasible {
        Some(NoTiming::Capacity {
            participants,
            slots,
        }) => {
            assert_eq!(participants, vec![0]);
            assert!(slots.is_empty());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_participant_whose_window_is_too_narrow_is_named_alone() {
    // P0 has three slots but its three meetings all fall in the first two; P3-P4 and P5-P6
    // are fine.
    let ms = vec![
        meeting(0, 1, &[0, 1]),
        meeting(0, 2, &[0, 1]),
        meeting(0, 3, &[0, 1]),
        meeting(0, 4, &[2]),
        meeting(5, 6, &[0, 1, 2]),
    ];
    let p = problem(7, 3, ms);
    agrees(&p);
    assert_eq!(
        run(&p).infeasible,
        Some(NoTiming::Capacity {
            participants: vec![0],
            slots: vec![]
        })
    );
}

#[test]
fn the_incumbent_is_kept_when_nothing_beats_it_and_an_optimal_one_ends_the_search() {
    let mut p = problem(3, 3, vec![meeting(0, 1, &[0]), meeting(0, 2, &[2])]);
    p.incumbent = Some(vec![0, 2]);
    let t = run(&p);
    assert!(t.optimal);
    assert_eq!(t.best, Some((vec![0, 2], 1)));
    let mut p = problem(3, 3, vec![meeting(0, 1, &[0, 1]), meeting(0, 2, &[1, 2])]);
    p.incumbent = Some(vec![0, 1]);
    let t = run(&p);
    assert!(t.optimal);
    assert_eq!(t.best, Some((vec![0, 1], 0)));
}

#[test]
fn a_stopped_search_reports_only_what_it_proved() {
    // Stopped before it starts: CaDiCaL may still settle a tiny instance by propagation alone,
    // but whatever comes back is honest.
    let stop = AtomicBool::new(true);
    let mut p = problem(
        3,
        3,
        vec![meeting(0, 1, &[0, 1, 2]), meeting(0, 2, &[0, 2])],
    );
    p.incumbent = Some(vec![0, 2]);
    let t = solve_timing(
        &p,
        &Budget {
            deadline: Instant::now() + Duration::from_secs(60),
            stop: &stop,
            proof_share: super::OLL_SHARE,
            search: super::Search::Default,
            rows: Rows::BLOCK,
            lane: None,
        },
    );
    let (plan, breaks) = t.best.expect("the incumbent at least");
    assert_eq!(p.cost(&plan), Some(breaks));
    assert!(t.lower_bound == 0 && breaks <= 1);
    assert_eq!(t.optimal, breaks == 0);
}

/// Random tiny instances: 2–5 participants, 3–5 slots in one or two sessions, up to 5
/// meetings with random slot lists, random reps, tables and fairness, and a few slots held by
/// the programme (out of the meetings' lists, as `Event::pair_slots` leaves them).
fn tiny() -> impl Strategy<Value = TimingProblem> {
    (2usize..=5, 3usize..=5, any::<bool>()).prop_flat_map(|(n_parts, n_slots, split)| {
        let m = (
            0..n_parts,
            0..n_parts,
            prop::collection::vec(any::<bool>(), n_slots),
            any::<bool>(),
        );
        (
            prop::collection::vec(m, 1..=5),
            prop::collection::vec(1u32..=2, n_parts),
            prop::option::of(1u32..=3),
            prop::option::of(0u32..=2),
            prop::collection::vec(0u8..8, n_parts * n_slots),
        )
            .prop_map(move |(ms, cap, tables, spread, held)| {
                let skip: Vec<bool> = held.iter().map(|&h| h == 0).collect();
                let meetings = ms
                    .into_iter()
                    .filter(|(a, b, _, _)| a != b)
                    .map(|(a, b, mask, floating)| {
                        let mut slots: Vec<u32> =
                            (0..n_slots as u32).filter(|&s| mask[s as usize]).collect();
                        if slots.is_empty() {
                            // Mostly feasible instances: an empty list is settled at once.
                            slots = (0..n_slots as u32).collect();
                        }
                        let free = |i: usize, s: u32| !skip[i * n_slots + s as usize];
                        slots.retain(|&s| free(a, s) && free(b, s));
                        Meeting {
                            a,
                            b,
                            slots,
                            floating,
                        }
                    })
                    .collect();
                TimingProblem {
                    n_parts,
                    n_slots,
                    sessions: if split {
                        vec![0..n_slots / 2, n_slots / 2..n_slots]
                    } else {
                        std::iter::once(0..n_slots).collect()
                    },
                    cap,
                    float_cap: vec![tables.unwrap_or(UNLIMITED); n_slots],
                    meetings,
                    max_spread: spread,
                    incumbent: None,
                    skip,
                }
            })
    })
}

/// Tiny instances with interchangeable meetings: up to three meetings of `tiny`, and
/// participant 0 meeting two or three new participants that have no other meeting (on either
/// side of the meeting), over slot lists that are the same for some and differ in a slot or two
/// for others, the third floating or not as the others (the encoding keeps their slots in order
/// where both allow them: `encode::interchangeable`).
fn with_leaves() -> impl Strategy<Value = TimingProblem> {
    (
        tiny(),
        prop::collection::vec(prop::collection::vec(any::<bool>(), 5), 2..=3),
        prop::collection::vec(any::<bool>(), 3),
        prop::collection::vec(any::<bool>(), 3),
    )
        .prop_map(|(mut p, masks, floating, side)| {
            p.meetings.truncate(3);
            let n = p.n_slots;
            for (k, mask) in masks.into_iter().enumerate() {
                // Slots the leaves share more often than not, a few missing for some.
                let mut slots: Vec<u32> = (0..n as u32)
                    .filter(|&s| !p.skipped(0, s as usize))
                    .collect();
                if slots.len() > 2 {
                    slots.retain(|&s| mask[s as usize] || s % 2 == 0);
                }
                let leaf = p.n_parts;
                p.n_parts += 1;
                p.cap.push(1);
                p.skip.extend(std::iter::repeat_n(false, n));
                // The first two leaves in one group; the third in it or not (floating or not).
                let floating = if k < 2 { floating[0] } else { floating[2] };
                let (a, b) = if side[k] { (leaf, 0) } else { (0, leaf) };
                p.meetings.push(Meeting {
                    a,
                    b,
                    slots,
                    floating,
                });
            }
            p
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn the_engine_proves_the_brute_force_optimum(p in tiny()) {
        agrees(&p);
    }

    /// With interchangeable meetings kept in order, the engine still proves the optimum, and
    /// every valid timing has a twin in that order with the same breaks for everyone.
    #[test]
    fn interchangeable_meetings_in_order_keep_the_optimum(p in with_leaves()) {
        agrees(&p);
        let enc = encode::encode(&p, encode::Mode::Breaks(Search::Default.rows()));
        prop_assert!(!enc.order.is_empty(), "{p:?}: no group found");
        let allows = |m: usize, t: u32| p.meetings[m].slots.contains(&t);
        each_timing(&p, |t| {
            let twin = enc.in_order(&p, t);
            assert_eq!(p.breaks(&twin), p.breaks(t), "{p:?}: {t:?} → {twin:?}");
            for group in &enc.order {
                for (k, &m1) in group.iter().enumerate() {
                    for &m2 in &group[k + 1..] {
                        let (t1, t2) = (twin[m1], twin[m2]);
                        let both = allows(m1, t2) && allows(m2, t1);
                        assert!(t1 <= t2 || !both, "{p:?}: {twin:?}");
                    }
                }
            }
        });
    }

    /// The bound the encoding adds as a unit never exceeds a participant's breaks in any valid
    /// timing (so it never cuts off a plan).
    #[test]
    fn a_participants_fewest_breaks_alone_is_a_lower_bound(p in tiny()) {
        let by_part = p.by_part();
        let bound: Vec<usize> = (0..p.n_parts)
            .map(|i| alone::fewest_breaks(&p, i, &by_part[i]))
            .collect();
        each_timing(&p, |t| {
            if let Some(b) = p.breaks(t) {
                for i in 0..p.n_parts {
                    assert!(
                        bound[i] <= b[i] as usize,
                        "{p:?}: P{i} has {} in {t:?}, bound {}",
                        b[i],
                        bound[i]
                    );
                }
            }
        });
    }

    /// Every valid timing satisfies the encoding with the rows that must not cut any (the
    /// block rows, the independent-set rows, the two-run rows, (43), (44) and the fewest-breaks
    /// units: all but the order), fairness aside, with each participant's break count at its
    /// breaks in the timing: the implied rows are implied, and the count is the timing's.
    #[test]
    fn every_valid_timing_satisfies_the_implied_rows(p in tiny()) {
        every_valid_timing_satisfies_the_implied_rows_of(&p);
    }
}

fn every_valid_timing_satisfies_the_implied_rows_of(p: &TimingProblem) {
    use rustsat::solvers::{SolveIncremental, SolverResult};
    let rows = Rows {
        block: true,
        order: false,
        independent: true,
        two_runs: true,
    };
    let mut enc = encode::encode(p, encode::Mode::Breaks(rows));
    each_timing(p, |t| {
        let Some(b) = p.breaks(t) else { return };
        let mut assumps = Vec::new();
        for (row, &s) in enc.x.iter().zip(t) {
            assumps.extend(row.iter().filter(|&&(u, _)| u == s).map(|&(_, l)| l));
        }
        for (count, &bi) in enc.breaks.iter().zip(&b) {
            for (k, &l) in count.iter().enumerate() {
                assumps.push(if (bi as usize) > k { l } else { !l });
            }
        }
        let r = enc.sink.solver.solve_assumps(&assumps);
        assert_eq!(
            r.ok(),
            Some(SolverResult::Sat),
            "{p:?}: {t:?} with breaks {b:?}"
        );
    });
}

/// A problem that takes the engine some search: 24 participants, 12 slots, 6 tables, 60
/// meetings between pseudo-random pairs (a fixed LCG: the same problem on every run), each in
/// a window of 6–12 slots.
fn searched() -> TimingProblem {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: u64| {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) % n
    };
    let (n_parts, n_slots) = (24, 12u32);
    let mut pairs = std::collections::BTreeSet::new();
    let mut ms = Vec::new();
    while ms.len() < 60 {
        let (a, b) = (next(8) as usize, 8 + next(16) as usize);
        if !pairs.insert((a, b)) {
            continue;
        }
        let from = next(u64::from(n_slots) / 2) as u32;
        let len = 6 + next(u64::from(n_slots - from) - 5) as u32;
        ms.push(meeting(a, b, &(from..from + len).collect::<Vec<_>>()));
    }
    let mut p = problem(n_parts, n_slots as usize, ms);
    p.float_cap = vec![6; n_slots as usize];
    p.max_spread = Some(2);
    p
}

fn raced(p: &TimingProblem, search: Search, lane: Lane) -> Timing {
    solve_timing(
        p,
        &Budget {
            deadline: Instant::now() + Duration::from_secs(60),
            stop: &NO_STOP,
            proof_share: 1.0,
            search,
            rows: search.rows(),
            lane: Some(lane),
        },
    )
}

#[test]
fn a_raced_run_proves_at_the_same_poll_on_every_run_and_stops_at_a_set_one() {
    let p = searched();
    // The improving search here runs a core loop (no plan to improve) in its own mode, stable
    // only: each of CaDiCaL's two ways of searching is covered.
    for search in [Search::Default, Search::CoreLoop, Search::Improving] {
        let race = Race::new(true);
        let first = raced(&p, search, race.lane(0));
        let at = race.clock(0).ticks();
        assert!(first.optimal, "{search}: {first:?}");
        assert!(
            at > 0,
            "{search}: the proof took no poll: the test proves nothing"
        );
        // Again: the same plan, proven after the same number of polls.
        let again = Race::new(true);
        let second = raced(&p, search, again.lane(0));
        assert_eq!(
            (second.best, again.clock(0).ticks()),
            (first.best.clone(), at)
        );
        // Stopped at the last poll the proof needed: no proof; one poll later: the proof.
        let short = Race::new(true);
        short.clock(0).stop_at(at);
        assert!(!raced(&p, search, short.lane(0)).optimal, "{search}");
        let enough = Race::new(true);
        enough.clock(0).stop_at(at + 1);
        let t = raced(&p, search, enough.lane(0));
        assert!(t.optimal && t.best == first.best, "{search}");
    }
}

#[test]
fn raced_runs_meet_where_one_runs_plan_reaches_the_others_bound() {
    let race = Race::new(true);
    let (a, b) = (race.lane(0), race.lane(1));
    for _ in 0..5 {
        a.tick();
    }
    for _ in 0..9 {
        b.tick();
    }
    // Run 0 (a core loop): bounds 4 then 5 at its poll 5; run 1: plans of 7 and 5 breaks at
    // its poll 9, the second reaching the first's bound: both stop at poll 9.
    a.proved(4);
    b.found(7);
    assert_eq!(race.met(), None);
    a.proved(5);
    assert_eq!(race.met(), None);
    b.found(5);
    assert_eq!(race.met(), Some(Met { at: 9, plan_of: 1 }));
    for (k, lane) in [a, b].into_iter().enumerate() {
        let stopped = (0..20).position(|_| lane.tick());
        assert_eq!(stopped, Some([3, 0][k]), "run {k}");
    }
    // The same news the other way round, and without sharing: no meeting.
    let race = Race::new(true);
    race.lane(1).found(5);
    race.lane(0).proved(5);
    assert_eq!(race.met(), Some(Met { at: 0, plan_of: 1 }));
    let apart = Race::new(false);
    apart.lane(1).found(5);
    apart.lane(0).proved(5);
    assert_eq!(apart.met(), None);
}

/// How a run's end stops the other: a proof, at its count; the meeting's bound, ended at the
/// meeting without a proof, at once (the other's plan is kept whatever it does); the plan's
/// side, ended at the meeting, not at all (the bound's side may still prove on its own first).
#[test]
fn a_runs_end_stops_the_other_at_its_proof_or_at_once_past_the_meeting() {
    let polls_to_stop = |race: &Race, k: usize| (0..20).position(|_| race.lane(k).tick());
    let ticks = |race: &Race, k: usize, n: usize| (0..n).for_each(|_| _ = race.lane(k).tick());
    // A proof at poll 4 stops the other there.
    let race = Race::new(true);
    ticks(&race, 0, 4);
    race.end(0, true);
    assert_eq!(polls_to_stop(&race, 1), Some(3));
    // Run `plan`'s plan of 5 breaks at its poll `a`, the other's bound of 5 at its poll `b`.
    let meet = |plan: usize, a: usize, b: usize| {
        let race = Race::new(true);
        ticks(&race, plan, a);
        race.lane(plan).found(5);
        ticks(&race, 1 - plan, b);
        race.lane(1 - plan).proved(5);
        assert_eq!(
            race.met(),
            Some(Met {
                at: a.max(b) as u64,
                plan_of: plan
            })
        );
        race
    };
    // Met at poll 6, where run 0 (the bound) is. Run 0 ends there without a proof: run 1
    // stops at its next poll; without run 0's end, it searches on to its poll 6.
    let race = meet(1, 2, 6);
    race.end(0, false);
    assert_eq!(polls_to_stop(&race, 1), Some(0));
    assert_eq!(polls_to_stop(&meet(1, 2, 6), 1), Some(3));
    // Met at poll 6, where run 1 (the plan) is. Run 1 ends there: run 0 still searches on to
    // its poll 6, where it may prove on its own before.
    let race = meet(1, 6, 3);
    race.end(1, false);
    assert_eq!(polls_to_stop(&race, 0), Some(2));
    // The other way round: run 0's plan at run 1's bound, run 1 ending at the meeting.
    let race = meet(0, 2, 6);
    race.end(1, false);
    assert_eq!(polls_to_stop(&race, 0), Some(0));
    // No meeting: a run's end without a proof stops nothing.
    let race = Race::new(true);
    ticks(&race, 0, 6);
    race.lane(0).proved(5);
    race.end(0, false);
    assert_eq!(polls_to_stop(&race, 1), None);
}
