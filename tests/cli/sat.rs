//! The SAT break engine through the binary: a JAIR 2022 event of the family the LP could not
//! close is planned to its published optimum with proof (read from ../shared, or the folder
//! `T4S_BENCHMARKS` names; skipped with a message when absent), the plan checked by the
//! independent checker and its breaks counted here from schedule.csv; required meetings that
//! cannot fit are proven so, naming who; and an event too large for the engine still has the
//! breaks its participants' own agendas force as a bound; and a run the time limit cuts short
//! while the third thread's improving run works prints only sound figures.

use crate::checker::{check, read_rows};
use crate::support::TestEvent;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// The JAIR 2022 events, or `None` with a message saying the test is skipped.
fn jair2022() -> Option<PathBuf> {
    let dir = std::env::var_os("T4S_BENCHMARKS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/benchmarks"),
        PathBuf::from,
    );
    let jair = dir.join("jair2022");
    if !jair.is_dir() {
        eprintln!("skipped: ../shared/benchmarks/jair2022 is absent (or set T4S_BENCHMARKS)");
        return None;
    }
    Some(jair)
}

/// Breaks counted from schedule.csv alone: per participant, the maximal runs of idle slots
/// between two busy ones (slots in slots.csv order; the JAIR events are one session).
fn breaks_in(event: &std::path::Path, schedule: &std::path::Path) -> u64 {
    let index: BTreeMap<String, usize> = read_rows(&event.join("slots.csv"))
        .iter()
        .enumerate()
        .map(|(k, r)| (r["id"].clone(), k))
        .collect();
    let mut busy: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for r in &read_rows(schedule) {
        let s = index[&r["slot"]];
        for side in ["participant_a", "participant_b"] {
            busy.entry(r[side].clone()).or_default().insert(s);
        }
    }
    busy.values()
        .map(|set| {
            let v: Vec<usize> = set.iter().copied().collect();
            v.windows(2).filter(|w| w[1] > w[0] + 1).count() as u64
        })
        .sum()
}

#[test]
fn forum_14_reaches_its_published_optimum_with_proof() {
    let Some(jair) = jair2022() else {
        return;
    };
    let dir = jair.join("forum-14");
    let t = TestEvent::empty();
    let mut c = t.cmd();
    c.arg("plan").arg(&dir).args([
        "--out",
        "out",
        "--quiet",
        "--time-limit",
        "120",
        "--max-break-spread",
        "2",
    ]);
    let out = c.assert().success().get_output().stdout.clone();
    let stdout = String::from_utf8(out).unwrap();
    let schedule = t.out().join("schedule.csv");
    let errs = check(&dir, &schedule);
    assert!(errs.is_empty(), "{errs:#?}");
    // Published optimum (Bofill et al. 2022, d = 2): 2 breaks.
    assert_eq!(breaks_in(&dir, &schedule), 2, "{stdout}");
    assert!(
        stdout.contains("breaks:              2 in total"),
        "{stdout}"
    );
    assert!(
        stdout.contains("status:              optimal (proven)"),
        "{stdout}"
    );
}

#[test]
fn required_meetings_that_cannot_fit_are_proven_so_naming_the_participants() {
    // Three firms must all meet each other in two slots: each has two meetings for two free
    // slots (so no count can see it), but a triangle needs three slots. The SAT search proves
    // it and names who.
    let t = TestEvent::new()
        .file(
            "slots.csv",
            "id,day,start,end\nS1,2027-03-10,09:00,09:20\nS2,2027-03-10,09:20,09:40\n",
        )
        .file(
            "preferences.csv",
            "from,to,organiser\nF1,F2,required\nF2,F3,required\nF1,F3,required\nB1,F1,\n",
        );
    let mut c = t.cmd();
    c.args(["validate", "ev"]).assert().success();
    t.plan().assert().code(3).stderr(
        "error: the required meetings cannot all be scheduled:\n  \
         - F1, F2, F3: their required meetings cannot all be placed, too few slots where both \
         sides of each are free (proven by the SAT search)\n",
    );
    assert!(!t.out().exists());
}

