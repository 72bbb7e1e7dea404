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
    for (n, r) in read_rows(schedule).iter().enumerate() {
        let line = n + 2;
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
    for (id, p) in &people {
        if let Some(m) = p.max {
            if count.get(id).copied().unwrap_or(0) > m {
                errs.push(format!("{id} has more than max_meetings {m}"));
            }
        }
    }
    for (key, (req, _, _)) in &pairs {
        if *req && !met.contains(key) {
            errs.push(format!("required {}-{} missing", key.0, key.1));
        }
    }
    errs
}
