//! `mail`: messages sent to a real SMTP server on 127.0.0.1 (`smtp.rs`), read back with an
//! independent MIME parser (mail-parser) and the tests' own iCalendar reader (`ics.rs`).

use crate::checker::read_rows;
use crate::ics;
use crate::smtp::{Behaviour, Received, Server};
use crate::support::TestEvent;
use mail_parser::{MessageParser, MimeHeaders};
use std::collections::{BTreeMap, BTreeSet};

const DOMAIN: &str = "example-shoe-meetings-2027.t4s-schedule";

/// A message read back: headers, text, and its calendars by METHOD.
#[derive(Debug)]
struct Mail {
    message_id: String,
    to: String,
    subject: String,
    text: String,
    html: String,
    calendars: BTreeMap<String, ics::Component>,
    agenda_attached: bool,
}

fn read_mail(data: &[u8]) -> Mail {
    let m = MessageParser::default()
        .parse(data)
        .expect("a MIME message");
    let mut calendars = BTreeMap::new();
    let mut agenda_attached = false;
    for part in m.attachments() {
        let ct = part.content_type().expect("content type");
        match (ct.ctype(), ct.subtype()) {
            ("text", Some("calendar")) => {
                let method = ct.attribute("method").expect("method=").to_uppercase();
                let cal = ics::parse(part.contents()).unwrap_or_else(|e| panic!("{e}"));
                ics::validate(&cal).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(cal.value("METHOD").as_deref(), Some(method.as_str()));
                calendars.insert(method, cal);
            }
            ("text", Some("html")) => {
                let html = std::str::from_utf8(part.contents()).unwrap();
                assert!(html.starts_with("<!DOCTYPE html>"));
                assert!(part.attachment_name().unwrap().ends_with(".html"));
                agenda_attached = true;
            }
            other => panic!("unexpected attachment {other:?}"),
        }
    }
    Mail {
        message_id: m.message_id().expect("Message-ID").to_string(),
        to: m
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .expect("To")
            .to_string(),
        subject: m.subject().unwrap_or_default().to_string(),
        text: m.body_text(0).unwrap_or_default().to_string(),
        html: m.body_html(0).unwrap_or_default().to_string(),
        calendars,
        agenda_attached,
    }
}

/// Participant id → e-mail, from the event's files.
fn emails(t: &TestEvent) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for f in ["buyers.csv", "firms.csv"] {
        for r in read_rows(&t.ev().join(f)) {
            out.insert(r["id"].clone(), r["email"].clone());
        }
    }
    out
}

fn uid(a: &str, b: &str) -> String {
    let (x, y) = if a <= b { (a, b) } else { (b, a) };
    format!("{x}+{y}@{DOMAIN}")
}

/// (UID, SEQUENCE, DTSTART) of a calendar's events.
fn events(cal: &ics::Component) -> BTreeSet<(String, u32, String)> {
    cal.all("VEVENT")
        .iter()
        .map(|e| {
            (
                e.value("UID").unwrap(),
                e.value("SEQUENCE").unwrap().parse().unwrap(),
                e.value("DTSTART").unwrap(),
            )
        })
        .collect()
}

/// Every event names the sender as ORGANIZER and the participant as ATTENDEE.
fn check_parties(cal: &ics::Component, to: &str) {
    for e in cal.all("VEVENT") {
        assert_eq!(
            e.value("ORGANIZER").as_deref(),
            Some("mailto:org@example.org")
        );
        assert_eq!(e.value("ATTENDEE"), Some(format!("mailto:{to}")));
    }
}

fn mail(t: &TestEvent, port: u16) -> assert_cmd::Command {
    let mut c = t.cmd();
    c.args(["mail", "out", "--send", "--smtp-host", "127.0.0.1"])
        .args(["--smtp-port", &port.to_string(), "--tls", "none"])
        .args(["--from", "Example Network <org@example.org>"])
        .args(["--rate", "6000", "--quiet"]);
    c
}

fn ids(received: &[Received]) -> Vec<String> {
    received
        .iter()
        .map(|r| read_mail(&r.data).message_id)
        .collect()
}

