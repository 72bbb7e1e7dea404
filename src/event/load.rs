//! An event's lists (CSV files or sheets) → a checked `Event`. Every problem is collected with
//! its file, line (or sheet and cell) and column; the load fails only after all lists were
//! read, so one run lists everything to fix.

use super::files::EventFiles;
use super::sheet::{self, opt, req, Column, Sheet as CsvFile};
use super::time::{parse_spec_list, serial_day, Date, SlotSpec, Time};
use super::{Event, Organiser, Pair, PartId, Participant, Session, Side, Slot, Table, TableId};
use crate::diag::{suggest, Diagnostic, InvalidInput, Problems};
use crate::id::Id;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

const SLOT_COLUMNS: &[Column] = &[
    req("id"),
    req("day"),
    req("start"),
    req("end"),
    opt("venue"),
];
const TABLE_COLUMNS: &[Column] = &[req("id"), opt("venue")];
const BUYER_COLUMNS: &[Column] = &[
    req("id"),
    req("name"),
    req("company"),
    req("country"),
    opt("email"),
    opt("languages"),
    opt("max_meetings"),
    opt("min_meetings"),
    opt("unavailable"),
    opt("role"),
];
const FIRM_COLUMNS: &[Column] = &[
    req("id"),
    req("name"),
    opt("contact"),
    opt("email"),
    opt("table"),
    opt("reps"),
    opt("languages"),
    opt("max_meetings"),
    opt("unavailable"),
    opt("company"),
    opt("country"),
    opt("role"),
    opt("venue"),
];
const PREF_COLUMNS: &[Column] = &[
    req("from"),
    req("to"),
    opt("interest"),
    opt("organiser"),
    opt("when"),
    opt("kind"),
];

/// Limits that turn absurd inputs into a clear error instead of an exhausted machine.
const MAX_PARTICIPANTS: usize = 100_000;
const MAX_SLOTS: usize = 5_000;
const MAX_TABLES: usize = 50_000;
const MAX_PREFERENCES: usize = 5_000_000;
const MAX_REPS: u32 = 100;

pub(crate) struct Loaded {
    pub event: Event,
    pub warnings: Vec<Diagnostic>,
    /// Rows of cancellations.csv applied (0 without the file).
    pub cancellations: usize,
}

/// Loads and checks the event in `dir`; warnings are dropped.
pub(crate) fn load(dir: &Path) -> Result<Event, InvalidInput> {
    load_with_warnings(dir).map(|l| l.event)
}

