//! An independent checker: re-validates a `schedule.csv` against the event's own CSV files.
//! It shares no code with the planner (its own reading, its own rules), like pubgrub's SAT
//! oracle, so a bug in the planner's model cannot hide in the checker too.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

type Rows = Vec<HashMap<String, String>>;

/// Reads a CSV the simple way: BOM stripped, delimiter from the header line.
pub fn read_rows(path: &Path) -> Rows {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = text.trim_start_matches('\u{feff}');
    let header = text.lines().next().unwrap_or("");
    let delim = if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .from_reader(text.as_bytes());
    let names: Vec<String> = r
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            names
                .iter()
                .cloned()
                .zip(rec.iter().map(|v| {
                    let v = v.trim();
                    // our writer neutralises formulas with a leading quote
                    match v.strip_prefix('\'') {
                        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
                        _ => v.to_string(),
                    }
                }))
                .collect::<HashMap<_, _>>()
        })
        .filter(|m: &HashMap<String, String>| m.values().any(|v| !v.is_empty()))
        .collect()
}

fn get<'a>(row: &'a HashMap<String, String>, k: &str) -> &'a str {
    row.get(k).map(String::as_str).unwrap_or("")
}

struct SlotInfo {
    day: String,
    start: u32,
    end: u32,
}

fn minutes(t: &str) -> u32 {
    let t = t.replace('.', ":");
    let mut it = t.split(':');
    let h: u32 = it.next().unwrap().parse().unwrap();
    let m: u32 = it.next().unwrap().parse().unwrap();
    h * 60 + m
}

/// The slots an `unavailable` / `when` list names.
fn slots_named(list: &str, slots: &BTreeMap<String, SlotInfo>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for item in list
        .split([';', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if slots.contains_key(item) {
            out.insert(item.to_string());
            continue;
        }
        let (day, range) = (&item[..10], item[10..].trim());
        for (id, s) in slots {
            if s.day != day {
                continue;
            }
            if range.is_empty() {
                out.insert(id.clone());
            } else {
                let (a, b) = range.split_once('-').unwrap();
                if s.start >= minutes(a.trim()) && s.end <= minutes(b.trim()) {
                    out.insert(id.clone());
                }
            }
        }
    }
    out
}

/// A `languages` cell as codes: the checker's own small reading (codes, and the names in
/// English and Italian that the fixtures use).
pub fn langs(cell: &str) -> BTreeSet<String> {
    cell.split([';', ','])
        .map(|w| w.trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let code = match w.as_str() {
                "english" | "inglese" => "en",
                "italian" | "italiano" => "it",
                "german" | "tedesco" | "deutsch" => "de",
                "french" | "francese" => "fr",
                "spanish" | "spagnolo" => "es",
                "japanese" | "giapponese" => "ja",
                "arabic" | "arabo" => "ar",
                "russian" | "russo" => "ru",
                "chinese" | "cinese" => "zh",
                other => other.split(['-', '_']).next().unwrap_or(""),
            };
            code.to_string()
        })
        .collect()
}

/// Whether two participants need an interpreter: both list languages, none in common.
fn no_common(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    !a.is_empty() && !b.is_empty() && a.is_disjoint(b)
}

/// Languages of every participant of the event, by id.
pub fn languages_of(event: &Path) -> HashMap<String, BTreeSet<String>> {
    let mut out = HashMap::new();
    for file in ["buyers.csv", "firms.csv"] {
        for r in read_rows(&event.join(file)) {
            out.insert(get(&r, "id").to_string(), langs(get(&r, "languages")));
        }
    }
    out
}

struct Person {
    reps: usize,
    max: Option<usize>,
    unavailable: BTreeSet<String>,
    table: Option<String>,
}

/// Every violation of the hard rules, in words; empty when the schedule is valid.
pub fn check(event: &Path, schedule: &Path) -> Vec<String> {
    check_replan(event, schedule, None)
}

