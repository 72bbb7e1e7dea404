//! Defects found by trying the tool as organisers do (issue #10): each test drives the built
//! binary on real files and fails on the code before the fix.

use crate::checker::{check, check_replan, figures, printed, read_rows};
use crate::support::{meetings, TestEvent};
use predicates::str::contains;
use std::io::{BufRead, BufReader};

/// A ban or a must added at the bottom of preferences.csv is honoured, whichever direction
/// the earlier row had; a different interest says which one is used.
#[test]
fn a_repeated_preference_row_keeps_its_organiser_flag() {
    let base = "from,to,interest,organiser\nB1,F1,high,\nB2,F1,medium,\nB2,F3,high,\n";
    for extra in ["F1,B1,,forbidden\n", "B1,F1,,forbidden\n"] {
        let t = TestEvent::new().file("preferences.csv", &format!("{base}{extra}"));
        let mut c = t.cmd();
        c.args(["validate", "ev"])
            .assert()
            .success()
            .stdout(contains(
                "pairs:       2 requested (0 required), 1 forbidden",
            ));
        t.plan_valid();
        assert!(
            !meetings(&t.out())
                .iter()
                .any(|m| m.2 == "B1" && m.3 == "F1"),
            "{extra}: a forbidden pair met"
        );
    }
    for extra in ["F3,B2,,required\n", "B2,F3,,required\n"] {
        let t = TestEvent::new().file("preferences.csv", &format!("{base}{extra}"));
        let mut c = t.cmd();
        c.args(["validate", "ev"])
            .assert()
            .success()
            .stdout(contains("(1 required)"));
        t.plan_valid();
        assert!(t.read_out("schedule.csv").contains("B2,Pierre,F3,Nardi"));
        assert!(t.read_out("schedule.csv").contains(",required,"));
    }
    // Another interest in the same direction: the later row is used, and the tool says so.
    let t = TestEvent::new().file("preferences.csv", &format!("{base}B1,F1,low,\n"));
    let mut c = t.cmd();
    c.args(["validate", "ev"]).assert().success().stderr(
        "warning: ev/preferences.csv:5:3: wish B1 -> F1: interest 'low' replaces 'high' of line 2\n  \
         hint: the later row is used; delete the row you do not mean\n",
    );
    // A row that adds nothing is still worth a warning.
    let t = TestEvent::new().file("preferences.csv", &format!("{base}B1,F1,high,\n"));
    let mut c = t.cmd();
    c.args(["validate", "ev"]).assert().success().stderr(
        "warning: ev/preferences.csv:5: wish B1 -> F1 repeats line 2 and adds nothing\n  \
         hint: delete the repeated row\n",
    );
    // Required on one row, forbidden on another: an error naming both lines.
    let t = TestEvent::new().file(
        "preferences.csv",
        &format!("{base}F1,B1,,required\nB1,F1,,forbidden\n"),
    );
    t.plan().assert().code(2).stderr(contains(
        "ev/preferences.csv:6:4: pair B1-F1 is both required and forbidden (see line 5)",
    ));
}

/// Deleting meetings from schedule.csv and redrawing: the figures follow the schedule, and
/// "optimal" is no longer claimed.
#[test]
fn export_figures_follow_an_edited_schedule() {
    let t = TestEvent::copy_of("data");
    t.plan().assert().success();
    let sched = t.out().join("schedule.csv");
    let text = std::fs::read_to_string(&sched).unwrap();
    let mut dropped = 0;
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| {
            let drop = l.contains(",required,") && dropped < 2;
            dropped += usize::from(drop);
            !drop
        })
        .collect();
    assert_eq!(dropped, 2);
    std::fs::write(&sched, kept.join("\r\n") + "\r\n").unwrap();
    let mut c = t.cmd();
    c.args(["export", "out", "--format", "md,csv"])
        .assert()
        .success();
    let report = t.read_out("report.md");
    assert!(report.contains("| required met | 4 of 6 |"), "{report}");
    assert!(!report.contains("(optimal)"), "{report}");
    assert!(
        report.contains("schedule edited after planning"),
        "{report}"
    );
    assert_eq!(printed(&report), figures(&t.ev(), &sched));
    let status = &read_rows(&t.out().join("status.csv"))[0];
    assert_eq!(
        status["value"].parse::<u64>().unwrap(),
        figures(&t.ev(), &sched).value
    );
    // check agrees: the two required meetings are missing.
    let mut c = t.cmd();
    c.args(["check", "ev", "out/schedule.csv"])
        .assert()
        .code(4)
        .stderr("error: the schedule breaks 2 rules\n");
}

