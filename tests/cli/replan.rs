//! `replan`: announced meetings stay unless they must change; who must be told.

use crate::checker::{check_replan, read_rows};
use crate::support::{meetings, tree, TestEvent};
use std::collections::{BTreeMap, BTreeSet};

type Key = (String, String);

/// schedule.csv as pair → (slot, table).
fn by_pair(out: &std::path::Path) -> BTreeMap<Key, (String, String)> {
    meetings(out)
        .into_iter()
        .map(|(s, t, a, b)| ((a, b), (s, t)))
        .collect()
}

fn replan(t: &TestEvent, extra: &[&str]) -> String {
    let out = t
        .replan()
        .args(extra)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let frozen = extra
        .iter()
        .position(|a| *a == "--frozen-until")
        .map(|i| extra[i + 1]);
    let errs = check_replan(&t.ev(), &t.out().join("schedule.csv"), frozen);
    assert!(errs.is_empty(), "checker: {errs:#?}");
    String::from_utf8(out).unwrap()
}

/// Plans the event and keeps the schedule as the announced one (prev.csv).
fn announced(t: &TestEvent) -> BTreeMap<Key, (String, String)> {
    t.plan().assert().success();
    std::fs::copy(t.out().join("schedule.csv"), t.root.path().join("prev.csv")).unwrap();
    by_pair(&t.out())
}

fn notices(t: &TestEvent) -> BTreeSet<String> {
    let dir = t.out().join("notices");
    if !dir.exists() {
        return BTreeSet::new();
    }
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_file())
        .map(|e| {
            e.unwrap()
                .file_name()
                .into_string()
                .unwrap()
                .replace(".md", "")
        })
        .collect()
}

#[test]
fn no_change_reproduces_the_previous_outputs_byte_for_byte() {
    let t = TestEvent::copy_of("data");
    announced(&t);
    let before = tree(&t.out());
    let stdout = replan(&t, &[]);
    let mut after = tree(&t.out());
    let changes = after.remove("changes.csv").expect("changes.csv");
    assert_eq!(before, after);
    assert_eq!(
        String::from_utf8(changes).unwrap().lines().count(),
        1,
        "header only"
    );
    assert!(stdout.contains("notify:              nobody"), "{stdout}");
    assert!(notices(&t).is_empty());
}

#[test]
fn cancelling_a_buyer_frees_its_meetings_and_nothing_else_moves() {
    let t = TestEvent::copy_of("data");
    let before = announced(&t);
    let t = t.file("cancellations.csv", "participant\nB03\n");
    replan(&t, &[]);
    let after = by_pair(&t.out());
    for (pair, place) in &before {
        if pair.0 == "B03" {
            assert!(!after.contains_key(pair), "{pair:?} should be cancelled");
        } else {
            assert_eq!(after.get(pair), Some(place), "{pair:?} moved");
        }
    }
    // Everyone whose agenda changed, and only they, get a notice.
    let changed: BTreeSet<String> = read_rows(&t.out().join("changes.csv"))
        .into_iter()
        .map(|r| r["participant"].clone())
        .collect();
    assert!(changed.contains("B03"));
    assert_eq!(notices(&t), changed);
    let rows = read_rows(&t.out().join("changes.csv"));
    assert!(rows.iter().any(|r| r["participant"] == "B03"
        && r["change"] == "cancelled"
        && r["slot_after"].is_empty()));
}

#[test]
fn freed_slots_are_refilled_from_waiting_requests() {
    // F1 has one slot; B1 (high value) gets it, B2 waits. B1 cancels: B2 takes the slot.
    let t = TestEvent::new()
        .file("slots.csv", "id,day,start,end\nS1,2027-03-10,09:00,09:20\n")
        .file(
            "preferences.csv",
            "from,to,interest\nB1,F1,high\nB2,F1,low\n",
        );
    let before = announced(&t);
    assert!(before.contains_key(&("B1".to_string(), "F1".to_string())));
    let t = t.file("cancellations.csv", "participant\nB1\n");
    let stdout = replan(&t, &[]);
    let after = by_pair(&t.out());
    assert_eq!(
        after.keys().cloned().collect::<Vec<_>>(),
        vec![("B2".to_string(), "F1".to_string())]
    );
    assert!(
        stdout.contains("changes:             0 kept, 1 cancelled, 0 moved, 1 added"),
        "{stdout}"
    );
    assert_eq!(
        notices(&t),
        BTreeSet::from(["B1".into(), "B2".into(), "F1".into()])
    );
}

