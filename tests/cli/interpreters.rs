//! Languages and interpreters (#12): the forecast without interpreters.csv, interpreters as a
//! hard resource with it, their column in schedule.csv, `check`, `replan` and their agendas.

use crate::checker::{check, check_replan, interpreter_need, printed_need, read_rows};
use crate::support::TestEvent;

/// Two German-only buyers, a Japanese-only one, an English one; firms speak Italian (one also
/// German). Four slots.
const BUYERS: &str = "id,name,company,country,languages,role\n\
B1,Anna,Schmidt GmbH,Germany,tedesco,buyer\n\
B2,Jonas,Weber KG,Germany,German,journalist\n\
B3,Kenji,Sato Co.,Japan,ja,buyer\n\
B4,Emily,Clark Inc.,United States,en,influencer\n";
const FIRMS: &str = "id,name,table,languages\n\
F1,Bianchi,T1,it\n\
F2,Lucchesi,T2,it;de\n\
F3,Nardi,T3,it;en\n";
const PREFS: &str = "from,to,interest\n\
B1,F1,high\nB1,F3,high\nB2,F1,high\nB2,F3,medium\nB3,F1,high\nB3,F2,high\nB3,F3,low\nB4,F1,high\nB4,F3,high\nB1,F2,low\n";
const INTERPRETERS: &str = "id,name,languages,email,unavailable,max_meetings\n\
I1,Giulia Neri,it;de,giulia@example.it,,\n\
I2,Aiko Morita,it;ja;en,aiko@example.it,S1,2\n";

