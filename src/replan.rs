//! `replan`: a new plan after cancellations and edits that disturbs as few announced meetings
//! as possible, and says exactly who must be told.
//!
//! Every previous meeting that is still valid stays at its slot and table (a hard rule unless
//! `--allow-moves`); meetings before `--frozen-until` never change (they happened); meetings
//! pinned by hand (`locked`) stay; freed time goes to the best waiting requests, announced
//! meetings that lost their slot first.

use crate::diag::{suggest, Diagnostic, InvalidInput, Problems};
use crate::event::sheet::{opt, Column};
use crate::event::time::{Date, Time};
use crate::event::EventFiles;
use crate::event::{Event, Organiser, PairId, PartId, SlotId, TableId};
use crate::export::lang::fill;
use crate::export::text::{csv_bytes, md};
use crate::export::{Ctx, OutFile};
use crate::id::index_by;
use crate::plan::{Fixed, Meeting, Plan, Withdrawn};
use crate::schedule::{Entry, Schedule};
use crate::solve::Instance;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::path::Path;

const CANCEL_COLUMNS: &[Column] = &[
    opt("participant"),
    opt("from"),
    opt("to"),
    opt("day"),
    opt("slot"),
];

/// Announced meetings that had to move are worth this much more than new requests, so a
/// re-plan re-places them first (pair values are 2 to 6).
const DISPLACED_BONUS: u32 = 6;

/// A point in time: slots starting before it have happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Moment(pub Date, pub Time);

impl Moment {
    /// `YYYY-MM-DD HH:MM`.
    pub fn parse(s: &str) -> Option<Moment> {
        let (d, t) = s.trim().split_once(' ')?;
        Some(Moment(Date::parse(d.trim())?, Time::parse(t.trim())?))
    }
}

/// Applies the event's cancellations (`cancellations.csv`, or the sheet, if present) to the
/// event: a cancelled participant is unavailable in the cancelled scope (the whole event, a
/// day or a slot), a cancelled pair may not meet there. Returns how many rows it applied and
/// the warnings of reading them.
pub fn apply_cancellations(
    dir: &Path,
    event: &mut Event,
) -> Result<(usize, Vec<Diagnostic>), InvalidInput> {
    let mut pr = Problems::default();
    let files = EventFiles::open(dir, &mut pr);
    // The event's own load already reported what finding its lists had to say.
    pr.warnings.clear();
    let mut files = match files {
        Some(f) if !pr.has_errors() => f,
        _ => {
            return Err(InvalidInput {
                subject: "event",
                errors: pr.errors,
            })
        }
    };
    if !files.has("cancellations") {
        return Ok((0, Vec::new()));
    }
    let Some(f) = files.read("cancellations", CANCEL_COLUMNS, &mut pr) else {
        return Err(InvalidInput {
            subject: "event",
            errors: pr.errors,
        });
    };
    let ids: HashMap<&str, PartId> = index_by(&event.participants, |p| &p.id);
    let mut n = 0;
    let mut part_scope: Vec<(PartId, Vec<bool>)> = Vec::new();
    let mut pair_scope: Vec<((PartId, PartId), Vec<bool>)> = Vec::new();
    for row in &f.rows {
        let lookup = |pr: &mut Problems, col: &str| -> Option<PartId> {
            let c = f.cell(row, col);
            match ids.get(c.value) {
                Some(&p) => Some(p),
                None => {
                    let mut d = f.diag(&c, format!("unknown participant '{}'", c.value));
                    if let Some(s) = suggest(c.value, ids.keys().copied()) {
                        d = d.hint(format!("did you mean '{s}'?"));
                    }
                    pr.error(d);
                    None
                }
            }
        };
        // Scope: a slot, a day, or the whole event.
        let (dc, sc) = (f.cell(row, "day"), f.cell(row, "slot"));
        let scope: Option<Vec<bool>> = if !sc.value.is_empty() {
            match event.slots.iter().position(|s| s.id == sc.value) {
                Some(k) => Some((0..event.slots.len()).map(|i| i == k).collect()),
                None => {
                    pr.error(
                        f.diag(&sc, format!("unknown slot '{}'", sc.value))
                            .hint("slots are listed in slots.csv"),
                    );
                    None
                }
            }
        } else if !dc.value.is_empty() {
            match Date::read(dc.value) {
                Ok(d) => Some(event.slots.iter().map(|s| s.day == d).collect()),
                Err(bad) => {
                    pr.error(f.diag(&dc, bad.message).hint(bad.hint));
                    None
                }
            }
        } else {
            Some(vec![true; event.slots.len()])
        };
        let who = f.cell(row, "participant");
        if !who.value.is_empty() {
            if let (Some(p), Some(scope)) = (lookup(&mut pr, "participant"), scope) {
                part_scope.push((p, scope));
                n += 1;
            }
        } else if !f.cell(row, "from").value.is_empty() || !f.cell(row, "to").value.is_empty() {
            if let (Some(a), Some(b), Some(scope)) =
                (lookup(&mut pr, "from"), lookup(&mut pr, "to"), scope)
            {
                pair_scope.push(((a.min(b), a.max(b)), scope));
                n += 1;
            }
        } else {
            pr.error(
                f.at(row.line, "a cancellation names nobody")
                    .hint("fill either 'participant' or 'from' and 'to'"),
            );
        }
    }
    if pr.has_errors() {
        return Err(InvalidInput {
            subject: "event",
            errors: pr.errors,
        });
    }
    // A cancellation wins over "required": the organiser says this meeting will not happen
    // (a participant cancelled for the whole event, or the pair itself).
    for (p, scope) in part_scope {
        for (a, s) in event.participants[p.index()]
            .available
            .iter_mut()
            .zip(&scope)
        {
            *a &= !s;
        }
        if scope.iter().all(|&s| s) {
            for pair in event
                .pairs
                .iter_mut()
                .filter(|q| q.involves(p) && q.organiser == Organiser::Required)
            {
                pair.organiser = Organiser::Free;
            }
        }
    }
    for (key, scope) in pair_scope {
        for pair in event
            .pairs
            .iter_mut()
            .filter(|q| (q.a.min(q.b), q.a.max(q.b)) == key)
        {
            for (w, s) in pair.when.iter_mut().zip(&scope) {
                *w &= !s;
            }
            if pair.organiser == Organiser::Required {
                pair.organiser = Organiser::Free;
            }
        }
    }
    Ok((n, pr.warnings))
}

