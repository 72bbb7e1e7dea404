//! Interpreters for a plan's meetings: every meeting without a shared language gets one who
//! speaks a language of each side, is free in its slot and within `max_meetings`, none in two
//! meetings at once. Exact (augmenting paths, `solve::interp`): the solver only keeps plans
//! for which such an assignment exists, and this finds one. A re-plan first gives each kept
//! meeting the interpreter it was announced with, when that still works.

use super::Meeting;
use crate::event::{Event, InterpId, PairId};
use crate::id::Id;
use crate::solve::interp::{Matching, Pool};
use std::collections::HashMap;

const NONE: u32 = u32::MAX;

pub(super) fn assign(
    event: &Event,
    meetings: &mut [Meeting],
    previous: &HashMap<PairId, InterpId>,
) {
    for m in meetings.iter_mut() {
        m.interpreter = None;
    }
    if !event.interpreters_listed {
        return;
    }
    let n_slots = event.slots.len();
    let pool = Pool::new(
        event
            .interpreters
            .iter()
            .map(|k| k.available.clone())
            .collect(),
        event
            .interpreters
            .iter()
            .map(|k| k.max_meetings.unwrap_or(u32::MAX))
            .collect(),
        n_slots,
    );
    let elig: Vec<Vec<u32>> = meetings
        .iter()
        .map(|m| {
            event
                .interpreters_for(m.pair)
                .unwrap_or_default()
                .iter()
                .map(|k| k.index() as u32)
                .collect()
        })
        .collect();
    let needs: Vec<bool> = meetings
        .iter()
        .map(|m| event.interpreters_for(m.pair).is_some())
        .collect();
    let announced = || {
        let mut mt = Matching::new(&pool, meetings.len());
        for (i, m) in meetings.iter().enumerate() {
            if let Some(&k) = previous.get(&m.pair) {
                if needs[i] && elig[i].contains(&(k.index() as u32)) {
                    mt.try_take(&pool, i, m.slot.index() as u32, k.index() as u32);
                }
            }
        }
        mt
    };
    fn fill<'e>(
        mt: &mut Matching,
        pool: &Pool,
        meetings: &[Meeting],
        needs: &[bool],
        e: &dyn Fn(u32) -> &'e [u32],
    ) {
        for (i, m) in meetings.iter().enumerate() {
            if needs[i] && mt.of(i) == NONE {
                mt.add(pool, i as u32, m.slot.index() as u32, e);
            }
        }
    }
    // First with the announced interpreters locked (an augmenting path can only move a meeting
    // to one of its eligible interpreters, and a locked meeting has only its own): a re-plan
    // changes no announced interpreter unless no assignment exists without it.
    let mut mt = announced();
    let own: Vec<[u32; 1]> = (0..meetings.len()).map(|i| [mt.of(i)]).collect();
    fill(
        &mut mt,
        &pool,
        meetings,
        &needs,
        &|m: u32| match own[m as usize][0] {
            NONE => elig[m as usize].as_slice(),
            _ => &own[m as usize][..],
        },
    );
    if (0..meetings.len()).any(|i| needs[i] && mt.of(i) == NONE) {
        mt = announced();
        fill(&mut mt, &pool, meetings, &needs, &|m: u32| {
            elig[m as usize].as_slice()
        });
    }
    let mut of: Vec<u32> = (0..meetings.len()).map(|i| mt.of(i)).collect();
    let fixed: Vec<bool> = meetings
        .iter()
        .enumerate()
        .map(|(i, m)| previous.get(&m.pair).map(|k| k.index() as u32) == Some(of[i]))
        .collect();
    fewer_breaks(event, meetings, &elig, &fixed, &pool, &mut of);
    for (i, m) in meetings.iter_mut().enumerate() {
        if of[i] != NONE {
            m.interpreter = Some(Id::new(of[i] as usize));
        }
    }
}

/// Breaks of interpreter `k` (runs of idle slots between two of its meetings in a session).
fn breaks_of(event: &Event, busy: &[bool]) -> usize {
    event
        .sessions
        .iter()
        .map(|q| super::figures::breaks_in(&busy[q.slots.clone()]))
        .sum()
}

/// Interpreters' breaks weigh less than participants': the timing is fixed, and among the
/// valid assignments, handing a meeting to another interpreter free in its slot is kept when
/// it lowers their breaks (announced interpreters stay). Each step keeps
/// every rule (languages, availability, one meeting per slot, `max_meetings`).
fn fewer_breaks(
    event: &Event,
    meetings: &[Meeting],
    elig: &[Vec<u32>],
    fixed: &[bool],
    pool: &Pool,
    of: &mut [u32],
) {
    let n_slots = event.slots.len();
    let n = event.interpreters.len();
    let mut busy = vec![vec![false; n_slots]; n];
    let mut load = vec![0u32; n];
    for (i, m) in meetings.iter().enumerate() {
        if of[i] != NONE {
            busy[of[i] as usize][m.slot.index()] = true;
            load[of[i] as usize] += 1;
        }
    }
    let cost = |busy: &[Vec<bool>], ks: &[usize]| -> usize {
        ks.iter().map(|&k| breaks_of(event, &busy[k])).sum()
    };
    for _round in 0..8 {
        let mut improved = false;
        for i in 0..meetings.len() {
            if of[i] == NONE || fixed[i] {
                continue;
            }
            let s = meetings[i].slot.index();
            let k1 = of[i] as usize;
            // Hand it to a free interpreter of the slot.
            for &k2 in &elig[i] {
                let k2 = k2 as usize;
                if k2 == k1
                    || busy[k2][s]
                    || !pool.is_free(k2 as u32, s as u32)
                    || load[k2] >= pool.max[k2]
                {
                    continue;
                }
                let before = cost(&busy, &[k1, k2]);
                busy[k1][s] = false;
                busy[k2][s] = true;
                if cost(&busy, &[k1, k2]) < before {
                    load[k1] -= 1;
                    load[k2] += 1;
                    of[i] = k2 as u32;
                    improved = true;
                    break;
                }
                busy[k1][s] = true;
                busy[k2][s] = false;
            }
        }
        if !improved {
            break;
        }
    }
}

impl super::Plan {
    /// A re-plan: the interpreters announced for meetings that stay are kept where possible.
    pub(crate) fn keep_interpreters(
        &mut self,
        event: &Event,
        previous: &HashMap<PairId, InterpId>,
    ) {
        assign(event, &mut self.meetings, previous);
    }
}
