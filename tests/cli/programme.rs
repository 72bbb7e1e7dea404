//! The whole programme (#13): programme items, venues and travel, company visits — planned,
//! checked by the independent checker, shown in order on agendas and calendars, re-planned.

use crate::checker::{check, check_replan, read_rows};
use crate::support::TestEvent;
use std::collections::BTreeSet;

fn get<'a>(r: &'a std::collections::HashMap<String, String>, k: &str) -> &'a str {
    r.get(k).map(String::as_str).unwrap_or("")
}

/// A small event: four slots at the hall, a firm's premises 30 minutes away, a programme item
/// there for B1 right after the slots, and a visit of F1 with one seat asked for by both
/// buyers.
fn small() -> TestEvent {
    TestEvent::new()
        .file(
            "slots.csv",
            "id,day,start,end,venue\n\
             S1,2027-03-10,09:00,09:20,hall\n\
             S2,2027-03-10,09:20,09:40,hall\n\
             S3,2027-03-10,09:40,10:00,hall\n\
             S4,2027-03-10,10:00,10:20,hall\n",
        )
        .file(
            "venues.csv",
            "id,name,address\nhall,Fair hall,Via Roma 1\nfarm,Bianchi factory,Segromigno\n",
        )
        .file("travel.csv", "from,to,minutes\nhall,farm,30\n")
        .file(
            "firms.csv",
            "id,name,table,venue\nF1,Bianchi,T1,farm\nF2,Lucchesi,T2,\nF3,Nardi,T3,\n",
        )
        .file(
            "programme.csv",
            "id,title,day,start,end,venue,who\n\
             tour,Tour of the district,2027-03-10,10:30,11:00,farm,B1\n",
        )
        .file(
            "visits.csv",
            "id,firm,day,start,end,capacity\nV1,F1,2027-03-10,14:00,15:00,1\n",
        )
        .file(
            "preferences.csv",
            "from,to,interest,kind\nB1,F1,high,\nB1,F2,,\nB2,F1,low,\nB2,F3,high,\nF3,B2,high,\n\
             B1,F3,high,visit\nB2,F1,,\n",
        )
}

#[test]
fn travel_and_programme_items_keep_meetings_away() {
    // B1-F3 asks for a visit to F3, which offers none: an error naming it.
    let t = small();
    let out = t.plan().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("'F3' offers no visit"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t = t.file(
        "preferences.csv",
        "from,to,interest,kind\nB1,F1,high,\nB1,F2,,\nB2,F3,high,\nF3,B2,high,\n\
         B1,F1,high,visit\nB2,F1,low,visit\n",
    );
    t.plan_valid();
    let rows = read_rows(&t.out().join("schedule.csv"));
    // B1 is at the tour (30 minutes away) at 10:30: S4 (ends 10:20) is out for it.
    for r in &rows {
        if get(r, "participant_a") == "B1" || get(r, "participant_b") == "B1" {
            assert_ne!(get(r, "slot"), "S4", "{r:?}");
        }
    }
    // One seat: one of the two visit requests is booked, the better one (B1's).
    let visits: Vec<_> = rows.iter().filter(|r| get(r, "kind") == "visit").collect();
    assert_eq!(visits.len(), 1, "{rows:?}");
    assert_eq!(get(visits[0], "participant_a"), "B1");
    assert_eq!(get(visits[0], "slot"), "V1");
    assert_eq!(get(visits[0], "venue"), "farm");
    let unscheduled = t.read_out("unscheduled.csv");
    assert!(unscheduled.contains("visit_full"), "{unscheduled}");
    // The visit sheet names who comes and the host.
    let sheet = t.read_out("visits/V1.html");
    assert!(
        sheet.contains("Anna") && sheet.contains("Bianchi"),
        "{sheet}"
    );
    assert!(t.read_out("visits/V1.csv").contains("B1"));
}

#[test]
fn check_reports_a_travel_violation_with_exit_4() {
    let t = small().file(
        "preferences.csv",
        "from,to,interest\nB1,F1,high\nB1,F2,\nB2,F3,high\n",
    );
    t.plan_valid();
    // By hand: B1 meets F2 in S4, ten minutes before a tour 30 minutes away.
    std::fs::write(
        t.root.path().join("edited.csv"),
        "slot,table,participant_a,participant_b\nS1,T1,B1,F1\nS4,T2,B1,F2\nS2,T3,B2,F3\n",
    )
    .unwrap();
    let errs = check(&t.ev(), &t.root.path().join("edited.csv"));
    assert!(
        errs.iter().any(|e| e.contains("no time to travel")),
        "{errs:?}"
    );
    let out = t
        .cmd()
        .args(["check", "ev", "edited.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "edited.csv:3: B1: meeting B1-F2 in slot S4 ends 10 min before programme item tour; \
             travel from Fair hall, Via Roma 1 to Bianchi factory, Segromigno takes 30 min"
        ),
        "{stdout}"
    );
}

#[test]
fn a_missing_travel_time_is_an_error_naming_both_venues() {
    let t = small()
        .file("travel.csv", "from,to,minutes\nhall,hall,0\n")
        .file("preferences.csv", "from,to,interest\nB1,F1,high\n");
    let out = t.plan().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no travel time between 'hall' and 'farm'"),
        "{stderr}"
    );
}