/// What becomes of each previous meeting before solving.
pub struct Triage {
    /// Stay exactly as they were, outside the solver (they happened).
    pub frozen: Vec<Meeting>,
    /// Still valid: stay at their slot and table (or may move, with `--allow-moves`).
    pub keep: Vec<Entry>,
    /// Still requested but no longer possible where they were: re-placed first if they fit.
    pub displaced: Vec<PairId>,
}

/// Sorts the previous meetings into frozen / kept / displaced; the rest (pairs no longer
/// requested, forbidden, or cancelled entirely) simply end. Locked meetings that broke a rule
/// are an error: the organiser pinned them, so the tool must not drop them silently.
pub fn triage(
    event: &Event,
    prev: &Schedule,
    frozen_until: Option<Moment>,
) -> Result<Triage, InvalidInput> {
    let happened = |s: SlotId| {
        frozen_until.is_some_and(|f| Moment(event.slot(s).day, event.slot(s).start) < f)
    };
    let mut t = Triage {
        frozen: Vec::new(),
        keep: Vec::new(),
        displaced: Vec::new(),
    };
    let mut errors = Vec::new();
    let mut load: HashMap<(PartId, SlotId), u32> = HashMap::new();
    let mut count: HashMap<PartId, u32> = HashMap::new();
    // Locked first, then by value: when a lowered capacity forces a choice, the lesser go.
    let mut order: Vec<&Entry> = prev.entries.iter().collect();
    order.sort_by_key(|e| {
        (
            !e.locked,
            std::cmp::Reverse(e.pair.map_or(0, |p| event.pair(p).value())),
            e.line,
        )
    });
    for e in order {
        if happened(e.slot) {
            let Some(pair) = e.pair else {
                errors.push(
                    prev.at(
                        e.line,
                        "a meeting that already happened is no longer in preferences.csv",
                    )
                    .hint("keep its preference row: past meetings stay in the plan as they were"),
                );
                continue;
            };
            for i in [e.a, e.b] {
                *count.entry(i).or_default() += 1;
            }
            t.frozen.push(Meeting {
                pair,
                slot: e.slot,
                table: e.table,
                sequence: e.sequence,
            });
            continue;
        }
        let why_not = match e.pair {
            None => Some("its pair is no longer requested".to_string()),
            Some(p) => still_fits(event, e, p).err(),
        };
        let over = [e.a, e.b].iter().find_map(|&i| {
            let part = event.part(i);
            let l = load.get(&(i, e.slot)).copied().unwrap_or(0);
            let c = count.get(&i).copied().unwrap_or(0);
            if l >= part.reps {
                Some(format!(
                    "{} can no longer hold it in this slot (reps {})",
                    part.id, part.reps
                ))
            } else if part.max_meetings.is_some_and(|m| c >= m) {
                Some(format!("{} reached its max_meetings", part.id))
            } else {
                None
            }
        });
        match (why_not.or(over), e.pair) {
            (None, _) => {
                for i in [e.a, e.b] {
                    *load.entry((i, e.slot)).or_default() += 1;
                    *count.entry(i).or_default() += 1;
                }
                t.keep.push(e.clone());
            }
            (Some(why), _) if e.locked => errors.push(
                prev.at(e.line, format!("locked meeting cannot stay: {why}"))
                    .hint("unlock it, or undo the change to the event that conflicts with it"),
            ),
            (Some(_), Some(p)) if event.pair(p).organiser != Organiser::Forbidden => {
                t.displaced.push(p)
            }
            _ => {}
        }
    }
    if !errors.is_empty() {
        return Err(InvalidInput {
            subject: "schedule",
            errors,
        });
    }
    Ok(t)
}

