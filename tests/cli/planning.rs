use crate::checker::{check, read_rows};
use crate::support::{meetings, tree, TestEvent, SLOTS};
use predicates::str::contains;

#[test]
fn bundled_event_plans_at_least_120_valid_meetings() {
    let t = TestEvent::copy_of("data");
    let stdout = t.plan_valid();
    let rows = meetings(&t.out());
    assert!(rows.len() >= 120, "only {} meetings", rows.len());
    assert!(stdout.contains("required met:        6 of 6"), "{stdout}");
    // every participant has both agendas, and the report and unscheduled list exist
    for (file, side) in [("buyers.csv", "buyers"), ("firms.csv", "firms")] {
        for r in read_rows(&t.ev().join(file)) {
            for ext in ["csv", "md"] {
                assert!(t
                    .out()
                    .join(format!("agendas/{side}/{}.{ext}", r["id"]))
                    .exists());
            }
        }
    }
    let report = t.read_out("report.md");
    assert!(report.contains("| meetings scheduled |"), "{report}");
    let unscheduled = read_rows(&t.out().join("unscheduled.csv"));
    assert!(unscheduled.iter().all(|r| !r["reason"].is_empty()));
    assert!(unscheduled
        .iter()
        .any(|r| r["reason"] == "forbidden by the organiser"));
}

#[test]
fn example_event_plans_and_its_agenda_is_stable() {
    let t = TestEvent::copy_of("examples/event");
    let stdout = t.plan_valid();
    assert!(
        stdout.contains("status:              optimal (proven)"),
        "{stdout}"
    );
    insta::assert_snapshot!("agenda_B01_md", t.read_out("agendas/buyers/B01.md"));
    insta::assert_snapshot!("agenda_F02_csv", t.read_out("agendas/firms/F02.csv"));
    insta::assert_snapshot!("schedule_csv", t.read_out("schedule.csv"));
}

#[test]
fn same_input_gives_byte_identical_outputs() {
    let t = TestEvent::copy_of("data");
    t.plan().assert().success();
    let first = tree(&t.out());
    t.plan().assert().success();
    assert_eq!(first, tree(&t.out()));
}

#[test]
fn excel_variants_load_bom_semicolons_crlf_trailing_rows() {
    let crlf = |s: &str| {
        format!(
            "\u{feff}{}\r\n;;;\r\n\r\n",
            s.trim_end().replace(',', ";").replace('\n', "\r\n")
        )
    };
    let t = TestEvent::new()
        .file("slots.csv", &crlf(crate::support::SLOTS))
        .file("buyers.csv", &crlf(crate::support::BUYERS))
        .file("preferences.csv", &crlf(crate::support::PREFS));
    t.plan_valid();
    assert_eq!(meetings(&t.out()).len(), 4);
}

#[test]
fn buyer_meets_the_firm_at_the_firms_table_and_a_is_the_buyer() {
    let t = TestEvent::new();
    t.plan_valid();
    for (_, table, a, b) in meetings(&t.out()) {
        assert!(a.starts_with('B'), "{a}");
        assert_eq!(table, b.replace('F', "T"));
    }
}

#[test]
fn floating_tables_limit_meetings_per_slot() {
    // No fixed tables, one table: at most one meeting per slot.
    let t = TestEvent::new()
        .file("firms.csv", "id,name\nF1,Bianchi\nF2,Lucchesi\nF3,Nardi\n")
        .file("tables.csv", "id\nX\n")
        .file(
            "slots.csv",
            "id,day,start,end\nS1,2027-03-10,09:00,09:20\nS2,2027-03-10,09:20,09:40\n",
        );
    t.plan_valid();
    let rows = meetings(&t.out());
    assert_eq!(rows.len(), 2);
    assert_ne!(rows[0].0, rows[1].0);
    let un = read_rows(&t.out().join("unscheduled.csv"));
    assert_eq!(un.len(), 2);
}

#[test]
fn reps_let_a_firm_hold_meetings_at_once_and_max_meetings_caps() {
    let t = TestEvent::new()
        .file("slots.csv", "id,day,start,end\nS1,2027-03-10,09:00,09:20\n")
        .file(
            "buyers.csv",
            "id,name,company,country,max_meetings\nB1,A,A,DE,\nB2,B,B,FR,\nB3,C,C,US,0\n",
        )
        .file(
            "firms.csv",
            "id,name,table,reps,max_meetings\nF1,Bianchi,T1,2,5\nF2,Lucchesi,T2,,\n\
             F3,Nardi,T3,,\n",
        )
        .file("preferences.csv", "from,to\nB1,F1\nB2,F1\nB3,F1\n");
    t.plan_valid();
    let rows = meetings(&t.out());
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.1 == "T1"));
    let un = read_rows(&t.out().join("unscheduled.csv"));
    assert_eq!(un.len(), 1);
    assert_eq!(un[0]["from"], "B3");
    assert_eq!(un[0]["reason"], "B3 fully booked (max_meetings 0 reached)");
}

