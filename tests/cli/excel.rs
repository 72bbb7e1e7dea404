//! Excel in, Excel out: events as workbooks (real date, time and number cells, Italian sheet
//! names) plan exactly as their CSV files do; Excel's own CSV (Windows-1252, `;`, `dd/mm/yyyy`,
//! `9.00`) plans; schedule.xlsx, read back with calamine, holds exactly the meetings of
//! schedule.csv, and `check` and `replan --previous` accept it and an Excel re-save of
//! schedule.csv. Workbooks are built here with rust_xlsxwriter, as Excel stores them.

use crate::checker;
use crate::support::{tree, TestEvent};
use calamine::{Data, Reader};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};
use std::collections::BTreeMap;
use std::path::Path;

/// The example event (`examples/event`), with accented names so that encodings show.
fn example() -> TestEvent {
    let t = TestEvent::copy_of("examples/event");
    let buyers = std::fs::read_to_string(t.ev().join("buyers.csv"))
        .unwrap()
        .replace("Anna Schmidt", "Jürgen Müller");
    let firms = std::fs::read_to_string(t.ev().join("firms.csv"))
        .unwrap()
        .replace("Suole Toscane", "Suole Città – Lucca");
    t.file("buyers.csv", &buyers).file("firms.csv", &firms)
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn iso(s: &str) -> Option<ExcelDateTime> {
    let b = s.as_bytes();
    if s.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    ExcelDateTime::from_ymd(
        s[0..4].parse().ok()?,
        s[5..7].parse().ok()?,
        s[8..10].parse().ok()?,
    )
    .ok()
}

/// A CSV file's rows as Excel types them when typed in: days as date cells (shown
/// dd/mm/yyyy), times as time cells, counts and interests as numbers, the rest text.
fn fill_sheet(ws: &mut Worksheet, csv_text: &str) {
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let time = Format::new().set_num_format("h:mm");
    let rows = csv_rows(csv_text);
    let header = rows[0].clone();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c16) = (r as u32, c as u16);
            if r == 0 {
                ws.write_string(r, c16, v).unwrap();
                continue;
            }
            if v.is_empty() {
                continue;
            }
            let col = header[c].as_str();
            match col {
                "day" | "when" | "unavailable" if iso(v).is_some() => {
                    ws.write_datetime_with_format(r, c16, iso(v).unwrap(), &date)
                        .unwrap();
                }
                "start" | "end" => {
                    let (h, m) = v.split_once(':').unwrap();
                    let t =
                        ExcelDateTime::from_hms(h.parse().unwrap(), m.parse().unwrap(), 0).unwrap();
                    ws.write_datetime_with_format(r, c16, t, &time).unwrap();
                }
                "interest" => {
                    let n = match v.as_str() {
                        "high" => 3.0,
                        "medium" => 2.0,
                        _ => 1.0,
                    };
                    ws.write_number(r, c16, n).unwrap();
                }
                "max_meetings" | "min_meetings" | "reps" => {
                    ws.write_number(r, c16, v.parse::<f64>().unwrap()).unwrap();
                }
                _ => {
                    ws.write_string(r, c16, v).unwrap();
                }
            }
        }
    }
}

/// One workbook with a sheet per list, named in Italian.
fn event_workbook(ev: &Path) -> Vec<u8> {
    let mut wb = Workbook::new();
    for (file, sheet) in [
        ("slots.csv", "Fasce"),
        ("buyers.csv", "acquirenti"),
        ("firms.csv", "Aziende"),
        ("preferences.csv", "preferenze"),
        ("tables.csv", "tavoli"),
        ("event.csv", "evento"),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(sheet).unwrap();
        fill_sheet(ws, &std::fs::read_to_string(ev.join(file)).unwrap());
    }
    // Organisers keep notes beside the lists.
    let ws = wb.add_worksheet();
    ws.set_name("Note").unwrap();
    ws.write_string(0, 0, "chiamare Bianchi").unwrap();
    wb.save_to_buffer().unwrap()
}

/// The files of a plan folder but its copy of the event.
fn outputs(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut t = tree(out);
    t.retain(|k, _| !k.starts_with("input"));
    t
}