#[test]
fn a_firm_losing_an_afternoon_only_moves_or_loses_its_own_meetings() {
    let t = TestEvent::copy_of("data");
    // Without interpreters: a meeting re-placed into a slot may take the interpreter of a
    // kept meeting there, which then gets another (an `interpreter` change, listed and
    // noticed; interpreters.rs covers it). What is pinned here is that meetings stay put.
    std::fs::remove_file(t.ev().join("interpreters.csv")).unwrap();
    let before = announced(&t);
    // F10 is away for one of the two half-days from now on: the one without its required
    // meeting with B05, who is booked in every slot (losing that one would leave the kept
    // meetings no room for it, and the re-plan rightly infeasible; which half-day the plan
    // chose for it is the planner's business).
    let slot_day: BTreeMap<String, String> = read_rows(&t.ev().join("slots.csv"))
        .into_iter()
        .map(|r| (r["id"].clone(), r["day"].clone()))
        .collect();
    let required_day = before
        .iter()
        .find(|(pair, _)| {
            [pair.0.as_str(), pair.1.as_str()] == ["B05", "F10"]
                || [pair.0.as_str(), pair.1.as_str()] == ["F10", "B05"]
        })
        .map(|(_, (slot, _))| slot_day[slot].clone())
        .expect("B05-F10 is required");
    let away = if required_day == "2027-03-10" {
        "2027-03-11"
    } else {
        "2027-03-10"
    };
    let firms = std::fs::read_to_string(t.ev().join("firms.csv")).unwrap();
    let firms: String = firms
        .lines()
        .map(|l| {
            if l.starts_with("F10,") {
                l.replacen(",,,Italy", &format!(",,{away},Italy"), 1)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        firms.contains(&format!(",{away},Italy")),
        "fixture changed: {firms}"
    );
    let t = t.file("firms.csv", &(firms + "\n"));
    replan(&t, &[]);
    let after = by_pair(&t.out());
    for (pair, place) in &before {
        if pair.1 != "F10" {
            assert_eq!(
                after.get(pair),
                Some(place),
                "{pair:?} is not F10's and moved"
            );
        }
    }
    for r in read_rows(&t.out().join("changes.csv")) {
        if r["change"] != "added" {
            assert!(
                r["participant"] == "F10" || r["counterpart"] == "F10",
                "{r:?}"
            );
        }
    }
}

#[test]
fn nothing_before_frozen_until_changes() {
    let t = TestEvent::copy_of("data");
    let before = announced(&t);
    // Day 1 has happened; then B05 cancels entirely.
    let t = t.file("cancellations.csv", "participant\nB05\n");
    replan(&t, &["--frozen-until", "2027-03-11 09:00"]);
    let after = by_pair(&t.out());
    let day1: Vec<_> = read_rows(&t.root.path().join("prev.csv"))
        .into_iter()
        .filter(|r| r["day"] == "2027-03-10")
        .collect();
    assert!(!day1.is_empty());
    for r in &day1 {
        let key = (r["participant_a"].clone(), r["participant_b"].clone());
        assert_eq!(
            after.get(&key),
            before.get(&key),
            "{key:?} happened and changed"
        );
    }
    for r in read_rows(&t.out().join("schedule.csv")) {
        let key = (r["participant_a"].clone(), r["participant_b"].clone());
        if r["day"] == "2027-03-10" {
            assert!(before.contains_key(&key), "{key:?} added in the past");
        } else {
            assert_ne!(key.0, "B05");
        }
    }
}

#[test]
fn locked_meetings_stay_and_a_mismatched_schedule_is_rejected() {
    let t = TestEvent::new();
    announced(&t);
    // A hand-edited schedule with an unknown participant and a double booking is rejected.
    std::fs::write(
        t.root.path().join("prev.csv"),
        "slot,table,participant_a,participant_b\nS1,T1,B1,F1\nS1,T2,B1,F2\nS2,T1,B7,F1\n",
    )
    .unwrap();
    let mut c = t.cmd();
    c.args(["replan", "ev", "--previous", "prev.csv", "--out", "out2", "-q"]).assert().code(2).stderr(
        "error: the schedule has 2 problems; nothing was written\n\
         prev.csv:3: B1 is booked twice in slot S1 (also at line 2)\n  hint: a participant holds one meeting per slot (a firm as many as its reps)\n\
         prev.csv:4:3: participant 'B7' is not in the event (line 4 of this schedule)\n  hint: did you mean 'B1'? if B7 cancelled, keep its row in buyers.csv / firms.csv and list it in cancellations.csv (column participant): the re-plan then frees its meetings\n",
    );
    // A locked meeting that F1's new absence breaks is an error, not a silent drop.
    std::fs::write(
        t.root.path().join("prev.csv"),
        "slot,table,participant_a,participant_b,locked\nS2,T1,B1,F1,yes\n",
    )
    .unwrap();
    let t = t.file(
        "firms.csv",
        "id,name,table,unavailable\nF1,Bianchi,T1,S2\nF2,Lucchesi,T2,\nF3,Nardi,T3,\n",
    );
    let mut c = t.cmd();
    c.args(["replan", "ev", "--previous", "prev.csv", "--out", "out2", "-q"]).assert().code(2).stderr(
        "error: the schedule has 1 problem; nothing was written\n\
         prev.csv:2: locked meeting cannot stay: F1 is not available in slot S2\n  hint: unlock it, or undo the change to the event that conflicts with it\n",
    );
}

#[test]
fn allow_moves_trades_a_move_for_a_more_valuable_meeting() {
    // One slot pair: B1-F1 sits in S1; a new high-value wish B2-F1 fits only in S1 (B2 is away
    // in S2). Moving B1-F1 to S2 (penalty 3) gains the new meeting (value 6).
    let t = TestEvent::new()
        .file(
            "slots.csv",
            "id,day,start,end\nS1,2027-03-10,09:00,09:20\nS2,2027-03-10,09:20,09:40\n",
        )
        .file(
            "buyers.csv",
            "id,name,company,country,unavailable\nB1,A,A,DE,\nB2,B,B,FR,S2\n",
        )
        .file("preferences.csv", "from,to,interest\nB1,F1,low\n");
    std::fs::write(
        t.root.path().join("prev.csv"),
        "slot,table,participant_a,participant_b\nS1,T1,B1,F1\n",
    )
    .unwrap();
    let t = t.file(
        "preferences.csv",
        "from,to,interest\nB1,F1,low\nB2,F1,high\nF1,B2,high\n",
    );
    replan(&t, &[]);
    assert_eq!(
        meetings(&t.out()).len(),
        1,
        "without --allow-moves nothing moves"
    );
    let stdout = replan(&t, &["--allow-moves"]);
    assert!(stdout.contains("1 moved, 1 added"), "{stdout}");
    let rows = meetings(&t.out());
    assert!(
        rows.contains(&("S2".into(), "T1".into(), "B1".into(), "F1".into())),
        "{rows:?}"
    );
    assert!(
        rows.contains(&("S1".into(), "T1".into(), "B2".into(), "F1".into())),
        "{rows:?}"
    );
    replan(&t, &["--allow-moves", "--move-penalty", "7"]);
    assert_eq!(
        meetings(&t.out()).len(),
        1,
        "a move costing more than it gains is not made"
    );
}