/// The same after a re-plan: `cancellations.csv` applies (a cancelled participant or pair does
/// not meet in its scope, and is no longer required), and meetings starting before `frozen`
/// ("YYYY-MM-DD HH:MM") happened: they are exempt from availability.
pub fn check_replan(event: &Path, schedule: &Path, frozen: Option<&str>) -> Vec<String> {
    let mut errs = Vec::new();
    let mut slots = BTreeMap::new();
    for r in read_rows(&event.join("slots.csv")) {
        slots.insert(
            get(&r, "id").to_string(),
            SlotInfo {
                day: get(&r, "day").to_string(),
                start: minutes(get(&r, "start")),
                end: minutes(get(&r, "end")),
            },
        );
    }
    let mut people: HashMap<String, Person> = HashMap::new();
    for (file, firm) in [("buyers.csv", false), ("firms.csv", true)] {
        for r in read_rows(&event.join(file)) {
            let reps = if firm {
                get(&r, "reps").parse().unwrap_or(1)
            } else {
                1
            };
            people.insert(
                get(&r, "id").to_string(),
                Person {
                    reps,
                    max: get(&r, "max_meetings").parse().ok(),
                    unavailable: slots_named(get(&r, "unavailable"), &slots),
                    table: Some(get(&r, "table").to_string()).filter(|t| firm && !t.is_empty()),
                },
            );
        }
    }
    let tables_file = event.join("tables.csv");
    let tables: Option<BTreeSet<String>> = tables_file.exists().then(|| {
        read_rows(&tables_file)
            .iter()
            .map(|r| get(r, "id").to_string())
            .collect()
    });
    let owner: HashMap<String, String> = people
        .iter()
        .filter_map(|(id, p)| p.table.clone().map(|t| (t, id.clone())))
        .collect();

    // Requested pairs: key = sorted ids → (required, forbidden, allowed slots).
    let mut pairs: BTreeMap<(String, String), (bool, bool, BTreeSet<String>)> = BTreeMap::new();
    let all: BTreeSet<String> = slots.keys().cloned().collect();
    for r in read_rows(&event.join("preferences.csv")) {
        let (f, t) = (get(&r, "from").to_string(), get(&r, "to").to_string());
        let key = if f < t { (f, t) } else { (t, f) };
        let e = pairs.entry(key).or_insert((false, false, all.clone()));
        match get(&r, "organiser").to_lowercase().as_str() {
            "required" => e.0 = true,
            "forbidden" => e.1 = true,
            _ => {}
        }
        let when = get(&r, "when");
        if !when.is_empty() {
            let allowed = slots_named(when, &slots);
            e.2 = e.2.intersection(&allowed).cloned().collect();
        }
    }

    let cancel_file = event.join("cancellations.csv");
    if cancel_file.exists() {
        for r in read_rows(&cancel_file) {
            let scope: BTreeSet<String> = if !get(&r, "slot").is_empty() {
                [get(&r, "slot").to_string()].into()
            } else if !get(&r, "day").is_empty() {
                slots_named(get(&r, "day"), &slots)
            } else {
                all.clone()
            };
            let whole = scope.len() == all.len();
            let who = get(&r, "participant");
            if !who.is_empty() {
                if let Some(p) = people.get_mut(who) {
                    p.unavailable.extend(scope.iter().cloned());
                }
                if whole {
                    for ((a, b), e) in pairs.iter_mut() {
                        if a == who || b == who {
                            e.0 = false;
                        }
                    }
                }
            } else {
                let (f, t) = (get(&r, "from").to_string(), get(&r, "to").to_string());
                let key = if f < t { (f, t) } else { (t, f) };
                if let Some(e) = pairs.get_mut(&key) {
                    e.0 = false;
                    e.2 = e.2.difference(&scope).cloned().collect();
                }
            }
        }
    }
    let past = |slot: &str| -> bool {
        let Some(f) = frozen else { return false };
        let (day, time) = f.split_once(' ').unwrap();
        let s = &slots[slot];
        (s.day.as_str(), s.start) < (day, minutes(time))
    };
    let mut per_slot: HashMap<(String, String), usize> = HashMap::new();
    let mut per_table: HashMap<(String, String), usize> = HashMap::new();
    let mut count: HashMap<String, usize> = HashMap::new();
    let mut met: BTreeSet<(String, String)> = BTreeSet::new();
    let mut visit_rows: Vec<(usize, HashMap<String, String>)> = Vec::new();
    let sched_rows = read_rows(schedule);
    for (n, r) in sched_rows.iter().enumerate() {
        let line = n + 2;
        if get(r, "kind") == "visit" {
            visit_rows.push((line, r.clone()));
            continue;
        }
        let (slot, a, b, table) = (
            get(r, "slot"),
            get(r, "participant_a"),
            get(r, "participant_b"),
            get(r, "table"),
        );
        let Some(s) = slots.get(slot) else {
            errs.push(format!("line {line}: unknown slot {slot}"));
            continue;
        };
        if get(r, "day") != s.day
            || minutes(get(r, "start")) != s.start
            || minutes(get(r, "end")) != s.end
        {
            errs.push(format!(
                "line {line}: day/start/end do not match slot {slot}"
            ));
        }
        let key = if a < b {
            (a.to_string(), b.to_string())
        } else {
            (b.to_string(), a.to_string())
        };
        match pairs.get(&key) {
            None => errs.push(format!("line {line}: {a}-{b} was never requested")),
            Some((_, true, _)) => errs.push(format!("line {line}: {a}-{b} is forbidden")),
            Some((_, _, allowed)) if !allowed.contains(slot) && !past(slot) => {
                errs.push(format!("line {line}: {a}-{b} outside its when ({slot})"))
            }
            _ => {}
        }
        if !met.insert(key) {
            errs.push(format!("line {line}: {a}-{b} meets twice"));
        }
        for x in [a, b] {
            let Some(p) = people.get(x) else {
                errs.push(format!("line {line}: unknown participant {x}"));
                continue;
            };
            if p.unavailable.contains(slot) && !past(slot) {
                errs.push(format!("line {line}: {x} is unavailable in {slot}"));
            }
            let c = per_slot
                .entry((x.to_string(), slot.to_string()))
                .or_default();
            *c += 1;
            if *c > p.reps {
                errs.push(format!("line {line}: {x} double-booked in {slot}"));
            }
            *count.entry(x.to_string()).or_default() += 1;
        }
        if let Some(tables) = &tables {
            if !tables.contains(table) {
                errs.push(format!("line {line}: unknown table '{table}'"));
            }
            let fixed: Vec<&String> = [a, b]
                .iter()
                .filter_map(|x| people.get(*x).and_then(|p| p.table.as_ref()))
                .collect();
            if !fixed.is_empty() && !fixed.iter().any(|t| *t == table) {
                errs.push(format!(
                    "line {line}: {a}-{b} not at a fixed table of theirs ({table})"
                ));
            }
            if fixed.is_empty() && owner.contains_key(table) {
                errs.push(format!(
                    "line {line}: {a}-{b} uses {}'s fixed table {table}",
                    owner[table]
                ));
            }
            let cap = owner.get(table).map_or(1, |o| people[o].reps);
            let c = per_table
                .entry((table.to_string(), slot.to_string()))
                .or_default();
            *c += 1;
            if *c > cap {
                errs.push(format!(
                    "line {line}: table {table} holds too many meetings in {slot}"
                ));
            }
        }
    }
    programme_rules(event, &sched_rows, &visit_rows, &mut met, &mut errs);
    for (id, p) in &people {
        if let Some(m) = p.max {
            if count.get(id).copied().unwrap_or(0) > m {
                errs.push(format!("{id} has more than max_meetings {m}"));
            }
        }
    }
    errs.extend(check_interpreters(event, schedule, &slots, &past));
    for (key, (req, _, _)) in &pairs {
        if *req && !met.contains(key) {
            errs.push(format!("required {}-{} missing", key.0, key.1));
        }
    }
    errs
}

