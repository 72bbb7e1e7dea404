//! Exports people print, carry and import: HTML printed to PDF by headless Chromium, .ics read
//! by the independent reader in `ics.rs`, Italian labels, `export` on a plan folder.

use crate::ics;
use crate::support::{tree, TestEvent};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Headless Chromium (Debian's `chromium`, installed by scripts/test). Without it the browser
/// tests fail, unless T4S_SKIP_BROWSER=1 says to skip them.
fn chromium() -> Option<PathBuf> {
    if std::env::var("T4S_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("skipped: T4S_SKIP_BROWSER=1");
        return None;
    }
    let names = ["chromium", "chromium-browser", "google-chrome"];
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .flat_map(|d| names.iter().map(move |n| d.join(n)))
            .find(|p| p.is_file())
    });
    Some(found.expect(
        "headless Chromium is needed for the HTML tests: run scripts/setup (apt-get install chromium), \
         or set T4S_SKIP_BROWSER=1",
    ))
}

/// Prints `html` to PDF with headless Chromium; returns the PDF's page count.
fn print_pages(browser: &Path, html: &Path, work: &Path) -> usize {
    let pdf = print_pdf(browser, html, work);
    page_count(&std::fs::read(pdf).unwrap())
}

/// The text of every page of a PDF (poppler's `pdftotext`, installed by scripts/test with
/// Chromium), whitespace collapsed.
fn page_texts(pdf: &Path) -> Vec<String> {
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed for the print tests: run scripts/test, or set T4S_SKIP_BROWSER=1");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<String> = text
        .split('\u{c}')
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    if pages.last().is_some_and(|p| p.is_empty()) {
        pages.pop(); // after the last form feed
    }
    pages
}