#[test]
fn required_and_when_are_honoured() {
    let t = TestEvent::new().file(
        "preferences.csv",
        "from,to,interest,organiser,when\nB1,F1,low,required,S3\nB1,F2,high,,\nB2,F1,high,,2027-03-10 09:00-09:40\nB2,F2,,forbidden,\n",
    );
    t.plan_valid();
    let rows = meetings(&t.out());
    assert!(
        rows.contains(&("S3".into(), "T1".into(), "B1".into(), "F1".into())),
        "{rows:?}"
    );
    assert!(rows.iter().all(|r| !(r.2 == "B2" && r.3 == "F2")));
}

#[test]
fn overbooked_firm_gets_reasons_in_words() {
    // Three buyers want F1, which has only two slots.
    let t = TestEvent::new()
        .file(
            "slots.csv",
            "id,day,start,end\nS1,2027-03-10,09:00,09:20\nS2,2027-03-10,09:20,09:40\n",
        )
        .file(
            "buyers.csv",
            "id,name,company,country\nB1,A,A,DE\nB2,B,B,FR\nB3,C,C,US\n",
        )
        .file(
            "preferences.csv",
            "from,to,interest\nB1,F1,high\nB2,F1,high\nB3,F1,low\n",
        );
    t.plan_valid();
    let un = read_rows(&t.out().join("unscheduled.csv"));
    assert_eq!(un.len(), 1);
    assert_eq!((un[0]["from"].as_str(), un[0]["to"].as_str()), ("B3", "F1"));
    assert_eq!(un[0]["reason"], "lower value than F1's other meetings");
}

#[test]
fn breaks_are_avoided_when_possible() {
    // B1 meets F1 and F2; F1 is away in S2: the plan must not split B1's morning.
    let t = TestEvent::new()
        .file(
            "firms.csv",
            "id,name,table,unavailable\nF1,Bianchi,T1,S2\nF2,Lucchesi,T2,\nF3,Nardi,T3,\n",
        )
        .file("preferences.csv", "from,to\nB1,F1\nB1,F2\n");
    let stdout = t.plan_valid();
    assert!(
        stdout.contains("breaks:              0 in total"),
        "{stdout}"
    );
}

#[test]
fn infeasible_required_meetings_are_explained_and_nothing_is_written() {
    let t = TestEvent::new()
        .file("slots.csv", "id,day,start,end\nS1,2027-03-10,09:00,09:20\n")
        .file(
            "preferences.csv",
            "from,to,organiser\nB1,F1,required\nB1,F2,required\nB2,F3,required\n",
        )
        .file(
            "firms.csv",
            "id,name,table,unavailable\nF1,Bianchi,T1,\nF2,Lucchesi,T2,\nF3,Nardi,T3,S1\n",
        );
    t.plan().assert().code(3).stderr(
        "error: the required meetings cannot all be scheduled:\n  \
             - B2-F3: F3 is unavailable in every slot\n  \
             - B1 has 2 required meetings but 1 slot where they can take place\n",
    );
    assert!(!t.out().exists());
}