/// The engines run side by side (two runs of the SAT engine searching differently, and the
/// annealing, neighbourhood search and HiGHS break model); which one finishes first must not
/// change the plan when the run ends by proof. `T4S_HOLD` holds one of them back 1.5 s, so that
/// each SAT run in turn is the first to prove in wall time: the race is decided on the solver's
/// own step count, so the same run's plan must be kept, whether by its own proof or by the
/// runs' meeting (one run's plan reaching the other's bound before either proves alone,
/// decided on both runs' step counts; the run holding that plan may then be stopped before a
/// proof of its own, so how the plan was proven is not compared). On tic-13crafc the runs
/// prove the optimum (4) within seconds of each other. Until the independent-set rows (twelfth
/// session) forum-13crafb ended by the meeting; now the core loop proves it alone, and no JAIR
/// event ends by the meeting: the meeting's own determinism is tested on the engine
/// (`sat::tests`, `raced_runs_meet_…`, `a_runs_end_stops_…`).
#[test]
fn the_plan_does_not_depend_on_which_engine_finishes_first() {
    let Some(jair) = jair2022() else {
        return;
    };
    let mut compared = 0;
    for name in ["forum-14", "tic-13crafc", "forum-13crafb"] {
        let dir = jair.join(name);
        let mut plans = Vec::new();
        for hold in ["", "sat", "second", "compact"] {
            let t = TestEvent::empty();
            let mut c = t.cmd();
            c.env("T4S_HOLD", hold).env("T4S_TRACE", "1");
            c.arg("plan").arg(&dir).args([
                "--out",
                "out",
                "--quiet",
                "--time-limit",
                "90",
                "--max-break-spread",
                "2",
            ]);
            let out = c.assert().success().get_output().clone();
            let stdout = String::from_utf8(out.stdout).unwrap();
            let trace = String::from_utf8(out.stderr).unwrap();
            let errs = check(&dir, &t.out().join("schedule.csv"));
            assert!(errs.is_empty(), "{name}: {errs:#?}");
            if !stdout.contains("status:              optimal (proven)") {
                // Only a run that ends by proof promises the same plan; a very slow machine
                // may not get there.
                eprintln!("{name} (hold {hold:?}) did not end by proof: not compared\n{stdout}");
                continue;
            }
            // Whose plan is kept ("the core loop's plan", "the improving run's plan").
            let Some(kept) = trace
                .lines()
                .find_map(|l| l.split_once("portfolio: ")?.1.split_once(" plan, proven"))
                .and_then(|(whose, _)| Some(whose.rsplit_once(", the ")?.1.to_string()))
            else {
                // Proven outside the SAT runs' race (the chain's plan at a SAT run's bound): no
                // promise of the same plan.
                eprintln!("{name} (hold {hold:?}) not proven by a SAT run: not compared");
                continue;
            };
            plans.push((hold, kept, crate::support::tree(&t.out())));
        }
        for (hold, kept, plan) in &plans[1..] {
            assert_eq!(
                *kept, plans[0].1,
                "{name}: holding {hold:?} back changed whose plan is kept"
            );
            assert!(
                *plan == plans[0].2,
                "{name}: holding {hold:?} back changed the output (first run held {:?})",
                plans[0].0
            );
            compared += 1;
        }
    }
    // Each of these is proven within seconds here: none compared means the test saw nothing.
    assert!(
        compared > 0,
        "no two runs proven by the SAT engine to compare"
    );
}