/// The interpreter rules, when the event has interpreters.csv: a meeting whose sides share no
/// language has exactly one interpreter, who speaks a language of each side, is free in the
/// slot, sits in no other meeting of the slot and stays within max_meetings; a meeting with a
/// shared language has none. Past meetings of a re-plan are exempt from availability.
fn check_interpreters(
    event: &Path,
    schedule: &Path,
    slots: &BTreeMap<String, SlotInfo>,
    past: &dyn Fn(&str) -> bool,
) -> Vec<String> {
    let mut errs = Vec::new();
    let file = event.join("interpreters.csv");
    let rows = read_rows(schedule);
    if !file.exists() {
        for (n, r) in rows.iter().enumerate() {
            if !get(r, "interpreter").is_empty() {
                errs.push(format!(
                    "line {}: an interpreter without interpreters.csv",
                    n + 2
                ));
            }
        }
        return errs;
    }
    struct Interp {
        langs: BTreeSet<String>,
        unavailable: BTreeSet<String>,
        max: Option<usize>,
    }
    let interps: HashMap<String, Interp> = read_rows(&file)
        .iter()
        .map(|r| {
            (
                get(r, "id").to_string(),
                Interp {
                    langs: langs(get(r, "languages")),
                    unavailable: slots_named(get(r, "unavailable"), slots),
                    max: get(r, "max_meetings").parse().ok(),
                },
            )
        })
        .collect();
    let langs_of = languages_of(event);
    let none = BTreeSet::new();
    let mut busy: HashMap<(String, String), usize> = HashMap::new();
    let mut count: HashMap<String, usize> = HashMap::new();
    for (n, r) in rows.iter().enumerate() {
        let line = n + 2;
        // A company visit is a tour of the firm's premises, hosted by the firm: the interpreter
        // rule is about table meetings (README, interpreters).
        if get(r, "kind") == "visit" {
            if !get(r, "interpreter").is_empty() {
                errs.push(format!("line {line}: a visit with an interpreter"));
            }
            continue;
        }
        let (a, b, slot, k) = (
            get(r, "participant_a"),
            get(r, "participant_b"),
            get(r, "slot"),
            get(r, "interpreter"),
        );
        let (la, lb) = (
            langs_of.get(a).unwrap_or(&none),
            langs_of.get(b).unwrap_or(&none),
        );
        let needs = no_common(la, lb);
        if k.is_empty() {
            if needs {
                errs.push(format!(
                    "line {line}: {a}-{b} share no language and have no interpreter"
                ));
            }
            continue;
        }
        if !needs {
            errs.push(format!(
                "line {line}: {a}-{b} share a language but have interpreter {k}"
            ));
        }
        let Some(t) = interps.get(k) else {
            errs.push(format!("line {line}: unknown interpreter {k}"));
            continue;
        };
        if t.langs.is_disjoint(la) || t.langs.is_disjoint(lb) {
            errs.push(format!(
                "line {line}: interpreter {k} does not speak a language of both {a} and {b}"
            ));
        }
        if t.unavailable.contains(slot) && !past(slot) {
            errs.push(format!(
                "line {line}: interpreter {k} is unavailable in {slot}"
            ));
        }
        let c = busy.entry((k.to_string(), slot.to_string())).or_default();
        *c += 1;
        if *c > 1 {
            errs.push(format!(
                "line {line}: interpreter {k} in two meetings in {slot}"
            ));
        }
        *count.entry(k.to_string()).or_default() += 1;
    }
    for (id, t) in &interps {
        if let Some(m) = t.max {
            if count.get(id).copied().unwrap_or(0) > m {
                errs.push(format!("interpreter {id} has more than max_meetings {m}"));
            }
        }
    }
    errs
}