/// The ids of `p`'s agenda in the order the HTML shows them, from the strings given.
fn order_in(text: &str, marks: &[&str]) -> Vec<usize> {
    marks
        .iter()
        .map(|m| {
            text.find(m)
                .unwrap_or_else(|| panic!("{m} not in the agenda"))
        })
        .collect()
}

#[test]
fn the_bundled_programme_plans_within_one_percent_and_agendas_show_it_in_order() {
    let t = TestEvent::copy_of("data");
    let mut c = t.cmd();
    // English agendas for every buyer, whatever their languages (`--lang auto` is tested in
    // interpreters.rs): the words below are pinned.
    c.args([
        "plan",
        "ev",
        "--out",
        "out",
        "--quiet",
        "--time-limit",
        "60",
        "--lang",
        "en",
    ]);
    let stdout = String::from_utf8(c.assert().success().get_output().stdout.clone()).unwrap();
    let errs = check(&t.ev(), &t.out().join("schedule.csv"));
    assert!(errs.is_empty(), "checker: {errs:#?}");
    // Every printed figure, visits apart from meetings, as the independent checker counts.
    let truth = crate::checker::figures(&t.ev(), &t.out().join("schedule.csv"));
    assert_eq!(crate::checker::printed(&stdout), truth, "{stdout}");
    assert_eq!(truth.visit_requests, 30, "{stdout}");
    let report = t.read_out("report.md");
    assert_eq!(crate::checker::printed(&report), truth, "{report}");
    let checked = t
        .cmd()
        .args(["check", "ev", "out/schedule.csv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8_lossy(&checked),
        format!(
            "valid: {} meetings and {} visits, every rule holds\n",
            truth.meetings, truth.visits
        )
    );
    let status = &read_rows(&t.out().join("status.csv"))[0];
    let value: f64 = get(status, "value").parse().unwrap();
    let bound: f64 = get(status, "value_bound").parse().unwrap();
    assert!(value >= 0.99 * bound, "value {value}, bound {bound}");
    let rows = read_rows(&t.out().join("schedule.csv"));
    let visits: Vec<_> = rows.iter().filter(|r| get(r, "kind") == "visit").collect();
    assert!(visits.len() >= 20, "{} visits", visits.len());
    assert!(rows
        .iter()
        .filter(|r| get(r, "kind") == "meeting")
        .all(|r| get(r, "venue") == "polo"));
    assert!(t.read_out("programme.csv").contains("exhibition"));
    // A buyer with a meeting on the second morning and a visit that afternoon.
    let buyer = visits
        .iter()
        .map(|r| get(r, "participant_a").to_string())
        .find(|b| {
            rows.iter().any(|r| {
                get(r, "kind") == "meeting"
                    && get(r, "day") == "2027-03-11"
                    && (get(r, "participant_a") == b || get(r, "participant_b") == b)
            })
        })
        .expect("a buyer with both");
    let visit = visits
        .iter()
        .find(|r| get(r, "participant_a") == buyer)
        .unwrap();
    let html = t.read_out(&format!("agendas/buyers/{buyer}.html"));
    let firm_name = get(visit, "name_b");
    let p = order_in(
        &html,
        &[
            "Forum: the Lucca shoe district",
            "Welcome lunch",
            "travel ",
            &format!("Visit to {firm_name}"),
            "Exhibition: Lucca shoemaking",
        ],
    );
    assert!(p.windows(2).all(|w| w[0] < w[1]), "{p:?}\n{html}");
    // The calendar: every event in time order, the programme with its own UIDs and places.
    let ics = t.read_out(&format!("agendas/buyers/{buyer}.ics"));
    let starts: Vec<&str> = ics
        .lines()
        .filter_map(|l| l.strip_prefix("DTSTART;TZID=Europe/Rome:"))
        .collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
    assert!(
        ics.contains(&format!("UID:programme-forum+{buyer}@")),
        "{ics}"
    );
    assert!(ics.contains(&format!("UID:visit-{}+{buyer}@", get(visit, "slot"))));
    assert!(ics.contains("LOCATION:Polo Tecnologico Lucchese\\, Via della Chiesa"));
    let uids: BTreeSet<&str> = ics.lines().filter(|l| l.starts_with("UID:")).collect();
    assert_eq!(uids.len(), ics.matches("BEGIN:VEVENT").count());
    // The visit sheet of that visit lists the buyer.
    let sheet = t.read_out(&format!("visits/{}.csv", get(visit, "slot")));
    assert!(sheet.contains(&buyer));
    // The workbook's agenda sheet: the same day in the same order, the visit by its id.
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(t.out().join("schedule.xlsx")).unwrap();
    let range = book.worksheet_range("Buyer agendas").unwrap();
    let mine: Vec<String> = range
        .rows()
        .filter(|r| r[0].to_string() == buyer)
        .map(|r| format!("{} {}", r[5], r[7]))
        .collect();
    let at = |what: &str| {
        mine.iter()
            .position(|l| l.contains(what))
            .unwrap_or_else(|| panic!("no {what} in {mine:#?}"))
    };
    assert!(at("forum Forum: the Lucca shoe district") < at("lunch Welcome lunch"));
    assert!(at(&format!("{} Visit to {firm_name}", get(visit, "slot"))) < at("Exhibition"));
}

#[test]
fn replan_after_a_cancelled_visit_tells_its_visitors() {
    let t = TestEvent::copy_of("data");
    let mut c = t.cmd();
    c.args([
        "plan",
        "ev",
        "--out",
        "out",
        "--quiet",
        "--time-limit",
        "30",
    ]);
    c.assert().success();
    std::fs::copy(t.out().join("schedule.csv"), t.root.path().join("prev.csv")).unwrap();
    let before = read_rows(&t.out().join("schedule.csv"));
    // A visit without B01 (whose visit to F01 is required).
    let gone = [
        "V-giannini-2",
        "V-lucchesi-2",
        "V-pardini-2",
        "V-giannini-1",
    ]
    .into_iter()
    .find(|v| {
        let on: Vec<_> = before.iter().filter(|r| get(r, "slot") == *v).collect();
        !on.is_empty() && on.iter().all(|r| get(r, "participant_a") != "B01")
    })
    .expect("a visit without B01");
    let visitors: Vec<String> = before
        .iter()
        .filter(|r| get(r, "slot") == gone)
        .map(|r| get(r, "participant_a").to_string())
        .collect();
    assert!(!visitors.is_empty());
    let t = t.file("cancellations.csv", &format!("visit\n{gone}\n"));
    let mut c = t.cmd();
    c.args([
        "replan",
        "ev",
        "--previous",
        "prev.csv",
        "--out",
        "out",
        "--quiet",
        "--time-limit",
        "30",
    ]);
    c.assert().success();
    let errs = check_replan(&t.ev(), &t.out().join("schedule.csv"), None);
    assert!(errs.is_empty(), "checker: {errs:#?}");
    let after = read_rows(&t.out().join("schedule.csv"));
    assert!(after.iter().all(|r| get(r, "slot") != gone));
    // Every other announced meeting and visit stays where it was.
    let key = |r: &std::collections::HashMap<String, String>| {
        (
            get(r, "slot").to_string(),
            get(r, "participant_a").to_string(),
            get(r, "participant_b").to_string(),
        )
    };
    let kept: BTreeSet<_> = after.iter().map(key).collect();
    for r in before.iter().filter(|r| get(r, "slot") != gone) {
        assert!(kept.contains(&key(r)), "{r:?} moved");
    }
    let changes = t.read_out("changes.csv");
    for v in &visitors {
        assert!(
            t.out().join(format!("notices/{v}.md")).exists(),
            "{v}: {changes}"
        );
        assert!(changes.contains(gone));
    }
    let host = before
        .iter()
        .find(|r| get(r, "slot") == gone)
        .map(|r| get(r, "participant_b").to_string())
        .unwrap();
    assert!(t.out().join(format!("notices/{host}.md")).exists());
    // Calendars cancel the withdrawn visit: its UID, STATUS:CANCELLED, SEQUENCE raised; a
    // visitor put on another visit of the firm gets that one as a new event.
    let cancelled = |cal: &crate::ics::Component, v: &str| {
        cal.all("VEVENT")
            .into_iter()
            .find(|e| {
                e.value("UID")
                    .is_some_and(|u| u.starts_with(&format!("visit-{gone}+{v}@")))
            })
            .map(|e| (e.value("STATUS").unwrap(), e.value("SEQUENCE").unwrap()))
    };
    for v in &visitors {
        let ics = std::fs::read(t.out().join(format!("agendas/buyers/{v}.ics"))).unwrap();
        let cal = crate::ics::parse(&ics).unwrap();
        crate::ics::validate(&cal).unwrap();
        assert_eq!(
            cancelled(&cal, v),
            Some(("CANCELLED".to_string(), "1".to_string())),
            "{v}"
        );
    }
    // `export` of the re-planned folder writes the same calendars.
    let before_export =
        std::fs::read(t.out().join(format!("agendas/buyers/{}.ics", visitors[0]))).unwrap();
    t.cmd()
        .args(["export", "out", "--format", "ics"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read(t.out().join(format!("agendas/buyers/{}.ics", visitors[0]))).unwrap(),
        before_export
    );
    // The mail to a visitor carries the cancellation of the visit.
    t.cmd()
        .args([
            "mail",
            "out",
            "--from",
            "Organiser <org@example.org>",
            "--quiet",
        ])
        .assert()
        .success();
    let v = &visitors[0];
    let eml = std::fs::read_to_string(t.out().join(format!("mail/outbox/{v}.eml"))).unwrap();
    let cancel = eml
        .split("METHOD:CANCEL")
        .nth(1)
        .unwrap_or_else(|| panic!("no CANCEL calendar: {eml}"));
    assert!(cancel.contains(&format!("visit-{gone}+{v}@")), "{eml}");
}

/// Time at a programme item, on a visit or travelling to it is not idle (#13): B1 has a talk
/// between its two meetings; B2's visit to a factory 20 minutes away keeps it from three
/// slots between its meetings. Counted the old way each has a break; neither has one.
#[test]
fn time_at_the_programme_on_a_visit_or_travelling_is_no_break() {
    let t = TestEvent::new()
        .file(
            "slots.csv",
            "id,day,start,end,venue\n\
             S1,2027-03-10,09:00,09:20,hall\n\
             S2,2027-03-10,09:20,09:40,hall\n\
             S3,2027-03-10,09:40,10:00,hall\n\
             S4,2027-03-10,10:00,10:20,hall\n\
             S5,2027-03-10,10:20,10:40,hall\n\
             S6,2027-03-10,10:40,11:00,hall\n",
        )
        .file(
            "venues.csv",
            "id,name,address\nhall,Fair hall,Via Roma 1\nfarm,Bianchi factory,Segromigno\n",
        )
        .file("travel.csv", "from,to,minutes\nhall,farm,20\n")
        .file(
            "buyers.csv",
            "id,name,company,country,unavailable\n\
             B1,Anna,Schmidt GmbH,Germany,S4;S5;S6\n\
             B2,Pierre,Martin SARL,France,S1\n",
        )
        .file(
            "firms.csv",
            "id,name,table,venue\nF1,Bianchi,T1,farm\nF2,Lucchesi,T2,\nF3,Nardi,T3,\n\
             F4,Rossi,T4,\nF5,Verdi,T5,\n",
        )
        .file("tables.csv", "id\nT1\nT2\nT3\nT4\nT5\n")
        .file(
            "programme.csv",
            "id,title,day,start,end,venue,who\n\
             talk,Talk on leather,2027-03-10,09:20,09:40,hall,B1\n",
        )
        .file(
            "visits.csv",
            "id,firm,day,start,end,capacity\nV1,F1,2027-03-10,10:00,10:20,2\n",
        )
        .file(
            "preferences.csv",
            "from,to,interest,organiser,kind\n\
             B1,F2,high,required,\nB1,F3,high,required,\n\
             B2,F4,high,required,\nB2,F5,high,required,\nB2,F1,high,required,visit\n",
        );
    let stdout = t.plan_valid();
    let sched = t.out().join("schedule.csv");
    let truth = crate::checker::figures(&t.ev(), &sched);
    assert_eq!(crate::checker::printed(&stdout), truth, "{stdout}");
    assert_eq!(truth.breaks, 0, "{stdout}");
    assert!(
        stdout.contains("breaks:              0 in total"),
        "{stdout}"
    );
    assert!(stdout.contains("(optimal)"), "{stdout}");
    let slots_of = |who: &str| -> BTreeSet<String> {
        read_rows(&sched)
            .iter()
            .filter(|r| get(r, "kind") != "visit")
            .filter(|r| get(r, "participant_a") == who || get(r, "participant_b") == who)
            .map(|r| get(r, "slot").to_string())
            .collect()
    };
    // The only slots left: around the talk, and either side of the visit and its travel.
    assert_eq!(slots_of("B1"), ["S1", "S3"].map(String::from).into());
    assert_eq!(slots_of("B2"), ["S2", "S6"].map(String::from).into());
    // Their agendas show no break.
    for who in ["B1", "B2"] {
        let md = t.read_out(&format!("agendas/buyers/{who}.md"));
        assert!(
            md.contains("Talk on leather") || md.contains("Bianchi"),
            "{md}"
        );
        assert!(!md.contains("*break*"), "{who}: {md}");
    }
}

/// A required visit that finds no seat is explained in terms of visits and seats, not slots.
#[test]
fn a_required_visit_without_a_seat_says_which_visits_are_full() {
    let t = small().file(
        "preferences.csv",
        "from,to,interest,organiser,kind\n\
         B1,F1,high,required,visit\nB2,F1,high,required,visit\nB1,F2,,,\n",
    );
    let out = t.plan().output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "'s visit to F1: no seat left on the visits it can join (V1 1 seat; 2 required visits to F1)"
        ),
        "{stderr}"
    );
    assert!(!t.out().exists(), "nothing written");
}