fn stdout(c: &mut assert_cmd::Command, code: i32) -> String {
    let out = c.assert().code(code).get_output().clone();
    String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap()
}

#[test]
fn every_participant_gets_their_agenda_and_invitation_in_their_language() {
    let t = TestEvent::copy_of("examples/event");
    let buyers = std::fs::read_to_string(t.ev().join("buyers.csv"))
        .unwrap()
        .replace("pierre@example.com", "")
        .replace("kenji@example.com", "kenji(at)example.com");
    let t = t.file("buyers.csv", &buyers);
    t.plan_valid();

    // Without --send: the messages for review, and who cannot be mailed.
    let out = stdout(
        t.cmd()
            .args(["mail", "out", "--from", "Example Network <org@example.org>"]),
        0,
    );
    assert!(
        out.contains("messages:            10 (agendas; languages: de 1, en 2, fr 1, it 6)"),
        "{out}"
    );
    assert!(out.contains("B02: no e-mail address"), "{out}");
    assert!(out.contains("B04: bad address"), "{out}");
    let outbox = read_rows(&t.out().join("mail/outbox/messages.csv"));
    assert_eq!(outbox.len(), 10);
    // An export in place keeps the outbox as ours: the next run replaces it.
    t.cmd()
        .args(["export", "out", "--format", "html"])
        .assert()
        .success();
    t.cmd()
        .args(["mail", "out", "--from", "Example Network <org@example.org>"])
        .assert()
        .success();
    let eml = std::fs::read(t.out().join("mail/outbox/B01.eml")).unwrap();
    let reviewed = read_mail(&eml);

    // A server that wants a login and refuses one recipient.
    let server = Server::start(Behaviour {
        refuse: vec!["luca@example.com".into()],
        login: Some(("org".into(), "s3cret".into())),
        ..Default::default()
    });
    let out = stdout(
        mail(&t, server.port)
            .args(["--smtp-user", "org"])
            .env("T4S_SMTP_PASSWORD", "s3cret"),
        5,
    );
    assert!(out.contains("sent now:            7"), "{out}");
    assert!(out.contains("not delivered:       3"), "{out}");
    assert!(
        out.contains(
            "F03 <luca@example.com>: refused: permanent error (550): 5.1.1 no such user here"
        ),
        "{out}"
    );
    let got = server.received();
    assert_eq!(got.len(), 7);

    let addresses = emails(&t);
    let mut seen = BTreeSet::new();
    for r in &got {
        let m = read_mail(&r.data);
        assert_eq!(r.to, vec![m.to.clone()], "envelope and header agree");
        assert_eq!(r.from, "org@example.org");
        let id = addresses
            .iter()
            .find(|(_, e)| **e == m.to)
            .map(|(id, _)| id.clone())
            .expect("a participant's address");
        assert!(seen.insert(id.clone()), "{id} twice");
        assert!(m.agenda_attached, "{id}");
        assert!(
            m.message_id.contains(&format!(".{id}@{DOMAIN}")),
            "{}",
            m.message_id
        );
        // The invitation holds exactly the participant's meetings, as its .ics export does.
        let side = if id.starts_with('B') {
            "buyers"
        } else {
            "firms"
        };
        let export = ics::read(&t.out().join(format!("agendas/{side}/{id}.ics")));
        assert_eq!(m.calendars.len(), 1, "{id}");
        let cal = &m.calendars["REQUEST"];
        assert_eq!(events(cal), events(&export), "{id}");
        let rows = read_rows(&t.out().join(format!("agendas/{side}/{id}.csv")));
        let want: BTreeSet<String> = rows.iter().map(|r| uid(&id, &r["counterpart"])).collect();
        let have: BTreeSet<String> = events(cal).into_iter().map(|e| e.0).collect();
        assert_eq!(have, want, "{id}");
        check_parties(cal, &m.to);
        // Language: the first of the participant's languages the tool speaks.
        let lang = match id.as_str() {
            "B01" => "de",
            "B02" => "fr",
            "B03" | "B04" => "en",
            _ => "it",
        };
        for e in cal.all("VEVENT") {
            assert_eq!(e.get("SUMMARY").unwrap().params["LANGUAGE"], lang, "{id}");
        }
        let greeting = match lang {
            "en" => "Dear ",
            "de" => "Guten Tag ",
            "fr" => "Bonjour ",
            _ => "Gentile ",
        };
        assert!(m.text.starts_with(greeting), "{id}: {}", m.text);
        assert!(m.html.contains(greeting), "{id}");
        assert!(
            m.subject.contains("Example Shoe Meetings 2027"),
            "{}",
            m.subject
        );
        if id == "B01" {
            assert_eq!(
                m.message_id, reviewed.message_id,
                "stable per plan and participant"
            );
        }
    }
    assert!(!seen.contains("F03"));

    // The log: every step of every message, and who had no usable address.
    let log = read_rows(&t.out().join("mail/sent.csv"));
    let outcome = |who: &str, what: &str| {
        log.iter()
            .filter(|r| r["participant"] == who && r["outcome"] == what)
            .count()
    };
    assert_eq!((outcome("B01", "sending"), outcome("B01", "sent")), (1, 1));
    assert_eq!(outcome("F03", "refused"), 1);
    assert_eq!(outcome("B02", "no_address"), 1);
    assert_eq!(outcome("B04", "bad_address"), 1);

    // Again, the address fixed on the server's side: only F03 is sent.
    drop(server);
    let server = Server::start(Behaviour::default());
    let out = stdout(&mut mail(&t, server.port), 5);
    assert!(out.contains("sent now:            1"), "{out}");
    assert!(out.contains("sent before:         7"), "{out}");
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert_eq!(read_mail(&got[0].data).to, "luca@example.com");
}

