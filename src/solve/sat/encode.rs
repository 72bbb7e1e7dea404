//! The timing as clauses (Bofill et al., JAIR 74, 2022, §4.1–4.6, generalised to sessions,
//! reps > 1 and fixed tables):
//! - x[m][s]: meeting m in slot s, exactly one per meeting over its allowed slots;
//! - busy[i][s] ↔ some meeting of i in s; at most `reps` meetings of i in s;
//! - floating tables: at most `float_cap[s]` floating meetings in s, counted over clusters of
//!   meetings that share a participant with reps 1 (at most one of a cluster per slot, so one
//!   literal stands for the cluster: far fewer inputs to the counter, (46)–(47));
//! - breaks: held[i][s] (i was busy earlier in the session), end[i][s] (a break ends at s: busy
//!   at s, idle at s − 1, held at s − 1); the breaks of i are a unary count of its ends, and
//!   the soft literals are that count's outputs (each true one costs a break);
//! - fairness: a unary "fewest breaks" L with L ≤ breaks_i ≤ L + D for every participant with a
//!   meeting, guarded by one literal so a core can tell when fairness is what cannot be met;
//! - implied, for propagation: (43) a participant is busy in exactly as many slots as it has
//!   meetings when reps = 1 (at least ⌈meetings / reps⌉ of them otherwise), and (44) where
//!   every meeting of a slot needs a floating table and both sides have reps 1, the busy
//!   participants of the slot are at most twice the tables (not (45), their parity: see
//!   there); participants of which no two meet in a slot, all of whose meetings there take a
//!   floating table, are at most its floating tables (the independent-set rows, in the core
//!   loop: `Rows::independent`); a participant without a break holds its meetings in one
//!   block of consecutive slots, and is busy in the slots every block its meetings fit
//!   covers, idle where none reaches (the block rows, in every search but the default one:
//!   `Search::rows`); a participant whose agenda forces one break and
//!   that has no second one, likewise over the two runs its meetings fit (the two-run rows,
//!   in no search of `plan`: `Rows::two_runs`); and each
//!   participant has at least the breaks its own agenda forces (a unit from
//!   `alone::fewest_breaks`: 15 meetings and two free spans of 7 slots are two breaks, which
//!   CDCL would have to learn by a pigeonhole argument);
//! - symmetry breaking (in the default search's encoding alone, which no run of `plan` takes:
//!   `Rows::order`): a
//!   participant's meetings with participants that have no other meeting in increasing order
//!   of their slots, where both allow them (`interchangeable`).

use super::alone::{fewest_breaks, fits};
use super::card::{Dir, Sink};
use super::{Rows, TimingProblem};
use crate::solve::instance::UNLIMITED;
use rustsat::solvers::FreezeVar;
use rustsat::types::Lit;

pub(super) struct Encoding<'t> {
    pub sink: Sink<'t>,
    /// Per meeting: (slot, literal) for each allowed slot.
    pub x: Vec<Vec<(u32, Lit)>>,
    /// Per participant: the unary count of its breaks (output k: "at least k + 1").
    pub breaks: Vec<Vec<Lit>>,
    /// Assumed true to enforce fairness.
    pub fair_on: Option<Lit>,
    /// Selector assumed true to enforce participant i's reps (explanation mode).
    pub part_sel: Vec<Option<Lit>>,
    /// Selector assumed true to enforce the floating tables of slot s (explanation mode).
    pub slot_sel: Vec<Option<Lit>>,
    /// Groups of interchangeable meetings whose slots the encoding keeps in increasing order
    /// ([`interchangeable`]).
    pub order: Vec<Vec<usize>>,
}

/// What to encode: the break-minimising model, or only the hard rules with one selector per
/// participant and per slot, whose unsatisfiable cores name who cannot fit.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// With the optional rows asked for (see `Search::rows`).
    Breaks(Rows),
    Explain,
}

