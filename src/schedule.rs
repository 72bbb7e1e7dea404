//! Reading a schedule back (our schedule.csv, possibly edited by hand or re-saved by Excel, or
//! the schedule sheet of our schedule.xlsx) against an event. Anything that does not match the
//! event — an unknown id or slot, a slot whose day or time was changed, a participant or table
//! booked twice at once — is rejected with its line, never guessed at. Days and times are
//! compared as values: `10/03/2027` and `9.00` are the slot's 2027-03-10 and 09:00.

use crate::diag::{suggest, Diagnostic, InvalidInput, Problems};
use crate::event::csvfile::{self, csv_uncell};
use crate::event::sheet::{opt, req, Column, Sheet};
use crate::event::time::{Date, Time};
use crate::event::workbook::{self, Book};
use crate::event::{Event, InterpId, PairId, PartId, SlotId, TableId};
use crate::id::{index_by, Id};
use std::collections::HashMap;
use std::path::Path;

const COLUMNS: &[Column] = &[
    opt("day"),
    opt("start"),
    opt("end"),
    req("slot"),
    opt("table"),
    req("participant_a"),
    opt("name_a"),
    req("participant_b"),
    opt("name_b"),
    opt("company_a"),
    opt("company_b"),
    opt("value"),
    opt("organiser"),
    opt("locked"),
    opt("sequence"),
    opt("kind"),
    opt("venue"),
    opt("interpreter"),
];

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub line: u64,
    pub a: PartId,
    pub b: PartId,
    /// The pair in the event's preferences, if it was requested.
    pub pair: Option<PairId>,
    pub slot: SlotId,
    pub table: Option<TableId>,
    /// Pinned by the organiser (`locked` = yes / true / 1 / x).
    pub locked: bool,
    /// Revision of the announced meeting (iCalendar SEQUENCE); 0 when the column is absent.
    pub sequence: u32,
    /// The meeting's interpreter (`interpreter` column; blank: none).
    pub interpreter: Option<InterpId>,
}

pub(crate) struct Schedule {
    /// The file as named on the command line, for messages.
    pub file: String,
    /// The sheet, when the schedule is a workbook's.
    pub sheet: Option<String>,
    pub entries: Vec<Entry>,
    /// Rows that clash with another (a pair twice, a participant or a table booked twice at
    /// once): rule violations for `check`, which reports them with the others; a schedule to
    /// build on (`replan --previous`, `export`) must have none.
    pub clashes: Vec<Diagnostic>,
    /// What reading said without rejecting (e.g. the encoding it assumed).
    pub warnings: Vec<Diagnostic>,
    /// Rows of kind `visit`: a visitor on a company visit.
    pub visits: Vec<VisitEntry>,
}

/// A visitor booked on a visit (a row of kind `visit`: `slot` holds the visit id,
/// `participant_a` the visitor, `participant_b` the host firm).
#[derive(Debug, Clone)]
pub(crate) struct VisitEntry {
    pub line: u64,
    pub visitor: PartId,
    pub firm: PartId,
    pub visit: crate::event::VisitId,
    /// The visit request, if there is one.
    pub pair: Option<PairId>,
    pub sequence: u32,
}

impl Schedule {
    /// The schedule, if nothing in it clashes.
    pub(crate) fn without_clashes(self) -> Result<Schedule, InvalidInput> {
        if self.clashes.is_empty() {
            Ok(self)
        } else {
            Err(InvalidInput {
                subject: "schedule",
                errors: self.clashes,
            })
        }
    }
    /// A problem of the meeting on `line`.
    pub(crate) fn at(&self, line: u64, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(&self.file, line, None, message).in_sheet(self.sheet.as_deref())
    }
    /// A problem of the schedule as a whole.
    pub(crate) fn whole(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::file(&self.file, message).in_sheet(self.sheet.as_deref())
    }
}