/// A status.csv written without the optional `spread` column (or value and breaks) loads.
#[test]
fn status_csv_without_its_optional_columns_loads() {
    let t = TestEvent::new();
    t.plan().assert().success();
    let status = read_rows(&t.out().join("status.csv"));
    std::fs::write(
        t.out().join("status.csv"),
        format!(
            "value_bound,breaks_bound,ending\n{},{},{}\n",
            status[0]["value_bound"], status[0]["breaks_bound"], status[0]["ending"]
        ),
    )
    .unwrap();
    let mut c = t.cmd();
    c.args(["export", "out", "--format", "md"])
        .assert()
        .success();
    assert!(t
        .read_out("report.md")
        .contains("| status | optimal (proven) |"));
}

/// A re-plan prints the value of the meetings it writes (no internal bonus), counts meetings
/// before the frozen cut, and gives true reasons.
#[test]
fn replan_figures_and_reasons_are_those_of_its_plan() {
    let t = TestEvent::copy_of("data");
    t.plan().assert().success();
    std::fs::copy(t.out().join("schedule.csv"), t.root.path().join("prev.csv")).unwrap();
    let t = t.file("cancellations.csv", "participant\nB03\n");
    for frozen in [None, Some("2027-03-11 09:00")] {
        let mut c = t.replan();
        if let Some(f) = frozen {
            c.args(["--frozen-until", f]);
        }
        let out = c.assert().success().get_output().stdout.clone();
        let stdout = String::from_utf8(out).unwrap();
        let sched = t.out().join("schedule.csv");
        assert!(
            check_replan(&t.ev(), &sched, frozen).is_empty(),
            "{:?}",
            check_replan(&t.ev(), &sched, frozen)
        );
        assert_eq!(printed(&stdout), figures(&t.ev(), &sched), "{stdout}");
        assert_eq!(printed(&t.read_out("report.md")), figures(&t.ev(), &sched));
        let unscheduled = t.read_out("unscheduled.csv");
        // No venue excludes any slot of this event; "max_meetings N reached" only for someone
        // whose max_meetings is N and who has N meetings in this plan.
        assert!(!unscheduled.contains("(venue)"), "{unscheduled}");
        let max: std::collections::HashMap<String, String> = read_rows(&t.ev().join("buyers.csv"))
            .into_iter()
            .chain(read_rows(&t.ev().join("firms.csv")))
            .map(|r| {
                (
                    r["id"].clone(),
                    r.get("max_meetings").cloned().unwrap_or_default(),
                )
            })
            .collect();
        let rows = read_rows(&sched);
        for r in read_rows(&t.out().join("unscheduled.csv")) {
            let code: Vec<&str> = r["reason_code"].split(':').collect();
            if matches!(code[0], "fully_booked" | "lower_value") && code.len() == 3 {
                assert_eq!(max[code[1]], code[2], "{r:?}");
                let n = rows
                    .iter()
                    .filter(|m| m["participant_a"] == code[1] || m["participant_b"] == code[1])
                    .filter(|m| m.get("kind").map(String::as_str) != Some("visit"))
                    .count();
                assert_eq!(n.to_string(), code[2], "{r:?}");
            }
        }
        // The cancelled buyer is named as such and owes no minimum.
        assert!(unscheduled.contains("B03 cancelled"), "{unscheduled}");
        assert!(!stdout.contains("B03 0 of"), "{stdout}");
    }
}