/// Meetings of a schedule whose sides share no language: (total, most in one slot, per
/// language pair "de–it" of the first languages), counted from the CSV files alone.
pub fn interpreter_need(event: &Path, schedule: &Path) -> (usize, usize, BTreeMap<String, usize>) {
    let mut first: HashMap<String, String> = HashMap::new();
    for file in ["buyers.csv", "firms.csv"] {
        for r in read_rows(&event.join(file)) {
            let cell = get(&r, "languages");
            let w = cell
                .split([';', ','])
                .map(str::trim)
                .find(|w| !w.is_empty())
                .unwrap_or("");
            first.insert(
                get(&r, "id").to_string(),
                langs(w).into_iter().next().unwrap_or_default(),
            );
        }
    }
    let langs_of = languages_of(event);
    let none = BTreeSet::new();
    let (mut total, mut per_slot, mut pairs) =
        (0, HashMap::<String, usize>::new(), BTreeMap::new());
    for r in read_rows(schedule) {
        let (a, b) = (get(&r, "participant_a"), get(&r, "participant_b"));
        if no_common(
            langs_of.get(a).unwrap_or(&none),
            langs_of.get(b).unwrap_or(&none),
        ) {
            total += 1;
            *per_slot.entry(get(&r, "slot").to_string()).or_default() += 1;
            let (x, y) = (first[a].clone(), first[b].clone());
            let key = if x <= y {
                format!("{x}–{y}")
            } else {
                format!("{y}–{x}")
            };
            *pairs.entry(key).or_default() += 1;
        }
    }
    (total, per_slot.values().copied().max().unwrap_or(0), pairs)
}

/// What the tool printed about interpreters ("interpreters: N meetings need an interpreter;
/// at most P in one slot (de–it 3, ...)"), read back; zeros when it printed none.
pub fn printed_need(text: &str) -> (usize, usize, BTreeMap<String, usize>) {
    let Some(line) = text
        .lines()
        .map(|l| l.trim_start_matches("| "))
        .find_map(|l| l.strip_prefix("interpreters"))
    else {
        return (0, 0, BTreeMap::new());
    };
    let line = line.trim_start_matches([':', ' ', '|']);
    let nums: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| !w.is_empty())
        .take(2)
        .map(|w| w.parse().unwrap())
        .collect();
    let inside = line.split_once('(').unwrap().1.split_once(')').unwrap().0;
    let pairs = inside
        .split(", ")
        .map(|p| {
            let (k, v) = p.rsplit_once(' ').unwrap();
            (k.to_string(), v.parse().unwrap())
        })
        .collect();
    (nums[0], nums[1], pairs)
}

/// The figures of a schedule, computed here from the CSV files alone (no planner code), to
/// compare with what the tool prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    pub meetings: usize,
    /// Table meetings asked for (visit requests apart).
    pub requested: usize,
    /// Visits booked, and visit requests (`kind` = visit).
    pub visits: usize,
    pub visit_requests: usize,
    pub required: usize,
    pub required_met: usize,
    pub value: u64,
    pub breaks: u64,
    pub spread: u64,
    /// "ID got of min", sorted by id, for participants below min_meetings (not cancelled).
    pub short: Vec<String>,
}

fn interest(v: &str) -> u64 {
    match v.trim().to_lowercase().as_str() {
        "high" | "3" | "alta" | "alto" => 3,
        "low" | "1" | "bassa" | "basso" => 1,
        _ => 2,
    }
}