pub(super) fn encode<'t>(p: &TimingProblem, mode: Mode) -> Encoding<'t> {
    let mut s = Sink::new();
    let n = p.n_slots;
    let explain = mode == Mode::Explain;
    let by_part = p.by_part();

    // Meeting × slot.
    let mut x = Vec::with_capacity(p.meetings.len());
    for m in &p.meetings {
        let row: Vec<(u32, Lit)> = m.slots.iter().map(|&t| (t, s.lit())).collect();
        let lits: Vec<Lit> = row.iter().map(|&(_, l)| l).collect();
        s.exactly_one(&lits);
        x.push(row);
    }
    let x_at = |m: usize, t: usize| -> Option<Lit> {
        x[m].iter()
            .find(|&&(u, _)| u as usize == t)
            .map(|&(_, l)| l)
    };

    // Busy and reps.
    let mut busy = vec![vec![s.fals(); n]; p.n_parts];
    let mut part_sel = vec![None; p.n_parts];
    for i in 0..p.n_parts {
        if by_part[i].is_empty() {
            continue;
        }
        let sel = explain.then(|| s.lit());
        part_sel[i] = sel;
        let cap = p.cap[i] as usize;
        for (t, b) in busy[i].iter_mut().enumerate() {
            let lits: Vec<Lit> = by_part[i].iter().filter_map(|&m| x_at(m, t)).collect();
            *b = s.or(&lits);
            if lits.len() > cap {
                match sel {
                    Some(sel) => {
                        let c = s.count(&lits, cap + 1, Dir::Up);
                        s.add(&[!sel, !c[cap]]);
                    }
                    None if cap == 1 => s.at_most_one(&lits),
                    None => s.at_most(&lits, cap),
                }
            }
        }
    }

    // Floating tables, over clusters.
    let clusters = clusters(p, &by_part);
    let mut slot_sel = vec![None; n];
    for t in 0..n {
        let cap = p.float_cap[t];
        if cap == UNLIMITED {
            continue;
        }
        let mut units = Vec::new();
        for (centre, members) in &clusters {
            let lits: Vec<Lit> = members.iter().filter_map(|&m| x_at(m, t)).collect();
            if lits.is_empty() {
                continue;
            }
            // The whole agenda of the centre: its busy literal is this cluster's.
            let whole = centre.is_some_and(|c| members.len() == by_part[c].len());
            units.push(match centre {
                Some(c) if whole => busy[*c][t],
                _ => s.or(&lits),
            });
        }
        if units.len() as u32 <= cap {
            continue;
        }
        let cap = cap as usize;
        if explain {
            let sel = s.lit();
            slot_sel[t] = Some(sel);
            let c = s.count(&units, cap + 1, Dir::Up);
            s.add(&[!sel, !c[cap]]);
        } else {
            s.at_most(&units, cap);
        }
    }

    if explain {
        return Encoding {
            sink: s,
            x,
            breaks: vec![Vec::new(); p.n_parts],
            fair_on: None,
            part_sel,
            slot_sel,
            order: Vec::new(),
        };
    }

    // (44): busy participants per slot, where every meeting there takes a table. JAIR's (45),
    // their parity (each meeting makes two busy), is left out: it needs the count in both
    // directions over every participant of the slot, where (44) needs the upward half (a
    // 1 %-scattered ticf-13crafb: 90,000 of the encoding's 227,000 clauses were the counts with
    // parity). Measured on the engine alone without it (21 dumped hard events, 60 s each, the
    // geometric mean of conflicts to the proof): the improving search 96,381 → 85,063, the
    // core loop (in stable mode then) 60,899 → 54,892, each conflict faster (about 1.3 times
    // as many a second); all 21 proven either way. Without (44) as well, that ticf-13crafb is
    // not proven in 60 s, the parity alone not either: the bound on the count is what proves
    // it.
    let mut slot_meetings = vec![Vec::new(); n];
    for (m, mt) in p.meetings.iter().enumerate() {
        for &t in &mt.slots {
            slot_meetings[t as usize].push(m);
        }
    }
    for t in 0..n {
        let cap = p.float_cap[t];
        let eligible = cap != UNLIMITED
            && !slot_meetings[t].is_empty()
            && slot_meetings[t].iter().all(|&m| {
                let mt = &p.meetings[m];
                mt.floating && p.cap[mt.a] == 1 && p.cap[mt.b] == 1
            });
        if !eligible {
            continue;
        }
        let lits: Vec<Lit> = (0..p.n_parts)
            .map(|i| busy[i][t])
            .filter(|&l| l != s.fals())
            .collect();
        s.at_most(&lits, 2 * cap as usize);
    }

    // Breaks.
    let mut breaks = vec![Vec::new(); p.n_parts];
    let mut forced = vec![0; p.n_parts];
    for i in 0..p.n_parts {
        let k = by_part[i].len();
        if k < 2 {
            continue;
        }
        let mut ends = Vec::new();
        for q in &p.sessions {
            let (mut held, mut prev) = (s.fals(), s.fals());
            for t in q.clone() {
                // A slot held by the programme is not there for the count.
                if p.skipped(i, t) {
                    continue;
                }
                let b = busy[i][t];
                if b != s.fals() && held != s.fals() {
                    // end ↔ b ∧ ¬prev ∧ held
                    let e = s.lit();
                    s.add(&[!b, prev, !held, e]);
                    s.add(&[!e, b]);
                    s.add(&[!e, !prev]);
                    s.add(&[!e, held]);
                    ends.push(e);
                }
                held = if held == s.fals() {
                    b
                } else if b == s.fals() {
                    held
                } else {
                    s.or(&[held, b])
                };
                prev = b;
            }
        }
        let most = ends.len().min(k - 1);
        breaks[i] = s.count(&ends, most, Dir::Both);
        // The fewest breaks its own agenda allows, as a unit: the search would need a
        // pigeonhole argument for it (see `alone`).
        let fewest = fewest_breaks(p, i, &by_part[i]);
        forced[i] = fewest;
        if fewest > 0 {
            s.add(&breaks[i].get(fewest - 1).map_or(vec![], |&l| vec![l]));
        }
    }

    // Blocks: a participant with reps 1 whose meetings all fall in one session and who has
    // no break holds them in one block of consecutive slots, which can only start where every
    // slot of the block is possible for it. Unit propagation then rules out whole blocks (the
    // break MIP's implied span rows, in clause form). Also requiring that its meetings can be
    // matched into the block, as clauses over its meetings, was measured: 2 to 4.5 times the
    // conflicts on two of three hard variants, fewer on the third; the matching here only picks
    // the blocks the binary clauses below are drawn from. The block rows help on some events
    // and hurt on others, so the default search's encoding leaves them out (`Search::rows`).
    let block_rows = matches!(mode, Mode::Breaks(Rows { block: true, .. }));
    let two_runs = matches!(mode, Mode::Breaks(Rows { two_runs: true, .. }));
    // Per participant × slot: busy there whenever it has no break (every block covers it).
    let mut pinned = vec![false; p.n_parts * n];
    for i in 0..p.n_parts {
        let k = by_part[i].len();
        if !block_rows || k < 2 || p.cap[i] != 1 || breaks[i].is_empty() {
            continue;
        }
        let mut sessions = by_part[i]
            .iter()
            .flat_map(|&m| &p.meetings[m].slots)
            .map(|&t| p.sessions.iter().position(|q| q.contains(&(t as usize))));
        let Some(Some(q)) = sessions.next() else {
            continue;
        };
        if sessions.any(|other| other != Some(q)) {
            continue;
        }
        let range = p.sessions[q].clone();
        if range.clone().any(|t| p.skipped(i, t)) {
            continue;
        }
        // The rows below say nothing of a participant whose own agenda forces a break (its
        // first break literal is a unit): free spans on both sides of an unavailability, as in
        // the unavailable variants, or meetings bound to slots far apart. With one break
        // forced and no second, its busy slots are two runs, and their common slots say as
        // much as a block's (`two_run_slots`; in no search of `plan`: measured as much a loss
        // as a gain, `Rows::two_runs`). One forced break only: with more, the runs to try grow
        // with a higher power of the slots (not tried).
        if two_runs && forced[i] == 1 {
            let fals = s.fals();
            let open: Vec<bool> = busy[i].iter().map(|&b| b != fals).collect();
            // "At least two breaks" (none where the count stops at one: then outright).
            let more = breaks[i].get(1).copied();
            match two_run_slots(p, &by_part[i], &open, range.clone()) {
                Some((every, some)) => {
                    common_slots(&mut s, more, &busy[i], range.clone(), &every, &some);
                }
                // No two runs fit (nor one: its agenda forces a break), so it has a second
                // break: a unit, as the fewest-breaks ones (the empty clause where its count
                // cannot reach two: no timing).
                None => s.add(&more.into_iter().collect::<Vec<_>>()),
            }
        }
        let mut clause = vec![breaks[i][0]];
        // Slots inside every block its meetings can be matched into, and outside all of them.
        let (mut every, mut some) = (vec![true; n], vec![false; n]);
        let mut matched = false;
        if range.len() >= k {
            for start in range.start..=range.end - k {
                let block = start..start + k;
                if block.clone().any(|t| busy[i][t] == s.fals()) {
                    continue;
                }
                let w = s.lit();
                for t in range.clone() {
                    let inside = block.contains(&t);
                    s.add(&[!w, if inside { busy[i][t] } else { !busy[i][t] }]);
                }
                clause.push(w);
                if fits(p, &by_part[i], 1, |t| block.contains(&t)) {
                    matched = true;
                    for t in range.clone() {
                        every[t] &= block.contains(&t);
                        some[t] |= block.contains(&t);
                    }
                }
            }
        }
        s.add(&clause);
        // The blocks' common consequences as binary clauses: "no break → busy at t" where
        // every block covers t (a participant with meetings bound to the morning and others to
        // the afternoon is busy at noon), "→ idle" where none reaches. Unit propagation cannot
        // draw them from the disjunction of blocks above, and they are what turns the tables
        // into breaks: where more such participants must be busy in a slot than its tables
        // seat, someone has a break. Measured on the engine alone (conflicts to the proof, the
        // core loop in stable mode then, eight hard events): fewer on five (a 1 %-scattered
        // ticf-13crafb 265,620 → 224,406, a late-pinned ticf-13crafb 46,906 → 20,535), more on
        // two (forum-13crafb 53,797 → 68,245), as many on one; 18 % fewer in geometric mean.
        // The default search with these clauses alone (no block rows) needed 3 % fewer in
        // geometric mean, from a third to twice as many, and stays without them.
        if matched {
            let guard = Some(breaks[i][0]);
            for t in common_slots(&mut s, guard, &busy[i], range.clone(), &every, &some) {
                pinned[i * n + t] = true;
            }
        }
    }

    if matches!(mode, Mode::Breaks(r) if r.independent) {
        independent_sets(p, &mut s, &busy, &by_part, &pinned);
    }

    // (43): busy slots per participant, for every participant, also where the block rows
    // fix the count of a break-free agenda. Leaving it out there was measured faster on the
    // JAIR events once (before target phases and the units above); now, on the engine alone
    // (conflicts to the proof, default search / core loop in stable mode then), it is what
    // closes the problems that had resisted longest: tic-13crafc 281,056 / 425,451 → 31,573 /
    // 13,927, a 1 %-unavailable ticf-14crafa 209,096 / 442,003 → 23,735 / 24,038, a
    // 3 %-unavailable forum-13crafc 173,200 / none in 40 s → 28,224 / 20,652; only
    // ticf-13crafb's default search is slower (61,100 → 95,365, its core loop faster: 75,619 →
    // 54,597).
    for i in 0..p.n_parts {
        let k = by_part[i].len();
        if k == 0 {
            continue;
        }
        let lits: Vec<Lit> = busy[i].iter().copied().filter(|&l| l != s.fals()).collect();
        if p.cap[i] == 1 {
            // Fewer possible busy slots than meetings: no timing (an empty clause).
            let c = s.count(&lits, k + 1, Dir::Both);
            s.add(&c.get(k - 1).map_or(vec![], |&l| vec![l]));
            if let Some(&over) = c.get(k) {
                s.add(&[!over]);
            }
        } else {
            let at_least = k.div_ceil(p.cap[i] as usize);
            let c = s.count(&lits, at_least, Dir::Both);
            s.add(&c.get(at_least - 1).map_or(vec![], |&l| vec![l]));
        }
    }

    // Interchangeable meetings in increasing order of their slots (symmetry breaking): a
    // participant's meetings with participants that have no other meeting can exchange their
    // slots without changing anyone's breaks where each slot is allowed for the other meeting,
    // so every timing has a twin as good with each pair in order on the slots both allow
    // (exchanging such a pair lowers the number of pairs out of order by their slots alone,
    // whatever their lists, so exchanges reach a timing where none is: `Encoding::in_order`).
    // Left free, the search can refute each order of them again: JAIR's forum and ticf events
    // have a participant with seven such meetings.
    let order = match mode {
        Mode::Breaks(Rows { order: true, .. }) => interchangeable(p, &by_part),
        _ => Vec::new(),
    };
    for group in &order {
        // Two meetings of a participant with reps 1 never share a slot.
        let strict = p.cap[centre(p, &by_part, group[0])] == 1;
        for (k, &m1) in group.iter().enumerate() {
            for &m2 in &group[k + 1..] {
                let (first, second) = (&p.meetings[m1], &p.meetings[m2]);
                // m2 in a slot both allow: m1 earlier in one, or in one m2 does not allow.
                for &(t, l) in &x[m2] {
                    if !first.allows(t) {
                        continue;
                    }
                    let mut clause = vec![!l];
                    clause.extend(
                        x[m1]
                            .iter()
                            .filter(|&&(u, _)| u < t || (!strict && u == t) || !second.allows(u))
                            .map(|&(_, k)| k),
                    );
                    s.add(&clause);
                }
            }
        }
    }

    // Fairness.
    let fair_on = p.max_spread.map(|d| {
        let d = d as usize;
        let on = s.lit();
        let top = breaks.iter().map(Vec::len).max().unwrap_or(0);
        let fewest: Vec<Lit> = (0..top).map(|_| s.lit()).collect();
        for k in 1..top {
            s.add(&[!on, !fewest[k], fewest[k - 1]]);
        }
        for i in 0..p.n_parts {
            if by_part[i].is_empty() {
                continue;
            }
            for (k, &l) in fewest.iter().enumerate() {
                // fewest ≥ k + 1 → breaks_i ≥ k + 1
                match breaks[i].get(k) {
                    Some(&b) => s.add(&[!on, !l, b]),
                    None => s.add(&[!on, !l]),
                }
            }
            for (k, &b) in breaks[i].iter().enumerate() {
                // breaks_i ≥ k + 1 → fewest ≥ k + 1 − d
                if k >= d {
                    s.add(&[!on, !b, fewest[k - d]]);
                }
            }
        }
        on
    });

    for row in &x {
        for &(_, l) in row {
            let _ = s.solver.freeze_var(l.var());
        }
    }
    for b in &breaks {
        for &l in b {
            let _ = s.solver.freeze_var(l.var());
        }
    }
    Encoding {
        sink: s,
        x,
        breaks,
        fair_on,
        part_sel,
        slot_sel,
        order,
    }
}