/// Whether a previous meeting still obeys the event's rules where it is.
fn still_fits(event: &Event, e: &Entry, p: PairId) -> Result<(), String> {
    let pair = event.pair(p);
    let s = e.slot.index();
    if pair.organiser == Organiser::Forbidden {
        return Err("the pair is now forbidden".into());
    }
    for i in [e.a, e.b] {
        if !event.part(i).available[s] {
            return Err(format!(
                "{} is not available in slot {}",
                event.part(i).id,
                event.slot(e.slot).id
            ));
        }
    }
    if !pair.when[s] {
        return Err("the slot is outside the pair's 'when' or was cancelled".into());
    }
    if event.tables_limited {
        let expected: Option<TableId> = pair.host_table;
        match (expected, e.table) {
            (Some(h), Some(t)) if h != t => {
                return Err(format!(
                    "the meeting belongs at table {}",
                    event.table(h).id
                ))
            }
            (None, Some(t)) if event.table(t).owner.is_some() => {
                return Err(format!("table {} now belongs to a firm", event.table(t).id))
            }
            (_, Some(t)) if !event.table_usable(t, e.slot) => {
                return Err("the table is not at the slot's venue".into())
            }
            _ => {}
        }
    }
    Ok(())
}

/// Narrows the instance to what a re-plan may change.
pub fn constrain(
    inst: &mut Instance,
    event: &Event,
    triage: &Triage,
    frozen_until: Option<Moment>,
    allow_moves: bool,
) {
    let happened: Vec<bool> = event
        .slots
        .iter()
        .map(|s| frozen_until.is_some_and(|f| Moment(s.day, s.start) < f))
        .collect();
    let keep: HashMap<PairId, &Entry> = triage
        .keep
        .iter()
        .filter_map(|e| e.pair.map(|p| (p, e)))
        .collect();
    let frozen: Vec<PairId> = triage.frozen.iter().map(|m| m.pair).collect();
    for m in &triage.frozen {
        let pair = event.pair(m.pair);
        for i in [pair.a, pair.b] {
            let max = &mut inst.max_meet[i.index()];
            if *max != crate::solve::instance::UNLIMITED {
                *max = max.saturating_sub(1);
            }
        }
    }
    for cp in &mut inst.pairs {
        if frozen.contains(&cp.id) {
            cp.slots.clear(); // met already: out of the solver
            continue;
        }
        cp.slots.retain(|&s| !happened[s as usize]);
        if let Some(e) = keep.get(&cp.id) {
            cp.required = true;
            if !allow_moves || e.locked {
                cp.slots = vec![e.slot.index() as u32];
            }
        } else if triage.displaced.contains(&cp.id) {
            cp.bonus = DISPLACED_BONUS;
        }
    }
    inst.pairs.retain(|cp| !cp.slots.is_empty());
    inst.by_part = vec![Vec::new(); inst.n_parts];
    for (k, cp) in inst.pairs.iter().enumerate() {
        inst.by_part[cp.a].push(k);
        inst.by_part[cp.b].push(k);
    }
}