#[test]
fn after_a_replan_only_the_affected_get_updates_and_cancellations() {
    let t = TestEvent::copy_of("examples/event");
    t.plan_valid();
    let server = Server::start(Behaviour::default());
    stdout(&mut mail(&t, server.port), 0);
    let first = server.received().len();
    assert_eq!(first, 10);
    drop(server);

    // B02 cancels; F01 loses the slot of its meeting with B01, which must move.
    std::fs::copy(t.out().join("schedule.csv"), t.root.path().join("prev.csv")).unwrap();
    let before = read_rows(&t.out().join("schedule.csv"));
    let b01_f01 = before
        .iter()
        .find(|r| r["participant_a"] == "B01" && r["participant_b"] == "F01")
        .expect("B01 meets F01");
    let firms = std::fs::read_to_string(t.ev().join("firms.csv"))
        .unwrap()
        .replace(
            "F01,Calzaturificio Bianchi,Marco Bianchi,marco@example.com,T01,1,it;en,",
            &format!(
                "F01,Calzaturificio Bianchi,Marco Bianchi,marco@example.com,T01,1,it;en,{}",
                b01_f01["slot"]
            ),
        );
    let t = t
        .file("firms.csv", &firms)
        .file("cancellations.csv", "participant\nB02\n");
    t.replan().assert().success();

    let server = Server::start(Behaviour::default());
    let out = stdout(&mut mail(&t, server.port), 0);
    assert!(out.contains("updates after the re-plan"), "{out}");

    // Who must hear, from changes.csv; what they get, from it and the new schedule.
    let changes = read_rows(&t.out().join("changes.csv"));
    let affected: BTreeSet<String> = changes.iter().map(|r| r["participant"].clone()).collect();
    assert!(affected.contains("B02") && affected.contains("F01") && affected.len() < 10);
    let seq_before: BTreeMap<String, u32> = before
        .iter()
        .map(|r| {
            (
                uid(&r["participant_a"], &r["participant_b"]),
                r["sequence"].parse().unwrap(),
            )
        })
        .collect();
    let after = read_rows(&t.out().join("schedule.csv"));
    let seq_after: BTreeMap<String, u32> = after
        .iter()
        .map(|r| {
            (
                uid(&r["participant_a"], &r["participant_b"]),
                r["sequence"].parse().unwrap(),
            )
        })
        .collect();
    let addresses = emails(&t);
    let got = server.received();
    assert_eq!(
        got.len(),
        affected.len(),
        "one message per affected participant"
    );
    for r in &got {
        let m = read_mail(&r.data);
        let id = addresses
            .iter()
            .find(|(_, e)| **e == m.to)
            .map(|(id, _)| id.clone())
            .unwrap();
        assert!(affected.contains(&id), "{id} is not affected");
        let mine: Vec<_> = changes.iter().filter(|c| c["participant"] == id).collect();
        let want = |kinds: &[&str]| -> BTreeSet<(String, u32)> {
            mine.iter()
                .filter(|c| kinds.contains(&c["change"].as_str()))
                .map(|c| {
                    let u = uid(&id, &c["counterpart"]);
                    let seq = if c["change"] == "cancelled" {
                        seq_before[&u] + 1
                    } else {
                        seq_after[&u]
                    };
                    (u, seq)
                })
                .collect()
        };
        let got_of = |method: &str| -> BTreeSet<(String, u32)> {
            m.calendars
                .get(method)
                .map(|c| events(c).into_iter().map(|e| (e.0, e.1)).collect())
                .unwrap_or_default()
        };
        assert_eq!(got_of("REQUEST"), want(&["moved", "added"]), "{id}");
        assert_eq!(got_of("CANCEL"), want(&["cancelled"]), "{id}");
        if let Some(c) = m.calendars.get("CANCEL") {
            check_parties(c, &m.to);
            for e in c.all("VEVENT") {
                assert_eq!(e.value("STATUS").as_deref(), Some("CANCELLED"));
            }
        }
        for (u, s) in got_of("REQUEST") {
            if mine
                .iter()
                .any(|c| c["change"] == "moved" && uid(&id, &c["counterpart"]) == u)
            {
                assert_eq!(s, seq_before[&u] + 1, "a moved meeting's SEQUENCE rises");
            }
        }
        assert!(
            ["changed", "cambiata", "geändert", "changé", "cambiado"]
                .iter()
                .any(|w| m.subject.contains(w)),
            "{}",
            m.subject
        );
    }
    // B02 hears that every meeting is cancelled.
    let b02 = got
        .iter()
        .map(|r| read_mail(&r.data))
        .find(|m| m.to == "pierre@example.com")
        .unwrap();
    assert!(!b02.calendars.contains_key("REQUEST"));
    assert_eq!(
        b02.calendars["CANCEL"].all("VEVENT").len(),
        before
            .iter()
            .filter(|r| r["participant_a"] == "B02")
            .count()
    );
    // The first plan's log was kept when the re-plan replaced the folder.
    let log = read_rows(&t.out().join("mail/sent.csv"));
    assert_eq!(
        log.iter().filter(|r| r["outcome"] == "sent").count(),
        first + affected.len()
    );
}