impl Encoding<'_> {
    /// A timing's twin that the encoding admits: the slots of each group of interchangeable
    /// meetings sorted (the same breaks for everyone), for seeding the search's phases.
    pub(super) fn in_order(&self, p: &TimingProblem, slot_of: &[u32]) -> Vec<u32> {
        let mut out = slot_of.to_vec();
        let allows = |m: usize, t: u32| p.meetings[m].allows(t);
        for group in &self.order {
            // Exchanging a pair out of order lowers the number of pairs out of order by their
            // slots alone (not only those both lists allow): this ends.
            let mut changed = true;
            while changed {
                changed = false;
                for (k, &m1) in group.iter().enumerate() {
                    for &m2 in &group[k + 1..] {
                        let (t1, t2) = (out[m1], out[m2]);
                        if t1 > t2 && allows(m1, t2) && allows(m2, t1) {
                            out[m1] = t2;
                            out[m2] = t1;
                            changed = true;
                        }
                    }
                }
            }
        }
        out
    }
}

/// The runs' common consequences as clauses, for the block rows and the two-run rows: unless
/// `guard` (more breaks than the runs allow; none: always), busy in each possible slot of
/// `range` that `every` run covers, idle where `some` run does not reach. Returns the slots
/// where it is busy.
fn common_slots(
    s: &mut Sink,
    guard: Option<Lit>,
    busy: &[Lit],
    range: std::ops::Range<usize>,
    every: &[bool],
    some: &[bool],
) -> Vec<usize> {
    let mut busy_at = Vec::new();
    for t in range {
        if busy[t] == s.fals() {
            continue;
        }
        let lit = if every[t] {
            busy_at.push(t);
            busy[t]
        } else if !some[t] {
            !busy[t]
        } else {
            continue;
        };
        s.add(&guard.into_iter().chain([lit]).collect::<Vec<_>>());
    }
    busy_at
}