/// Figures of `schedule` for the event in `event` (cancellations.csv applied as the README
/// says: a whole-event cancellation lifts `required` and the promised minimum).
pub fn figures(event: &Path, schedule: &Path) -> Figures {
    // Interests per direction: the first row states it (blank = medium); a later row of the
    // same direction replaces it only when it states one.
    let mut stated: HashMap<(String, String), u64> = HashMap::new();
    let mut organiser: BTreeMap<(String, String), (bool, bool)> = BTreeMap::new();
    let mut visit_keys: BTreeSet<(String, String)> = BTreeSet::new();
    for r in read_rows(&event.join("preferences.csv")) {
        let (f, t) = (get(&r, "from").to_string(), get(&r, "to").to_string());
        let i = get(&r, "interest");
        match stated.get(&(f.clone(), t.clone())) {
            Some(_) if i.trim().is_empty() => {}
            _ => {
                stated.insert((f.clone(), t.clone()), interest(i));
            }
        }
        let key = if f < t { (f, t) } else { (t, f) };
        if get(&r, "kind").eq_ignore_ascii_case("visit") {
            visit_keys.insert(key.clone());
        }
        let e = organiser.entry(key).or_insert((false, false));
        match get(&r, "organiser").to_lowercase().as_str() {
            "required" | "obbligatorio" => e.0 = true,
            "forbidden" | "vietato" => e.1 = true,
            _ => {}
        }
    }
    let mut cancelled: BTreeSet<String> = BTreeSet::new();
    let cancel_file = event.join("cancellations.csv");
    if cancel_file.exists() {
        for r in read_rows(&cancel_file) {
            let whole = get(&r, "slot").is_empty() && get(&r, "day").is_empty();
            let who = get(&r, "participant");
            if !whole {
                continue;
            }
            if !who.is_empty() {
                cancelled.insert(who.to_string());
                for ((a, b), e) in organiser.iter_mut() {
                    if a == who || b == who {
                        e.0 = false;
                    }
                }
            } else {
                let (f, t) = (get(&r, "from").to_string(), get(&r, "to").to_string());
                let key = if f < t { (f, t) } else { (t, f) };
                if let Some(e) = organiser.get_mut(&key) {
                    e.0 = false;
                }
            }
        }
    }
    // Sessions: runs of back-to-back slots of one day.
    let mut slots: Vec<(String, u32, u32, String)> = read_rows(&event.join("slots.csv"))
        .iter()
        .map(|r| {
            (
                get(r, "day").to_string(),
                minutes(get(r, "start")),
                minutes(get(r, "end")),
                get(r, "id").to_string(),
            )
        })
        .collect();
    slots.sort();
    let mut sessions: Vec<Vec<String>> = Vec::new();
    for (k, s) in slots.iter().enumerate() {
        if k == 0 || !(slots[k - 1].0 == s.0 && slots[k - 1].2 == s.1) {
            sessions.push(Vec::new());
        }
        sessions.last_mut().unwrap().push(s.3.clone());
    }
    let sched = read_rows(schedule);
    let mut engaged: BTreeSet<String> = BTreeSet::new();
    let mut count: HashMap<String, usize> = HashMap::new();
    let (mut meetings, mut value, mut required_met) = (0, 0, 0);
    for r in &sched {
        let (a, b) = (get(r, "participant_a"), get(r, "participant_b"));
        // A visit counts its pair's value (and a required one as met), not as a meeting.
        let visit = get(r, "kind") == "visit";
        if !visit {
            meetings += 1;
        }
        value += stated
            .get(&(a.to_string(), b.to_string()))
            .copied()
            .unwrap_or(0)
            + stated
                .get(&(b.to_string(), a.to_string()))
                .copied()
                .unwrap_or(0);
        let key = if a < b {
            (a.to_string(), b.to_string())
        } else {
            (b.to_string(), a.to_string())
        };
        if organiser.get(&key).is_some_and(|e| e.0) {
            required_met += 1;
        }
        engaged.insert(a.to_string());
        if visit {
            continue;
        }
        engaged.insert(b.to_string());
        for x in [a, b] {
            *count.entry(x.to_string()).or_default() += 1;
        }
    }
    // Breaks of everyone with a meeting or a visit; the spread over those with a meeting.
    let e = Engagements::read(event, &sched);
    let per_all: Vec<(String, u64)> = engaged
        .iter()
        .map(|who| (who.clone(), e.breaks(who, &sessions)))
        .collect();
    let per: Vec<u64> = per_all
        .iter()
        .filter(|(who, _)| count.contains_key(who))
        .map(|&(_, b)| b)
        .collect();
    let mut short = Vec::new();
    for file in ["buyers.csv", "firms.csv"] {
        for r in read_rows(&event.join(file)) {
            let id = get(&r, "id");
            if let Ok(min) = get(&r, "min_meetings").parse::<usize>() {
                let got = count.get(id).copied().unwrap_or(0);
                if got < min && !cancelled.contains(id) {
                    short.push(format!("{id} {got} of {min}"));
                }
            }
        }
    }
    short.sort();
    Figures {
        meetings,
        requested: organiser
            .iter()
            .filter(|(k, e)| !e.1 && !visit_keys.contains(*k))
            .count(),
        visits: sched.iter().filter(|r| get(r, "kind") == "visit").count(),
        visit_requests: organiser
            .iter()
            .filter(|(k, e)| !e.1 && visit_keys.contains(*k))
            .count(),
        required: organiser.values().filter(|e| e.0 && !e.1).count(),
        required_met,
        value,
        breaks: per_all.iter().map(|&(_, b)| b).sum(),
        spread: per.iter().max().copied().unwrap_or(0) - per.iter().min().copied().unwrap_or(0),
        short,
    }
}