fn plan_to(t: &TestEvent, event: &str, out: &str) -> std::process::Output {
    let o = t
        .cmd()
        .args(["plan", event, "--out", out, "--quiet", "--time-limit", "20"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

#[test]
fn a_workbook_with_italian_sheet_names_plans_as_its_csv_files() {
    let t = example();
    std::fs::write(t.root.path().join("evento.xlsx"), event_workbook(&t.ev())).unwrap();
    plan_to(&t, "ev", "out-csv");
    let o = plan_to(&t, "evento.xlsx", "out-xlsx");
    assert_eq!(
        String::from_utf8(o.stderr).unwrap(),
        "warning: evento.xlsx [Note]: the sheet is no list of the event; it is ignored\n  \
hint: the lists are tables (tavoli), slots (fasce, orari, fasce orarie), buyers (acquirenti, compratori), firms (aziende, imprese, espositori), preferences (preferenze, richieste), event (evento), cancellations (cancellazioni, disdette), venues (sedi, luoghi), travel (spostamenti, tragitti), programme (programma, program), visits (visite), interpreters (interpreti)\n"
    );
    let (a, b) = (
        t.root.path().join("out-csv"),
        t.root.path().join("out-xlsx"),
    );
    assert_eq!(
        std::fs::read(a.join("schedule.csv")).unwrap(),
        std::fs::read(b.join("schedule.csv")).unwrap()
    );
    assert_eq!(outputs(&a), outputs(&b), "every output is the same");
    let errs = checker::check(&t.ev(), &b.join("schedule.csv"));
    assert!(errs.is_empty(), "{errs:#?}");
    // The plan keeps the workbook as its input, and `export` redraws from it.
    assert!(b.join("input/evento.xlsx").is_file());
    t.cmd()
        .args(["export", "out-xlsx", "--format", "csv", "--out", "again"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read(b.join("schedule.csv")).unwrap(),
        std::fs::read(t.root.path().join("again/schedule.csv")).unwrap()
    );
    // `validate` takes the workbook's path as well.
    t.cmd()
        .args(["validate", "evento.xlsx"])
        .assert()
        .success()
        .stdout(predicates::str::contains("buyers:      4 ("));
}

#[test]
fn a_folder_may_hold_any_list_as_a_workbook() {
    let t = example();
    plan_to(&t, "ev", "out-csv");
    // Buyers as a workbook with an Italian name, its list on Excel's default first sheet.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Foglio1").unwrap();
    fill_sheet(
        ws,
        &std::fs::read_to_string(t.ev().join("buyers.csv")).unwrap(),
    );
    let t = t
        .without("buyers.csv")
        .bytes("Acquirenti.xlsx", &wb.save_to_buffer().unwrap());
    plan_to(&t, "ev", "out-mixed");
    assert_eq!(
        std::fs::read(t.root.path().join("out-csv/schedule.csv")).unwrap(),
        std::fs::read(t.root.path().join("out-mixed/schedule.csv")).unwrap()
    );
    assert!(t
        .root
        .path()
        .join("out-mixed/input/Acquirenti.xlsx")
        .is_file());
}

/// What Italian Excel writes for "CSV (delimitato dal separatore di elenco)": `;`, Windows-1252,
/// CRLF, days dd/mm/yyyy, times as 9.00.
fn excel_csv(text: &str) -> Vec<u8> {
    let mut out = String::new();
    for row in csv_rows(text) {
        let cells: Vec<String> = row
            .iter()
            .map(|v| {
                let v = if let Some(d) = iso(v.get(..10).unwrap_or("")).map(|_| &v[..10]) {
                    let it = format!("{}/{}/{}", &d[8..10], &d[5..7], &d[0..4]);
                    format!("{it}{}", v[10..].replace(':', "."))
                } else if v.len() == 5 && v.as_bytes()[2] == b':' {
                    v.trim_start_matches('0').replace(':', ".")
                } else {
                    v.clone()
                };
                if v.contains([';', '"']) {
                    format!("\"{}\"", v.replace('"', "\"\""))
                } else {
                    v
                }
            })
            .collect();
        out.push_str(&cells.join(";"));
        out.push_str("\r\n");
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&out);
    assert!(!unmappable);
    bytes.into_owned()
}

#[test]
fn excels_own_csv_plans_with_one_warning_per_file() {
    let t = example();
    plan_to(&t, "ev", "out-utf8");
    let names = [
        "slots.csv",
        "buyers.csv",
        "firms.csv",
        "preferences.csv",
        "tables.csv",
        "event.csv",
    ];
    let texts: Vec<String> = names
        .iter()
        .map(|n| std::fs::read_to_string(t.ev().join(n)).unwrap())
        .collect();
    let mut t = t;
    for (n, text) in names.iter().zip(&texts) {
        t = t.bytes(n, &excel_csv(text));
    }
    let slots = std::fs::read(t.ev().join("slots.csv")).unwrap();
    assert!(slots.starts_with(b"id;day;start;end\r\nS01;10/03/2027;15.00;15.20\r\n"));
    let o = plan_to(&t, "ev", "out-excel");
    assert_eq!(
        std::fs::read(t.root.path().join("out-utf8/schedule.csv")).unwrap(),
        std::fs::read(t.root.path().join("out-excel/schedule.csv")).unwrap()
    );
    // One warning for each file that is not UTF-8 (those with accents), none for the others.
    let stderr = String::from_utf8(o.stderr).unwrap();
    let warned: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("read as Windows-1252"))
        .collect();
    assert_eq!(
        warned,
        [
            "warning: ev/buyers.csv: not UTF-8: read as Windows-1252, what Excel's plain \"CSV\" writes (\"CSV (delimitato dal separatore di elenco)\")",
            "warning: ev/firms.csv: not UTF-8: read as Windows-1252, what Excel's plain \"CSV\" writes (\"CSV (delimitato dal separatore di elenco)\")",
        ]
    );
    assert!(stderr.contains("File > Salva con nome > \"CSV UTF-8 (delimitato da virgole)\""));
    let agenda = t.root.path().join("out-excel/agendas/buyers/B01.md");
    assert!(std::fs::read_to_string(agenda)
        .unwrap()
        .contains("Jürgen Müller"));
}

/// A cell read back by calamine as the text schedule.csv has for it.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, h, mi, _, _) = dt.to_ymd_hms_milli();
            if dt.as_f64() < 1.0 {
                format!("{h:02}:{mi:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02}")
            }
        }
        other => panic!("unexpected cell {other:?}"),
    }
}