/// A programme item moved, then one withdrawn: those concerned (and only they) are told, with
/// the item's own change; calendars update it (same UID, SEQUENCE raised) or cancel it; the
/// plan folder keeps the revisions so that `export` and the next re-plan agree.
#[test]
fn a_changed_or_withdrawn_programme_item_is_told_to_those_concerned() {
    let t = TestEvent::copy_of("data");
    let run = |args: &[&str]| {
        let mut c = t.cmd();
        c.args(args)
            .args(["--quiet", "--time-limit", "30", "--lang", "en"]);
        c.assert().success();
    };
    run(&["plan", "ev", "--out", "out"]);
    // The exhibition (buyers only) starts half an hour later.
    let programme = std::fs::read_to_string(t.ev().join("programme.csv")).unwrap();
    let moved = programme.replace(
        "2027-03-11,18:30,20:00,collegio,buyers",
        "2027-03-11,19:00,20:30,collegio,buyers",
    );
    assert_ne!(moved, programme);
    std::fs::write(t.ev().join("programme.csv"), &moved).unwrap();
    run(&[
        "replan",
        "ev",
        "--previous",
        "out/schedule.csv",
        "--out",
        "out2",
    ]);
    let changes = read_rows(&t.root.path().join("out2/changes.csv"));
    let told: BTreeSet<String> = changes
        .iter()
        .filter(|r| get(r, "slot_before") == "exhibition")
        .map(|r| get(r, "participant").to_string())
        .collect();
    let buyers: BTreeSet<String> = read_rows(&t.ev().join("buyers.csv"))
        .iter()
        .map(|r| get(r, "id").to_string())
        .collect();
    assert_eq!(told, buyers, "{changes:#?}");
    let row = changes
        .iter()
        .find(|r| get(r, "slot_before") == "exhibition")
        .unwrap();
    assert_eq!(
        (
            get(row, "change"),
            get(row, "counterpart"),
            get(row, "start_before"),
            get(row, "start_after"),
            get(row, "sequence")
        ),
        ("moved", "", "18:30", "19:00", "1")
    );
    // Nothing else changed: no meeting moved for it.
    assert!(
        changes.iter().all(|r| get(r, "counterpart").is_empty()),
        "{changes:#?}"
    );
    let notice = std::fs::read_to_string(t.root.path().join("out2/notices/B01.md")).unwrap();
    assert!(
        notice.contains("Exhibition: Lucca shoemaking") && notice.contains("2027-03-11 19:00"),
        "{notice}"
    );
    assert!(!t.root.path().join("out2/notices/F01.md").exists());
    let event_of = |dir: &str, who: &str, uid: &str| {
        let ics = std::fs::read(
            t.root
                .path()
                .join(format!("{dir}/agendas/buyers/{who}.ics")),
        )
        .unwrap();
        let cal = crate::ics::parse(&ics).unwrap();
        crate::ics::validate(&cal).unwrap();
        cal.all("VEVENT")
            .into_iter()
            .find(|e| {
                e.value("UID")
                    .is_some_and(|u| u.starts_with(&format!("{uid}+{who}@")))
            })
            .map(|e| {
                (
                    e.value("SEQUENCE").unwrap(),
                    e.value("DTSTART").unwrap(),
                    e.value("STATUS").unwrap(),
                )
            })
    };
    assert_eq!(
        event_of("out2", "B01", "programme-exhibition"),
        Some(("1".into(), "20270311T190000".into(), "CONFIRMED".into()))
    );
    // The mail to B01 updates the exhibition in its calendar.
    let mut c = t.cmd();
    c.args([
        "mail",
        "out2",
        "--from",
        "Organiser <org@example.org>",
        "--quiet",
    ]);
    c.assert().success();
    let eml = std::fs::read_to_string(t.root.path().join("out2/mail/outbox/B01.eml")).unwrap();
    let request = eml
        .split("METHOD:REQUEST")
        .nth(1)
        .expect("a REQUEST calendar");
    assert!(request.contains("programme-exhibition+B01@"), "{eml}");

    // Then the welcome lunch (everyone) is dropped: everyone is told, calendars cancel it.
    let dropped: String = moved
        .lines()
        .filter(|l| !l.starts_with("lunch,"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(t.ev().join("programme.csv"), dropped).unwrap();
    run(&[
        "replan",
        "ev",
        "--previous",
        "out2/schedule.csv",
        "--out",
        "out3",
    ]);
    let changes = read_rows(&t.root.path().join("out3/changes.csv"));
    let cancelled: BTreeSet<String> = changes
        .iter()
        .filter(|r| get(r, "slot_before") == "lunch" && get(r, "change") == "cancelled")
        .map(|r| get(r, "participant").to_string())
        .collect();
    assert!(
        cancelled.contains("B01") && cancelled.contains("F01"),
        "{changes:#?}"
    );
    assert_eq!(
        event_of("out3", "B01", "programme-lunch").map(|e| (e.0, e.2)),
        Some(("1".into(), "CANCELLED".into()))
    );
    // The exhibition keeps its revision; programme.csv lists the lunch as cancelled.
    assert_eq!(
        event_of("out3", "B01", "programme-exhibition").unwrap().0,
        "1"
    );
    let listed = read_rows(&t.root.path().join("out3/programme.csv"));
    let lunch = listed.iter().find(|r| get(r, "id") == "lunch").unwrap();
    assert_eq!(
        (get(lunch, "status"), get(lunch, "sequence")),
        ("cancelled", "1")
    );
    // `export` of the folder writes the same calendars and programme.csv.
    let before = crate::support::tree(&t.root.path().join("out3"));
    let mut c = t.cmd();
    c.args(["export", "out3", "--lang", "en"]);
    c.assert().success();
    let after = crate::support::tree(&t.root.path().join("out3"));
    for (k, v) in &before {
        if k.ends_with(".ics")
            || k == "programme.csv"
            || k == "changes.csv"
            || k.starts_with("notices/")
        {
            assert!(after.get(k) == Some(v), "{k} differs after export");
        }
    }
}