/// Prints `html` to PDF with headless Chromium; returns the PDF's path.
fn print_pdf(browser: &Path, html: &Path, work: &Path) -> PathBuf {
    let pdf = work.join(format!(
        "{}.pdf",
        html.to_string_lossy().replace(['/', '\\', '.'], "_")
    ));
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(html)
        .output()
        .expect("chromium runs");
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| {
        panic!(
            "{}: no PDF ({e}); chromium said {}",
            html.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert!(bytes.starts_with(b"%PDF-"), "{}", html.display());
    pdf
}

/// Page objects of a PDF: `/Type /Page` (not `/Pages`).
fn page_count(pdf: &[u8]) -> usize {
    let mut n = 0;
    for pat in [&b"/Type /Page"[..], &b"/Type/Page"[..]] {
        n += pdf
            .windows(pat.len() + 1)
            .filter(|w| w.starts_with(pat) && w[pat.len()] != b's')
            .count();
    }
    n
}

fn html_files(out: &Path) -> Vec<PathBuf> {
    tree(out)
        .keys()
        .filter(|k| k.ends_with(".html"))
        .map(|k| out.join(k))
        .collect()
}

#[test]
fn every_html_file_prints_and_the_booklet_has_a_page_per_participant() {
    let t = TestEvent::copy_of("examples/event");
    t.plan_valid();
    let Some(browser) = chromium() else { return };
    let work = tempfile::tempdir().unwrap();
    let mut agenda_pages = 0;
    let mut participants = 0;
    for f in html_files(&t.out()) {
        let pages = print_pages(&browser, &f, work.path());
        assert!(pages >= 1, "{}: {pages} pages", f.display());
        if f.starts_with(t.out().join("agendas")) {
            participants += 1;
            agenda_pages += pages;
        }
    }
    assert_eq!(participants, 10, "one HTML agenda per participant");
    // Each participant starts a new page in the booklet: exactly the pages of the agendas.
    let booklet = print_pages(&browser, &t.out().join("booklet.html"), work.path());
    assert!(booklet >= participants, "{booklet} pages");
    assert_eq!(booklet, agenda_pages);
}

/// (name, long English dates of the event) of an event folder's participants, in file order.
fn names(ev: &Path) -> Vec<String> {
    ["buyers.csv", "firms.csv"]
        .iter()
        .flat_map(|f| crate::checker::read_rows(&ev.join(f)))
        .map(|r| r["name"].clone())
        .collect()
}

/// Checks a printed booklet against `names` (participants then interpreters, in booklet
/// order): each starts a page whose title ("Agenda: NAME") names them, a front (odd) page with
/// `duplex`; every page up to the next one's names them (the rest of a long agenda, or the
/// notes page). Returns each one's pages.
fn booklet_runs(pages: &[String], names: &[String], duplex: bool) -> Vec<usize> {
    let mut runs: Vec<usize> = Vec::new();
    for (k, page) in pages.iter().enumerate() {
        let next = runs.len();
        if next < names.len() && page.contains(&format!("Agenda: {}", names[next])) {
            if duplex {
                assert!(
                    k % 2 == 0,
                    "{} starts on page {}, a back page",
                    names[next],
                    k + 1
                );
            }
            runs.push(1);
        } else {
            assert!(next > 0, "page {} names nobody: {page}", k + 1);
            assert!(
                !page.contains("Agenda: "),
                "page {}: out of order: {page}",
                k + 1
            );
            let name = &names[next - 1];
            assert!(
                page.contains(name.as_str()),
                "page {}: not {name}'s: {page}",
                k + 1
            );
            runs[next - 1] += 1;
        }
    }
    assert_eq!(runs.len(), names.len(), "everyone has pages: {runs:?}");
    if duplex {
        assert!(runs.iter().all(|n| n % 2 == 0), "{runs:?}");
    }
    runs
}

/// The bundled event's booklet: one page per participant, two with `--duplex`; every page
/// names its participant and, but the notes page, the day; the table sheets one page per
/// table, the master grid one page per day and ten tables, within the page width.
#[test]
fn the_bundled_event_prints_one_named_page_per_participant() {
    let t = TestEvent::copy_of("data");
    // English everywhere: the days below are pinned (`--lang auto` is tested elsewhere).
    t.plan().args(["--lang", "en"]).assert().success();
    assert!(crate::checker::check(&t.ev(), &t.out().join("schedule.csv")).is_empty());
    let Some(browser) = chromium() else { return };
    let work = tempfile::tempdir().unwrap();
    // Participants, then the interpreters (their pages follow in the booklet).
    let mut names = names(&t.ev());
    let interpreters = crate::checker::read_rows(&t.ev().join("interpreters.csv"));
    names.extend(interpreters.into_iter().map(|r| r["name"].clone()));
    let days = ["Wednesday 10 March 2027", "Thursday 11 March 2027"];
    let pages = page_texts(&print_pdf(
        &browser,
        &t.out().join("booklet.html"),
        work.path(),
    ));
    // One page per participant and per interpreter: the agendas of up to 24 meetings with the
    // programme's forum, lunch, visit, travel and exhibition lines fit one page each.
    for page in &pages {
        assert!(days.iter().any(|d| page.contains(d)), "{page}");
    }
    let runs = booklet_runs(&pages, &names, false);
    assert!(runs.iter().all(|n| *n == 1), "{runs:?}");
    assert_eq!(pages.len(), names.len());
    let tables = page_texts(&print_pdf(
        &browser,
        &t.out().join("floor/tables.html"),
        work.path(),
    ));
    assert_eq!(tables.len(), 54, "one page per table");
    for (k, page) in tables.iter().enumerate() {
        assert!(page.contains(&format!("Table T{:02}", k + 1)), "{page}");
    }
    let grid = page_texts(&print_pdf(
        &browser,
        &t.out().join("floor/grid.html"),
        work.path(),
    ));
    // The grid shows the tables in use that day.
    let rows = crate::checker::read_rows(&t.out().join("schedule.csv"));
    let per_day: usize = ["2027-03-10", "2027-03-11"]
        .iter()
        .map(|d| {
            rows.iter()
                .filter(|r| r["day"] == *d && r["kind"] == "meeting")
                .map(|r| r["table"].as_str())
                .collect::<BTreeSet<_>>()
                .len()
                .div_ceil(10)
        })
        .sum();
    assert_eq!(grid.len(), per_day, "one page per day and ten tables");
    for page in &grid {
        assert!(
            days.iter()
                .any(|d| page.contains(&format!("Master grid · {d}"))),
            "{page}"
        );
    }

    t.cmd()
        .args([
            "export", "out", "--format", "html", "--duplex", "--lang", "en",
        ])
        .assert()
        .success();
    let pages = page_texts(&print_pdf(
        &browser,
        &t.out().join("booklet.html"),
        work.path(),
    ));
    // Duplex: everyone on a front page, its back a named page for notes.
    let runs = booklet_runs(&pages, &names, true);
    assert!(runs.iter().all(|n| *n == 2), "{runs:?}");
    assert_eq!(pages.len(), 2 * names.len());
    for (k, page) in pages.iter().enumerate() {
        if k % 2 == 1 {
            assert!(page.starts_with("Notes "), "page {}: {page}", k + 1);
        } else {
            assert!(days.iter().any(|d| page.contains(d)), "{page}");
        }
    }
}

/// An agenda of 24 meetings with long names, no shared language and a long event address
/// fits one A4 page; its repeated header names the participant on every page of a longer one.
#[test]
fn an_agenda_of_24_meetings_fits_one_page() {
    let mut slots = String::from("id,day,start,end\n");
    let mut firms = String::from("id,name,contact,email,table,languages,country\n");
    let mut tables = String::from("id\n");
    let mut prefs = String::from("from,to,interest\n");
    for (d, day) in ["2027-03-10", "2027-03-11", "2027-03-12"]
        .iter()
        .enumerate()
    {
        for i in 0..10 {
            // Two sessions a day: a lunch break after the fifth slot.
            let start = 9 * 60 + i * 20 + if i >= 5 { 60 } else { 0 };
            let hm = |m: usize| format!("{:02}:{:02}", m / 60, m % 60);
            slots.push_str(&format!("S{d}{i},{day},{},{}\n", hm(start), hm(start + 20)));
        }
    }
    for i in 1..=24 {
        firms.push_str(&format!(
            "F{i:02},Calzature Bimbo Pardini Pieve di Compito {i},Francesca Cortopassi-Lenzi,f{i}@example.it,T{i:02},it;ru,Italy\n"
        ));
        tables.push_str(&format!("T{i:02}\n"));
        prefs.push_str(&format!("B1,F{i:02},high\n"));
    }
    let t = TestEvent::empty()
        .file("slots.csv", &slots)
        .file(
            "buyers.csv",
            "id,name,company,country,email,languages\n\
             B1,Maximilian von Hohenberg,Schuhhaus Hohenberg GmbH & Co. KG,Germany,max@example.com,de\n",
        )
        .file("firms.csv", &firms)
        .file("tables.csv", &tables)
        .file("preferences.csv", &prefs)
        .file(
            "event.csv",
            "name,venue,address,organiser,contact\n\
             Tuscany 4 Shoes – Incoming Buyers and Brokerage Event 2027,Real Collegio di Lucca,\"Piazza del Collegio 13, 55100 Lucca (LU), Italia\",Tuscany 4 Shoes business network of the Capannori district,+39 0583 000000 / info@t4s.example.it\n",
        );
    t.plan()
        .args(["--lang", "it", "--duplex"])
        .assert()
        .success();
    assert_eq!(
        crate::checker::read_rows(&t.out().join("agendas/buyers/B1.csv")).len(),
        24
    );
    let Some(browser) = chromium() else { return };
    let work = tempfile::tempdir().unwrap();
    let b1 = page_texts(&print_pdf(
        &browser,
        &t.out().join("agendas/buyers/B1.html"),
        work.path(),
    ));
    assert_eq!(b1.len(), 1, "{b1:?}");
    assert!(b1[0].contains("✗ nessuna lingua in comune"));
    // Duplex: 25 participants, each on a front page with its back.
    let booklet = page_texts(&print_pdf(
        &browser,
        &t.out().join("booklet.html"),
        work.path(),
    ));
    assert_eq!(booklet.len(), 50);

    // Twice the meetings' text: two pages, both naming B1 and the day.
    let long = std::fs::read_to_string(t.ev().join("firms.csv"))
        .unwrap()
        .replace(
            "Francesca Cortopassi-Lenzi",
            "Francesca Cortopassi-Lenzi Bartolomei Orsucci Puccinelli Giannini",
        );
    let t = t.file("firms.csv", &long);
    // English words pinned below (B1 reads German under the default `--lang auto`).
    t.plan().args(["--lang", "en"]).assert().success();
    let b1 = page_texts(&print_pdf(
        &browser,
        &t.out().join("agendas/buyers/B1.html"),
        work.path(),
    ));
    assert_eq!(b1.len(), 2, "{b1:?}");
    for page in &b1 {
        assert!(page.contains("Maximilian von Hohenberg"), "{page}");
        assert!(page.contains(" March 2027"), "{page}");
    }
}

/// Agendas longer than a page: a buyer with 40 meetings whose counterparts have long names
/// spans three pages, one with 30 two, an interpreter of 40 meetings two; in the duplex
/// booklet everyone still starts on a front page, each page naming its participant (and,
/// but the notes pages, the day), every meeting printed once.
#[test]
fn long_agendas_span_pages_and_duplex_still_starts_everyone_on_a_front_page() {
    let mut slots = String::from("id,day,start,end\n");
    for (d, day) in ["2027-03-10", "2027-03-11", "2027-03-12"]
        .iter()
        .enumerate()
    {
        for i in 0..14 {
            let start = 9 * 60 + i * 20 + if i >= 7 { 60 } else { 0 };
            let hm = |m: usize| format!("{:02}:{:02}", m / 60, m % 60);
            slots.push_str(&format!(
                "S{d}{i:02},{day},{},{}\n",
                hm(start),
                hm(start + 20)
            ));
        }
    }
    let mut firms = String::from("id,name,contact,email,table,languages,country\n");
    let mut tables = String::from("id\n");
    let mut prefs = String::from("from,to,interest\n");
    for i in 1..=40 {
        let contact = match i % 3 {
            0 => {
                "Francesca Cortopassi-Lenzi Bartolomei Orsucci Puccinelli Giannini Del Carlo Baroni"
            }
            1 => "Gian Maria Bartolomei Orsucci",
            _ => "Ilaria Pardini",
        };
        firms.push_str(&format!(
            "F{i:02},Calzature Bimbo Pardini Pieve di Compito {i},{contact},f{i}@example.it,T{i:02},it;ru,Italy\n"
        ));
        tables.push_str(&format!("T{i:02}\n"));
        prefs.push_str(&format!("B1,F{i:02},high\n"));
        if i <= 30 {
            prefs.push_str(&format!("B2,F{i:02},high\n"));
        }
        if i <= 3 {
            prefs.push_str(&format!("B3,F{i:02},high\n"));
        }
    }
    let t = TestEvent::empty()
        .file("slots.csv", &slots)
        .file(
            "buyers.csv",
            "id,name,company,country,email,languages\n\
             B1,Maximilian von Hohenberg,Schuhhaus Hohenberg GmbH & Co. KG,Germany,max@example.com,de\n\
             B2,Élodie Fontaine-Beauchamp,Maison Fontaine,France,elodie@example.com,it\n\
             B3,Ann Lee,Lee Shoes,United States,ann@example.com,ru\n",
        )
        .file("firms.csv", &firms)
        .file("tables.csv", &tables)
        .file("preferences.csv", &prefs)
        .file(
            "interpreters.csv",
            "id,name,languages,email,unavailable,max_meetings\nI1,Wilhelmina Marchetti-Oberhauser,de;it,w@example.it,,\n",
        )
        .file(
            "event.csv",
            "name,venue,address,organiser,contact\n\
             Tuscany 4 Shoes – Incoming Buyers and Brokerage Event 2027,Real Collegio di Lucca,\"Piazza del Collegio 13, 55100 Lucca (LU), Italia\",Tuscany 4 Shoes business network of the Capannori district,+39 0583 000000 / info@t4s.example.it\n",
        );
    t.plan()
        .args(["--lang", "en", "--duplex"])
        .assert()
        .success();
    let schedule = crate::checker::read_rows(&t.out().join("schedule.csv"));
    let meetings = |id: &str| {
        schedule
            .iter()
            .filter(|r| r["participant_a"] == id || r["participant_b"] == id)
            .count()
    };
    assert_eq!(
        (meetings("B1"), meetings("B2"), meetings("B3")),
        (40, 30, 3)
    );
    let interpreted = schedule.iter().filter(|r| r["interpreter"] == "I1").count();
    let Some(browser) = chromium() else { return };
    let work = tempfile::tempdir().unwrap();
    let mut names = names(&t.ev());
    names.push("Wilhelmina Marchetti-Oberhauser".into());
    let pages = page_texts(&print_pdf(
        &browser,
        &t.out().join("booklet.html"),
        work.path(),
    ));
    let runs = booklet_runs(&pages, &names, true);
    // B1: three pages and a page for notes; B2: two; B3 and every firm: one and its notes.
    assert_eq!(runs[0], 4, "{runs:?}");
    assert_eq!(runs[1], 2, "{runs:?}");
    assert!(runs[2..names.len() - 1].iter().all(|n| *n == 2), "{runs:?}");
    if interpreted >= 30 {
        assert_eq!(runs[names.len() - 1], 2, "{interpreted} meetings: {runs:?}");
    }
    let mut first = 0;
    for (who, n) in names.iter().zip(&runs) {
        let mine = &pages[first..first + n];
        first += n;
        for (k, page) in mine.iter().enumerate() {
            assert!(page.contains(who.as_str()), "{who}: {page}");
            if !page.starts_with("Notes ") {
                assert!(
                    page.contains(" March 2027"),
                    "{who}, page {}: {page}",
                    k + 1
                );
            }
        }
    }
    // Every meeting of B1 once: its counterparts' tables, in the pages cut by the tool.
    let b1 = &pages[..3].join(" ");
    for i in 1..=40 {
        assert_eq!(
            b1.matches(&format!(" T{i:02} ")).count(),
            1,
            "T{i:02} in {b1}"
        );
    }
    // Without --duplex: no notes pages, the same cuts.
    t.cmd()
        .args(["export", "out", "--format", "html", "--lang", "en"])
        .assert()
        .success();
    let plain = page_texts(&print_pdf(
        &browser,
        &t.out().join("booklet.html"),
        work.path(),
    ));
    let runs_plain = booklet_runs(&plain, &names, false);
    assert_eq!(runs_plain[0], 3, "{runs_plain:?}");
    assert_eq!(runs_plain[1], 2, "{runs_plain:?}");
    assert_eq!(plain.len(), runs_plain.iter().sum::<usize>());
    // The single agenda prints as in the booklet.
    let b1 = page_texts(&print_pdf(
        &browser,
        &t.out().join("agendas/buyers/B1.html"),
        work.path(),
    ));
    assert_eq!(b1.len(), 3);
}

#[test]
fn html_is_self_contained() {
    let t = TestEvent::copy_of("examples/event");
    t.plan_valid();
    for f in html_files(&t.out()) {
        let s = std::fs::read_to_string(&f).unwrap();
        let rel = f.strip_prefix(t.out()).unwrap().display().to_string();
        assert!(s.starts_with("<!DOCTYPE html>"), "{rel}");
        assert!(s.contains("<style>"), "{rel}: inline CSS");
        for bad in ["<script", "<link", " src=", "url(", "@import"] {
            assert!(!s.contains(bad), "{rel} contains {bad}");
        }
        // Only the SVG namespace may name a URL; nothing is fetched.
        let urls = s.matches("http").count();
        let svg_ns = s.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
        assert_eq!(urls, svg_ns, "{rel}: no network");
    }
    let report = t.read_out("report.html");
    assert_eq!(report.matches("<svg").count(), 2, "histogram and heat map");
    let b01 = t.read_out("agendas/buyers/B01.html");
    assert!(b01.contains("Example Shoe Meetings 2027"), "event name");
    assert!(b01.contains("Palazzo Ducale"), "venue");
    // B01 reads German (`--lang auto`).
    assert!(b01.contains("Alle Zeiten in Ortszeit (Europe/Rome)."));
    insta::assert_snapshot!("agenda_B01_html", b01);
}

/// (uid, sequence, status, dtstart) of every event of a calendar.
fn events(cal: &ics::Component) -> Vec<(String, u32, String, String)> {
    let mut v: Vec<_> = cal
        .all("VEVENT")
        .iter()
        .map(|e| {
            (
                e.value("UID").unwrap(),
                e.value("SEQUENCE").unwrap().parse().unwrap(),
                e.value("STATUS").unwrap(),
                e.value("DTSTART").unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn calendars_are_valid_and_match_the_agendas() {
    let t = TestEvent::copy_of("examples/event");
    t.plan_valid();
    let mut files = 0;
    for (rel, _) in tree(&t.out()) {
        let Some(stem) = rel.strip_suffix(".ics") else {
            continue;
        };
        files += 1;
        let cal = ics::read(&t.out().join(&rel));
        let zones = cal.all("VTIMEZONE");
        assert_eq!(zones.len(), 1, "{rel}");
        assert_eq!(zones[0].value("TZID").as_deref(), Some("Europe/Rome"));
        // The same meetings as the CSV agenda, at the same local times.
        let rows = crate::checker::read_rows(&t.out().join(format!("{stem}.csv")));
        let mut want: Vec<String> = rows
            .iter()
            .map(|r| {
                format!(
                    "{}T{}00",
                    r["day"].replace('-', ""),
                    r["start"].replace(':', "")
                )
            })
            .collect();
        let mut got: Vec<String> = events(&cal).into_iter().map(|e| e.3).collect();
        want.sort();
        got.sort();
        assert_eq!(got, want, "{rel}");
        for e in cal.all("VEVENT") {
            assert_eq!(e.get("DTSTART").unwrap().params["TZID"], "Europe/Rome");
            assert_eq!(e.value("DTSTAMP").as_deref(), Some("20270115T080000Z"));
        }
    }
    assert_eq!(files, 10);
    insta::assert_snapshot!("agenda_B01_ics", t.read_out("agendas/buyers/B01.ics"));
}

#[test]
fn a_replan_keeps_uids_raises_sequence_on_moves_and_cancels() {
    let t = TestEvent::copy_of("examples/event");
    t.plan_valid();
    let before: Vec<_> = ["buyers/B01", "buyers/B02", "firms/F01"]
        .iter()
        .map(|p| ics::read(&t.out().join(format!("agendas/{p}.ics"))))
        .collect();
    std::fs::copy(t.out().join("schedule.csv"), t.root.path().join("prev.csv")).unwrap();
    // B02 cancels; F01 loses the slot of its meeting with B01, which must move.
    let rows = crate::checker::read_rows(&t.out().join("schedule.csv"));
    let b01_f01 = rows
        .iter()
        .find(|r| r["participant_a"] == "B01" && r["participant_b"] == "F01")
        .expect("B01 meets F01 (high interest)");
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
    let after: Vec<_> = ["buyers/B01", "buyers/B02", "firms/F01"]
        .iter()
        .map(|p| ics::read(&t.out().join(format!("agendas/{p}.ics"))))
        .collect();

    // B01: the meeting with F01 keeps its UID, moves, SEQUENCE 1; the others are unchanged.
    let (b, a) = (events(&before[0]), events(&after[0]));
    let uid = "B01+F01@example-shoe-meetings-2027.t4s-schedule";
    let old = b.iter().find(|e| e.0 == uid).unwrap();
    let new = a.iter().find(|e| e.0 == uid).expect("still planned");
    assert_eq!((old.1, new.1), (0, 1));
    assert_ne!(old.3, new.3, "it moved");
    for e in b.iter().filter(|e| e.0 != uid) {
        if let Some(n) = a.iter().find(|x| x.0 == e.0) {
            assert_eq!((n.1, &n.3), (0, &e.3), "kept meetings are unchanged");
        }
    }
    // B02: every meeting sent again as cancelled, same UIDs, SEQUENCE raised.
    let (b, a) = (events(&before[1]), events(&after[1]));
    assert!(!b.is_empty());
    assert_eq!(a.len(), b.len());
    for (x, y) in b.iter().zip(&a) {
        assert_eq!((&x.0, &x.3), (&y.0, &y.3));
        assert_eq!((y.1, y.2.as_str()), (1, "CANCELLED"));
    }

    // `export` on the re-planned folder redraws the same calendars (cancellations from
    // changes.csv, sequences from schedule.csv).
    let first = tree(&t.out());
    t.cmd().args(["export", "out"]).assert().success();
    assert_eq!(first, tree(&t.out()));
}

#[test]
fn italian_labels_with_lang_it() {
    let t = TestEvent::copy_of("examples/event");
    t.plan().args(["--lang", "it"]).assert().success();
    let html = t.read_out("agendas/firms/F01.html");
    assert!(html.contains("<html lang=\"it\">"));
    for word in [
        "Orario",
        "Tavolo",
        "Incontro con",
        "Paese",
        "Orari in ora locale",
    ] {
        assert!(html.contains(word), "{word}");
    }
    assert!(html.contains("mercoledì 10 marzo 2027") || html.contains("giovedì 11 marzo 2027"));
    assert!(t
        .read_out("agendas/buyers/B01.md")
        .contains("| Orario | Tavolo | Incontro con |"));
    assert!(t.read_out("floor/grid.html").contains("Griglia generale"));
    assert!(t
        .read_out("report.html")
        .contains("Incontri per partecipante"));
    let cal = ics::read(&t.out().join("agendas/firms/F01.ics"));
    let summary = cal.all("VEVENT")[0].get("SUMMARY").unwrap().clone();
    assert_eq!(summary.params["LANGUAGE"], "it");
    assert!(ics::unescape(&summary.value).starts_with("Incontro: "));

    // A re-plan's notices in Italian too.
    std::fs::copy(t.out().join("schedule.csv"), t.root.path().join("prev.csv")).unwrap();
    let t = t.file("cancellations.csv", "participant\nB02\n");
    t.replan().args(["--lang", "it"]).assert().success();
    let notice = t.read_out("notices/B02.md");
    assert!(
        notice.starts_with("# La tua agenda è cambiata: Pierre Martin"),
        "{notice}"
    );
    assert!(notice.contains("- **Annullato**: "), "{notice}");
    assert!(
        notice.contains("Segue la tua agenda aggiornata."),
        "{notice}"
    );

    // Back to English in place; the CSV files are untouched.
    let csv_before = t.read_out("schedule.csv");
    t.cmd()
        .args(["export", "out", "--lang", "en", "--format", "html,md"])
        .assert()
        .success();
    assert!(t
        .read_out("agendas/firms/F01.html")
        .contains("Meeting with"));
    assert!(t
        .read_out("agendas/buyers/B01.md")
        .contains("| Time | Table |"));
    assert!(
        t.read_out("agendas/firms/F01.ics").contains("Incontro: "),
        "ics not asked"
    );
    assert_eq!(t.read_out("schedule.csv"), csv_before);
}

#[test]
fn export_to_another_folder_writes_only_the_asked_formats_in_the_asked_zone() {
    let t = TestEvent::copy_of("examples/event");
    t.plan_valid();
    t.cmd()
        .args([
            "export",
            "out",
            "--format",
            "ics",
            "--timezone",
            "America/New_York",
        ])
        .args(["--out", "calendars"])
        .assert()
        .success();
    let files = tree(&t.root.path().join("calendars"));
    assert!(
        files
            .keys()
            .all(|k| k.ends_with(".ics") || k == ".t4s-schedule"),
        "{:?}",
        files.keys()
    );
    assert_eq!(files.len(), 11);
    let cal = ics::read(&t.root.path().join("calendars/agendas/buyers/B01.ics"));
    assert_eq!(
        cal.all("VTIMEZONE")[0].value("TZID").as_deref(),
        Some("America/New_York")
    );
}

#[test]
fn export_messages() {
    let t = TestEvent::copy_of("examples/event");
    t.cmd().args(["export", "ev"]).assert().code(2).stderr(
        "error: the plan folder has 1 problem; nothing was written\n\
             ev: not a plan folder: schedule.csv not found\n  \
             hint: give the folder `t4s-schedule plan --out DIR` wrote\n",
    );
    t.plan_valid();
    t.cmd()
        .args(["export", "out", "--timezone", "Europe/Romee"])
        .assert()
        .code(2)
        .stderr(
            "error: --timezone: unknown time zone 'Europe/Romee' (did you mean 'Europe/Rome'?); \
             use an IANA time zone name such as Europe/Rome, Europe/London or America/New_York\n",
        );
    t.cmd()
        .args(["export", "out", "--format", "pdf"])
        .assert()
        .code(2);
    // A plan folder without its copy of the event: --event gives it.
    std::fs::remove_dir_all(t.out().join("input")).unwrap();
    t.cmd().args(["export", "out"]).assert().code(2).stderr(
        "error: the plan folder has 1 problem; nothing was written\n\
         out/input: the plan folder has no copy of its event\n  \
         hint: plan folders written before `export` existed have no input/: give the event folder with --event DIR\n",
    );
    t.cmd()
        .args(["export", "out", "--event", "ev", "--format", "html"])
        .assert()
        .success();
}

#[test]
fn event_description_errors_name_line_and_column() {
    let t = TestEvent::new().file(
        "event.csv",
        "name,venue,timezone,organizer\nShoes 2027,Lucca,Europe/Rom,Network\n",
    );
    t.plan()
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "ev/event.csv:2:3: unknown time zone 'Europe/Rom' (did you mean 'Europe/Rome'?)\n  \
             hint: use an IANA time zone name such as Europe/Rome, Europe/London or America/New_York",
        ));

    let t = TestEvent::new().file("event.toml", "name = \"Shoes\"\ntimezone = Europe/Rome\n");
    t.plan()
        .assert()
        .code(2)
        .stderr(predicates::str::contains("ev/event.toml:2:"));

    let t = TestEvent::new()
        .file("event.toml", "name = \"Shoes\"\nvenu = \"Lucca\"\n")
        .file("event.csv", "name\nShoes\n");
    t.plan().assert().code(2).stderr(predicates::str::contains(
        "ev/event.toml: event.csv exists too\n  hint: keep one of event.csv and event.toml",
    ));

    let t = TestEvent::new().file(
        "event.toml",
        "name = \"Shoes 2027\"\nvenu = \"Lucca\"\ntimezone = \"Europe/London\"\n",
    );
    t.plan()
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "warning: ev/event.toml:2:1: unknown key 'venu' is ignored (did you mean 'venue'?)",
        ));
    let cal = ics::read(&t.out().join("agendas/buyers/B1.ics"));
    assert_eq!(
        cal.all("VTIMEZONE")[0].value("TZID").as_deref(),
        Some("Europe/London")
    );
    assert!(cal.all("VEVENT")[0]
        .value("UID")
        .unwrap()
        .ends_with("@shoes-2027.t4s-schedule"));
}
