//! What a re-plan changed in the programme, against the programme.csv the previous plan wrote
//! beside its schedule: items moved (another day, time, venue or title), added, or no longer
//! in the programme. Each item keeps its revision for calendars (SEQUENCE), raised by a
//! change; withdrawn items stay listed so that calendars cancel them.

use super::{Change, ChangeKind};
use crate::event::time::{Date, Time};
use crate::event::{Event, Item, PartId};
use crate::id::ids;
use crate::plan::{PastItem, Plan};

/// An item as a plan's programme.csv lists it.
#[derive(Debug, Clone)]
pub(crate) struct Listed {
    pub id: String,
    pub title: String,
    pub day: Date,
    pub start: Time,
    pub end: Time,
    /// The venue's id, or empty.
    pub venue: String,
    pub who: String,
    pub sequence: u32,
    /// Withdrawn by an earlier re-plan (status `cancelled`).
    pub cancelled: bool,
}

/// A change of a programme item, told to one of those concerned: when it was and is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ItemChange {
    pub id: String,
    pub title: String,
    pub before: Option<(Date, Time)>,
    pub after: Option<(Date, Time)>,
}

/// Whether `item` is as `l` listed it.
fn same(event: &Event, item: &Item, l: &Listed) -> bool {
    let venue = item.venue.map_or("", |v| event.venues[v].id.as_str());
    (item.title.as_str(), item.day, item.start, item.end, venue)
        == (l.title.as_str(), l.day, l.start, l.end, l.venue.as_str())
}

fn listed<'l>(prev: &'l [Listed], id: &str) -> Option<&'l Listed> {
    prev.iter().find(|l| l.id == id)
}

/// The plan's programme as it now stands against `prev`: each item's revision (kept when
/// unchanged, raised when changed or listed again after a withdrawal), and the items no
/// longer in the programme (a newly withdrawn one's revision raised).
pub(crate) fn revise(event: &Event, prev: &[Listed], plan: &mut Plan) {
    plan.item_seq = event
        .programme
        .iter()
        .map(|item| match listed(prev, &item.id) {
            Some(l) if !l.cancelled && same(event, item, l) => l.sequence,
            Some(l) => l.sequence + 1,
            None => 0,
        })
        .collect();
    plan.past_items = prev
        .iter()
        .filter(|l| !event.programme.iter().any(|i| i.id == l.id))
        .map(|l| past(event, l, l.sequence + u32::from(!l.cancelled)))
        .collect();
}

/// The revisions and withdrawn items a plan folder's programme.csv records, as they are
/// (`export` of a re-planned folder).
pub(crate) fn restore(event: &Event, listed_items: &[Listed], plan: &mut Plan) {
    plan.item_seq = event
        .programme
        .iter()
        .map(|i| {
            listed(listed_items, &i.id)
                .filter(|l| !l.cancelled)
                .map_or(0, |l| l.sequence)
        })
        .collect();
    plan.past_items = listed_items
        .iter()
        .filter(|l| l.cancelled)
        .map(|l| past(event, l, l.sequence))
        .collect();
}

fn past(event: &Event, l: &Listed, sequence: u32) -> PastItem {
    PastItem {
        id: l.id.clone(),
        title: l.title.clone(),
        day: l.day,
        start: l.start,
        end: l.end,
        who: event.who_named(&l.who),
        sequence,
    }
}

/// One change per item and participant concerned (before or after): items added, changed,
/// and withdrawn since `prev`.
pub(crate) fn changes(event: &Event, prev: &[Listed], plan: &Plan) -> Vec<Change> {
    let mut out = Vec::new();
    let mut tell = |who: Vec<PartId>, kind: ChangeKind, c: ItemChange, sequence: u32| {
        for p in who {
            out.push(Change {
                participant: p,
                kind,
                counterpart: p,
                before: None,
                after: None,
                sequence,
                visit: None,
                interpreters: (None, None),
                programme: Some(c.clone()),
            });
        }
    };
    for k in ids::<Item>(event.programme.len()) {
        let item = event.item(k);
        let now: Vec<PartId> = ids(event.participants.len())
            .filter(|p: &PartId| item.who[p.index()])
            .collect();
        let change = |before: Option<&Listed>| ItemChange {
            id: item.id.clone(),
            title: item.title.clone(),
            before: before.map(|l| (l.day, l.start)),
            after: Some((item.day, item.start)),
        };
        match listed(prev, &item.id) {
            Some(l) if !l.cancelled && same(event, item, l) => {}
            Some(l) if !l.cancelled => {
                let mut who = now.clone();
                who.extend(event.who_named(&l.who));
                who.sort();
                who.dedup();
                tell(
                    who,
                    ChangeKind::Moved,
                    change(Some(l)),
                    plan.item_sequence(k),
                );
            }
            _ => tell(now, ChangeKind::Added, change(None), plan.item_sequence(k)),
        }
    }
    for past in &plan.past_items {
        if listed(prev, &past.id).is_some_and(|l| !l.cancelled) {
            let c = ItemChange {
                id: past.id.clone(),
                title: past.title.clone(),
                before: Some((past.day, past.start)),
                after: None,
            };
            tell(past.who.clone(), ChangeKind::Cancelled, c, past.sequence);
        }
    }
    out
}