#[test]
fn required_meetings_bound_to_a_few_slots_are_named_before_any_search() {
    // B1's five required meetings have five slots between them, but four are bound to the
    // first three slots (as a morning's requests are, or meetings announced there): the
    // check names those four and their slots, for `validate` as for `plan`, before any search.
    let t = TestEvent::new()
        .file("slots.csv", &format!("{SLOTS}S5,2027-03-10,10:20,10:40\n"))
        .file(
            "firms.csv",
            "id,name,table\nF1,Bianchi,T1\nF2,Lucchesi,T2\nF3,Nardi,T3\nF4,Pucci,T4\n\
             F5,Rossi,T5\n",
        )
        .file("tables.csv", "id\nT1\nT2\nT3\nT4\nT5\n")
        .file(
            "preferences.csv",
            "from,to,organiser,when\nB1,F1,required,2027-03-10 09:00-10:00\n\
             B1,F2,required,S1;S2;S3\nF3,B1,required,2027-03-10 09:00-10:00\n\
             B1,F4,required,S3;S1;S2\nB1,F5,required,\nB2,F5,,\n",
        );
    let want = "error: the required meetings cannot all be scheduled:\n  \
         - B1 has 4 required meetings (with F1, F2, F3, F4) that can only take place in 3 \
         slots (S1–S3)\n";
    t.plan().assert().code(3).stderr(want);
    assert!(!t.out().exists());
    let mut c = t.cmd();
    c.args(["validate", "ev"]).assert().code(3).stderr(want);
    // A firm with two reps holds two meetings a slot: five bound to two slots are one too many;
    // and its six required meetings are one more than its max_meetings, said as well.
    let t = TestEvent::new()
        .file(
            "buyers.csv",
            "id,name,company,country\nB1,A,A,Italy\nB2,B,B,Italy\nB3,C,C,Italy\n\
             B4,D,D,Italy\nB5,E,E,Italy\nB6,F,F,Italy\n",
        )
        .file(
            "firms.csv",
            "id,name,table,reps,max_meetings\nF1,Bianchi,T1,2,5\nF2,Lucchesi,T2,,\n\
             F3,Nardi,T3,,\n",
        )
        .file(
            "preferences.csv",
            "from,to,organiser,when\nF1,B1,required,S1;S2\nF1,B2,required,S1;S2\n\
             F1,B3,required,S1;S2\nF1,B4,required,S1;S2\nF1,B5,required,S1;S2\n\
             F1,B6,required,\n",
        );
    let want = "error: the required meetings cannot all be scheduled:\n  \
         - F1 has 5 required meetings (with B1, B2, B3, B4, B5) that can only take place in 2 \
         slots (S1, S2, 2 at a time)\n  \
         - F1 has 6 required meetings but max_meetings 5\n";
    t.plan().assert().code(3).stderr(want);
    let mut c = t.cmd();
    c.args(["validate", "ev"]).assert().code(3).stderr(want);
}