/// Interpreters are mailed too: each with meetings gets one message, in their language, whose
/// invitation holds exactly the meetings schedule.csv gives them (as their `.ics` export
/// does); one without an address is listed, not skipped; `--resend` takes an interpreter id.
#[test]
fn every_interpreter_with_meetings_gets_one_invitation_to_their_meetings() {
    let t = TestEvent::copy_of("data");
    let interpreters = std::fs::read_to_string(t.ev().join("interpreters.csv"))
        .unwrap()
        .replace("karim.benali@example.it", "");
    let t = t.file("interpreters.csv", &interpreters);
    t.plan_valid();
    let domain = "tuscany-4-shoes-incoming-buyers-2027.t4s-schedule";

    // What each interpreter must get, counted from schedule.csv alone.
    let mut want: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for r in read_rows(&t.out().join("schedule.csv")) {
        let k = &r["interpreter"];
        if k.is_empty() {
            continue;
        }
        *count.entry(k.clone()).or_default() += 1;
        let (a, b) = (&r["participant_a"], &r["participant_b"]);
        let (x, y) = if a <= b { (a, b) } else { (b, a) };
        want.entry(k.clone())
            .or_default()
            .insert(format!("{x}+{y}@{domain}"));
    }
    assert!(count.len() >= 3 && count.contains_key("I04"), "{count:?}");
    let address: BTreeMap<String, String> = read_rows(&t.ev().join("interpreters.csv"))
        .into_iter()
        .map(|r| (r["email"].clone(), r["id"].clone()))
        .filter(|(e, _)| !e.is_empty())
        .collect();

    let server = Server::start(Behaviour::default());
    let out = stdout(&mut mail(&t, server.port), 5);
    assert!(out.contains("I04: no e-mail address"), "{out}");
    let mut got: BTreeMap<String, usize> = BTreeMap::new();
    for r in server.received() {
        let m = read_mail(&r.data);
        let Some(id) = address.get(&m.to) else {
            continue; // a participant's
        };
        *got.entry(id.clone()).or_default() += 1;
        assert!(m.agenda_attached, "{id}");
        assert!(m.message_id.contains(&format!(".{id}@{domain}")), "{id}");
        assert!(m.text.starts_with("Gentile "), "{id}: {}", m.text);
        assert_eq!(m.calendars.len(), 1, "{id}");
        let cal = &m.calendars["REQUEST"];
        assert_eq!(cal.all("VEVENT").len(), count[id], "{id}");
        let uids: BTreeSet<String> = events(cal).into_iter().map(|e| e.0).collect();
        assert_eq!(uids, want[id], "{id}");
        let export = ics::read(&t.out().join(format!("agendas/interpreters/{id}.ics")));
        assert_eq!(
            events(cal),
            events(&export),
            "{id}: UIDs and SEQUENCE as exported"
        );
        check_parties(cal, &m.to);
        for e in cal.all("VEVENT") {
            assert_eq!(e.get("SUMMARY").unwrap().params["LANGUAGE"], "it", "{id}");
        }
    }
    let mailable: BTreeMap<String, usize> = count
        .keys()
        .filter(|k| *k != "I04")
        .map(|k| (k.clone(), 1))
        .collect();
    assert_eq!(
        got, mailable,
        "exactly one message per interpreter with meetings"
    );
    let outbox = read_rows(&t.out().join("mail/outbox/messages.csv"));
    let i04 = outbox.iter().find(|r| r["participant"] == "I04").unwrap();
    assert_eq!(i04["status"], "no_address");
    let log = read_rows(&t.out().join("mail/sent.csv"));
    assert!(log
        .iter()
        .any(|r| r["participant"] == "I01" && r["outcome"] == "sent"));

    // Sent already: only --resend with the interpreter's id sends it again.
    drop(server);
    let server = Server::start(Behaviour::default());
    stdout(mail(&t, server.port).args(["--resend", "I01"]), 5);
    let again = server.received();
    assert_eq!(again.len(), 1);
    assert_eq!(read_mail(&again[0].data).to, "giulia.neri@example.it");
}

