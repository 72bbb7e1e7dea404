//! Bad inputs: every message pinned exactly (file:line:column, message, hint), exit code 2,
//! nothing written.

use crate::support::TestEvent;

fn fails_with(t: TestEvent, expected: &str) {
    t.plan().assert().code(2).stderr(expected.to_string());
    assert!(!t.out().exists(), "nothing may be written on invalid input");
}

const ONE: &str = "error: the event has 1 problem; nothing was written\n";

#[test]
fn missing_file() {
    fails_with(
        TestEvent::new().without("firms.csv"),
        &format!("{ONE}ev/firms.csv: file not found\n  hint: an event folder holds slots.csv, buyers.csv, firms.csv and preferences.csv (tables.csv is optional); expected columns: id, name, [contact], [email], [table], [reps], [languages], [max_meetings], [unavailable], [company], [country], [role]; `t4s-schedule init DIR` writes a template\n"),
    );
}

#[test]
fn missing_event_folder() {
    let t = TestEvent::empty();
    let mut c = t.cmd();
    c.args(["plan", "nowhere", "-q"]).assert().code(2).stderr(
        "error: the event has 1 problem; nothing was written\nnowhere: event folder not found\n  hint: give the folder that holds slots.csv, buyers.csv, firms.csv and preferences.csv; `t4s-schedule init DIR` writes a template\n",
    );
}

#[test]
fn missing_column_with_typo_hint() {
    fails_with(
        TestEvent::new().file("buyers.csv", "id,nmae,company,country\nB1,Anna,S,DE\n"),
        "error: the event has 1 problem; nothing was written\nev/buyers.csv:1: missing column 'name'\n  hint: the header row must name the columns: id, name, company, country, [email], [languages], [max_meetings], [min_meetings], [unavailable], [role]\n",
    );
}

#[test]
fn unknown_ids_with_suggestions() {
    fails_with(
        TestEvent::new().file("preferences.csv", "from,to\nB1,F11\nBX9,F1\n"),
        "error: the event has 2 problems; nothing was written\n\
         ev/preferences.csv:2:2: unknown participant 'F11' in column 'to'\n  hint: did you mean 'F1'?\n\
         ev/preferences.csv:3:1: unknown participant 'BX9' in column 'from'\n  hint: ids are those of buyers.csv and firms.csv (case-sensitive)\n",
    );
}

#[test]
fn duplicate_ids_across_files() {
    fails_with(
        TestEvent::new().file("firms.csv", "id,name,table\nF1,Bianchi,T1\nB1,Lucchesi,T2\nF1,Nardi,T3\n"),
        "error: the event has 2 problems; nothing was written\n\
         ev/firms.csv:3:1: duplicate participant id 'B1' (first at ev/buyers.csv:2)\n  hint: every buyer and firm needs its own id, across both files\n\
         ev/firms.csv:4:1: duplicate participant id 'F1' (first at ev/firms.csv:2)\n  hint: every buyer and firm needs its own id, across both files\n",
    );
}

#[test]
fn bad_dates_times_and_slot_order() {
    fails_with(
        TestEvent::new().file(
            "slots.csv",
            "id,day,start,end\nS1,2027/03/10,09:00,09:20\nS2,2027-03-10,9h20,09:40\nS3,2027-03-10,10:00,09:40\nS4,2027-02-30,10:00,10:20\n",
        ),
        "error: the event has 4 problems; nothing was written\n\
         ev/slots.csv:2:2: bad date '2027/03/10'\n  hint: write days day first as dd/mm/yyyy (11/03/2027) or as YYYY-MM-DD (2027-03-11); Excel's date cells are read as they are\n\
         ev/slots.csv:3:3: bad time '9h20' in column 'start'\n  hint: write times as HH:MM on a 24-hour clock, e.g. 14:30\n\
         ev/slots.csv:4:4: slot 'S3' ends at 09:40, not after its start 10:00\n  hint: a slot's end must be later than its start\n\
         ev/slots.csv:5:2: bad date '2027-02-30'\n  hint: write days day first as dd/mm/yyyy (11/03/2027) or as YYYY-MM-DD (2027-03-11); Excel's date cells are read as they are\n",
    );
}

