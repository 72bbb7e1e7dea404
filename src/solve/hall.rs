//! Meetings matched to the places of their allowed slots (a participant holds up to `places`
//! meetings in one slot), by augmenting paths: whether they all fit, and where they do not,
//! which of them compete for too few slots (Hall's theorem: a set of meetings whose allowed
//! slots offer fewer places than the meetings). The SAT engine asks the first of one
//! participant's agenda; `validate` and `plan` name the second, so that an organiser sees
//! which meetings to move.

/// No meeting holds the place.
const FREE: usize = usize::MAX;

/// A maximum matching, or the partial one at the first meeting that did not fit.
struct Matching {
    places: usize,
    /// `holder[slot * places + k]`: the meeting (index into the domains) in place k of slot.
    holder: Vec<usize>,
    /// Meetings left without a place.
    unmatched: Vec<usize>,
}

/// Matches each meeting, in order, to a place of one of its slots that `open` admits; stops
/// at the first meeting without one unless `all`.
fn matching(
    domains: &[&[u32]],
    n_slots: usize,
    places: usize,
    open: &dyn Fn(usize) -> bool,
    all: bool,
) -> Matching {
    // No slot needs more places than there are meetings (reps may be unlimited, as for a
    // neighbourhood's stand-in participant).
    let places = places.min(domains.len()).max(1);
    fn augment(
        domains: &[&[u32]],
        m: usize,
        places: usize,
        open: &dyn Fn(usize) -> bool,
        seen: &mut [bool],
        holder: &mut [usize],
    ) -> bool {
        for &t in domains[m] {
            let t = t as usize;
            if !open(t) {
                continue;
            }
            for k in 0..places {
                let place = t * places + k;
                if seen[place] {
                    continue;
                }
                seen[place] = true;
                let free = holder[place] == FREE
                    || augment(domains, holder[place], places, open, seen, holder);
                if free {
                    holder[place] = m;
                    return true;
                }
            }
        }
        false
    }
    let mut holder = vec![FREE; n_slots * places];
    let mut seen = vec![false; holder.len()];
    let mut unmatched = Vec::new();
    for m in 0..domains.len() {
        seen.fill(false);
        if !augment(domains, m, places, open, &mut seen, &mut holder) {
            unmatched.push(m);
            if !all {
                break;
            }
        }
    }
    Matching {
        places,
        holder,
        unmatched,
    }
}

/// Whether every meeting gets a place of one of its slots that `open` admits (`places` to a
/// slot; any number, unlimited included).
pub(crate) fn fits(
    domains: &[&[u32]],
    n_slots: usize,
    places: usize,
    open: impl Fn(usize) -> bool,
) -> bool {
    matching(domains, n_slots, places, &open, false)
        .unmatched
        .is_empty()
}

/// Where the meetings do not all fit: the meetings (indices into `domains`, ascending) that
/// compete for too few places, and their slots (ascending), every slot any of them allows.
/// They are the meetings an unmatched one reaches by alternating paths in a maximum matching:
/// every place of their slots is held by one of them, so they outnumber the places by the
/// meetings left out.
pub(crate) fn too_few_slots(
    domains: &[&[u32]],
    n_slots: usize,
    places: usize,
) -> Option<(Vec<usize>, Vec<usize>)> {
    let m = matching(domains, n_slots, places, &|_| true, true);
    if m.unmatched.is_empty() {
        return None;
    }
    let mut reached = vec![false; domains.len()];
    let mut slot_reached = vec![false; n_slots];
    let mut todo = m.unmatched.clone();
    for &u in &todo {
        reached[u] = true;
    }
    while let Some(u) = todo.pop() {
        for &t in domains[u] {
            let t = t as usize;
            if slot_reached[t] {
                continue;
            }
            slot_reached[t] = true;
            for k in 0..m.places {
                let h = m.holder[t * m.places + k];
                if h != FREE && !reached[h] {
                    reached[h] = true;
                    todo.push(h);
                }
            }
        }
    }
    let meetings = (0..domains.len()).filter(|&u| reached[u]).collect();
    let slots = (0..n_slots).filter(|&t| slot_reached[t]).collect();
    Some((meetings, slots))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meetings_bound_to_few_slots_are_found_beside_free_ones() {
        // Three meetings bound to slots 0–1, one free to use any of 0–3: the three cannot all
        // fit, though the four have four slots between them.
        let (a, free): (&[u32], &[u32]) = (&[0, 1], &[0, 1, 2, 3]);
        let domains = [a, free, a, a];
        assert!(!fits(&domains, 4, 1, |_| true));
        assert_eq!(
            too_few_slots(&domains, 4, 1),
            Some((vec![0, 2, 3], vec![0, 1]))
        );
        // Two places a slot (reps 2): they fit.
        assert!(fits(&domains, 4, 2, |_| true));
        assert_eq!(too_few_slots(&domains, 4, 2), None);
        // Slot 1 closed: one place left for three.
        assert!(!fits(&domains, 4, 2, |t| t != 1));
    }

    #[test]
    fn only_the_meetings_that_compete_are_named() {
        // Meetings 0 and 1 both need slot 0; meeting 2 moves to slot 1 and meeting 3 to slot
        // 2, so neither is part of the reason.
        let domains: [&[u32]; 4] = [&[0], &[0], &[0, 1], &[1, 2]];
        assert_eq!(too_few_slots(&domains, 3, 1), Some((vec![0, 1], vec![0])));
        // Four meetings for slots 0–1, two of them held there first: all four, and not slot 2.
        let domains: [&[u32]; 4] = [&[0], &[1], &[0, 1], &[0, 1]];
        assert_eq!(
            too_few_slots(&domains, 3, 1),
            Some((vec![0, 1, 2, 3], vec![0, 1]))
        );
    }
}
