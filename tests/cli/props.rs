//! Property tests: random small events, every plan passes the independent checker, and the
//! same input gives byte-identical outputs.

use crate::checker::{
    check, check_replan, figures, interpreter_need, printed, printed_need, read_rows,
};
use crate::support::{tree, TestEvent};
use proptest::prelude::*;

/// Tiny deterministic generator for the details of one random event.
struct Gen(u64);
impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn random_event(buyers: usize, firms: usize, days: usize, per_day: usize, seed: u64) -> TestEvent {
    let mut g = Gen(seed);
    let mut slots = String::from("id,day,start,end\n");
    let mut slot_ids = Vec::new();
    for d in 0..days {
        let mut t = 9 * 60;
        for k in 0..per_day {
            if k > 0 && g.chance(15) {
                t += 30; // a pause splits the day into sessions
            }
            let id = format!("S{d}{k}");
            slots += &format!(
                "{id},2027-03-1{d},{:02}:{:02},{:02}:{:02}\n",
                t / 60,
                t % 60,
                (t + 20) / 60,
                (t + 20) % 60
            );
            slot_ids.push(id);
            t += 20;
        }
    }
    let unavailable = |g: &mut Gen| -> String {
        if g.chance(30) {
            slot_ids
                .iter()
                .filter(|_| g.chance(40))
                .cloned()
                .collect::<Vec<_>>()
                .join(";")
        } else {
            String::new()
        }
    };
    let fixed = g.chance(60);
    let floating = g.below(3);
    let mut tables = String::from("id\n");
    // Languages: some buyers share none with some firms; sometimes interpreters.csv (#12).
    let buyer_langs = ["", "de", "ja", "en;de", "it"];
    let firm_langs = ["it", "it;en", "it;de", ""];
    let mut buyer_rows =
        String::from("id,name,company,country,max_meetings,min_meetings,unavailable,languages\n");
    for b in 0..buyers {
        let max = if g.chance(20) {
            g.below(3).to_string()
        } else {
            String::new()
        };
        let min = if g.chance(25) {
            g.below(max.parse::<u64>().map_or(4, |m| m + 1)).to_string()
        } else {
            String::new()
        };
        let u = unavailable(&mut g);
        let langs = buyer_langs[g.below(5) as usize];
        buyer_rows += &format!("B{b},Buyer {b},Co {b},DE,{max},{min},{u},{langs}\n");
    }
    let mut firm_rows = String::from("id,name,table,reps,unavailable,languages\n");
    for f in 0..firms {
        let table = if fixed {
            tables += &format!("T{f}\n");
            format!("T{f}")
        } else {
            String::new()
        };
        let reps = if g.chance(25) { 2 } else { 1 };
        let u = unavailable(&mut g);
        let langs = firm_langs[g.below(4) as usize];
        firm_rows += &format!("F{f},Firm {f},{table},{reps},{u},{langs}\n");
    }
    for k in 0..floating {
        tables += &format!("X{k}\n");
    }
    let ids: Vec<String> = (0..buyers)
        .map(|b| format!("B{b}"))
        .chain((0..firms).map(|f| format!("F{f}")))
        .collect();
    let mut prefs = String::from("from,to,interest,organiser,when\n");
    for (i, x) in ids.iter().enumerate() {
        for (j, y) in ids.iter().enumerate() {
            if i == j || !g.chance(35) {
                continue;
            }
            let interest = ["high", "medium", "low", ""][g.below(4) as usize];
            let organiser = if g.chance(8) {
                "forbidden"
            } else if g.chance(6) {
                "required"
            } else {
                ""
            };
            let when = if g.chance(10) {
                slot_ids[g.below(slot_ids.len() as u64) as usize].clone()
            } else {
                String::new()
            };
            prefs += &format!("{x},{y},{interest},{organiser},{when}\n");
        }
    }
    let mut interpreters = String::from("id,name,languages,unavailable,max_meetings\n");
    let with_interpreters = g.chance(40);
    for k in 0..=g.below(2) {
        let langs = ["it;de", "it;ja;en", "de;ja;it"][g.below(3) as usize];
        let max = if g.chance(30) {
            g.below(4).to_string()
        } else {
            String::new()
        };
        let u = unavailable(&mut g);
        interpreters += &format!("I{k},Interpreter {k},{langs},{u},{max}\n");
    }
    let t = TestEvent::empty()
        .file("slots.csv", &slots)
        .file("buyers.csv", &buyer_rows)
        .file("firms.csv", &firm_rows)
        .file("preferences.csv", &prefs);
    let t = if with_interpreters {
        t.file("interpreters.csv", &interpreters)
    } else {
        t
    };
    if fixed || floating > 0 {
        t.file("tables.csv", &tables)
    } else {
        t
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_events_give_valid_reproducible_plans(
        buyers in 1usize..5, firms in 1usize..5, days in 1usize..3, per_day in 1usize..6, seed in any::<u64>()
    ) {
        let t = random_event(buyers, firms, days, per_day, seed);
        let out = t.plan().output().unwrap();
        let code = out.status.code();
        // An event may draw contradictory wishes (a pair both required and forbidden: exit 2) or
        // impossible required meetings (exit 3): then nothing may be written.
        prop_assert!(matches!(code, Some(0) | Some(2) | Some(3)), "{:?} {}", code, String::from_utf8_lossy(&out.stderr));
        if code != Some(0) {
            prop_assert!(!t.out().exists());
            return Ok(());
        }
        let errs = check(&t.ev(), &t.out().join("schedule.csv"));
        prop_assert!(errs.is_empty(), "{:?}", errs);
        let first = tree(&t.out());
        t.plan().assert().success();
        prop_assert_eq!(first, tree(&t.out()));
    }
}

/// The figures `out` prints (stdout summary, report.md, status.csv) are those the independent
/// checker computes from its schedule.csv.
fn assert_printed_figures(t: &TestEvent, out: &str, stdout: &str) -> Result<(), TestCaseError> {
    let dir = t.root.path().join(out);
    let truth = figures(&t.ev(), &dir.join("schedule.csv"));
    prop_assert_eq!(&printed(stdout), &truth, "summary");
    let report = std::fs::read_to_string(dir.join("report.md")).unwrap();
    prop_assert_eq!(&printed(&report), &truth, "report.md");
    // The interpreters needed, per language pair and at the peak, as the checker counts them.
    let need = interpreter_need(&t.ev(), &dir.join("schedule.csv"));
    prop_assert_eq!(&printed_need(stdout), &need, "summary: interpreters");
    prop_assert_eq!(&printed_need(&report), &need, "report.md: interpreters");
    let status = &read_rows(&dir.join("status.csv"))[0];
    prop_assert_eq!(status["value"].parse::<u64>().unwrap(), truth.value);
    prop_assert_eq!(status["breaks"].parse::<u64>().unwrap(), truth.breaks);
    prop_assert_eq!(status["spread"].parse::<u64>().unwrap(), truth.spread);
    // A bound is a bound: never below the plan's value, never above its breaks.
    prop_assert!(status["value_bound"].parse::<u64>().unwrap() >= truth.value);
    prop_assert!(status["breaks_bound"].parse::<u64>().unwrap() <= truth.breaks);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Every printed figure is the plan's own, after a plan and after a re-plan that cancels a
    /// participant with a frozen cut (past meetings count like any other).
    #[test]
    fn printed_figures_are_the_schedules_own_after_plan_and_replan(
        buyers in 1usize..5, firms in 1usize..5, days in 1usize..3, per_day in 1usize..6,
        seed in any::<u64>(), cut in any::<u16>(), who in any::<u16>()
    ) {
        let t = random_event(buyers, firms, days, per_day, seed);
        let out = t.plan().output().unwrap();
        if out.status.code() != Some(0) {
            return Ok(());
        }
        assert_printed_figures(&t, "out", &String::from_utf8_lossy(&out.stdout))?;

        let prev = read_rows(&t.out().join("schedule.csv"));
        std::fs::copy(t.out().join("schedule.csv"), t.root.path().join("prev.csv")).unwrap();
        let slots = read_rows(&t.ev().join("slots.csv"));
        let s = &slots[cut as usize % slots.len()];
        let frozen = format!("{} {}", s["day"], s["start"]);
        let parts: Vec<String> = read_rows(&t.ev().join("buyers.csv"))
            .iter()
            .chain(read_rows(&t.ev().join("firms.csv")).iter())
            .map(|r| r["id"].clone())
            .collect();
        let gone = &parts[who as usize % parts.len()];
        std::fs::write(t.ev().join("cancellations.csv"), format!("participant\n{gone}\n")).unwrap();
        let mut c = t.cmd();
        c.args(["replan", "ev", "--previous", "prev.csv", "--out", "out2", "--quiet",
                "--time-limit", "20", "--frozen-until", &frozen]);
        let out2 = c.output().unwrap();
        let code = out2.status.code();
        prop_assert!(matches!(code, Some(0) | Some(3)), "{:?} {}", code, String::from_utf8_lossy(&out2.stderr));
        if code != Some(0) {
            return Ok(());
        }
        let sched2 = t.root.path().join("out2/schedule.csv");
        let errs = check_replan(&t.ev(), &sched2, Some(&frozen));
        prop_assert!(errs.is_empty(), "{:?}", errs);
        // What happened before the cut stays exactly as it was.
        let after = read_rows(&sched2);
        let key = |r: &std::collections::HashMap<String, String>| {
            (r["slot"].clone(), r["table"].clone(), r["participant_a"].clone(), r["participant_b"].clone())
        };
        let before_cut = |r: &std::collections::HashMap<String, String>| {
            (r["day"].as_str(), r["start"].as_str()) < (s["day"].as_str(), s["start"].as_str())
        };
        let past: Vec<_> = prev.iter().filter(|r| before_cut(r)).map(key).collect();
        let past_after: Vec<_> = after.iter().filter(|r| before_cut(r)).map(key).collect();
        prop_assert_eq!(past, past_after);
        assert_printed_figures(&t, "out2", &String::from_utf8_lossy(&out2.stdout))?;
    }
}