/// After a re-plan, `mail` writes to the interpreters whose meetings changed and to no other:
/// B1 (German) cancels, so its interpreter I1 gets a CANCEL of exactly those meetings (SEQUENCE
/// raised); F3 cannot keep its slot, so I2 gets a REQUEST of the moved meeting at its new
/// SEQUENCE; I3, whose meetings stay, gets nothing. Expectations from the two schedule.csv
/// files alone.
#[test]
fn after_a_replan_only_interpreters_whose_meetings_changed_get_a_message() {
    let mut slots = String::from("id,day,start,end\n");
    for i in 0..6 {
        let start = 9 * 60 + i * 20;
        let hm = |m: usize| format!("{:02}:{:02}", m / 60, m % 60);
        slots.push_str(&format!(
            "S{i},2027-03-10,{},{}\n",
            hm(start),
            hm(start + 20)
        ));
    }
    let t = TestEvent::empty()
        .file("slots.csv", &slots)
        .file(
            "buyers.csv",
            "id,name,company,country,email,languages\n\
             B1,Anna Schmidt,Schuhhaus Schmidt,Germany,anna@example.com,de\n\
             B2,Yuki Tanaka,Tanaka Shoes,Japan,yuki@example.com,ja\n\
             B3,Léa Lefèvre,Lefèvre Distribution,France,lea@example.com,fr\n",
        )
        .file(
            "firms.csv",
            "id,name,contact,email,table,languages,country\n\
             F1,Calzature Uno,Marco Uno,f1@example.it,T1,it,Italy\n\
             F2,Calzature Due,Marco Due,f2@example.it,T2,it,Italy\n\
             F3,Calzature Tre,Marco Tre,f3@example.it,T3,it,Italy\n\
             F4,Calzature Quattro,Marco Quattro,f4@example.it,T4,it,Italy\n\
             F5,Calzature Cinque,Marco Cinque,f5@example.it,T5,it,Italy\n",
        )
        .file(
            "preferences.csv",
            "from,to,interest\nB1,F1,high\nB1,F2,high\nB2,F3,high\nB2,F4,high\nB3,F5,high\n",
        )
        .file(
            "interpreters.csv",
            "id,name,languages,email,unavailable,max_meetings\n\
             I1,Giulia Neri,it;de,giulia@example.it,,\n\
             I2,Aiko Morita,it;ja,aiko@example.it,,\n\
             I3,Sophie Laurent,it;fr,sophie@example.it,,\n",
        );
    t.plan_valid();
    // Interpreter → pair → (slot, table, sequence).
    type Held = BTreeMap<String, BTreeMap<String, (String, String, u32)>>;
    let held = |t: &TestEvent| -> Held {
        let mut out = Held::new();
        for r in read_rows(&t.out().join("schedule.csv")) {
            if r["interpreter"].is_empty() {
                continue;
            }
            let (a, b) = (&r["participant_a"], &r["participant_b"]);
            let (x, y) = if a <= b { (a, b) } else { (b, a) };
            out.entry(r["interpreter"].clone()).or_default().insert(
                format!("{x}+{y}"),
                (
                    r["slot"].clone(),
                    r["table"].clone(),
                    r["sequence"].parse().unwrap(),
                ),
            );
        }
        out
    };
    let before = held(&t);
    assert_eq!(
        before
            .iter()
            .map(|(k, m)| (k.as_str(), m.len()))
            .collect::<Vec<_>>(),
        [("I1", 2), ("I2", 2), ("I3", 1)],
        "{before:?}"
    );
    std::fs::copy(t.out().join("schedule.csv"), t.root.path().join("prev.csv")).unwrap();
    let firms = std::fs::read_to_string(t.ev().join("firms.csv"))
        .unwrap()
        .replace("country\n", "country,unavailable\n")
        .replace(
            "T3,it,Italy",
            &format!("T3,it,Italy,{}", before["I2"]["B2+F3"].0),
        );
    let t = t
        .file("firms.csv", &firms)
        .file("cancellations.csv", "participant\nB1\n");
    t.replan().assert().success();
    let after = held(&t);
    t.cmd()
        .args(["mail", "out", "--from", "Example Network <org@example.org>"])
        .assert()
        .success();

    let outbox = t.out().join("mail/outbox");
    let listed: BTreeMap<String, String> = read_rows(&outbox.join("messages.csv"))
        .into_iter()
        .map(|r| (r["participant"].clone(), r["file"].clone()))
        .collect();
    let empty = BTreeMap::new();
    let mut mailed = Vec::new();
    for k in ["I1", "I2", "I3"] {
        let (was, is) = (
            before.get(k).unwrap_or(&empty),
            after.get(k).unwrap_or(&empty),
        );
        let cancelled: BTreeSet<String> = was
            .keys()
            .filter(|u| !is.contains_key(*u))
            .cloned()
            .collect();
        let requested: BTreeSet<String> = is
            .iter()
            .filter(|(u, now)| {
                was.get(*u)
                    .is_none_or(|then| (&then.0, &then.1) != (&now.0, &now.1))
            })
            .map(|(u, _)| u.clone())
            .collect();
        if cancelled.is_empty() && requested.is_empty() {
            assert!(!listed.contains_key(k), "{k}: unchanged, yet a message");
            assert!(!outbox.join(format!("{k}.eml")).exists(), "{k}");
            continue;
        }
        mailed.push(k);
        assert_eq!(
            listed.get(k).map(String::as_str),
            Some(&*format!("{k}.eml")),
            "{k}"
        );
        let m = read_mail(&std::fs::read(outbox.join(format!("{k}.eml"))).unwrap());
        // Pair → SEQUENCE of a method's events.
        let of = |method: &str| -> BTreeMap<String, u32> {
            m.calendars
                .get(method)
                .map(|c| {
                    events(c)
                        .into_iter()
                        .map(|e| (e.0.split('@').next().unwrap().to_string(), e.1))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (cancel, request) = (of("CANCEL"), of("REQUEST"));
        assert_eq!(
            cancel.keys().cloned().collect::<BTreeSet<_>>(),
            cancelled,
            "{k}"
        );
        assert_eq!(
            request.keys().cloned().collect::<BTreeSet<_>>(),
            requested,
            "{k}"
        );
        for (u, seq) in &cancel {
            assert_eq!(
                *seq,
                was[u].2 + 1,
                "{k} {u}: a cancellation's SEQUENCE rises"
            );
        }
        for (u, seq) in &request {
            assert_eq!(*seq, is[u].2, "{k} {u}: SEQUENCE as in schedule.csv");
            if was.contains_key(u) {
                assert!(*seq > was[u].2, "{k} {u}: a move raises SEQUENCE");
            }
        }
        for c in m.calendars.values() {
            check_parties(c, &m.to);
        }
        if let Some(c) = m.calendars.get("CANCEL") {
            for e in c.all("VEVENT") {
                assert_eq!(e.value("STATUS").as_deref(), Some("CANCELLED"), "{k}");
            }
        }
    }
    assert_eq!(mailed, ["I1", "I2"], "{before:?} → {after:?}");
    assert!(
        !after.contains_key("I1"),
        "B1's meetings are gone: {after:?}"
    );
}

#[test]
fn an_interrupted_send_resumes_and_delivers_each_message_once() {
    let t = TestEvent::copy_of("examples/event");
    t.plan_valid();
    // The server drops the connection after 4 messages and stops listening.
    let a = Server::start(Behaviour {
        drop_after: Some(4),
        ..Default::default()
    });
    let out = stdout(&mut mail(&t, a.port), 5);
    assert!(out.contains("sent now:            4"), "{out}");
    assert!(out.contains("not delivered:       6"), "{out}");
    assert!(out.contains("run again to send it"), "{out}");
    let first = ids(&a.received());
    assert_eq!(first.len(), 4);
    drop(a);

    let b = Server::start(Behaviour::default());
    let out = stdout(&mut mail(&t, b.port), 0);
    assert!(out.contains("sent now:            6"), "{out}");
    assert!(out.contains("sent before:         4"), "{out}");
    let second = ids(&b.received());
    let all: BTreeSet<&String> = first.iter().chain(&second).collect();
    assert_eq!(all.len(), 10, "each message exactly once");
    // Nothing left to send.
    let out = stdout(&mut mail(&t, b.port), 0);
    assert!(out.contains("sent now:            0"), "{out}");
    assert_eq!(b.received().len(), 6);
}

#[test]
fn a_message_cut_off_while_sending_is_sent_again_only_with_resend() {
    let t = TestEvent::copy_of("examples/event");
    t.plan_valid();
    // The connection breaks after the 4th message's data, before the server's reply.
    let a = Server::start(Behaviour {
        drop_after: Some(3),
        drop_in_data: true,
        ..Default::default()
    });
    let out = stdout(&mut mail(&t, a.port), 5);
    assert!(out.contains("sent now:            3"), "{out}");
    let cut = a.unanswered();
    assert_eq!(cut.len(), 1);
    let cut = read_mail(&cut[0].data);
    let who = emails(&t)
        .into_iter()
        .find(|(_, e)| *e == cut.to)
        .unwrap()
        .0;
    assert!(
        out.contains(&format!("{who} <{}>: may have arrived", cut.to)),
        "{out}"
    );
    drop(a);

    let b = Server::start(Behaviour::default());
    let out = stdout(&mut mail(&t, b.port), 5);
    assert!(out.contains("sent now:            6"), "{out}");
    assert!(out.contains(&format!("then --resend {who}")), "{out}");
    assert!(
        !ids(&b.received()).contains(&cut.message_id),
        "not sent again by itself"
    );

    let out = stdout(mail(&t, b.port).args(["--resend", &who]), 0);
    assert!(out.contains("sent now:            1"), "{out}");
    let got = ids(&b.received());
    assert_eq!(got.len(), 7);
    assert_eq!(got[6], cut.message_id);
}

#[test]
fn mail_messages() {
    let t = TestEvent::copy_of("examples/event");
    t.plan_valid();
    t.cmd().args(["mail", "out"]).assert().code(2).stderr(
        "error: mail needs the sender's address: give --from ADDRESS, or `from` in the event's \
         event.toml (or event.csv)\n",
    );
    t.cmd()
        .args(["mail", "out", "--from", "org@example.org", "--send"])
        .assert()
        .code(2)
        .stderr(
            "error: --send needs the SMTP server: give --smtp-host HOST, or `smtp_host` in the \
             event's event.toml (or event.csv)\n",
        );
    t.cmd()
        .args(["mail", "out", "--from", "org@example.org", "--send"])
        .args(["--smtp-host", "127.0.0.1", "--smtp-user", "org"])
        .env_remove("T4S_SMTP_PASSWORD")
        .assert()
        .code(2)
        .stderr(
            "error: the SMTP password for org is not set: export T4S_SMTP_PASSWORD, or run in a \
             terminal to type it\n",
        );
    t.cmd()
        .args(["mail", "out", "--from", "org@example.org", "--send"])
        .args([
            "--smtp-host",
            "mail.example.org",
            "--smtp-user",
            "org",
            "--tls",
            "none",
        ])
        .env("T4S_SMTP_PASSWORD", "x")
        .assert()
        .code(2)
        .stderr(
            "error: refusing to send the password for org unencrypted to mail.example.org; use \
             --tls starttls or --tls tls\n",
        );
    let server = Server::start(Behaviour::default());
    mail(&t, server.port)
        .args(["--resend", "B99"])
        .assert()
        .code(2)
        .stderr(
            "error: --resend B99: no message of this plan goes to it (after a re-plan only the \
             participants whose agenda changed get one)\n",
        );
    assert!(server.received().is_empty());
    t.cmd()
        .args(["mail", "out", "--from", "not an address"])
        .assert()
        .code(2)
        .stderr(predicates::str::starts_with(
            "error: the sender 'not an address' is not an e-mail address",
        ));

    // Settings from event.toml; a password there is refused.
    let t = TestEvent::copy_of("examples/event")
        .without("event.csv")
        .file(
            "event.toml",
            "name = \"Shoes 2027\"\n[mail]\nsmtp_host = \"127.0.0.1\"\nsmtp_port = 2525\nsmtp_tls = \"none\"\nfrom = \"org@example.org\"\nsmtp_password = \"x\"\n",
        );
    t.plan().assert().code(2).stderr(predicates::str::contains(
        "ev/event.toml:7:1: 'smtp_password': a password is never read from a file\n  hint: the \
         event's files are copied into every plan folder: set T4S_SMTP_PASSWORD in the \
         environment, or type the password when `mail --send` asks",
    ));
    let toml = std::fs::read_to_string(t.ev().join("event.toml")).unwrap();
    let server = Server::start(Behaviour::default());
    let t = t.file(
        "event.toml",
        &toml
            .replace("smtp_password = \"x\"\n", "")
            .replace("2525", &server.port.to_string()),
    );
    t.plan_valid();
    let out = stdout(t.cmd().args(["mail", "out", "--send", "--rate", "6000"]), 0);
    assert!(out.contains("sent now:            10"), "{out}");
    assert_eq!(server.received().len(), 10);
    let t = t.file(
        "event.toml",
        "[mail]\nsmtp_port = \"x\"\nsmtp_tls = \"ssl\"\n",
    );
    t.plan()
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "ev/event.toml:2:13: smtp_port 'x' is not a port number",
        ))
        .stderr(predicates::str::contains(
            "ev/event.toml:3:12: smtp_tls 'ssl' is not starttls, tls or none",
        ));
}