/// Loads the event at `path`: a folder of lists or one workbook.
pub(crate) fn load_with_warnings(path: &Path) -> Result<Loaded, InvalidInput> {
    let mut pr = Problems::default();
    let Some(mut files) = EventFiles::open(path, &mut pr) else {
        return Err(InvalidInput {
            subject: "event",
            errors: pr.errors,
        });
    };
    let mut order = Vec::new();
    let mut l = Loader {
        files: &mut files,
        pr: &mut pr,
        order: &mut order,
        venues: super::venues::VenueBook::default(),
    };
    l.read_venues();
    let tables_file = l.files.has("tables");
    let tables = if tables_file {
        l.read("tables", TABLE_COLUMNS, MAX_TABLES)
            .map(|f| l.tables(&f))
    } else {
        Some(Vec::new())
    };
    let slots = l
        .read("slots", SLOT_COLUMNS, MAX_SLOTS)
        .and_then(|f| l.slots(&f));
    let buyers = l.read("buyers", BUYER_COLUMNS, MAX_PARTICIPANTS);
    let firms = l.read("firms", FIRM_COLUMNS, MAX_PARTICIPANTS);
    let prefs = l.read("preferences", PREF_COLUMNS, MAX_PREFERENCES);
    let info = super::info::read(l.files, l.pr, l.order);

    // Later checks need the earlier files; without them they would only repeat the problem.
    let (Some(mut tables), Some((slots, sessions)), Some(buyers), Some(firms)) =
        (tables, slots, buyers, firms)
    else {
        return Err(InvalidInput {
            subject: "event",
            errors: sorted(&order, pr.errors),
        });
    };
    let slot_ids = SlotIndex::new(&slots);
    let mut participants = Vec::new();
    let mut ids: HashMap<String, (PartId, String, u64)> = HashMap::new();
    l.participants(
        &buyers,
        Side::Buyer,
        &slot_ids,
        &mut tables,
        tables_file,
        &mut participants,
        &mut ids,
    );
    l.participants(
        &firms,
        Side::Firm,
        &slot_ids,
        &mut tables,
        tables_file,
        &mut participants,
        &mut ids,
    );
    if participants.len() > MAX_PARTICIPANTS {
        l.pr.error(Diagnostic::file(
            &l.files.shown_name("buyers"),
            format!(
                "{} participants: more than the limit of {MAX_PARTICIPANTS}",
                participants.len()
            ),
        ));
    }
    // An id rejected above would come back here as "unknown participant": a mere echo.
    let check_refs = !l.pr.has_errors();
    let programme = l.programme(&participants, &ids);
    let visits = l.visits(&participants, &ids);
    let travel = l.read_travel();
    let pairs = match prefs {
        Some(f) => l.preferences(&f, &participants, &ids, &slot_ids, check_refs, &visits),
        None => Vec::new(),
    };
    let venues = std::mem::take(&mut l.venues.venues);
    let interpreters_listed = l.files.has("interpreters");
    let interpreters = if interpreters_listed {
        match l.read(
            "interpreters",
            super::interpreters::INTERPRETER_COLUMNS,
            MAX_PARTICIPANTS,
        ) {
            Some(f) => super::interpreters::read(
                &f,
                &|list| slot_ids.resolve(list),
                &|id| ids.get(id).map(|(_, place, _)| place.clone()),
                slots.len(),
                l.pr,
            ),
            None => Vec::new(),
        }
    } else {
        Vec::new()
    };
    if pr.has_errors() {
        return Err(InvalidInput {
            subject: "event",
            errors: sorted(&order, pr.errors),
        });
    }
    let mut event = Event {
        slots,
        sessions,
        tables,
        tables_limited: tables_file,
        participants,
        pairs,
        info,
        venues,
        travel: travel.as_ref().map(|(t, _)| t.clone()),
        programme,
        visits,
        interpreters,
        interpreters_listed,
    };
    if let Some((_, file)) = &travel {
        for m in super::venues::missing_travel(&event) {
            pr.error(
                Diagnostic::file(file, m)
                    .hint("add a row from,to,minutes for these two venues to travel.csv"),
            );
        }
        if pr.has_errors() {
            return Err(InvalidInput {
                subject: "event",
                errors: pr.errors,
            });
        }
    }
    // Cancellations are part of the event: every command (plan, check, replan, export) sees
    // a cancelled participant as unavailable, never only the one that remembered to read them.
    let cancellations = super::cancellations::apply(&mut files, &mut event, &mut pr);
    if pr.has_errors() {
        return Err(InvalidInput {
            subject: "event",
            errors: pr.errors,
        });
    }
    Ok(Loaded {
        event,
        warnings: pr.warnings,
        cancellations,
    })
}

pub(super) struct Loader<'a> {
    pub(super) files: &'a mut EventFiles,
    pub(super) pr: &'a mut Problems,
    /// The lists read, in order (file and sheet), to sort the problems in reading order.
    order: &'a mut Vec<(String, Option<String>)>,
    /// The venues met so far (venues.csv, or every name).
    pub(super) venues: super::venues::VenueBook,
}

/// Slot lookups for `unavailable` / `when`.
struct SlotIndex<'a> {
    slots: &'a [Slot],
    by_id: HashMap<&'a str, usize>,
}

impl<'a> SlotIndex<'a> {
    fn new(slots: &'a [Slot]) -> Self {
        let by_id = slots
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        SlotIndex { slots, by_id }
    }