/// The two-run rows' slots (`Rows::two_runs`) for a participant whose own agenda forces one
/// break (`fewest_breaks` = 1: free slots on both sides of an unavailability, or meetings
/// bound to slots far apart) and whose meetings all fall in the session `range`: with no
/// second break its busy slots are two runs of consecutive `open` slots, with an idle slot or
/// more between them, that its meetings can be matched into. Per slot of `range` (the rest is
/// left as it starts): whether every such pair of runs covers it (busy there unless it has a
/// second break), and whether any does (idle where none reaches). None where no pair fits:
/// then it has a second break. The block rows say the same of a participant with no break;
/// one whose agenda forces a break has no block, and no row, without these.
pub(super) fn two_run_slots(
    p: &TimingProblem,
    meetings: &[usize],
    open: &[bool],
    range: std::ops::Range<usize>,
) -> Option<(Vec<bool>, Vec<bool>)> {
    let k = meetings.len();
    let n = p.n_slots;
    let (mut every, mut some) = (vec![true; n], vec![false; n]);
    let mut any = false;
    let all_open = |r: &std::ops::Range<usize>| r.end <= range.end && r.clone().all(|t| open[t]);
    for len1 in 1..k {
        for s1 in range.clone() {
            let r1 = s1..s1 + len1;
            if !all_open(&r1) {
                continue;
            }
            for s2 in r1.end + 1..range.end {
                let r2 = s2..s2 + (k - len1);
                let inside = |t: usize| r1.contains(&t) || r2.contains(&t);
                // The matching only for runs that would change what is known (most do not,
                // once a few have been found).
                let news = range
                    .clone()
                    .any(|t| (every[t] && !inside(t)) || (!some[t] && inside(t)));
                if !news || !all_open(&r2) || !fits(p, meetings, 1, inside) {
                    continue;
                }
                any = true;
                for t in range.clone() {
                    every[t] &= inside(t);
                    some[t] |= inside(t);
                }
            }
        }
    }
    any.then_some((every, some))
}