/// The figures the tool printed (its stdout summary or report.md's table), read back.
pub fn printed(text: &str) -> Figures {
    // report.md escapes Markdown: `min\_meetings`.
    let text = &text.replace("\\_", "_");
    let field = |label: &str| -> String {
        text.lines()
            .find_map(|l| {
                let l = l.trim_start_matches("| ");
                l.strip_prefix(label).map(|r| {
                    r.trim_start_matches([':', ' ', '|'])
                        .trim_end_matches(" |")
                        .to_string()
                })
            })
            .unwrap_or_else(|| panic!("no '{label}' in:\n{text}"))
    };
    let num = |s: &str, k: usize| -> u64 {
        s.split(|c: char| !c.is_ascii_digit())
            .filter(|w| !w.is_empty())
            .nth(k)
            .unwrap_or_else(|| panic!("no number {k} in '{s}'"))
            .parse()
            .unwrap()
    };
    let (sched, req, val, br) = (
        field("meetings scheduled"),
        field("required met"),
        field("value"),
        field("breaks"),
    );
    let short = text
        .lines()
        .find_map(|l| l.trim_start_matches("| ").strip_prefix("minimum meetings"))
        .and_then(|r| {
            let r = r.trim_start_matches([':', ' ', '|']).trim_end_matches(" |");
            r.strip_prefix("below min_meetings: ")
        })
        .map(|r| {
            let mut v: Vec<String> = r.split(", ").map(str::to_string).collect();
            v.sort();
            v
        })
        .unwrap_or_default();
    // Shown only when visits were asked for.
    let visits = text
        .lines()
        .find_map(|l| l.trim_start_matches("| ").strip_prefix("company visits"))
        .map(|r| (num(r, 0) as usize, num(r, 1) as usize))
        .unwrap_or((0, 0));
    Figures {
        meetings: num(&sched, 0) as usize,
        requested: num(&sched, 1) as usize,
        visits: visits.0,
        visit_requests: visits.1,
        required_met: num(&req, 0) as usize,
        required: num(&req, 1) as usize,
        value: num(&val, 0),
        breaks: num(&br, 0),
        spread: br.rsplit(' ').next().unwrap().parse().unwrap(),
        short,
    }
}

/// One engagement of a person: day, start, end (minutes), venue id, what, and whether it is a
/// row of the schedule (fixed ones — programme items, a firm's own visits — are not).
struct Held {
    day: String,
    start: u32,
    end: u32,
    venue: String,
    what: String,
    row: bool,
    slot: String,
}

/// Everyone's engagements from the CSV files alone: meetings and visits of the schedule,
/// programme items of those concerned, each firm's own visits; with the venues, travel times,
/// slots and visits they were read from.
struct Engagements {
    held: BTreeMap<String, Vec<Held>>,
    travel: HashMap<(String, String), u32>,
    has_travel: bool,
    /// Slot id → (day, start, end, venue).
    slots: HashMap<String, (String, u32, u32, String)>,
    /// Visit id → (firm, day, start, end, capacity, venue).
    visits: HashMap<String, (String, String, u32, u32, usize, String)>,
    /// Visits called off in cancellations.csv: nobody goes, the firm is free.
    called_off: BTreeSet<String>,
}