    /// Marks the slots the list names. Errors for unknown slot ids; warnings for a day or a
    /// range that holds no slot.
    fn resolve(&self, list: &str) -> Result<(Vec<bool>, Vec<String>), String> {
        let mut mask = vec![false; self.slots.len()];
        let mut warnings = Vec::new();
        for spec in parse_spec_list(list)? {
            let before = mask.iter().filter(|&&m| m).count();
            match &spec {
                SlotSpec::Slot(id) => match self.by_id.get(id.as_str()) {
                    Some(&i) => mask[i] = true,
                    // Excel's serial number of a day (a date cell saved as a number), when it
                    // is no slot id.
                    None if serial_day(id).is_some() => {
                        let d = serial_day(id);
                        for (i, s) in self.slots.iter().enumerate() {
                            mask[i] |= Some(s.day) == d;
                        }
                    }
                    None => {
                        let mut msg = format!("unknown slot '{id}'");
                        if let Some(s) = suggest(id, self.by_id.keys().copied()) {
                            msg.push_str(&format!(" (did you mean '{s}'?)"));
                        }
                        return Err(msg);
                    }
                },
                SlotSpec::Day(d) => {
                    for (i, s) in self.slots.iter().enumerate() {
                        mask[i] |= s.day == *d;
                    }
                }
                SlotSpec::Range(d, from, to) => {
                    for (i, s) in self.slots.iter().enumerate() {
                        mask[i] |= s.day == *d && s.start >= *from && s.end <= *to;
                    }
                }
            }
            if mask.iter().filter(|&&m| m).count() == before && !matches!(spec, SlotSpec::Slot(_)) {
                warnings.push(format!("'{}' holds no slot of the event", spec_text(&spec)));
            }
        }
        Ok((mask, warnings))
    }
}

fn spec_text(spec: &SlotSpec) -> String {
    match spec {
        SlotSpec::Slot(s) => s.clone(),
        SlotSpec::Day(d) => d.to_string(),
        SlotSpec::Range(d, a, b) => format!("{d} {a}-{b}"),
    }
}

pub(super) const SPEC_HINT: &str =
    "list slot ids, days (2027-03-11) or time ranges (2027-03-11 14:30-16:00), separated by ';'";

/// Checks an id: letters, digits, `-`, `_`, `.`; not `.` or `..` (ids become file names).
pub(super) fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("id is empty".into());
    }
    if id.chars().count() > 64 {
        return Err(format!("id '{id}' is longer than 64 characters"));
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-_.".contains(*c)))
    {
        let what = if c == ' ' {
            "a space".to_string()
        } else {
            format!("'{c}'")
        };
        return Err(format!("id '{id}' contains {what}"));
    }
    if id.chars().all(|c| c == '.') {
        return Err(format!("id '{id}' is not a name"));
    }
    Ok(())
}
pub(super) const ID_HINT: &str = "ids may use letters, digits, '-', '_' and '.'";

fn parse_count(s: &str, max: u32) -> Option<u32> {
    s.parse::<u32>().ok().filter(|&n| n <= max)
}

/// `high|medium|low` or `3|2|1` (also Italian `alta|media|bassa`); blank is medium.
fn parse_interest(s: &str) -> Option<u32> {
    match s.to_lowercase().as_str() {
        "" | "medium" | "2" | "media" | "medio" => Some(2),
        "high" | "3" | "alta" | "alto" => Some(3),
        "low" | "1" | "bassa" | "basso" => Some(1),
        _ => None,
    }
}

/// The word for an interest, in messages.
fn interest_word(v: u32) -> &'static str {
    match v {
        3 => "high",
        1 => "low",
        _ => "medium",
    }
}

fn parse_organiser(s: &str) -> Option<Organiser> {
    match s.to_lowercase().as_str() {
        "" => Some(Organiser::Free),
        "required" | "obbligatorio" => Some(Organiser::Required),
        "forbidden" | "vietato" => Some(Organiser::Forbidden),
        _ => None,
    }
}