#[test]
fn overlapping_and_duplicate_slots() {
    fails_with(
        TestEvent::new().file(
            "slots.csv",
            "id,day,start,end\nS1,2027-03-10,09:00,09:20\nS2,2027-03-10,09:10,09:30\nS1,2027-03-11,09:00,09:20\n",
        ),
        "error: the event has 2 problems; nothing was written\n\
         ev/slots.csv:3: slot 'S2' (2027-03-10 09:10-09:30) overlaps slot 'S1' at line 2 (09:00-09:20)\n  hint: slots of one day must not overlap; a participant meets once per slot\n\
         ev/slots.csv:4:1: duplicate slot id 'S1' (first at line 2)\n  hint: every slot needs its own id\n",
    );
}

#[test]
fn unknown_interest_and_organiser_words() {
    fails_with(
        TestEvent::new().file("preferences.csv", "from,to,interest,organiser\nB1,F1,hihg,\nB1,F2,high,requried\n"),
        "error: the event has 2 problems; nothing was written\n\
         ev/preferences.csv:2:3: unknown interest 'hihg'\n  hint: write high, medium or low (or 3, 2, 1); blank means medium\n\
         ev/preferences.csv:3:4: unknown organiser value 'requried'\n  hint: did you mean 'required'? write required, forbidden or leave it blank\n",
    );
}

#[test]
fn pair_both_required_and_forbidden_and_meeting_oneself() {
    fails_with(
        TestEvent::new().file("preferences.csv", "from,to,organiser\nB1,F1,required\nF1,B1,forbidden\nB2,B2,\n"),
        "error: the event has 2 problems; nothing was written\n\
         ev/preferences.csv:3:3: pair B1-F1 is both required and forbidden (see line 2)\n  hint: keep one of the two organiser values\n\
         ev/preferences.csv:4:2: 'B2' cannot meet itself\n  hint: from and to must be two different participants\n",
    );
}

#[test]
fn windows_1252_is_read_with_one_warning_that_says_so() {
    // What Excel's plain "CSV" writes: read as Windows-1252 (it was rejected before Excel input).
    let t = TestEvent::new().bytes(
        "buyers.csv",
        b"id,name,company,country\nB1,Anna,Citt\xe0 Srl,Italy\nB2,J\xfcrgen,M\xfcller KG,Germany\n",
    );
    t.plan().assert().success().stderr(
        "warning: ev/buyers.csv: not UTF-8: read as Windows-1252, what Excel's plain \"CSV\" writes (\"CSV (delimitato dal separatore di elenco)\")\n  \
hint: check that accented names print right in the agendas; to make sure, save it as UTF-8: in Excel, File > Save As > \"CSV UTF-8 (Comma delimited)\" (Italian Excel: File > Salva con nome > \"CSV UTF-8 (delimitato da virgole)\"); in LibreOffice, Save As > Text CSV, tick \"Edit filter settings\" and pick \"Unicode (UTF-8)\"\n",
    );
    assert!(t.read_out("agendas/firms/F1.csv").contains("Città Srl"));
    assert!(t.read_out("agendas/buyers/B2.md").contains("Jürgen"));
}

#[test]
fn mixed_encodings_say_how_to_save_as_utf8() {
    fails_with(
        TestEvent::new().bytes("buyers.csv", b"id,name,company,country\nB1,J\xc3\xbcrgen,Citt\xe0 Srl,Italy\n"),
        "error: the event has 1 problem; nothing was written\n\
         ev/buyers.csv:2:15: file mixes UTF-8 with another encoding (byte 0xE0 is not UTF-8)\n  hint: the file was pasted together from two sources; retype the names around this place, then save it as UTF-8: in Excel, File > Save As > \"CSV UTF-8 (Comma delimited)\" (Italian Excel: File > Salva con nome > \"CSV UTF-8 (delimitato da virgole)\"); in LibreOffice, Save As > Text CSV, tick \"Edit filter settings\" and pick \"Unicode (UTF-8)\"\n",
    );
}