/// An event above the SAT engine's size limit (1,809 meetings × 24 slots), where every request
/// fits, so every plan of the best value holds them all; firm F0 meets nine buyers but is free
/// only in spans of 3, 3 and 4 slots (unavailable at S03, S07 and all afternoon), so every plan
/// gives it at least two breaks. That bound is each participant's own agenda, computed without
/// a search at any size: the plan that reaches it is proven optimal, where before only the
/// time limit ended the run, with a bound of 0.
#[test]
fn an_event_too_large_for_the_engine_still_has_the_breaks_its_agendas_force_as_a_bound() {
    let ids: Vec<String> = (0..24).map(|k| format!("S{k:02}")).collect();
    let mut slots = String::from("id,day,start,end\n");
    for (k, id) in ids.iter().enumerate() {
        let t = if k < 12 { 9 * 60 } else { 14 * 60 } + 20 * (k % 12);
        let hm = |m: usize| format!("{:02}:{:02}", m / 60, m % 60);
        slots += &format!("{id},2027-03-10,{},{}\n", hm(t), hm(t + 20));
    }
    let buyers: String = (0..180)
        .map(|b| format!("B{b},Buyer {b},Company {b},DE\n"))
        .collect();
    let unavailable = [&ids[3], &ids[7]]
        .into_iter()
        .chain(&ids[12..])
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(";");
    let mut firms = format!("id,name,table,unavailable\nF0,Firm 0,T0,{unavailable}\n");
    let mut tables = String::from("id\nT0\n");
    for f in 1..=100 {
        firms += &format!("F{f},Firm {f},T{f},\n");
        tables += &format!("T{f}\n");
    }
    let mut prefs = String::from("from,to,interest,organiser\n");
    for b in 0..180 {
        for j in 0..10 {
            prefs += &format!("B{b},F{},high,\n", 1 + (b + 7 * j) % 100);
        }
    }
    for b in 0..9 {
        prefs += &format!("B{b},F0,high,\n");
    }
    let t = TestEvent::empty()
        .file("slots.csv", &slots)
        .file("buyers.csv", &format!("id,name,company,country\n{buyers}"))
        .file("firms.csv", &firms)
        .file("tables.csv", &tables)
        .file("preferences.csv", &prefs);
    let stdout = t.plan_valid();
    let truth = crate::checker::figures(&t.ev(), &t.out().join("schedule.csv"));
    assert_eq!(crate::checker::printed(&stdout), truth, "{stdout}");
    assert_eq!((truth.meetings, truth.breaks), (1809, 2), "{stdout}");
    assert!(
        stdout.contains("status:              optimal (proven)"),
        "{stdout}"
    );
}

/// Where the SAT runs cannot prove within the time, the chain joins them at half the time and,
/// after its annealing, a third run of the engine improves the plan. The run it cuts short
/// still prints only sound figures: the plan's own (independent checker), no fewer breaks
/// than the published optimum (6, Bofill et al. 2022, D = 2) and a lower bound no higher than
/// it, whichever thread's bound it is; and the plan written is no worse than the one the
/// improving run reports. forum-13crafb's proof takes about 10 s here, so 6 s leave it open;
/// on a machine fast enough to prove it in 3 s the improving run never starts, and the test
/// then asks for the proof.
#[test]
fn a_run_the_time_limit_cuts_short_while_the_improving_run_works_prints_sound_figures() {
    let Some(jair) = jair2022() else {
        return;
    };
    let dir = jair.join("forum-13crafb");
    let t = TestEvent::empty();
    let mut c = t.cmd();
    c.env("T4S_TRACE", "1").arg("plan").arg(&dir).args([
        "--out",
        "out",
        "--time-limit",
        "6",
        "--max-break-spread",
        "2",
    ]);
    let output = c.assert().success().get_output().clone();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let schedule = t.out().join("schedule.csv");
    let errs = check(&dir, &schedule);
    assert!(errs.is_empty(), "{errs:#?}");
    let truth = crate::checker::figures(&dir, &schedule);
    assert_eq!(crate::checker::printed(&stdout), truth, "{stdout}");
    assert_eq!(breaks_in(&dir, &schedule), truth.breaks);
    assert!(truth.breaks >= 6, "{stdout}");
    // "status: … breaks 11 against a lower bound of 5", or proven: the bound is the plan's.
    let bound = stdout
        .split("against a lower bound of ")
        .nth(1)
        .and_then(|r| {
            r.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse::<u64>()
                .ok()
        })
        .unwrap_or(truth.breaks);
    assert!(bound <= 6, "a bound above the optimum:\n{stdout}");
    // "[  t s] SAT timing (improving search): N breaks, bound …"
    let improved = stderr.lines().find_map(|l| {
        let rest = l.split("SAT timing (improving search): ").nth(1)?;
        rest.split(' ').next()?.parse::<u64>().ok()
    });
    match improved {
        Some(n) => assert!(truth.breaks <= n, "{stderr}\n{stdout}"),
        None => assert!(
            stdout.contains("status:              optimal (proven)"),
            "the improving run did not run, and no proof ended the run:\n{stderr}\n{stdout}"
        ),
    }
}