/// The independent-set rows (`Rows::independent`): participants of which no two meet in slot
/// `t` each need a meeting of their own there, with a partner outside the set, so at most the
/// slot's floating tables of them are busy in it (where all their meetings that may use the
/// slot take a table: a busy one then holds a table no other member holds). The count over all
/// busy participants, (44), allows twice the tables: where more participants than the slot
/// seats must be busy there when they have no break and no two of them meet, this says so at
/// once, where clause learning would need a pigeonhole argument. A 1 %-scattered ticf-13crafb
/// has 26 participants busy at noon whenever they have no break, 15 of them pairwise without a
/// meeting, for 14 tables. One set per slot, chosen greedily: the participants pinned there
/// (busy whenever they have no break, from the block rows) first, then those with the fewest
/// meetings that may use the slot, then by index.
fn independent_sets(
    p: &TimingProblem,
    s: &mut Sink,
    busy: &[Vec<Lit>],
    by_part: &[Vec<usize>],
    pinned: &[bool],
) {
    let n = p.n_slots;
    for t in 0..n {
        let cap = p.float_cap[t];
        if cap == UNLIMITED {
            continue;
        }
        let slot = t as u32;
        let partners = |i: usize| {
            by_part[i]
                .iter()
                .filter(move |&&m| p.meetings[m].allows(slot))
                .map(move |&m| {
                    let mt = &p.meetings[m];
                    if mt.a == i {
                        mt.b
                    } else {
                        mt.a
                    }
                })
        };
        let mut cand: Vec<(bool, usize, usize)> = (0..p.n_parts)
            .filter(|&i| busy[i][t] != s.fals())
            .filter(|&i| {
                by_part[i]
                    .iter()
                    .all(|&m| !p.meetings[m].allows(slot) || p.meetings[m].floating)
            })
            .map(|i| (!pinned[i * n + t], partners(i).count(), i))
            .collect();
        cand.sort_unstable();
        let mut blocked = vec![false; p.n_parts];
        let mut lits = Vec::new();
        for (_, _, i) in cand {
            if blocked[i] {
                continue;
            }
            blocked[i] = true;
            for j in partners(i) {
                blocked[j] = true;
            }
            lits.push(busy[i][t]);
        }
        if lits.len() > cap as usize {
            s.at_most(&lits, cap as usize);
        }
    }
}