#[test]
fn invalid_input_leaves_an_existing_output_folder_untouched() {
    let t = TestEvent::new();
    t.plan().assert().success();
    let before = tree(&t.out());
    let t2 = TestEvent { root: t.root };
    let t2 = t2.file("slots.csv", "id,day,start,end\nS1,2027-03-10,09:00,08:00\n");
    t2.plan().assert().code(2);
    assert_eq!(before, tree(&t2.out()));
    let leftovers: Vec<_> = std::fs::read_dir(t2.root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(".t4s"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn refuses_to_replace_a_folder_that_is_not_ours() {
    let t = TestEvent::new();
    std::fs::create_dir(t.out()).unwrap();
    std::fs::write(t.out().join("budget.xlsx"), "precious").unwrap();
    t.plan().assert().code(2).stderr(contains(
        "refusing to replace out: it is not an output folder of t4s-schedule",
    ));
    assert_eq!(
        std::fs::read_to_string(t.out().join("budget.xlsx")).unwrap(),
        "precious"
    );
    let mut c = t.cmd();
    c.args(["plan", "ev", "--out", "ev"])
        .assert()
        .code(2)
        .stderr(contains("would replace the event folder"));
}

#[test]
fn validate_prints_the_event_and_trouble() {
    let t = TestEvent::copy_of("examples/event");
    let mut c = t.cmd();
    c.args(["validate", "ev"]).assert().success().stdout(
        "event:       Example Shoe Meetings 2027\n\
         venue:       Palazzo Ducale, Cortile Carrara 1, 55100 Lucca\n\
         time zone:   Europe/Rome\n\
         buyers:      4 (France 1, Germany 1, Japan 1, United Kingdom 1)\n\
         firms:       6\n\
         days:        2 (2027-03-10, 2027-03-11)\n\
         sessions:    2\n  \
         2027-03-10 15:00-16:20: 4 slots\n  \
         2027-03-11 09:30-10:50: 4 slots\n\
         slots:       8\n\
         tables:      6 (6 fixed to a firm)\n\
         pairs:       15 requested (2 required), 1 forbidden\n\
         languages:   3 requested pairs share no language (de–it 1, it–ja 2): their meetings need an interpreter; `plan` says how many per slot\n\
         no problems found\n",
    );
    let t = TestEvent::new()
        .file("slots.csv", "id,day,start,end\nS1,2027-03-10,09:00,09:20\n")
        .file(
            "preferences.csv",
            "from,to,organiser\nB1,F1,required\nB1,F2,required\nB2,F1,\n",
        );
    // What would stop `plan` stops `validate` too, with the same words and exit code.
    let mut c = t.cmd();
    c.args(["validate", "ev"])
        .assert()
        .code(3)
        .stdout(contains(
            "warning: F1 is wanted by 2 participants but has 1 free slots: at least 1 will not meet it\n\
             warning: F3 has no wishes and nobody asks for it: it will get no meetings\n",
        ))
        .stderr(
            "error: the required meetings cannot all be scheduled:\n  \
             - B1 has 2 required meetings but 1 slot where they can take place\n",
        );
}

#[test]
fn init_writes_a_template_that_plans() {
    let t = TestEvent::empty();
    let mut c = t.cmd();
    c.args(["init", "new-event"]).assert().success();
    let mut c = t.cmd();
    c.args(["plan", "new-event", "--out", "out", "-q"])
        .assert()
        .success();
    assert!(check(
        &t.root.path().join("new-event"),
        &t.out().join("schedule.csv")
    )
    .is_empty());
    let mut c = t.cmd();
    // A folder in the way is the user's input: exit 2, like every other bad input.
    c.args(["init", "new-event"])
        .assert()
        .code(2)
        .stderr(contains("exists and is not empty"));
}

#[test]
fn csv_cells_that_look_like_formulas_are_neutralised() {
    let t = TestEvent::new().file(
        "buyers.csv",
        "id,name,company,country\nB1,=HYPERLINK(\"x\"),@evil,+39\nB2,Pierre,Martin,France\n",
    );
    t.plan_valid();
    let raw = t.read_out("schedule.csv");
    assert!(raw.contains("'=HYPERLINK"), "{raw}");
    assert!(raw.contains("'@evil"), "{raw}");
}

#[test]
fn shortfalls_below_min_meetings_are_named() {
    // B1 is promised 3 meetings but only two firms can meet it; B2 is promised 1 and gets it.
    let t = TestEvent::new().file(
        "buyers.csv",
        "id,name,company,country,min_meetings\nB1,Anna,S,DE,3\nB2,Pierre,M,FR,1\n",
    );
    let stdout = t.plan_valid();
    assert!(
        stdout.contains("minimum meetings:    below min_meetings: B1 2 of 3\n"),
        "{stdout}"
    );
    assert!(t
        .read_out("report.md")
        .contains("| minimum meetings | below min\\_meetings: B1 2 of 3 |"));
}

#[test]
fn promised_minimums_come_before_value() {
    // Two slots, two firms. B2 and B3 want both firms badly (value 6 each): by value alone they
    // take all four places and B1, who wants them mildly, gets nothing. B1 is promised 2.
    let event = |b1_min: &str| {
        TestEvent::new()
            .file(
                "slots.csv",
                "id,day,start,end\nS1,2027-03-10,09:00,09:20\nS2,2027-03-10,09:20,09:40\n",
            )
            .file("firms.csv", "id,name,table\nF1,Bianchi,T1\nF2,Lucchesi,T2\n")
            .file("tables.csv", "id\nT1\nT2\n")
            .file(
                "buyers.csv",
                &format!(
                    "id,name,company,country,min_meetings\nB1,Anna,S,DE,{b1_min}\nB2,Pierre,M,FR,\nB3,Kenji,K,JP,\n"
                ),
            )
            .file(
                "preferences.csv",
                "from,to,interest\nB2,F1,high\nF1,B2,high\nB2,F2,high\nF2,B2,high\n\
                 B3,F1,high\nF1,B3,high\nB3,F2,high\nF2,B3,high\nB1,F1,low\nB1,F2,low\n",
            )
    };
    let count = |t: &TestEvent, id: &str| {
        meetings(&t.out())
            .iter()
            .filter(|m| m.2 == id || m.3 == id)
            .count()
    };
    let t = event("");
    t.plan_valid();
    assert_eq!(count(&t, "B1"), 0, "by value alone B1 gets nothing");

    let t = event("2");
    let stdout = t.plan_valid();
    assert_eq!(count(&t, "B1"), 2);
    assert!(
        stdout.contains("minimum meetings:    every promised minimum met\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("value:               14 of bound 14 (optimal)"),
        "{stdout}"
    );
    assert!(stdout.contains("optimal (proven)"), "{stdout}");

    // A promise beyond what B1's wishes allow: both its meetings, and the shortfall named.
    let t = event("3");
    let stdout = t.plan_valid();
    assert_eq!(count(&t, "B1"), 2);
    assert!(stdout.contains("below min_meetings: B1 2 of 3"), "{stdout}");
}
