//! A plan folder read back, for `export`: the event from the copy in `input/` (or another
//! folder), the meetings from schedule.csv, the solver's figures from status.csv, the reasons
//! from unscheduled.csv and the changes from changes.csv (after a re-plan).

use crate::diag::{Diagnostic, InvalidInput, Problems};
use crate::event::csvfile::{self, csv_uncell};
use crate::event::sheet::{opt, req, Column, Sheet as CsvFile};
use crate::event::{Event, EventFiles, Organiser, Pair, PartId, SlotId, TableId};
use crate::export::OutFile;
use crate::id::{index_by, Id};
use crate::plan::{Meeting, Plan, Reason, Unscheduled, Withdrawn};
use crate::replan::{Change, ChangeKind};
use crate::solve::{Bounds, Ending};
use std::collections::HashMap;
use std::path::Path;

/// The folder inside a plan folder that holds a copy of the event it was planned from.
pub(crate) const INPUT: &str = "input";

/// The event's files, copied as they were into `input/`: a plan folder is self-contained,
/// and `export` redraws it without the original event folder. An event that is one workbook
/// is copied as that workbook (then the only file of `input/`, see `input_event`).
pub(crate) fn input_copy(event: &Path) -> anyhow::Result<Vec<OutFile>> {
    let mut pr = Problems::default();
    let files = EventFiles::open(event, &mut pr)
        .ok_or_else(|| anyhow::anyhow!("cannot read the event {}", event.display()))?;
    let mut paths = files.paths();
    if !files.is_workbook() && event.join("event.toml").is_file() {
        paths.push(event.join("event.toml"));
    }
    let mut out = Vec::new();
    for path in paths {
        if !path.is_file() {
            continue;
        }
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let bytes = std::fs::read(&path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        out.push(OutFile {
            path: format!("{INPUT}/{name}"),
            bytes,
        });
    }
    Ok(out)
}

/// The event a plan folder's `input/` holds: the workbook when it is its only file, else the
/// folder itself.
pub(crate) fn input_event(input: &Path) -> std::path::PathBuf {
    let entries: Vec<std::path::PathBuf> = std::fs::read_dir(input)
        .map(|rd| rd.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    match &entries[..] {
        [only] if only.is_file() && crate::event::workbook::is_workbook(only) => only.clone(),
        _ => input.to_path_buf(),
    }
}

/// Every file under a plan folder (but its own marker), as output files: what an in-place export
/// keeps. A folder that is not ours is refused by the writer anyway.
pub(crate) fn existing_files(dir: &Path) -> anyhow::Result<Vec<OutFile>> {
    let mut out = Vec::new();
    let mut stack = vec![std::path::PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let here = dir.join(&rel);
        let mut entries: Vec<_> = std::fs::read_dir(&here)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", here.display()))?
            .collect::<Result<_, _>>()?;
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for e in entries {
            let name = e.file_name();
            let path = rel.join(&name);
            let ft = e.file_type()?;
            if ft.is_dir() {
                stack.push(path);
            } else if ft.is_file() && !(rel.as_os_str().is_empty() && name == crate::export::MARKER)
            {
                // Only the folder's own marker is the writer's; a nested one (mail/outbox/)
                // stays, so that folder is still known as ours.
                let Some(p) = path.to_str() else { continue };
                out.push(OutFile {
                    path: p.replace('\\', "/"),
                    bytes: std::fs::read(e.path())?,
                });
            }
        }
    }
    Ok(out)
}

pub(crate) struct Reloaded {
    pub event: Event,
    pub plan: Plan,
    /// changes.csv of a re-plan (None for a plan folder that has none).
    pub changes: Option<Vec<Change>>,
    pub warnings: Vec<Diagnostic>,
}

fn invalid(errors: Vec<Diagnostic>) -> InvalidInput {
    InvalidInput {
        subject: "plan folder",
        errors,
    }
}

/// Reads the plan folder `dir`; `event_dir` overrides its `input/` copy.
pub(crate) fn read(dir: &Path, event_dir: Option<&Path>) -> Result<Reloaded, InvalidInput> {
    let shown = dir.display().to_string();
    if !dir.join("schedule.csv").is_file() {
        return Err(invalid(vec![Diagnostic::file(
            &shown,
            "not a plan folder: schedule.csv not found",
        )
        .hint("give the folder `t4s-schedule plan --out DIR` wrote")]));
    }
    let input = input_event(&dir.join(INPUT));
    let event_dir = event_dir.unwrap_or(&input);
    if !event_dir.exists() {
        return Err(invalid(vec![Diagnostic::file(
            &event_dir.display().to_string(),
            "the plan folder has no copy of its event",
        )
        .hint(
            "plan folders written before `export` existed have no input/: give the event folder with --event DIR",
        )]));
    }
    let loaded = crate::event::load_with_warnings(event_dir)?;
    let mut event = loaded.event;
    let sched = crate::schedule::read(&dir.join("schedule.csv"), &event)?.without_clashes()?;

    // A meeting added by hand without a preference row still prints: give it a pair.
    let mut meetings = Vec::new();
    for e in &sched.entries {
        let pair = match e.pair {
            Some(p) => p,
            None => {
                event.pairs.push(Pair {
                    a: e.a,
                    b: e.b,
                    interest_ab: None,
                    interest_ba: None,
                    organiser: Organiser::Free,
                    when: vec![true; event.slots.len()],
                    host_table: None,
                    cancelled: false,
                    visit_host: None,
                });
                Id::new(event.pairs.len() - 1)
            }
        };
        meetings.push(Meeting {
            pair,
            slot: e.slot,
            table: e.table,
            sequence: e.sequence,
            interpreter: e.interpreter,
        });
    }
    meetings.sort_by_key(|m| {
        (
            m.slot,
            m.table.map(|t| event.table(t).id.clone()),
            event.part(event.pair(m.pair).a).id.clone(),
        )
    });

    let mut pr = Problems::default();
    let bounds = status(dir, &mut pr);
    let unscheduled = unscheduled(dir, &event, &meetings, &mut pr);
    let changes = changes(dir, &event, &mut pr);
    let withdrawn = withdrawn(changes.as_deref().unwrap_or_default());
    let withdrawn_visits = withdrawn_visits(&event, changes.as_deref().unwrap_or_default());
    let listed = listed_programme(dir, &mut pr).unwrap_or_default();
    if pr.has_errors() {
        return Err(invalid(pr.errors));
    }
    let mut warnings = loaded.warnings;
    warnings.extend(sched.warnings.iter().cloned());
    warnings.extend(pr.warnings);
    let mut plan = Plan {
        meetings,
        unscheduled,
        withdrawn,
        withdrawn_visits,
        bounds,
        visits: bookings(&event, &sched),
        item_seq: Vec::new(),
        past_items: Vec::new(),
    };
    crate::replan::programme::restore(&event, &listed, &mut plan);
    Ok(Reloaded {
        plan,
        event,
        changes,
        warnings,
    })
}

/// The visit rows of a schedule as bookings (a row without a request gets none: it still
/// prints on the visit sheet through the schedule, not here).
fn bookings(
    event: &crate::event::Event,
    sched: &crate::schedule::Schedule,
) -> Vec<crate::plan::Booking> {
    let mut out: Vec<crate::plan::Booking> = sched
        .visits
        .iter()
        .filter_map(|v| {
            Some(crate::plan::Booking {
                pair: v.pair?,
                visit: v.visit,
                sequence: v.sequence,
            })
        })
        .collect();
    crate::plan::sort_bookings(event, &mut out);
    out
}

fn optional(dir: &Path, name: &str, spec: &[Column], pr: &mut Problems) -> Option<CsvFile> {
    if dir.join(name).is_file() {
        csvfile::read(&dir.join(name), spec, pr)
    } else {
        None
    }
}

const STATUS_COLUMNS: &[Column] = &[
    opt("value"),
    req("value_bound"),
    opt("breaks"),
    req("breaks_bound"),
    opt("spread"),
    req("ending"),
];

/// The solver's bounds and ending from status.csv. Its figures (value, breaks, spread) are
/// not read: they are computed again from schedule.csv, which may have been edited.
fn status(dir: &Path, pr: &mut Problems) -> Bounds {
    let mut bounds = Bounds {
        value_bound: 0,
        breaks_bound: 0,
        ending: Ending::Unknown,
        seconds: 0.0,
    };
    let Some(f) = optional(dir, "status.csv", STATUS_COLUMNS, pr) else {
        return bounds;
    };
    let Some(row) = f.rows.first() else {
        return bounds;
    };
    let mut num = |col: &str| -> u64 {
        let c = f.cell(row, col);
        c.value.parse().unwrap_or_else(|_| {
            pr.error(
                f.diag(&c, format!("'{}' is not a whole number", c.value))
                    .hint(
                        "status.csv is written by `plan`; write it again with `replan` or `plan`",
                    ),
            );
            0
        })
    };
    bounds.value_bound = num("value_bound");
    bounds.breaks_bound = num("breaks_bound");
    let c = f.cell(row, "ending");
    match Ending::from_word(c.value) {
        Some(e) => bounds.ending = e,
        None => pr.error(
            f.diag(&c, format!("unknown ending '{}'", c.value))
                .hint("optimal, time_limit, interrupted, heuristic or unknown"),
        ),
    }
    bounds
}

const UNSCHEDULED_COLUMNS: &[Column] = &[
    req("from"),
    req("to"),
    opt("reason"),
    opt("name_from"),
    opt("name_to"),
    opt("value"),
    opt("organiser"),
    opt("reason_code"),
];

/// Requested pairs that do not meet, with the reason unscheduled.csv gave.
fn unscheduled(
    dir: &Path,
    event: &Event,
    meetings: &[Meeting],
    pr: &mut Problems,
) -> Vec<Unscheduled> {
    let parts: HashMap<&str, PartId> = index_by(&event.participants, |p| &p.id);
    let tables: HashMap<&str, TableId> = index_by(&event.tables, |t| &t.id);
    let mut reasons: HashMap<(String, String), Reason> = HashMap::new();
    if let Some(f) = optional(dir, "unscheduled.csv", UNSCHEDULED_COLUMNS, pr) {
        for row in &f.rows {
            let v = |c: &str| csv_uncell(f.cell(row, c).value).to_string();
            // The code rewords the reason in any language; the words are the fallback.
            let reason = Reason::parse(&v("reason_code"), &parts, &tables)
                .unwrap_or_else(|| Reason::Text(v("reason")));
            reasons.insert((v("from"), v("to")), reason);
        }
    }
    let met: std::collections::HashSet<_> = meetings.iter().map(|m| m.pair).collect();
    crate::id::ids(event.pairs.len())
        .filter(|p| !met.contains(p))
        .map(|p| {
            let pair = event.pair(p);
            let key = (event.part(pair.a).id.clone(), event.part(pair.b).id.clone());
            let reason = reasons.remove(&key).unwrap_or_else(|| {
                if pair.organiser == Organiser::Forbidden {
                    Reason::Forbidden
                } else {
                    Reason::Text("not in schedule.csv".to_string())
                }
            });
            Unscheduled { pair: p, reason }
        })
        .collect()
}

const CHANGES_COLUMNS: &[Column] = &[
    req("participant"),
    req("change"),
    req("counterpart"),
    opt("counterpart_name"),
    opt("slot_before"),
    opt("day_before"),
    opt("start_before"),
    opt("table_before"),
    opt("slot_after"),
    opt("day_after"),
    opt("start_after"),
    opt("table_after"),
    opt("sequence"),
    opt("interpreter_before"),
    opt("interpreter_after"),
];

/// A re-plan's changes.csv read back (None: the plan is no re-plan). Every row must name
/// participants, slots and tables of the event.
fn changes(dir: &Path, event: &Event, pr: &mut Problems) -> Option<Vec<Change>> {
    let f = optional(dir, "changes.csv", CHANGES_COLUMNS, pr)?;
    let parts: HashMap<&str, PartId> = index_by(&event.participants, |p| &p.id);
    let slots: HashMap<&str, SlotId> = index_by(&event.slots, |s| &s.id);
    let tables: HashMap<&str, TableId> = index_by(&event.tables, |t| &t.id);
    let visits: HashMap<&str, crate::event::VisitId> = index_by(&event.visits, |v| &v.id);
    let mut out = Vec::new();
    for row in &f.rows {
        let v = |c: &str| csv_uncell(f.cell(row, c).value);
        let unknown = |pr: &mut Problems, c: &str| {
            let cell = f.cell(row, c);
            pr.error(
                f.diag(&cell, format!("'{}' is not in the event", v(c)))
                    .hint("changes.csv must belong to this plan's event"),
            );
        };
        let kind = match v("change") {
            "cancelled" => ChangeKind::Cancelled,
            "moved" => ChangeKind::Moved,
            "added" => ChangeKind::Added,
            "interpreter" => ChangeKind::Interpreter,
            other => {
                let cell = f.cell(row, "change");
                pr.error(
                    f.diag(&cell, format!("unknown change '{other}'"))
                        .hint("cancelled, moved, added or interpreter"),
                );
                continue;
            }
        };
        if v("counterpart").is_empty() {
            let Some(&a) = parts.get(v("participant")) else {
                unknown(pr, "participant");
                continue;
            };
            out.push(item_change(&|c| v(c).to_string(), a, kind));
            continue;
        }
        let (Some(&a), Some(&b)) = (parts.get(v("participant")), parts.get(v("counterpart")))
        else {
            unknown(pr, "participant");
            continue;
        };
        // A visit's change names the visit in the slot columns.
        let visit_of = |when: &str| visits.get(v(&format!("slot_{when}"))).copied();
        if visit_of("before").is_some() || visit_of("after").is_some() {
            out.push(Change {
                participant: a,
                kind,
                counterpart: b,
                before: None,
                after: None,
                sequence: v("sequence").parse().unwrap_or(1),
                visit: Some((visit_of("before"), visit_of("after"))),
                interpreters: (None, None),
                programme: None,
            });
            continue;
        }
        let place = |pr: &mut Problems, when: &str, needed: bool| {
            let slot = v(&format!("slot_{when}"));
            if slot.is_empty() && !needed {
                return Ok(None);
            }
            let Some(&s) = slots.get(slot) else {
                unknown(pr, &format!("slot_{when}"));
                return Err(());
            };
            Ok(Some((s, tables.get(v(&format!("table_{when}"))).copied())))
        };
        let (Ok(before), Ok(after)) = (
            place(pr, "before", kind != ChangeKind::Added),
            place(pr, "after", kind != ChangeKind::Cancelled),
        ) else {
            continue;
        };
        out.push(Change {
            participant: a,
            kind,
            counterpart: b,
            before,
            after,
            sequence: v("sequence").parse().unwrap_or(1),
            visit: None,
            interpreters: {
                let k = |c: &str| {
                    event
                        .interpreters
                        .iter()
                        .position(|k| k.id == v(c))
                        .map(Id::new)
                };
                (k("interpreter_before"), k("interpreter_after"))
            },
            programme: None,
        });
    }
    Some(out)
}

/// A programme item's change in changes.csv: no counterpart, the item's title as its name,
/// its id in the slot columns with the day and start before and after.
fn item_change(v: &dyn Fn(&str) -> String, participant: PartId, kind: ChangeKind) -> Change {
    let when = |w: &str| {
        let day = crate::event::time::Date::parse(&v(&format!("day_{w}")))?;
        Some((
            day,
            crate::event::time::Time::parse(&v(&format!("start_{w}")))?,
        ))
    };
    let id = [v("slot_before"), v("slot_after")]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or_default();
    Change {
        participant,
        kind,
        counterpart: participant,
        before: None,
        after: None,
        sequence: v("sequence").parse().unwrap_or(1),
        visit: None,
        interpreters: (None, None),
        programme: Some(crate::replan::ItemChange {
            id,
            title: v("counterpart_name"),
            before: when("before"),
            after: when("after"),
        }),
    }
}

const PROGRAMME_COLUMNS: &[Column] = &[
    req("id"),
    req("title"),
    req("day"),
    req("start"),
    req("end"),
    opt("venue"),
    opt("who"),
    opt("attendees"),
    opt("sequence"),
    opt("status"),
];

/// The programme a plan folder lists (its programme.csv; None without one), with each item's
/// revision and the items withdrawn by a re-plan.
pub(crate) fn listed_programme(
    dir: &Path,
    pr: &mut Problems,
) -> Option<Vec<crate::replan::Listed>> {
    let f = optional(dir, "programme.csv", PROGRAMME_COLUMNS, pr)?;
    let mut out = Vec::new();
    for row in &f.rows {
        let v = |c: &str| csv_uncell(f.cell(row, c).value).to_string();
        let date = crate::event::time::Date::parse(&v("day"));
        let (start, end) = (
            crate::event::time::Time::parse(&v("start")),
            crate::event::time::Time::parse(&v("end")),
        );
        let (Some(day), Some(start), Some(end)) = (date, start, end) else {
            let cell = f.cell(row, "day");
            pr.error(
                f.diag(&cell, "a programme item without a valid day, start and end")
                    .hint("programme.csv in a plan folder is written by the tool: plan again"),
            );
            continue;
        };
        out.push(crate::replan::Listed {
            id: v("id"),
            title: v("title"),
            day,
            start,
            end,
            venue: v("venue"),
            who: v("who"),
            sequence: v("sequence").parse().unwrap_or(0),
            cancelled: v("status") == "cancelled",
        });
    }
    Some(out)
}

/// The visits a re-plan took their visitors off (cancelled, or moved to another visit), from
/// its changes, for calendars to cancel.
fn withdrawn_visits(
    event: &crate::event::Event,
    changes: &[Change],
) -> Vec<crate::plan::WithdrawnVisit> {
    changes
        .iter()
        .filter(|c| matches!(c.kind, ChangeKind::Cancelled | ChangeKind::Moved))
        .filter_map(|c| {
            let old = c.visit?.0?;
            // Each change is listed for the visitor and the firm: the visitor's row.
            (event.visit(old).firm != c.participant).then_some(crate::plan::WithdrawnVisit {
                visitor: c.participant,
                visit: old,
                sequence: c.sequence,
            })
        })
        .collect()
}

/// The meetings a re-plan cancelled, from its changes, for calendars to cancel.
fn withdrawn(changes: &[Change]) -> Vec<Withdrawn> {
    let mut out: Vec<Withdrawn> = Vec::new();
    for c in changes.iter().filter(|c| c.kind == ChangeKind::Cancelled) {
        let Some((slot, table)) = c.before else {
            continue;
        };
        let (a, b) = (
            c.participant.min(c.counterpart),
            c.participant.max(c.counterpart),
        );
        if !out.iter().any(|w| (w.a, w.b) == (a, b)) {
            out.push(Withdrawn {
                a,
                b,
                slot,
                table,
                sequence: c.sequence,
            });
        }
    }
    out
}