/// Splits a `;`-list of languages (`,` accepted too).
pub(super) fn parse_id_list(s: &str) -> Vec<String> {
    s.split([';', ','])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

impl Loader<'_> {
    pub(super) fn read(&mut self, list: &str, spec: &[Column], max_rows: usize) -> Option<CsvFile> {
        self.order.push(self.files.origin(list));
        let f = self.files.read(list, spec, self.pr)?;
        self.order.push((f.name.clone(), f.sheet.clone()));
        if f.rows.len() > max_rows {
            self.pr.error(f.whole(format!(
                "{} rows: more than the limit of {max_rows}",
                f.rows.len()
            )));
            return None;
        }
        Some(f)
    }

    /// Checks a cell holding an id; records the problem and returns `None` when it is bad.
    /// Whether `id` (compared as `key`) was an earlier row's id in this file: then reported
    /// with that row's line (the caller skips the row); otherwise recorded. `what` names the
    /// id in the message ("table id"), `noun` the thing in the hint ("table").
    pub(super) fn repeated_id(
        &mut self,
        f: &CsvFile,
        row: &sheet::Row,
        seen: &mut HashMap<String, u64>,
        (id, key): (&str, String),
        (what, noun): (&str, &str),
    ) -> bool {
        if let Some(first) = seen.get(&key) {
            let c = f.cell(row, "id");
            self.pr.error(
                f.diag(
                    &c,
                    format!("duplicate {what} '{id}' (first at line {first})"),
                )
                .hint(format!("every {noun} needs its own id")),
            );
            return true;
        }
        seen.insert(key, row.line);
        false
    }

    pub(super) fn id_cell(&mut self, f: &CsvFile, row: &sheet::Row, col: &str) -> Option<String> {
        let c = f.cell(row, col);
        match check_id(c.value) {
            Ok(()) => Some(c.value.to_string()),
            Err(m) => {
                self.pr.error(f.diag(&c, m).hint(ID_HINT));
                None
            }
        }
    }

    fn tables(&mut self, f: &CsvFile) -> Vec<Table> {
        let mut out: Vec<Table> = Vec::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        for row in &f.rows {
            let Some(id) = self.id_cell(f, row, "id") else {
                continue;
            };
            if self.repeated_id(f, row, &mut seen, (&id, id.clone()), ("table id", "table")) {
                continue;
            }
            let venue = Some(f.cell(row, "venue").value.to_string()).filter(|v| !v.is_empty());
            self.venue_cell(f, row, "venue");
            out.push(Table {
                id,
                venue,
                owner: None,
            });
        }
        out
    }

    fn slots(&mut self, f: &CsvFile) -> Option<(Vec<Slot>, Vec<Session>)> {
        let errors_before = self.pr.errors.len();
        let mut rows: Vec<(Slot, u64)> = Vec::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        for row in &f.rows {
            let id = self.id_cell(f, row, "id");
            let day_c = f.cell(row, "day");
            let day = match Date::read(day_c.value) {
                Ok(d) => Some(d),
                Err(bad) => {
                    self.pr.error(f.diag(&day_c, bad.message).hint(bad.hint));
                    None
                }
            };
            let mut times = [None, None];
            for (k, col) in ["start", "end"].into_iter().enumerate() {
                let c = f.cell(row, col);
                match Time::read(c.value) {
                    Ok(t) => times[k] = Some(t),
                    Err(bad) => self.pr.error(
                        f.diag(&c, format!("{} in column '{col}'", bad.message))
                            .hint(bad.hint),
                    ),
                }
            }
            let (Some(id), Some(day), [Some(start), Some(end)]) = (id, day, times) else {
                continue;
            };
            if end <= start {
                let c = f.cell(row, "end");
                self.pr.error(
                    f.diag(
                        &c,
                        format!("slot '{id}' ends at {end}, not after its start {start}"),
                    )
                    .hint("a slot's end must be later than its start"),
                );
                continue;
            }
            if self.repeated_id(f, row, &mut seen, (&id, id.clone()), ("slot id", "slot")) {
                continue;
            }
            let venue = Some(f.cell(row, "venue").value.to_string()).filter(|v| !v.is_empty());
            self.venue_cell(f, row, "venue");
            rows.push((
                Slot {
                    id,
                    day,
                    start,
                    end,
                    venue,
                    session: 0,
                },
                row.line,
            ));
        }
        if rows.is_empty() && self.pr.errors.len() == errors_before {
            self.pr.error(
                f.whole("no slots")
                    .hint("add one row per meeting slot: id,day,start,end"),
            );
        }
        rows.sort_by_key(|(s, _)| (s.day, s.start, s.end));
        for w in rows.windows(2) {
            let ((prev, pl), (cur, cl)) = (&w[0], &w[1]);
            if prev.day == cur.day && cur.start < prev.end {
                self.pr.error(
                    f.at(
                        *cl,
                        format!(
                            "slot '{}' ({} {}-{}) overlaps slot '{}' at line {pl} ({}-{})",
                            cur.id, cur.day, cur.start, cur.end, prev.id, prev.start, prev.end
                        ),
                    )
                    .hint("slots of one day must not overlap; a participant meets once per slot"),
                );
            }
        }
        if self.pr.errors.len() > errors_before {
            return None;
        }
        let mut slots: Vec<Slot> = rows.into_iter().map(|(s, _)| s).collect();
        let mut sessions: Vec<Session> = Vec::new();
        for i in 0..slots.len() {
            let joins =
                i > 0 && slots[i - 1].day == slots[i].day && slots[i - 1].end == slots[i].start;
            if !joins {
                sessions.push(Session {
                    day: slots[i].day,
                    slots: i..i,
                });
            }
            let last = sessions.last_mut().expect("a session was pushed");
            last.slots.end = i + 1;
            slots[i].session = sessions.len() - 1;
        }
        Some((slots, sessions))
    }

    #[allow(clippy::too_many_arguments)]
    fn participants(
        &mut self,
        f: &CsvFile,
        side: Side,
        slot_ids: &SlotIndex,
        tables: &mut Vec<Table>,
        tables_file: bool,
        out: &mut Vec<Participant>,
        ids: &mut HashMap<String, (PartId, String, u64)>,
    ) {
        let n_slots = slot_ids.slots.len();
        for row in &f.rows {
            let Some(id) = self.id_cell(f, row, "id") else {
                continue;
            };
            if let Some((_, first, _)) = ids.get(&id) {
                let c = f.cell(row, "id");
                self.pr.error(
                    f.diag(
                        &c,
                        format!("duplicate participant id '{id}' (first at {first})"),
                    )
                    .hint("every buyer and firm needs its own id, across both files"),
                );
                continue;
            }
            let name_c = f.cell(row, "name");
            if name_c.value.is_empty() {
                self.pr.error(
                    f.diag(&name_c, format!("{} '{id}' has no name", side.word()))
                        .hint("the name is printed on every agenda"),
                );
            }
            let mut count = |col: &str, min: u32, max: u32| -> Option<u32> {
                let c = f.cell(row, col);
                if c.value.is_empty() {
                    return None;
                }
                let v = parse_count(c.value, max).filter(|&v| v >= min);
                if v.is_none() {
                    self.pr.error(
                        f.diag(&c, format!("bad {col} '{}'", c.value))
                            .hint(format!("write a whole number from {min} to {max}")),
                    );
                }
                v
            };
            let reps = count("reps", 1, MAX_REPS).unwrap_or(1);
            let max_meetings = count("max_meetings", 0, 100_000);
            let min_meetings = count("min_meetings", 0, 100_000);
            if let (Some(lo), Some(hi)) = (min_meetings, max_meetings) {
                if lo > hi {
                    let c = f.cell(row, "min_meetings");
                    self.pr.error(
                        f.diag(&c, format!("min_meetings {lo} is above max_meetings {hi}"))
                            .hint("lower min_meetings or raise max_meetings"),
                    );
                }
            }
            let un = f.cell(row, "unavailable");
            let available = match slot_ids.resolve(un.value) {
                Ok((mask, warnings)) => {
                    for w in warnings {
                        self.pr.warn(f.diag(&un, format!("unavailable: {w}")));
                    }
                    mask.iter().map(|&m| !m).collect()
                }
                Err(m) => {
                    self.pr
                        .error(f.diag(&un, format!("bad unavailable: {m}")).hint(SPEC_HINT));
                    vec![true; n_slots]
                }
            };
            let premises = self.venue_cell(f, row, "venue");
            let pid: PartId = Id::new(out.len());
            let mut table = None;
            let tc = f.cell(row, "table");
            if !tc.value.is_empty() {
                match tables.iter().position(|t| t.id == tc.value) {
                    Some(t) => {
                        if let Some(owner) = tables[t].owner {
                            self.pr.error(
                                f.diag(
                                    &tc,
                                    format!(
                                        "table '{}' is already the table of '{}'",
                                        tc.value,
                                        out[owner.index()].id
                                    ),
                                )
                                .hint("a fixed table belongs to one firm; give each firm its own"),
                            );
                        } else {
                            tables[t].owner = Some(pid);
                            table = Some(Id::new(t));
                        }
                    }
                    None if tables_file => {
                        let mut d = f.diag(&tc, format!("unknown table '{}'", tc.value));
                        if let Some(s) = suggest(tc.value, tables.iter().map(|t| t.id.as_str())) {
                            d = d.hint(format!(
                                "did you mean '{s}'? tables are listed in tables.csv"
                            ));
                        } else {
                            d = d.hint("add it to tables.csv");
                        }
                        self.pr.error(d);
                    }
                    // Without tables.csv the tables are the firms' own, as firms.csv names
                    // them: the other meetings need none.
                    None => match check_id(tc.value) {
                        Ok(()) => {
                            table = Some(Id::new(tables.len()));
                            tables.push(Table {
                                id: tc.value.to_string(),
                                venue: None,
                                owner: Some(pid),
                            });
                        }
                        Err(m) => self.pr.error(f.diag(&tc, m).hint(ID_HINT)),
                    },
                }
            }
            ids.insert(id.clone(), (pid, f.place(row.line), row.line));
            let text = |col: &str| f.cell(row, col).value.to_string();
            let name = if name_c.value.is_empty() {
                id.clone()
            } else {
                name_c.value.to_string()
            };
            out.push(Participant {
                name: if name_c.value.is_empty() {
                    id.clone()
                } else {
                    name_c.value.to_string()
                },
                id,
                side,
                // A firm is its own company unless told otherwise (agendas show both columns).
                company: match (side, text("company")) {
                    (Side::Firm, c) if c.is_empty() => name.clone(),
                    (_, c) => c,
                },
                country: text("country"),
                contact: text("contact"),
                email: text("email"),
                languages: super::interpreters::parse_languages(f, row, "languages", self.pr),
                table,
                reps,
                max_meetings,
                min_meetings,
                available,
                cancelled: false,
                role: text("role"),
                premises,
            });
        }
    }

    fn preferences(
        &mut self,
        f: &CsvFile,
        parts: &[Participant],
        ids: &HashMap<String, (PartId, String, u64)>,
        slot_ids: &SlotIndex,
        check_refs: bool,
        visits: &[super::Visit],
    ) -> Vec<Pair> {
        let mut pairs: Vec<Pair> = Vec::new();
        // (first, second) → pair index, plus the line that set each direction and the organiser.
        let mut index: BTreeMap<(PartId, PartId), usize> = BTreeMap::new();
        let mut dir_line: HashMap<(PartId, PartId), u64> = HashMap::new();
        let mut organiser_line: HashMap<usize, (Organiser, u64)> = HashMap::new();
        let mut unknown: BTreeMap<String, UnknownId> = BTreeMap::new();
        for row in &f.rows {
            let mut ends = [None, None];
            for (k, col) in ["from", "to"].into_iter().enumerate() {
                let c = f.cell(row, col);
                if c.value.is_empty() {
                    self.pr.error(
                        f.diag(&c, format!("'{col}' is empty"))
                            .hint("name a participant id"),
                    );
                    continue;
                }
                match ids.get(c.value) {
                    Some((p, _, _)) => ends[k] = Some(*p),
                    None if !check_refs => {}
                    // Said once per id below: a participant deleted from buyers.csv would
                    // otherwise be reported on every row of its wishes.
                    None => unknown
                        .entry(c.value.to_string())
                        .or_insert_with(|| (col, c.line, c.column, Vec::new()))
                        .3
                        .push(row.line),
                }
            }
            let ic = f.cell(row, "interest");
            let interest = parse_interest(ic.value);
            if interest.is_none() {
                self.pr.error(
                    f.diag(&ic, format!("unknown interest '{}'", ic.value))
                        .hint("write high, medium or low (or 3, 2, 1); blank means medium"),
                );
            }
            let oc = f.cell(row, "organiser");
            let organiser = parse_organiser(oc.value);
            if organiser.is_none() {
                let mut d = f.diag(&oc, format!("unknown organiser value '{}'", oc.value));
                d = match suggest(oc.value, ["required", "forbidden"]) {
                    Some(s) => d.hint(format!(
                        "did you mean '{s}'? write required, forbidden or leave it blank"
                    )),
                    None => d.hint("write required, forbidden or leave it blank"),
                };
                self.pr.error(d);
            }
            let wc = f.cell(row, "when");
            let when = match slot_ids.resolve(wc.value) {
                Ok((mask, warnings)) => {
                    for w in &warnings {
                        self.pr.warn(f.diag(&wc, format!("when: {w}")));
                    }
                    if wc.value.trim().is_empty() {
                        None
                    } else {
                        Some(mask)
                    }
                }
                Err(m) => {
                    self.pr
                        .error(f.diag(&wc, format!("bad when: {m}")).hint(SPEC_HINT));
                    None
                }
            };
            let kc = f.cell(row, "kind");
            let visit = match kc.value.trim().to_lowercase().as_str() {
                "" | "meeting" | "incontro" => Some(false),
                "visit" | "visita" => Some(true),
                _ => {
                    self.pr.error(
                        f.diag(&kc, format!("unknown kind '{}'", kc.value))
                            .hint("write meeting or visit; blank means meeting"),
                    );
                    None
                }
            };
            let ([Some(from), Some(to)], Some(interest), Some(organiser), Some(visit)) =
                (ends, interest, organiser, visit)
            else {
                continue;
            };
            let visit_host = if visit {
                let host = [to, from]
                    .into_iter()
                    .find(|&p| parts[p.index()].side == Side::Firm);
                match host {
                    Some(h) if visits.iter().any(|v| v.firm == h) => Some(h),
                    Some(h) => {
                        self.pr.error(
                            f.diag(
                                &kc,
                                format!("'{}' offers no visit", parts[h.index()].id),
                            )
                            .hint("list the firm's visits in visits.csv, or make this row a meeting"),
                        );
                        continue;
                    }
                    None => {
                        self.pr.error(
                            f.diag(&kc, "a visit needs a firm to visit")
                                .hint("visits are to the firms of firms.csv"),
                        );
                        continue;
                    }
                }
            } else {
                None
            };
            if from == to {
                let c = f.cell(row, "to");
                self.pr.error(
                    f.diag(
                        &c,
                        format!("'{}' cannot meet itself", parts[from.index()].id),
                    )
                    .hint("from and to must be two different participants"),
                );
                continue;
            }
            // A repeated row of one direction still carries what it says: an organiser flag,
            // a `when`, or another interest. Only a row that adds nothing is worth a warning.
            let repeat = dir_line.get(&(from, to)).copied();
            dir_line.entry((from, to)).or_insert(row.line);
            let key = (from.min(to), from.max(to));
            let k = *index.entry(key).or_insert_with(|| {
                let (a, b) = orient(parts, from, to);
                let host_table = host(parts, from, to);
                pairs.push(Pair {
                    a,
                    b,
                    interest_ab: None,
                    interest_ba: None,
                    organiser: Organiser::Free,
                    when: vec![true; slot_ids.slots.len()],
                    host_table,
                    cancelled: false,
                    visit_host: None,
                });
                pairs.len() - 1
            });
            let pair = &mut pairs[k];
            if let (Some(h), None) = (visit_host, pair.visit_host) {
                if from != to {
                    pair.visit_host = Some(h);
                }
            }
            let stated = if pair.a == from {
                &mut pair.interest_ab
            } else {
                &mut pair.interest_ba
            };
            let mut adds = repeat.is_none();
            match (*stated, repeat) {
                (None, _) => *stated = Some(interest),
                // A repeated row with a blank interest states none (a ban or a must added at
                // the bottom): the earlier interest stays.
                (Some(_), Some(_)) if ic.value.trim().is_empty() => {}
                (Some(old), Some(first)) if old != interest => {
                    self.pr.warn(
                        f.diag(
                            &ic,
                            format!(
                                "wish {} -> {}: interest '{}' replaces '{}' of line {first}",
                                parts[from.index()].id,
                                parts[to.index()].id,
                                ic.value,
                                interest_word(old)
                            ),
                        )
                        .hint("the later row is used; delete the row you do not mean"),
                    );
                    *stated = Some(interest);
                    adds = true;
                }
                _ => {}
            }
            if let Some(mask) = when {
                if pair.when.iter().zip(&mask).any(|(&w, &m)| w && !m) {
                    adds = true;
                }
                for (w, m) in pair.when.iter_mut().zip(mask) {
                    *w &= m;
                }
            }
            if organiser != Organiser::Free && pair.organiser != organiser {
                adds = true;
            }
            if let (Some(first), false) = (repeat, adds) {
                self.pr.warn(
                    f.at(
                        row.line,
                        format!(
                            "wish {} -> {} repeats line {first} and adds nothing",
                            parts[from.index()].id,
                            parts[to.index()].id
                        ),
                    )
                    .hint("delete the repeated row"),
                );
            }
            if organiser != Organiser::Free {
                match organiser_line.get(&k) {
                    Some(&(prev, line)) if prev != organiser => {
                        let (a, b) = (&parts[pair.a.index()].id, &parts[pair.b.index()].id);
                        self.pr.error(
                            f.diag(
                                &oc,
                                format!(
                                    "pair {a}-{b} is both required and forbidden (see line {line})"
                                ),
                            )
                            .hint("keep one of the two organiser values"),
                        );
                    }
                    _ => {
                        organiser_line.insert(k, (organiser, row.line));
                        pair.organiser = organiser;
                    }
                }
            }
        }
        for (id, (col, line, column, lines)) in unknown {
            let mut hint = match suggest(&id, ids.keys().map(String::as_str)) {
                Some(s) => format!("did you mean '{s}'?"),
                None => "ids are those of buyers.csv and firms.csv (case-sensitive)".to_string(),
            };
            let message = if lines.len() == 1 {
                format!("unknown participant '{id}' in column '{col}'")
            } else {
                if !hint.ends_with('?') {
                    hint.push('.');
                }
                hint.push_str(&format!(
                    " If {id} cancelled, keep its row in buyers.csv / firms.csv and list it in cancellations.csv"
                ));
                let shown: Vec<String> = lines.iter().take(5).map(u64::to_string).collect();
                let more = if lines.len() > 5 {
                    format!(" and {} more", lines.len() - 5)
                } else {
                    String::new()
                };
                format!(
                    "unknown participant '{id}' in column '{col}' ({} rows: lines {}{more})",
                    lines.len(),
                    shown.join(", ")
                )
            };
            let cell = super::sheet::Cell {
                value: "",
                line,
                column,
            };
            self.pr.error(f.diag(&cell, message).hint(hint));
        }
        if f.rows.is_empty() {
            self.pr.warn(
                f.whole("no preferences: nothing to schedule")
                    .hint("add one row per wish: from,to[,interest]"),
            );
        }
        pairs
    }
}