fn event() -> TestEvent {
    TestEvent::new()
        .file("buyers.csv", BUYERS)
        .file("firms.csv", FIRMS)
        .file("preferences.csv", PREFS)
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn without_the_file_the_forecast_matches_the_checkers_count_from_schedule_csv() {
    let t = event();
    let out = t.plan().assert().success().get_output().clone();
    let summary = stdout(&out);
    let sched = t.out().join("schedule.csv");
    assert!(check(&t.ev(), &sched).is_empty());
    let counted = interpreter_need(&t.ev(), &sched);
    assert!(counted.0 > 0, "{summary}");
    assert_eq!(printed_need(&summary), counted, "{summary}");
    assert_eq!(printed_need(&t.read_out("report.md")), counted);
    // No interpreter is assigned without the file.
    assert!(read_rows(&sched)
        .iter()
        .all(|r| r.get("interpreter").is_some_and(|k| k.is_empty())));
    let v = t.cmd().args(["validate", "ev"]).output().unwrap();
    let v = stdout(&v);
    assert!(
        v.contains("requested pairs share no language (de–it"),
        "{v}"
    );
    assert!(
        v.contains("roles:       buyer 2, influencer 1, journalist 1"),
        "{v}"
    );
}

#[test]
fn with_interpreters_every_meeting_without_a_shared_language_gets_a_valid_one() {
    let t = event().file("interpreters.csv", INTERPRETERS);
    let out = t.plan().assert().success().get_output().clone();
    let sched = t.out().join("schedule.csv");
    let errs = check(&t.ev(), &sched);
    assert!(errs.is_empty(), "{errs:#?}");
    let rows = read_rows(&sched);
    let with: Vec<_> = rows
        .iter()
        .filter(|r| !r["interpreter"].is_empty())
        .collect();
    assert!(!with.is_empty());
    // I2 holds at most 2 meetings and is unavailable in S1.
    let i2: Vec<_> = with.iter().filter(|r| r["interpreter"] == "I2").collect();
    assert!(i2.len() <= 2);
    assert!(i2.iter().all(|r| r["slot"] != "S1"));
    // The built-in check agrees.
    t.cmd()
        .args(["check", "ev", "out/schedule.csv"])
        .assert()
        .success();
    // Agendas name the interpreter; interpreters have their own.
    let b1 = t.read_out("agendas/buyers/B1.md");
    assert!(
        b1.contains("Dolmetscher") || b1.contains("Interpreter"),
        "{b1}"
    );
    for ext in ["csv", "md", "html", "ics"] {
        assert!(t
            .out()
            .join(format!("agendas/interpreters/I1.{ext}"))
            .exists());
    }
    assert!(t.read_out("booklet.html").contains("Giulia Neri"));
    let s = stdout(&out);
    assert!(s.contains("interpreters:"), "{s}");
}

#[test]
fn a_pair_no_interpreter_can_serve_is_unscheduled_with_the_reason() {
    // Only a German interpreter: the Japanese buyer meets nobody who speaks only Italian.
    let t = event().file(
        "interpreters.csv",
        "id,name,languages\nI1,Giulia Neri,it;de\n",
    );
    t.plan().assert().success();
    let errs = check(&t.ev(), &t.out().join("schedule.csv"));
    assert!(errs.is_empty(), "{errs:#?}");
    let un = t.read_out("unscheduled.csv");
    assert!(
        un.contains("no interpreter for ja–it free in the slots both are free")
            && un.contains("no_interpreter:B3:F1"),
        "{un}"
    );
}

#[test]
fn check_names_a_bad_interpreter_in_a_hand_edited_schedule() {
    let t = event().file("interpreters.csv", INTERPRETERS);
    t.plan().assert().success();
    let text = t.read_out("schedule.csv");
    // Give every interpreted meeting of I1 to I2 (who speaks no German) instead.
    let edited = text.replace(",I1\r\n", ",I2\r\n");
    assert_ne!(edited, text);
    std::fs::write(t.root.path().join("edited.csv"), edited).unwrap();
    let out = t
        .cmd()
        .args(["check", "ev", "edited.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let err = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        err.contains("interpreter I2 (it;ja;en) does not speak a language of both"),
        "{err}"
    );
    assert!(!check(&t.ev(), &t.root.path().join("edited.csv")).is_empty());
}

#[test]
fn cancelling_an_interpreter_reassigns_and_the_change_is_listed() {
    let t = event().file("interpreters.csv", INTERPRETERS);
    t.plan().assert().success();
    std::fs::copy(t.out().join("schedule.csv"), t.root.path().join("prev.csv")).unwrap();
    // A second German interpreter comes; the first one is no longer available at all.
    let t = t.file(
        "interpreters.csv",
        "id,name,languages,email,unavailable,max_meetings\n\
I1,Giulia Neri,it;de,giulia@example.it,2027-03-10,\n\
I2,Aiko Morita,it;ja;en,aiko@example.it,S1,2\n\
I3,Paul Kern,de;it,paul@example.de,,\n",
    );
    let out = t.replan().assert().success().get_output().clone();
    let errs = check_replan(&t.ev(), &t.out().join("schedule.csv"), None);
    assert!(errs.is_empty(), "{errs:#?}");
    let rows = read_rows(&t.out().join("schedule.csv"));
    assert!(rows.iter().all(|r| r["interpreter"] != "I1"));
    assert!(rows.iter().any(|r| r["interpreter"] == "I3"));
    let changes = t.read_out("changes.csv");
    assert!(changes.contains(",interpreter,"), "{changes}");
    assert!(changes.contains(",I1,I3"), "{changes}");
    assert!(t.out().join("notices/interpreters/I1.md").exists());
    assert!(t.out().join("notices/interpreters/I3.md").exists());
    let s = stdout(&out);
    assert!(s.contains("notify interpreters: I1, I3"), "{s}");
}

#[test]
fn agendas_are_written_in_each_participants_language() {
    let t = event();
    t.plan().assert().success();
    // B1 reads German (tedesco), F1 Italian, B4 English.
    assert!(t
        .read_out("agendas/buyers/B1.md")
        .starts_with("# Terminplan: Anna"));
    assert!(t
        .read_out("agendas/firms/F1.md")
        .starts_with("# Agenda: Bianchi"));
    assert!(t.read_out("agendas/buyers/B4.md").contains("Meeting with"));
    // The organiser's sheets stay English.
    assert!(t.read_out("report.md").contains("meetings scheduled"));
}