fn open(path: &Path) -> calamine::Xlsx<std::io::BufReader<std::fs::File>> {
    calamine::open_workbook(path).unwrap()
}

#[test]
fn schedule_xlsx_holds_exactly_the_meetings_of_schedule_csv() {
    // A name that a spreadsheet would run as a formula stays text.
    let t = example();
    let firms = std::fs::read_to_string(t.ev().join("firms.csv"))
        .unwrap()
        .replace("Calzaturificio Bianchi", "=HYPERLINK(\"x\")");
    let t = t.file("firms.csv", &firms);
    t.plan().arg("--lang").arg("it").assert().success();
    let csv = checker::read_rows(&t.out().join("schedule.csv"));
    let mut book = open(&t.out().join("schedule.xlsx"));
    let names = book.sheet_names();
    assert_eq!(
        names,
        [
            "Calendario",
            "Griglia 2027-03-10",
            "Griglia 2027-03-11",
            "Agende acquirenti",
            "Agende aziende",
            "Non programmati",
            "Riepilogo"
        ]
    );
    let range = book.worksheet_range("Calendario").unwrap();
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(cell_text).collect();
    let mut sheet = Vec::new();
    for row in rows {
        assert!(matches!(row[0], Data::DateTime(_)), "day is a date cell");
        assert!(matches!(row[1], Data::DateTime(_)), "start is a time cell");
        assert!(matches!(row[11], Data::Float(_)), "value is a number");
        let r: BTreeMap<String, String> = header
            .iter()
            .cloned()
            .zip(row.iter().map(cell_text))
            .collect();
        sheet.push(r);
    }
    let csv: Vec<BTreeMap<String, String>> = csv
        .into_iter()
        .map(|r| {
            r.into_iter()
                // Our CSV writer neutralises formulas with a quote; the workbook needs none.
                .map(|(k, v)| (k, v.strip_prefix('\'').map_or(v.clone(), str::to_string)))
                .collect()
        })
        .collect();
    assert!(!csv.is_empty());
    assert_eq!(sheet, csv);
    assert!(sheet.iter().any(|r| r["name_b"] == "=HYPERLINK(\"x\")"));
    // No formulas anywhere.
    for name in &names {
        let formulas = book.worksheet_formula(name).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{name}"
        );
    }
    // The agendas hold every meeting twice (once per side), the grid once.
    let mut count = |sheet: &str| {
        book.worksheet_range(sheet)
            .unwrap()
            .rows()
            .skip(1)
            .filter(|r| matches!(r[2], Data::DateTime(_)))
            .count()
    };
    let n = sheet.len();
    assert_eq!(count("Agende acquirenti") + count("Agende aziende"), 2 * n);
}