/// Where an unknown participant id appears in preferences.csv: its column, the first line and
/// column number, and every line.
type UnknownId = (&'static str, u64, Option<usize>, Vec<u64>);

/// Problems in reading order: lists as they were read, then by line (stable within a line).
fn sorted(order: &[(String, Option<String>)], mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let rank = |d: &Diagnostic| {
        order
            .iter()
            .position(|(file, sheet)| *file == d.file && *sheet == d.sheet)
            .unwrap_or(order.len())
    };
    errors.sort_by_key(|d| (rank(d), d.line.unwrap_or(0)));
    errors
}

/// The buyer of a buyer–firm pair comes first; otherwise the participant listed first.
fn orient(parts: &[Participant], x: PartId, y: PartId) -> (PartId, PartId) {
    match (parts[x.index()].side, parts[y.index()].side) {
        (Side::Firm, Side::Buyer) => (y, x),
        (Side::Buyer, Side::Firm) => (x, y),
        _ => (x.min(y), x.max(y)),
    }
}

/// Where a pair meets: the fixed table of its firm; of two firms with fixed tables, the table of
/// the one that was asked for (`to` of the pair's first row) — the asker walks over.
fn host(parts: &[Participant], from: PartId, to: PartId) -> Option<TableId> {
    parts[to.index()].table.or(parts[from.index()].table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked() {
        assert!(check_id("F-01_a.b").is_ok());
        assert_eq!(check_id("F 01").unwrap_err(), "id 'F 01' contains a space");
        assert_eq!(check_id("../x").unwrap_err(), "id '../x' contains '/'");
        assert!(check_id("..").is_err());
        assert!(check_id("").is_err());
    }

    #[test]
    fn words() {
        assert_eq!(parse_interest("HIGH"), Some(3));
        assert_eq!(parse_interest(""), Some(2));
        assert_eq!(parse_interest("1"), Some(1));
        assert_eq!(parse_interest("hihg"), None);
        assert_eq!(parse_organiser("Required"), Some(Organiser::Required));
        assert_eq!(parse_organiser("maybe"), None);
    }
}