impl Engagements {
    fn read(event: &Path, sched: &Rows) -> Engagements {
        let opt = |name: &str| -> Rows {
            let p = event.join(name);
            if p.exists() {
                read_rows(&p)
            } else {
                Vec::new()
            }
        };
        // Venue names → ids (a venue may be named by its id or its name).
        let mut venue_id: HashMap<String, String> = HashMap::new();
        for r in opt("venues.csv") {
            let id = get(&r, "id").to_lowercase();
            venue_id.insert(id.clone(), id.clone());
            venue_id.insert(get(&r, "name").to_lowercase(), id);
        }
        let venue = |s: &str| -> String {
            let s = s.trim().to_lowercase();
            venue_id.get(&s).cloned().unwrap_or(s)
        };
        let mut travel: HashMap<(String, String), u32> = HashMap::new();
        let mut stated: BTreeSet<(String, String)> = BTreeSet::new();
        let trows = opt("travel.csv");
        for r in &trows {
            let (a, b) = (venue(get(r, "from")), venue(get(r, "to")));
            stated.insert((a.clone(), b.clone()));
            travel.insert((a, b), get(r, "minutes").parse().unwrap());
        }
        for r in &trows {
            let (a, b) = (venue(get(r, "from")), venue(get(r, "to")));
            if !stated.contains(&(b.clone(), a.clone())) {
                travel.insert((b, a), get(r, "minutes").parse().unwrap());
            }
        }
        let slots: HashMap<String, (String, u32, u32, String)> =
            read_rows(&event.join("slots.csv"))
                .iter()
                .map(|r| {
                    (
                        get(r, "id").to_string(),
                        (
                            get(r, "day").to_string(),
                            minutes(get(r, "start")),
                            minutes(get(r, "end")),
                            venue(get(r, "venue")),
                        ),
                    )
                })
                .collect();
        let buyers: Vec<HashMap<String, String>> = read_rows(&event.join("buyers.csv"));
        let firms: Vec<HashMap<String, String>> = read_rows(&event.join("firms.csv"));
        let premises: HashMap<String, String> = firms
            .iter()
            .map(|r| (get(r, "id").to_string(), venue(get(r, "venue"))))
            .collect();
        let mut visits: HashMap<String, (String, String, u32, u32, usize, String)> = HashMap::new();
        for r in opt("visits.csv") {
            let firm = get(&r, "firm").to_string();
            let v = if get(&r, "venue").is_empty() {
                premises.get(&firm).cloned().unwrap_or_default()
            } else {
                venue(get(&r, "venue"))
            };
            visits.insert(
                get(&r, "id").to_string(),
                (
                    firm,
                    get(&r, "day").to_string(),
                    minutes(get(&r, "start")),
                    minutes(get(&r, "end")),
                    get(&r, "capacity").parse().unwrap(),
                    v,
                ),
            );
        }
        let called_off: BTreeSet<String> = opt("cancellations.csv")
            .iter()
            .map(|r| get(r, "visit").to_string())
            .filter(|v| !v.is_empty())
            .collect();
        let mut held: BTreeMap<String, Vec<Held>> = BTreeMap::new();
        for r in sched {
            let visit = get(r, "kind") == "visit";
            let (a, b, slot) = (
                get(r, "participant_a"),
                get(r, "participant_b"),
                get(r, "slot"),
            );
            if visit {
                // The visitor goes (a visit row names the visit in `slot`).
                let Some((_, day, start, end, _, v)) = visits.get(slot) else {
                    continue;
                };
                held.entry(a.to_string()).or_default().push(Held {
                    day: day.clone(),
                    start: *start,
                    end: *end,
                    venue: v.clone(),
                    what: format!("visit {slot}"),
                    row: true,
                    slot: String::new(),
                });
                continue;
            }
            let Some((day, start, end, v)) = slots.get(slot) else {
                continue;
            };
            for x in [a, b] {
                held.entry(x.to_string()).or_default().push(Held {
                    day: day.clone(),
                    start: *start,
                    end: *end,
                    venue: v.clone(),
                    what: format!("meeting in {slot}"),
                    row: true,
                    slot: slot.to_string(),
                });
            }
        }
        let all_ids: Vec<(String, bool, String)> = buyers
            .iter()
            .map(|r| {
                (
                    get(r, "id").to_string(),
                    false,
                    get(r, "role").to_lowercase(),
                )
            })
            .chain(firms.iter().map(|r| {
                (
                    get(r, "id").to_string(),
                    true,
                    get(r, "role").to_lowercase(),
                )
            }))
            .collect();
        for r in opt("programme.csv") {
            let who: Vec<String> = get(&r, "who")
                .split([';', ','])
                .map(|t| t.trim().to_lowercase())
                .filter(|t| !t.is_empty())
                .collect();
            for (id, firm, role) in &all_ids {
                let concerned = who.iter().any(|w| {
                    w == "all"
                        || (w == "buyers" && !firm)
                        || (w == "firms" && *firm)
                        || *w == id.to_lowercase()
                        || (!role.is_empty() && w == role)
                });
                if concerned {
                    held.entry(id.clone()).or_default().push(Held {
                        day: get(&r, "day").to_string(),
                        start: minutes(get(&r, "start")),
                        end: minutes(get(&r, "end")),
                        venue: venue(get(&r, "venue")),
                        what: format!("programme {}", get(&r, "id")),
                        row: false,
                        slot: String::new(),
                    });
                }
            }
        }
        for (id, (firm, day, start, end, _, v)) in &visits {
            if called_off.contains(id) {
                continue;
            }
            held.entry(firm.clone()).or_default().push(Held {
                day: day.clone(),
                start: *start,
                end: *end,
                venue: v.clone(),
                what: format!("its visit {id}"),
                row: false,
                slot: String::new(),
            });
        }
        Engagements {
            held,
            travel,
            has_travel: !trows.is_empty(),
            slots,
            visits,
            called_off,
        }
    }

    /// Minutes needed from venue `a` to venue `b`.
    fn need(&self, a: &str, b: &str) -> u32 {
        if a.is_empty() || b.is_empty() || a == b || !self.has_travel {
            return 0;
        }
        *self
            .travel
            .get(&(a.to_string(), b.to_string()))
            .unwrap_or_else(|| panic!("no travel time {a} -> {b}"))
    }