/// What the plan must honour beyond the solver: kept meetings that stayed in their slot keep
/// their table, and past meetings stay as they were.
pub fn fixed(triage: &Triage, inst: &Instance, slot_of: &[u32]) -> Fixed {
    let stayed = |e: &Entry| {
        inst.pairs
            .iter()
            .zip(slot_of)
            .any(|(cp, &s)| Some(cp.id) == e.pair && s as usize == e.slot.index())
    };
    Fixed {
        tables: triage
            .keep
            .iter()
            .filter(|e| stayed(e))
            .filter_map(|e| Some((e.pair?, e.table?)))
            .collect(),
        meetings: triage.frozen.clone(),
    }
}

/// Carries the announced meetings' revisions into the new plan: a kept meeting keeps its
/// SEQUENCE, a moved one (other slot or table) gets the next, and every announced meeting that
/// is gone becomes a withdrawn one with the next SEQUENCE, for calendars to cancel.
pub fn revise(event: &Event, prev: &Schedule, plan: &mut Plan) {
    let key = |a: PartId, b: PartId| (a.min(b), a.max(b));
    let before: HashMap<(PartId, PartId), &Entry> =
        prev.entries.iter().map(|e| (key(e.a, e.b), e)).collect();
    let mut met = std::collections::HashSet::new();
    for m in &mut plan.meetings {
        let p = event.pair(m.pair);
        met.insert(key(p.a, p.b));
        if let Some(e) = before.get(&key(p.a, p.b)) {
            m.sequence = if (e.slot, e.table) == (m.slot, m.table) {
                e.sequence
            } else {
                e.sequence + 1
            };
        }
    }
    plan.withdrawn = prev
        .entries
        .iter()
        .filter(|e| !met.contains(&key(e.a, e.b)))
        .map(|e| Withdrawn {
            a: e.a,
            b: e.b,
            slot: e.slot,
            table: e.table,
            sequence: e.sequence + 1,
        })
        .collect();
}

/// One change to one participant's agenda.
pub struct Change {
    pub participant: PartId,
    pub kind: &'static str,
    pub counterpart: PartId,
    pub before: Option<(SlotId, Option<TableId>)>,
    pub after: Option<(SlotId, Option<TableId>)>,
    /// The meeting's SEQUENCE after the change (calendars).
    pub sequence: u32,
}

/// The differences between the previous schedule and the new plan, per participant.
pub fn changes(event: &Event, prev: &Schedule, plan: &Plan) -> Vec<Change> {
    let key = |a: PartId, b: PartId| (a.min(b), a.max(b));
    let before: BTreeMap<(PartId, PartId), (SlotId, Option<TableId>)> = prev
        .entries
        .iter()
        .map(|e| (key(e.a, e.b), (e.slot, e.table)))
        .collect();
    let after: BTreeMap<(PartId, PartId), (SlotId, Option<TableId>)> = plan
        .meetings
        .iter()
        .map(|m| {
            let p = event.pair(m.pair);
            (key(p.a, p.b), (m.slot, m.table))
        })
        .collect();
    let mut out = Vec::new();
    let mut push = |(a, b): (PartId, PartId), kind, before, after| {
        for (x, y) in [(a, b), (b, a)] {
            out.push(Change {
                participant: x,
                kind,
                counterpart: y,
                before,
                after,
                sequence: 0,
            });
        }
    };
    for (k, &old) in &before {
        match after.get(k) {
            None => push(*k, "cancelled", Some(old), None),
            Some(&new) if new != old => push(*k, "moved", Some(old), Some(new)),
            _ => {}
        }
    }
    for (k, &new) in &after {
        if !before.contains_key(k) {
            push(*k, "added", None, Some(new));
        }
    }
    // Sequences as `revise` set them.
    let seq: HashMap<(PartId, PartId), u32> = plan
        .meetings
        .iter()
        .map(|m| {
            let p = event.pair(m.pair);
            (key(p.a, p.b), m.sequence)
        })
        .chain(plan.withdrawn.iter().map(|w| (key(w.a, w.b), w.sequence)))
        .collect();
    for c in &mut out {
        c.sequence = seq
            .get(&key(c.participant, c.counterpart))
            .copied()
            .unwrap_or(0);
    }
    out.sort_by(|x, y| {
        let order = |c: &Change| {
            let s = c.after.or(c.before).map(|(s, _)| s);
            (
                event.part(c.participant).id.clone(),
                s,
                event.part(c.counterpart).id.clone(),
            )
        };
        order(x).cmp(&order(y))
    });
    out
}

