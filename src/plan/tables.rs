//! Tables for the meetings of each slot, once the solver has placed them.

use super::Meeting;
use crate::event::{Event, PairId, SlotId, TableId};
use crate::id::Id;
use std::collections::HashMap;

/// A pair with a fixed table meets there; the others take floating tables, preferring the one
/// either participant sat at in the previous slot of the session (fewer walks), then the first
/// free one. Deterministic: pairs are taken in id order.
pub(super) fn assign(
    event: &Event,
    by_slot: Vec<Vec<PairId>>,
    pinned: &HashMap<PairId, TableId>,
) -> Vec<Meeting> {
    let mut out = Vec::new();
    let mut last_table: Vec<Option<(usize, TableId)>> = vec![None; event.participants.len()];
    for (s, mut pairs) in by_slot.into_iter().enumerate() {
        let slot: SlotId = Id::new(s);
        pairs.sort();
        let mut free: Vec<TableId> = event.floating_tables(slot).unwrap_or_default();
        // Meetings kept from an announced plan keep their table; the others take what is left.
        free.retain(|t| !pairs.iter().any(|p| pinned.get(p) == Some(t)));
        pairs.sort_by_key(|p| !pinned.contains_key(p));
        let mut meetings: Vec<Meeting> = Vec::with_capacity(pairs.len());
        for &p in &pairs {
            let pair = event.pair(p);
            let table = if let Some(&t) = pinned.get(&p) {
                Some(t)
            } else if pair.host_table.is_some() || !event.tables_limited {
                pair.host_table
            } else {
                let prev = [pair.a, pair.b].into_iter().find_map(|i| {
                    last_table[i.index()]
                        .filter(|&(ps, t)| {
                            ps + 1 == s
                                && event.slots[ps].session == event.slots[s].session
                                && free.contains(&t)
                        })
                        .map(|(_, t)| t)
                });
                let t = prev.or_else(|| free.first().copied());
                if let Some(t) = t {
                    free.retain(|&f| f != t);
                }
                t
            };
            if let Some(t) = table {
                last_table[pair.a.index()] = Some((s, t));
                last_table[pair.b.index()] = Some((s, t));
            }
            meetings.push(Meeting {
                pair: p,
                slot,
                table,
                sequence: 0,
                interpreter: None,
            });
        }
        meetings.sort_by(|x, y| {
            let key = |m: &Meeting| {
                (
                    m.table.map(|t| event.table(t).id.clone()),
                    event.part(event.pair(m.pair).a).id.clone(),
                )
            };
            key(x).cmp(&key(y))
        });
        out.extend(meetings);
    }
    out
}