/// Violations of a readable schedule are all listed in one run with exit 4, clashes included.
#[test]
fn check_lists_clashes_with_the_other_violations() {
    let t = TestEvent::new();
    t.plan().assert().success();
    std::fs::write(
        t.root.path().join("edited.csv"),
        "slot,table,participant_a,participant_b\nS1,T1,B1,F1\nS1,T2,B1,F2\nS2,T2,B2,F2\nS2,T2,B2,F3\n",
    )
    .unwrap();
    let t = t.file(
        "firms.csv",
        "id,name,table,unavailable\nF1,Bianchi,T1,S1\nF2,Lucchesi,T2,\nF3,Nardi,T3,\n",
    );
    let mut c = t.cmd();
    c.args(["check", "ev", "edited.csv"])
        .assert()
        .code(4)
        .stdout(
            "edited.csv:2: F1 is unavailable in slot S1 (2027-03-10 09:00)\n\
             edited.csv:3: B1 is booked twice in slot S1 (also at line 2)\n  \
             hint: a participant holds one meeting per slot (a firm as many as its reps)\n\
             edited.csv:5: B2 is booked twice in slot S2 (also at line 4)\n  \
             hint: a participant holds one meeting per slot (a firm as many as its reps)\n\
             edited.csv:5: table T2 holds two meetings in slot S2 (also at line 4)\n  \
             hint: give one of the meetings another table or slot\n\
             edited.csv:5: B2-F3 is at table T2 instead of T3\n\
             edited.csv:5: table T2 is the fixed table of F2, who is not in this meeting\n",
        )
        .stderr(contains(
            "warning: edited.csv:4: B2-F2 was not requested in preferences.csv\n",
        ))
        .stderr(contains("error: the schedule breaks 6 rules\n"));
}

/// `validate data | head -1`: the closed pipe ends the program quietly, never a panic.
#[test]
fn a_closed_pipe_ends_quietly() {
    let t = TestEvent::copy_of("data");
    let bin = assert_cmd::cargo::cargo_bin("t4s-schedule");
    for args in [
        &["validate", "ev"][..],
        &["plan", "ev", "--out", "out", "-q"],
    ] {
        let mut child = std::process::Command::new(&bin)
            .current_dir(t.root.path())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty());
        // stdout is closed here (the reader is dropped), as `head -1` does.
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_ne!(out.status.code(), Some(101), "{stderr}");
    }
}

/// Firms numbered with their own table need no tables.csv: those are the event's tables, and
/// the other meetings need none.
#[test]
fn firm_tables_without_tables_csv_are_the_firms_own() {
    let t = TestEvent::new()
        .without("tables.csv")
        .file(
            "firms.csv",
            "id,name,table\nF1,Bianchi,T1\nF2,Lucchesi,T2\nF3,Nardi,\n",
        )
        .file(
            "preferences.csv",
            "from,to,interest\nB1,F1,high\nB1,F3,\nB2,F1,low\nB2,F3,high\nF2,F3,\n",
        );
    let mut c = t.cmd();
    c.args(["validate", "ev"]).assert().success().stdout(contains(
        "tables:      2 named in firms.csv, each a firm's own (no tables.csv: the other meetings need no table)\n",
    ));
    t.plan_valid();
    for (_, table, a, b) in meetings(&t.out()) {
        match (a.as_str(), b.as_str()) {
            (_, "F1") => assert_eq!(table, "T1"),
            ("F2", _) | (_, "F2") => assert_eq!(table, "T2"),
            _ => assert_eq!(table, ""),
        }
    }
}