/// schedule.csv as Excel writes it back after a double-click and "Salva": `;`, Windows-1252,
/// dates dd/mm/yyyy, times as 09:00:00 or 9.00.
fn excel_resave(text: &str) -> Vec<u8> {
    let mut out = String::new();
    for (k, row) in csv_rows(text).into_iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, v)| match (k, c) {
                (0, _) => v.clone(),
                (_, 0) => format!("{}/{}/{}", &v[8..10], &v[5..7], &v[0..4]),
                (_, 1) => format!("{v}:00"),
                (_, 2) => v.trim_start_matches('0').replace(':', "."),
                _ => v.clone(),
            })
            .collect();
        out.push_str(&cells.join(";"));
        out.push_str("\r\n");
    }
    encoding_rs::WINDOWS_1252.encode(&out).0.into_owned()
}

#[test]
fn check_and_replan_accept_the_workbook_and_an_excel_resave() {
    let t = example();
    t.plan().assert().success();
    let text = std::fs::read_to_string(t.out().join("schedule.csv")).unwrap();
    let n = text.lines().count() - 1;
    std::fs::write(t.root.path().join("resaved.csv"), excel_resave(&text)).unwrap();
    std::fs::copy(
        t.out().join("schedule.xlsx"),
        t.root.path().join("prev.xlsx"),
    )
    .unwrap();
    for file in ["out/schedule.xlsx", "resaved.csv"] {
        t.cmd()
            .args(["check", "ev", file])
            .assert()
            .success()
            .stdout(format!("valid: {n} meetings, every rule holds\n"));
    }
    let before = std::fs::read(t.out().join("schedule.csv")).unwrap();
    for prev in ["prev.xlsx", "resaved.csv"] {
        t.cmd()
            .args([
                "replan",
                "ev",
                "--previous",
                prev,
                "--out",
                "out",
                "--quiet",
            ])
            .assert()
            .success()
            .stdout(predicates::str::contains(format!(
                "changes:             {n} kept, 0 cancelled, 0 moved, 0 added"
            )));
        assert_eq!(std::fs::read(t.out().join("schedule.csv")).unwrap(), before);
    }
    // A day that does not match its slot is still one, in any notation.
    let moved = text.replacen("2027-03-10", "2027-03-11", 1);
    let resaved = excel_resave(&moved);
    std::fs::write(t.root.path().join("moved.csv"), resaved).unwrap();
    t.cmd()
        .args(["check", "ev", "moved.csv"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "moved.csv:2:1: day '11/03/2027' does not match slot S01 (2027-03-10)",
        ));
}

fn fails_with(t: &TestEvent, event: &str, expected: &str) {
    t.cmd()
        .args(["plan", event, "--out", "out", "--quiet"])
        .assert()
        .code(2)
        .stderr(expected.to_string());
    assert!(!t.out().exists());
}

/// The example event as a workbook of Italian sheet names, changed by `edit` before saving.
fn edited_workbook(t: &TestEvent, edit: impl Fn(&str, &mut Worksheet)) {
    let mut wb = Workbook::new();
    for (file, sheet) in [
        ("slots.csv", "fasce"),
        ("buyers.csv", "Acquirenti"),
        ("firms.csv", "aziende"),
        ("preferences.csv", "richieste"),
        ("tables.csv", "tavoli"),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(sheet).unwrap();
        fill_sheet(ws, &std::fs::read_to_string(t.ev().join(file)).unwrap());
        edit(sheet, ws);
    }
    std::fs::write(
        t.root.path().join("evento.xlsx"),
        wb.save_to_buffer().unwrap(),
    )
    .unwrap();
}