#[test]
fn empty_file() {
    fails_with(
        TestEvent::new().file("preferences.csv", ""),
        "error: the event has 1 problem; nothing was written\n\
         ev/preferences.csv: file is empty\n  hint: the first row must name the columns: from, to, [interest], [organiser], [when]\n",
    );
}

#[test]
fn bad_unavailable_tables_and_numbers() {
    fails_with(
        TestEvent::new().file(
            "firms.csv",
            "id,name,table,reps,unavailable\nF1,Bianchi,T1,0,S9\nF2,Lucchesi,T7,,2027-03-10 11:00-10:00\nF3,Nardi,T1,,\n",
        ),
        "error: the event has 5 problems; nothing was written\n\
         ev/firms.csv:2:4: bad reps '0'\n  hint: write a whole number from 1 to 100\n\
         ev/firms.csv:2:5: bad unavailable: unknown slot 'S9' (did you mean 'S1'?)\n  hint: list slot ids, days (2027-03-11) or time ranges (2027-03-11 14:30-16:00), separated by ';'\n\
         ev/firms.csv:3:5: bad unavailable: time range '11:00-10:00' ends before it starts\n  hint: list slot ids, days (2027-03-11) or time ranges (2027-03-11 14:30-16:00), separated by ';'\n\
         ev/firms.csv:3:3: unknown table 'T7'\n  hint: did you mean 'T1'? tables are listed in tables.csv\n\
         ev/firms.csv:4:3: table 'T1' is already the table of 'F1'\n  hint: a fixed table belongs to one firm; give each firm its own\n",
    );
}

#[test]
fn bad_ids_and_extra_fields() {
    fails_with(
        TestEvent::new().file("buyers.csv", "id,name,company,country\nB 1,Anna,S,DE\n../B2,Pierre,M,FR\nB3,Rossi, Bianchi,Bar,IT\n"),
        "error: the event has 3 problems; nothing was written\n\
         ev/buyers.csv:2:1: id 'B 1' contains a space\n  hint: ids may use letters, digits, '-', '_' and '.'\n\
         ev/buyers.csv:3:1: id '../B2' contains '/'\n  hint: ids may use letters, digits, '-', '_' and '.'\n\
         ev/buyers.csv:4:5: row has 5 fields but the header has 4\n  hint: a value that contains ',' must be put in double quotes\n",
    );
}

#[test]
fn problems_of_several_files_are_reported_together() {
    let t = TestEvent::new()
        .file(
            "slots.csv",
            "id,day,start,end\nS1,2027-03-10,09:00,09:20\nS2,2027-03-10,09:20,09:40x\n",
        )
        .file("buyers.csv", "id,name,company\nB1,Anna,S\n");
    t.plan().assert().code(2).stderr(
        "error: the event has 2 problems; nothing was written\n\
         ev/slots.csv:3:4: bad time '09:40x' in column 'end'\n  hint: write times as HH:MM on a 24-hour clock, e.g. 14:30\n\
         ev/buyers.csv:1: missing column 'country'\n  hint: the header row must name the columns: id, name, company, country, [email], [languages], [max_meetings], [min_meetings], [unavailable], [role]\n",
    );
}

#[test]
fn warnings_do_not_stop_the_plan() {
    let t = TestEvent::new().file(
        "buyers.csv",
        "id,name,company,country,emial\nB1,Anna,S,DE,a@x\nB2,P,M,FR,\n",
    );
    t.plan()
        .assert()
        .success()
        .stderr("warning: ev/buyers.csv:1:5: unknown column 'emial' is ignored\n  hint: did you mean 'email'?\n");
}