/// A participant deleted from buyers.csv is said once, with how to cancel it instead.
#[test]
fn a_participant_deleted_from_the_event_is_reported_once() {
    let t = TestEvent::copy_of("data");
    t.plan().assert().success();
    std::fs::copy(t.out().join("schedule.csv"), t.root.path().join("prev.csv")).unwrap();
    let buyers = std::fs::read_to_string(t.ev().join("buyers.csv")).unwrap();
    let without: String = buyers
        .lines()
        .filter(|l| !l.starts_with("B03,"))
        .map(|l| format!("{l}\n"))
        .collect();
    let t = t.file("buyers.csv", &without);
    let out = t.replan().assert().code(2).get_output().stderr.clone();
    let stderr = String::from_utf8(out).unwrap();
    // Its wishes name it on 24 rows: one message, with the way to cancel it instead.
    assert_eq!(stderr.matches("'B03'").count(), 1, "{stderr}");
    assert!(
        stderr.contains("error: the event has 1 problem"),
        "{stderr}"
    );
    assert!(
        stderr.contains("unknown participant 'B03' in column 'from' (24 rows: lines 39, 40, 41, 42, 43 and 19 more)"),
        "{stderr}"
    );
    assert!(stderr.contains("list it in cancellations.csv"), "{stderr}");
    // With its wishes deleted too, the previous schedule still names it: once.
    let prefs = std::fs::read_to_string(t.ev().join("preferences.csv")).unwrap();
    let without: String = prefs
        .lines()
        .filter(|l| !l.contains("B03"))
        .map(|l| format!("{l}\n"))
        .collect();
    let t = t.file("preferences.csv", &without);
    let out = t.replan().assert().code(2).get_output().stderr.clone();
    let stderr = String::from_utf8(out).unwrap();
    assert_eq!(stderr.matches("'B03'").count(), 1, "{stderr}");
    assert!(
        stderr.contains("error: the schedule has 1 problem"),
        "{stderr}"
    );
    assert!(
        stderr.contains("participant 'B03' is not in the event (lines "),
        "{stderr}"
    );
    assert!(stderr.contains("list it in cancellations.csv"), "{stderr}");
}

/// What would stop `plan` is found by `validate`, all at once, with the same words: a
/// required pair without a common slot inside its `when`, required meetings beyond the slots
/// `when` leaves, a promised minimum above what the participant can hold.
#[test]
fn validate_finds_what_plan_would_stop_on() {
    let t = TestEvent::new()
        .file(
            "buyers.csv",
            "id,name,company,country,min_meetings,unavailable\nB1,Anna,Schmidt,DE,,\nB2,Pierre,Martin,FR,4,S3;S4\n",
        )
        .file(
            "firms.csv",
            "id,name,table,unavailable\nF1,Bianchi,T1,S1;S2\nF2,Lucchesi,T2,\nF3,Nardi,T3,\n",
        )
        .file(
            "preferences.csv",
            "from,to,interest,organiser,when\n\
             B1,F1,high,required,S1;S2\n\
             B1,F2,,required,S3\n\
             B1,F3,,required,S3\n\
             B2,F3,high,,\n",
        );
    let mut c = t.cmd();
    let validate = c.args(["validate", "ev"]).assert().code(3);
    let expected = "error: the required meetings cannot all be scheduled:\n  \
         - B1-F1: no common free slot inside its 'when'\n  \
         - B1 has 2 required meetings but 1 slot where they can take place\n";
    validate
        .stderr(expected)
        .stdout(contains(
            "warning: B2 is promised 4 meetings (min_meetings) but can have at most 1 (its requests, free slots and max_meetings)\n",
        ));
    t.plan().assert().code(3).stderr(expected);
}

/// Ctrl-C on a real solve of a generated event too large to prove quickly: the best plan so
/// far is written, complete and valid, with the status "interrupted". Runs everywhere (no
/// ../shared needed).
#[test]
fn ctrl_c_stops_the_search_and_writes_a_complete_plan() {
    let t = crate::support::large_event(240, 120, 3);
    let bin = assert_cmd::cargo::cargo_bin("t4s-schedule");
    let mut child = std::process::Command::new(bin)
        .current_dir(t.root.path())
        .args([
            "plan",
            "ev",
            "--out",
            "out",
            "--quiet",
            "--time-limit",
            "300",
        ])
        .env("T4S_TRACE", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Signal once the search is under way (the trace names each stage on stderr).
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while stderr.read_line(&mut line).unwrap() > 0 {
        if line.contains("compacting agendas") || line.contains("solving value") {
            break;
        }
        line.clear();
    }
    assert!(!t.out().exists(), "nothing is written while searching");
    // SAFETY: signalling our own child process.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("status:              interrupted"),
        "{stdout}"
    );
    let errs = check(&t.ev(), &t.out().join("schedule.csv"));
    assert!(errs.is_empty(), "{errs:?}");
}