#[test]
fn errors_in_a_workbook_name_the_sheet_and_the_cell() {
    let t = example();
    // Typed as text: a month-first date and a time out of range; a note without a header.
    edited_workbook(&t, |sheet, ws| {
        if sheet == "fasce" {
            ws.write_string(3, 1, "03/25/2027").unwrap();
            ws.write_string(4, 2, "25.00").unwrap();
            ws.write_string(2, 6, "nota").unwrap();
        }
    });
    fails_with(
        &t,
        "evento.xlsx",
        "error: the event has 3 problems; nothing was written\n\
evento.xlsx [fasce] G3: value 'nota' in column G, which has no header\n  \
hint: name the column in the header row, or delete the value\n\
evento.xlsx [fasce] B4: bad date '03/25/2027': read day first, there is no month 25 (written month first, mm/dd/yyyy?)\n  \
hint: dates are read day first (dd/mm/yyyy), as the Italian locale writes them: swap day and month, or write YYYY-MM-DD\n\
evento.xlsx [fasce] C5: bad time '25.00' in column 'start'\n  \
hint: write times as HH:MM on a 24-hour clock, e.g. 14:30\n",
    );
    edited_workbook(&t, |sheet, ws| match sheet {
        "Acquirenti" => {
            ws.write_number(2, 6, -1.0).unwrap();
            ws.write_number(3, 6, 2.5).unwrap();
        }
        "aziende" => {
            ws.write_string(3, 0, "F 02").unwrap();
        }
        _ => {}
    });
    fails_with(
        &t,
        "evento.xlsx",
        "error: the event has 3 problems; nothing was written\n\
evento.xlsx [Acquirenti] G3: bad max_meetings '-1'\n  \
hint: write a whole number from 0 to 100000\n\
evento.xlsx [Acquirenti] G4: bad max_meetings '2.5'\n  \
hint: write a whole number from 0 to 100000\n\
evento.xlsx [aziende] A4: id 'F 02' contains a space\n  \
hint: ids may use letters, digits, '-', '_' and '.'\n",
    );
    edited_workbook(&t, |sheet, ws| {
        if sheet == "richieste" {
            ws.write_string(5, 1, "F99").unwrap();
            ws.write_string(0, 3, "organizer").unwrap();
        }
    });
    let o = t.cmd().args(["validate", "evento.xlsx"]).output().unwrap();
    assert_eq!(
        String::from_utf8(o.stderr).unwrap(),
        "error: the event has 1 problem; nothing was written\n\
evento.xlsx [richieste] B6: unknown participant 'F99' in column 'to'\n  \
hint: ids are those of buyers.csv and firms.csv (case-sensitive)\n"
    );
}

#[test]
fn a_workbook_without_a_list_says_which_sheets_it_has() {
    let t = example();
    edited_workbook(&t, |sheet, ws| {
        if sheet == "aziende" {
            ws.set_name("Foglio1").unwrap();
        }
    });
    fails_with(
        &t,
        "evento.xlsx",
        "error: the event has 1 problem; nothing was written\n\
evento.xlsx: no sheet 'firms'\n  \
hint: the workbook needs a sheet per list: tables (tavoli), slots (fasce, orari, fasce orarie), buyers (acquirenti, compratori), firms (aziende, imprese, espositori), preferences (preferenze, richieste), event (evento), cancellations (cancellazioni, disdette), venues (sedi, luoghi), travel (spostamenti, tragitti), programme (programma, program), visits (visite), interpreters (interpreti); its sheets are fasce, Acquirenti, Foglio1, richieste, tavoli; the firms sheet's columns: id, name, [contact], [email], [table], [reps], [languages], [max_meetings], [unavailable], [company], [country], [role], [venue]\n",
    );
}

#[test]
fn a_list_in_two_files_is_an_error_naming_both() {
    let t = example();
    std::fs::copy(t.ev().join("buyers.csv"), t.ev().join("acquirenti.csv")).unwrap();
    fails_with(
        &t,
        "ev",
        "error: the event has 1 problem; nothing was written\n\
ev/acquirenti.csv: buyers.csv holds the buyers too\n  \
hint: keep one file per list (CSV or workbook): remove or rename the other\n",
    );
}