/// The rows of a schedule file: a CSV file, or a workbook's schedule sheet (named in any of
/// the output languages, else its first sheet).
fn rows(path: &Path, pr: &mut Problems) -> Option<Sheet> {
    if !workbook::is_workbook(path) {
        return csvfile::read(path, COLUMNS, pr);
    }
    let mut book = Book::open(path, pr)?;
    let names = book.sheet_names();
    let wanted: Vec<String> = crate::lang::Lang::ALL
        .iter()
        .map(|l| l.labels().x_schedule.to_lowercase())
        .collect();
    let sheet = names
        .iter()
        .find(|n| wanted.contains(&n.trim().to_lowercase()))
        .or(names.first())
        .cloned();
    match sheet {
        Some(s) => book.read(&s, COLUMNS, pr),
        None => {
            pr.error(Diagnostic::file(&book.name, "the workbook has no sheet"));
            None
        }
    }
}

/// Counts one more use of `key` (a participant or a table in a slot); past `cap`, returns the
/// line of its first use, for the message.
fn over_capacity<K: std::hash::Hash + Eq>(
    uses: &mut HashMap<K, (u32, u64)>,
    key: K,
    cap: u32,
    line: u64,
) -> Option<u64> {
    let e = uses.entry(key).or_insert((0, line));
    e.0 += 1;
    (e.0 > cap).then_some(e.1)
}