    /// Why one person cannot hold both `x` and `y` (they overlap, or leave less than the
    /// travel time between their venues), if so.
    fn clash(&self, x: &Held, y: &Held) -> Option<&'static str> {
        if x.day != y.day {
            return None;
        }
        let (first, second) = if (x.start, x.end) <= (y.start, y.end) {
            (x, y)
        } else {
            (y, x)
        };
        if second.start < first.end {
            Some("overlaps")
        } else if second.start - first.end < self.need(&first.venue, &second.venue) {
            Some("travel")
        } else {
            None
        }
    }

    /// Slot `id` as an engagement.
    fn slot(&self, id: &str) -> Held {
        let (day, start, end, venue) = &self.slots[id];
        Held {
            day: day.clone(),
            start: *start,
            end: *end,
            venue: venue.clone(),
            what: String::new(),
            row: false,
            slot: id.to_string(),
        }
    }

    /// Breaks of `who` over the sessions (slot ids in time order): a slot is engaged when a
    /// meeting is held in it or one of `who`'s meetings or visits keeps it from it (overlap,
    /// travel); a slot a fixed engagement (programme item, own visit) keeps it from is left
    /// out; a break is a maximal run of idle slots between engaged ones.
    fn breaks(&self, who: &str, sessions: &[Vec<String>]) -> u64 {
        let empty = Vec::new();
        let mine = self.held.get(who).unwrap_or(&empty);
        let mut breaks = 0;
        for q in sessions {
            let mut row = Vec::new();
            for id in q {
                let slot = self.slot(id);
                if mine
                    .iter()
                    .any(|h| !h.row && self.clash(h, &slot).is_some())
                {
                    continue;
                }
                row.push(
                    mine.iter()
                        .any(|h| h.row && (h.slot == *id || self.clash(h, &slot).is_some())),
                );
            }
            let runs = (0..row.len())
                .filter(|&k| row[k] && (k == 0 || !row[k - 1]))
                .count() as u64;
            breaks += runs.saturating_sub(1);
        }
        breaks
    }
}

/// The programme's rules, from the CSV files alone: no engagement of a person (meeting, visit,
/// programme item, a visit the firm hosts) overlaps another or leaves less than the travel
/// time between their venues; visits within capacity; a visit request met at most once and
/// only as a visit. Visit rows count as meetings of their pair in `met`.
fn programme_rules(
    event: &Path,
    sched: &Rows,
    visit_rows: &[(usize, HashMap<String, String>)],
    met: &mut BTreeSet<(String, String)>,
    errs: &mut Vec<String>,
) {
    let e = Engagements::read(event, sched);
    let mut visit_pairs: BTreeSet<(String, String)> = BTreeSet::new();
    for r in read_rows(&event.join("preferences.csv")) {
        if get(&r, "kind") == "visit" {
            let (f, t) = (get(&r, "from").to_string(), get(&r, "to").to_string());
            visit_pairs.insert(if f < t { (f, t) } else { (t, f) });
        }
    }
    for r in sched {
        let (a, b) = (get(r, "participant_a"), get(r, "participant_b"));
        let key = if a < b {
            (a.to_string(), b.to_string())
        } else {
            (b.to_string(), a.to_string())
        };
        if get(r, "kind") != "visit" && visit_pairs.contains(&key) {
            errs.push(format!("{a}-{b} asked for a visit but has a table meeting"));
        }
    }
    let mut seats: HashMap<String, usize> = HashMap::new();
    for (line, r) in visit_rows {
        let (visitor, firm, id) = (
            get(r, "participant_a"),
            get(r, "participant_b"),
            get(r, "slot"),
        );
        let Some((host, _, _, _, cap, _)) = e.visits.get(id) else {
            errs.push(format!("line {line}: unknown visit {id}"));
            continue;
        };
        if host != firm {
            errs.push(format!("line {line}: visit {id} is not {firm}'s"));
        }
        if e.called_off.contains(id) {
            errs.push(format!("line {line}: visit {id} was called off"));
        }
        let key = if visitor < firm {
            (visitor.to_string(), firm.to_string())
        } else {
            (firm.to_string(), visitor.to_string())
        };
        if !visit_pairs.contains(&key) {
            errs.push(format!(
                "line {line}: {visitor} visiting {firm} was not requested"
            ));
        }
        if !met.insert(key) {
            errs.push(format!("line {line}: {visitor} visits {firm} twice"));
        }
        let n = seats.entry(id.to_string()).or_default();
        *n += 1;
        if *n > *cap {
            errs.push(format!("line {line}: visit {id} over its capacity {cap}"));
        }
    }
    for (who, list) in &e.held {
        for (i, x) in list.iter().enumerate() {
            for y in &list[i + 1..] {
                if !x.row && !y.row {
                    continue;
                }
                if !x.slot.is_empty() && x.slot == y.slot {
                    continue; // several meetings in one slot: the reps rule
                }
                let (first, second) = if (x.start, x.end) <= (y.start, y.end) {
                    (x, y)
                } else {
                    (y, x)
                };
                match e.clash(x, y) {
                    Some("overlaps") => {
                        errs.push(format!("{who}: {} overlaps {}", first.what, second.what));
                    }
                    Some(_) => errs.push(format!(
                        "{who}: no time to travel from {} ({}) to {} ({})",
                        first.what, first.venue, second.what, second.venue
                    )),
                    None => {}
                }
            }
        }
    }
}