#[test]
fn a_damaged_workbook_is_an_error_not_a_crash() {
    let t = example();
    let mut bytes = event_workbook(&t.ev());
    bytes.truncate(bytes.len() / 2);
    std::fs::write(t.root.path().join("evento.xlsx"), &bytes).unwrap();
    let o = t
        .cmd()
        .args(["plan", "evento.xlsx", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert!(
        stderr.contains("evento.xlsx: cannot read the workbook"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_workbook_event_replans_with_its_cancellations_sheet() {
    let t = example();
    std::fs::write(t.root.path().join("evento.xlsx"), event_workbook(&t.ev())).unwrap();
    plan_to(&t, "evento.xlsx", "out");
    let before = checker::read_rows(&t.out().join("schedule.csv"));
    // The buyer of the second day's first meeting cancels that day.
    let who = before
        .iter()
        .find(|r| r["day"] == "2027-03-11")
        .map(|r| r["participant_a"].clone())
        .unwrap();
    let on_day2 = |rows: &[std::collections::HashMap<String, String>]| {
        rows.iter()
            .filter(|r| r["participant_a"] == who && r["day"] == "2027-03-11")
            .count()
    };
    let cancelled = on_day2(&before);
    // A date cell in the `cancellazioni` sheet.
    let mut wb = Workbook::new();
    for (file, sheet) in [
        ("slots.csv", "Fasce"),
        ("buyers.csv", "acquirenti"),
        ("firms.csv", "Aziende"),
        ("preferences.csv", "preferenze"),
        ("tables.csv", "tavoli"),
        ("event.csv", "evento"),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(sheet).unwrap();
        fill_sheet(ws, &std::fs::read_to_string(t.ev().join(file)).unwrap());
    }
    let ws = wb.add_worksheet();
    ws.set_name("Cancellazioni").unwrap();
    fill_sheet(ws, &format!("participant,day\n{who},2027-03-11\n"));
    std::fs::write(
        t.root.path().join("evento.xlsx"),
        wb.save_to_buffer().unwrap(),
    )
    .unwrap();
    let o = t
        .cmd()
        .args([
            "replan",
            "evento.xlsx",
            "--previous",
            "out/schedule.xlsx",
            "--out",
            "out2",
            "--quiet",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert!(stdout.contains("(1 cancellation rows)"), "{stdout}");
    let after = checker::read_rows(&t.root.path().join("out2/schedule.csv"));
    assert_eq!(on_day2(&after), 0);
    let changes = std::fs::read_to_string(t.root.path().join("out2/changes.csv")).unwrap();
    // Each of its meetings of that day moved to another day or was cancelled.
    let n = changes
        .lines()
        .filter(|l| l.starts_with(&format!("{who},")) && l.contains(",2027-03-11,"))
        .count();
    assert_eq!(n, cancelled, "{changes}");
    // The new plan folder keeps the workbook, cancellations included, and redraws from it.
    assert!(t.root.path().join("out2/input/evento.xlsx").is_file());
    t.cmd()
        .args(["export", "out2", "--format", "xlsx", "--lang", "it"])
        .assert()
        .success();
}

#[test]
fn an_ods_list_reads_its_date_and_time_cells() {
    // tests/fixtures/workbooks/fasce.ods: examples/event/slots.csv as LibreOffice stores it,
    // days as `office:date-value` cells, times as `office:time-value` (PT15H00M00S) cells.
    let t = example();
    plan_to(&t, "ev", "out-csv");
    let ods = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workbooks/fasce.ods");
    let t = t
        .without("slots.csv")
        .bytes("fasce.ods", &std::fs::read(ods).unwrap());
    plan_to(&t, "ev", "out-ods");
    assert_eq!(
        std::fs::read(t.root.path().join("out-csv/schedule.csv")).unwrap(),
        std::fs::read(t.root.path().join("out-ods/schedule.csv")).unwrap()
    );
}

#[test]
fn a_folder_holding_the_event_workbook_points_to_it() {
    let t = TestEvent::empty();
    std::fs::write(t.ev().join("evento.xlsx"), event_workbook(&example().ev())).unwrap();
    let o = t.cmd().args(["validate", "ev"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert!(
        stderr.contains(
            "ev/slots.csv: file not found\n  hint: an event folder holds slots.csv, buyers.csv, \
             firms.csv and preferences.csv (tables.csv is optional); expected columns: id, day, \
             start, end, [venue]; `t4s-schedule init DIR` writes a template; each list may also \
             be a workbook (slots.xlsx) or have an Italian name (fasce, orari, fasce orarie); if \
             ev/evento.xlsx holds the whole event, give its path instead of the folder\n"
        ),
        "{stderr}"
    );
    t.cmd()
        .args(["validate", "ev/evento.xlsx"])
        .assert()
        .success();
}