/// Reads `path` against `event`; every structural problem is reported at once.
pub(crate) fn read(path: &Path, event: &Event) -> Result<Schedule, InvalidInput> {
    let mut pr = Problems::default();
    if !path.exists() {
        pr.error(
            Diagnostic::file(&path.display().to_string(), "file not found")
                .hint("give the schedule.csv (or schedule.xlsx) of a plan folder"),
        );
    }
    let Some(f) = rows(path, &mut pr).filter(|_| !pr.has_errors()) else {
        return Err(InvalidInput {
            subject: "schedule",
            errors: pr.errors,
        });
    };
    let file = f.name.clone();
    let parts: HashMap<&str, PartId> = index_by(&event.participants, |p| &p.id);
    let slots: HashMap<&str, SlotId> = index_by(&event.slots, |s| &s.id);
    let tables: HashMap<&str, TableId> = index_by(&event.tables, |t| &t.id);
    let pairs: HashMap<(PartId, PartId), PairId> = event
        .pairs
        .iter()
        .enumerate()
        .map(|(k, p)| ((p.a.min(p.b), p.a.max(p.b)), Id::new(k)))
        .collect();
    let visit_ids: HashMap<&str, crate::event::VisitId> = index_by(&event.visits, |v| &v.id);
    let mut visits: Vec<VisitEntry> = Vec::new();
    let mut entries = Vec::new();
    let mut clashes = Vec::new();
    let mut seen_pair: HashMap<(PartId, PartId), u64> = HashMap::new();
    let mut load: HashMap<(PartId, SlotId), (u32, u64)> = HashMap::new();
    let mut table_load: HashMap<(TableId, SlotId), (u32, u64)> = HashMap::new();
    // Unknown participant id → (its column, the lines it is on).
    let mut unknown: std::collections::BTreeMap<String, (Option<usize>, Vec<u64>)> =
        std::collections::BTreeMap::new();
    for row in &f.rows {
        // A problem of this row as a whole (no single column to point at).
        let on_row = |msg: String, hint: &str| f.at(row.line, msg).hint(hint);
        let cell = |col: &str| f.cell(row, col);
        let value = |col: &str| csv_uncell(f.cell(row, col).value).to_string();
        let mut ends = [None, None];
        for (k, col) in ["participant_a", "participant_b"].into_iter().enumerate() {
            let v = value(col);
            match parts.get(v.as_str()) {
                Some(&p) => ends[k] = Some(p),
                // Said once per id below: a participant deleted from the event would
                // otherwise be reported on every row of its agenda.
                None => unknown
                    .entry(v)
                    .or_insert_with(|| (f.cell(row, col).column, Vec::new()))
                    .1
                    .push(row.line),
            }
        }
        let sv = value("slot");
        let kind = value("kind").to_lowercase();
        if kind == "visit" || kind == "visita" {
            let visit = visit_ids.get(sv.as_str()).copied();
            if visit.is_none() {
                let mut d = f.diag(&cell("slot"), format!("unknown visit '{sv}'"));
                if let Some(s) = suggest(&sv, visit_ids.keys().copied()) {
                    d = d.hint(format!(
                        "did you mean '{s}'? visits are listed in visits.csv"
                    ));
                } else {
                    d = d.hint("a row of kind visit names a visit of visits.csv in column slot");
                }
                pr.error(d);
            }
            let sq = value("sequence").parse::<u32>().unwrap_or(0);
            if let ([Some(visitor), Some(firm)], Some(visit)) = (ends, visit) {
                if event.visit(visit).firm != firm {
                    pr.error(
                        f.diag(
                            &cell("participant_b"),
                            format!(
                                "visit {} is hosted by {}, not {}",
                                sv,
                                event.part(event.visit(visit).firm).id,
                                event.part(firm).id
                            ),
                        )
                        .hint("participant_b of a visit row is the host firm"),
                    );
                    continue;
                }
                let key = (visitor.min(firm), visitor.max(firm));
                visits.push(VisitEntry {
                    line: row.line,
                    visitor,
                    firm,
                    visit,
                    pair: pairs.get(&key).copied(),
                    sequence: sq,
                });
            }
            continue;
        }
        let slot = slots.get(sv.as_str()).copied();
        if slot.is_none() {
            let mut d = f.diag(&cell("slot"), format!("unknown slot '{sv}'"));
            if let Some(s) = suggest(&sv, slots.keys().copied()) {
                d = d.hint(format!("did you mean '{s}'? slots are listed in slots.csv"));
            }
            pr.error(d);
        }
        if let Some(s) = slot {
            let sl = event.slot(s);
            for (col, expected) in [
                ("day", sl.day.to_string()),
                ("start", sl.start.to_string()),
                ("end", sl.end.to_string()),
            ] {
                let got = value(col);
                let same = match col {
                    "day" => Date::parse(&got) == Some(sl.day),
                    "start" => Time::parse(&got) == Some(sl.start),
                    _ => Time::parse(&got) == Some(sl.end),
                };
                if f.has_column(col) && !got.is_empty() && !same {
                    pr.error(
                        f.diag(&cell(col), format!("{col} '{got}' does not match slot {} ({expected})", sl.id))
                            .hint("to move a meeting, change its slot id; day, start and end follow the slot"),
                    );
                }
            }
        }
        let tv = value("table");
        let table = if tv.is_empty() {
            None
        } else {
            match tables.get(tv.as_str()) {
                Some(&t) => Some(t),
                None if !event.tables_limited => None,
                None => {
                    let mut d = f.diag(&cell("table"), format!("unknown table '{tv}'"));
                    if let Some(s) = suggest(&tv, tables.keys().copied()) {
                        d = d.hint(format!("did you mean '{s}'?"));
                    }
                    pr.error(d);
                    None
                }
            }
        };
        if event.tables_limited && tv.is_empty() {
            pr.error(
                f.diag(&cell("table"), "meeting without a table")
                    .hint("every meeting needs a table from tables.csv"),
            );
        }
        let iv = value("interpreter");
        let interpreter = if iv.is_empty() {
            None
        } else {
            match event.interpreters.iter().position(|k| k.id == iv) {
                Some(k) => Some(Id::new(k)),
                None => {
                    let mut d = f.diag(&cell("interpreter"), format!("unknown interpreter '{iv}'"));
                    if let Some(s) = suggest(&iv, event.interpreters.iter().map(|k| k.id.as_str()))
                    {
                        d = d.hint(format!(
                            "did you mean '{s}'? interpreters are listed in interpreters.csv"
                        ));
                    } else {
                        d = d.hint("interpreters are listed in interpreters.csv; leave the cell blank for none");
                    }
                    pr.error(d);
                    None
                }
            }
        };
        let locked = matches!(
            value("locked").to_lowercase().as_str(),
            "yes" | "true" | "1" | "x" | "locked" | "sì" | "si" | "vero"
        );
        let sq = value("sequence");
        let sequence = if sq.is_empty() {
            0
        } else {
            match sq.parse::<u32>() {
                Ok(n) => n,
                Err(_) => {
                    pr.error(
                        f.diag(
                            &cell("sequence"),
                            format!("sequence '{sq}' is not a whole number"),
                        )
                        .hint("leave it as the plan wrote it, or empty (0)"),
                    );
                    0
                }
            }
        };
        let ([Some(a), Some(b)], Some(slot)) = (ends, slot) else {
            continue;
        };
        if a == b {
            pr.error(f.diag(
                &cell("participant_b"),
                format!("'{}' cannot meet itself", event.part(a).id),
            ));
            continue;
        }
        let key = (a.min(b), a.max(b));
        if let Some(first) = seen_pair.insert(key, row.line) {
            clashes.push(on_row(
                format!(
                    "{}-{} meet twice (also at line {first})",
                    event.part(a).id,
                    event.part(b).id
                ),
                "a pair meets at most once; delete one of the rows",
            ));
        }
        for p in [a, b] {
            if let Some(first) = over_capacity(&mut load, (p, slot), event.part(p).reps, row.line) {
                clashes.push(on_row(
                    format!(
                        "{} is booked twice in slot {} (also at line {first})",
                        event.part(p).id,
                        event.slot(slot).id
                    ),
                    "a participant holds one meeting per slot (a firm as many as its reps)",
                ));
            }
        }
        if let Some(t) = table {
            let cap = event.table(t).owner.map_or(1, |o| event.part(o).reps);
            if let Some(first) = over_capacity(&mut table_load, (t, slot), cap, row.line) {
                clashes.push(on_row(
                    format!(
                        "table {} holds two meetings in slot {} (also at line {first})",
                        event.table(t).id,
                        event.slot(slot).id
                    ),
                    "give one of the meetings another table or slot",
                ));
            }
        }
        entries.push(Entry {
            line: row.line,
            a,
            b,
            pair: pairs.get(&key).copied(),
            slot,
            table,
            locked,
            sequence,
            interpreter,
        });
    }
    for (id, (column, lines)) in unknown {
        let shown: Vec<String> = lines.iter().take(5).map(u64::to_string).collect();
        let more = match lines.len() {
            n if n > 5 => format!(" and {} more", n - 5),
            _ => String::new(),
        };
        let what = if lines.len() == 1 { "line" } else { "lines" };
        let mut hint = format!(
            "if {id} cancelled, keep its row in buyers.csv / firms.csv and list it in \
             cancellations.csv (column participant): the re-plan then frees its meetings"
        );
        if let Some(s) = suggest(&id, parts.keys().copied()).filter(|s| *s != id) {
            hint = format!("did you mean '{s}'? {hint}");
        }
        let cell = crate::event::sheet::Cell {
            value: "",
            line: lines[0],
            column,
        };
        pr.error(
            f.diag(
                &cell,
                format!(
                    "participant '{id}' is not in the event ({what} {}{more} of this schedule)",
                    shown.join(", ")
                ),
            )
            .hint(hint),
        );
    }
    if pr.has_errors() {
        pr.errors.extend(clashes);
        pr.errors.sort_by_key(|d| d.line);
        return Err(InvalidInput {
            subject: "schedule",
            errors: pr.errors,
        });
    }
    Ok(Schedule {
        file,
        sheet: f.sheet.clone(),
        entries,
        clashes,
        warnings: pr.warnings,
        visits,
    })
}