/// Floating meetings grouped by a shared participant with reps 1 (the centre), greedily: the
/// participant covering the most ungrouped meetings first, lowest index on ties. Meetings
/// whose both sides have reps > 1 stand alone.
fn clusters(p: &TimingProblem, by_part: &[Vec<usize>]) -> Vec<(Option<usize>, Vec<usize>)> {
    let mut grouped: Vec<bool> = p.meetings.iter().map(|m| !m.floating).collect();
    let mut out = Vec::new();
    loop {
        let best = (0..p.n_parts)
            .filter(|&i| p.cap[i] == 1)
            .map(|i| (by_part[i].iter().filter(|&&m| !grouped[m]).count(), i))
            .filter(|&(c, _)| c > 0)
            .max_by_key(|&(c, i)| (c, std::cmp::Reverse(i)));
        let Some((_, i)) = best else { break };
        let members: Vec<usize> = by_part[i]
            .iter()
            .copied()
            .filter(|&m| !grouped[m])
            .collect();
        for &m in &members {
            grouped[m] = true;
        }
        out.push((Some(i), members));
    }
    for (m, g) in grouped.iter().enumerate() {
        if !g {
            out.push((None, vec![m]));
        }
    }
    out
}

/// The side of meeting `m` that is not a leaf (a participant with this meeting alone).
fn centre(p: &TimingProblem, by_part: &[Vec<usize>], m: usize) -> usize {
    let mt = &p.meetings[m];
    if by_part[mt.a].len() == 1 {
        mt.b
    } else {
        mt.a
    }
}

/// Groups of interchangeable meetings: each with the same participant on one side and on the
/// other a participant with no other meeting, all floating or none, in increasing order of
/// index. Exchanging the slots of two of them changes no one's agenda in this problem but the
/// leaves', whose only meeting it is, and is allowed where each slot is in the other's list.
/// Where the problem is a relaxation of the plan (interpreters, visits, travel: `solve`'s
/// `sat_bounds_the_value`), the two timings can differ for the whole plan: the bound stays
/// valid, but the run keeping the order can only return the timing in order.
fn interchangeable(p: &TimingProblem, by_part: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut groups: std::collections::BTreeMap<(usize, bool), Vec<usize>> =
        std::collections::BTreeMap::new();
    for (m, mt) in p.meetings.iter().enumerate() {
        let (la, lb) = (by_part[mt.a].len() == 1, by_part[mt.b].len() == 1);
        if !(la || lb) {
            continue;
        }
        let c = centre(p, by_part, m);
        groups.entry((c, mt.floating)).or_default().push(m);
    }
    groups.into_values().filter(|g| g.len() > 1).collect()
}