#[test]
fn bad_arguments_exit_2() {
    let t = TestEvent::new();
    let mut c = t.cmd();
    c.args(["plan", "ev", "--time-limit", "0"])
        .assert()
        .code(2)
        .stderr(
            "error: --time-limit must be a number of seconds above 0 and at most a week (got 0)\n",
        );
    let mut c = t.cmd();
    c.args(["plan", "ev", "--bogus"]).assert().code(2);
}

#[test]
fn check_accepts_a_plan_and_pins_every_violation_of_a_hand_edit() {
    let t = TestEvent::new().file(
        "preferences.csv",
        "from,to,interest,organiser\nB1,F1,high,required\nB1,F2,,\nB2,F1,low,\nB2,F3,high,forbidden\n",
    );
    t.plan().assert().success();
    let mut c = t.cmd();
    c.args(["check", "ev", "out/schedule.csv"])
        .assert()
        .success()
        .stdout("valid: 3 meetings, every rule holds\n");
    std::fs::write(
        t.root.path().join("edited.csv"),
        "slot,table,participant_a,participant_b\nS1,T3,B2,F3\nS2,T1,B1,F2\nS9,T1,B1,F1\n",
    )
    .unwrap();
    let mut c = t.cmd();
    c.args(["check", "ev", "edited.csv"]).assert().code(2).stderr(
        "error: the schedule has 1 problem; nothing was written\n\
         edited.csv:4:1: unknown slot 'S9'\n  hint: did you mean 'S1'? slots are listed in slots.csv\n",
    );
    std::fs::write(
        t.root.path().join("edited.csv"),
        "slot,table,participant_a,participant_b\nS1,T3,B2,F3\nS2,T1,B1,F2\nS3,T2,B2,F1\n",
    )
    .unwrap();
    let t = t.file("firms.csv", "id,name,table,unavailable,max_meetings\nF1,Bianchi,T1,S3,\nF2,Lucchesi,T2,,\nF3,Nardi,T3,,0\n");
    let mut c = t.cmd();
    c.args(["check", "ev", "edited.csv"])
        .assert()
        .code(4)
        .stdout(
            "edited.csv:2: B2-F3 is forbidden by the organiser\n\
         edited.csv:3: B1-F2 is at table T1 instead of T2\n\
         edited.csv:3: table T1 is the fixed table of F1, who is not in this meeting\n\
         edited.csv:4: F1 is unavailable in slot S3 (2027-03-10 09:40)\n\
         edited.csv:4: B2-F1 is at table T2 instead of T1\n\
         edited.csv:4: table T2 is the fixed table of F2, who is not in this meeting\n\
         edited.csv: F3 has 1 meetings, more than its max_meetings 0\n\
         edited.csv: required meeting B1-F1 is missing\n",
        )
        .stderr("error: the schedule breaks 8 rules\n");
}

#[test]
fn absurd_sizes_get_a_clear_error_not_an_exhausted_machine() {
    let t = TestEvent::new();
    let f = std::fs::File::create(t.ev().join("preferences.csv")).unwrap();
    f.set_len(2 * 1024 * 1024 * 1024).unwrap(); // sparse: no disk is used
    fails_with(
        t,
        "error: the event has 1 problem; nothing was written\n\
         ev/preferences.csv: file is too large (2147 MB; the limit is 268 MB)\n  hint: is this the right file? an event's CSV files are a few megabytes at most\n",
    );
    let mut buyers = String::from("id,name,company,country\n");
    for i in 0..100_001 {
        buyers += &format!("B{i},N,C,DE\n");
    }
    fails_with(
        TestEvent::new().file("buyers.csv", &buyers),
        "error: the event has 1 problem; nothing was written\nev/buyers.csv: 100001 rows: more than the limit of 100000\n",
    );
}