fn place(event: &Event, at: Option<(SlotId, Option<TableId>)>) -> [String; 4] {
    match at {
        None => Default::default(),
        Some((s, t)) => {
            let slot = event.slot(s);
            [
                slot.id.clone(),
                slot.day.to_string(),
                slot.start.to_string(),
                t.map(|t| event.table(t).id.clone()).unwrap_or_default(),
            ]
        }
    }
}

/// changes.csv and notices/<id>.md for the participants whose agenda changed.
pub fn render(ctx: &Ctx, changes: &[Change]) -> anyhow::Result<Vec<OutFile>> {
    let ev = ctx.event;
    let rows = changes.iter().map(|c| {
        let [bs, bd, bt, btab] = place(ev, c.before);
        let [as_, ad, at, atab] = place(ev, c.after);
        vec![
            ev.part(c.participant).id.clone(),
            c.kind.to_string(),
            ev.part(c.counterpart).id.clone(),
            ev.part(c.counterpart).name.clone(),
            bs,
            bd,
            bt,
            btab,
            as_,
            ad,
            at,
            atab,
            c.sequence.to_string(),
        ]
    });
    let header = [
        "participant",
        "change",
        "counterpart",
        "counterpart_name",
        "slot_before",
        "day_before",
        "start_before",
        "table_before",
        "slot_after",
        "day_after",
        "start_after",
        "table_after",
        "sequence",
    ];
    let mut files = vec![OutFile {
        path: "changes.csv".into(),
        bytes: csv_bytes(&header, rows)?,
    }];
    let mut by_part: BTreeMap<String, (PartId, Vec<&Change>)> = BTreeMap::new();
    for c in changes {
        by_part
            .entry(ev.part(c.participant).id.clone())
            .or_insert((c.participant, Vec::new()))
            .1
            .push(c);
    }
    let l = ctx.labels;
    for (id, (p, list)) in by_part {
        let mut s = format!("# {}\n\n", md(&fill(l.n_changed, &[&ev.part(p).display()])));
        for c in list {
            let other = md(&ev.part(c.counterpart).display());
            let when = |at: Option<(SlotId, Option<TableId>)>| {
                at.map(|(sl, t)| {
                    let slot = ev.slot(sl);
                    let table = t
                        .map(|t| format!(", {} {}", l.table.to_lowercase(), md(&ev.table(t).id)))
                        .unwrap_or_default();
                    format!("{} {}–{}{table}", slot.day, slot.start, slot.end)
                })
                .unwrap_or_default()
            };
            let _ = match c.kind {
                "cancelled" => writeln!(s, "- **{}**: {other}, {}", l.n_cancelled, when(c.before)),
                "moved" => writeln!(
                    s,
                    "- **{}**: {other}, {}",
                    l.n_moved,
                    fill(l.n_from_to, &[&when(c.before), &when(c.after)])
                ),
                _ => writeln!(s, "- **{}**: {other}, {}", l.n_added, when(c.after)),
            };
        }
        let _ = write!(s, "\n{}\n\n", l.n_follows);
        s.push_str(&crate::export::agenda_markdown(ctx, p));
        files.push(OutFile {
            path: format!("notices/{id}.md"),
            bytes: s.into_bytes(),
        });
    }
    Ok(files)
}

/// With `--allow-moves`: puts every kept meeting back in its previous slot where the plan
/// allows it, so that only moves that buy something remain. Returns the number of moves left.
pub fn move_back(inst: &Instance, solved: &mut crate::solve::Solved, triage: &Triage) -> usize {
    let Some(mut st) = crate::solve::local::State::from_assignment(inst, &solved.slot_of) else {
        return usize::MAX;
    };
    let mut moves = 0;
    for e in &triage.keep {
        let Some(k) = inst.pairs.iter().position(|cp| Some(cp.id) == e.pair) else {
            continue;
        };
        let prev = e.slot.index() as u32;
        if st.slot_of[k] != prev && !(inst.pairs[k].slots.contains(&prev) && st.relocate(k, prev)) {
            moves += 1;
        }
    }
    solved.stats.breaks = st.sum_breaks;
    solved.stats.breaks_bound = solved.stats.breaks_bound.min(st.sum_breaks);
    solved.slot_of = st.slot_of;
    moves
}
