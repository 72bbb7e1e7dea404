//! Venues and the travel between them: the optional `venues.csv` (id, name, address) and
//! `travel.csv` (from, to, minutes). A venue is named anywhere (slots, tables, a firm's
//! premises, programme items, visits) by its id or its name; without venues.csv every distinct
//! name is a venue of its own. Without travel.csv moving between venues takes no time; with it,
//! every two venues used on one day need their time (an error names a missing pair).

use super::load::Loader;
use super::sheet::{opt, req, Column, Sheet as CsvFile};
use super::time::{Date, Time};
use super::Event;
use crate::diag::suggest;
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub(crate) type VenueId = usize;

#[derive(Debug, Clone)]
pub(crate) struct Venue {
    pub id: String,
    pub name: String,
    pub address: String,
}

impl Venue {
    /// "Name, address" for agendas and calendars (the name alone without an address).
    pub(crate) fn display(&self) -> String {
        if self.address.is_empty() {
            self.name.clone()
        } else {
            format!("{}, {}", self.name, self.address)
        }
    }
}

/// When and where an engagement (meeting slot, programme item, visit) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub day: Date,
    pub start: Time,
    pub end: Time,
    pub venue: Option<VenueId>,
}

/// The venues known while loading: those of venues.csv (`explicit`), or every name met.
#[derive(Debug, Clone, Default)]
pub(crate) struct VenueBook {
    pub venues: Vec<Venue>,
    pub explicit: bool,
}

/// The venue `s` names among `venues`: by id, else by name, without regard to case.
fn named(venues: &[Venue], s: &str) -> Option<VenueId> {
    let s = s.trim();
    venues
        .iter()
        .position(|v| v.id.eq_ignore_ascii_case(s))
        .or_else(|| venues.iter().position(|v| v.name.eq_ignore_ascii_case(s)))
}

impl VenueBook {
    /// The venue a cell names (id or name, without regard to case).
    pub(crate) fn find(&self, s: &str) -> Option<VenueId> {
        named(&self.venues, s)
    }

    /// The venue of a cell; a new one without venues.csv, an error message with it.
    pub(crate) fn resolve(&mut self, s: &str) -> Result<Option<VenueId>, String> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        if let Some(v) = self.find(s) {
            return Ok(Some(v));
        }
        if self.explicit {
            let mut m = format!("unknown venue '{s}'");
            let names = self
                .venues
                .iter()
                .flat_map(|v| [v.id.as_str(), v.name.as_str()]);
            if let Some(g) = suggest(s, names) {
                m.push_str(&format!(" (did you mean '{g}'?)"));
            }
            return Err(m);
        }
        self.venues.push(Venue {
            id: s.to_string(),
            name: s.to_string(),
            address: String::new(),
        });
        Ok(Some(self.venues.len() - 1))
    }
}

pub(super) const VENUE_COLUMNS: &[Column] = &[req("id"), req("name"), opt("address")];
pub(super) const TRAVEL_COLUMNS: &[Column] = &[req("from"), req("to"), req("minutes")];
pub(super) const VENUE_HINT: &str = "name a venue of venues.csv by its id or its name";

/// Minutes between venues, `travel[from][to]`; `None` where travel.csv says nothing.
pub(crate) type Travel = Vec<Vec<Option<u32>>>;

impl Loader<'_> {
    /// venues.csv, when the event has one: the book becomes explicit.
    pub(super) fn read_venues(&mut self) {
        if !self.files.has("venues") {
            return;
        }
        let Some(f) = self.read("venues", VENUE_COLUMNS, 10_000) else {
            return;
        };
        self.venues.explicit = true;
        let mut seen: HashMap<String, u64> = HashMap::new();
        for row in &f.rows {
            let Some(id) = self.id_cell(&f, row, "id") else {
                continue;
            };
            // Venues are named without regard to case (`find`): so are their ids compared.
            let key = (id.as_str(), id.to_lowercase());
            if self.repeated_id(&f, row, &mut seen, key, ("venue id", "venue")) {
                continue;
            }
            let name = f.cell(row, "name").value.trim().to_string();
            self.venues.venues.push(Venue {
                name: if name.is_empty() { id.clone() } else { name },
                id,
                address: f.cell(row, "address").value.trim().to_string(),
            });
        }
    }

    /// Checks (or registers) the venue a cell names.
    pub(super) fn venue_cell(
        &mut self,
        f: &CsvFile,
        row: &super::sheet::Row,
        col: &str,
    ) -> Option<VenueId> {
        let c = f.cell(row, col);
        match self.venues.resolve(c.value) {
            Ok(v) => v,
            Err(m) => {
                self.pr.error(f.diag(&c, m).hint(VENUE_HINT));
                None
            }
        }
    }

    /// travel.csv: minutes between two venues, both ways unless the other way has its own row.
    pub(super) fn read_travel(&mut self) -> Option<(Travel, String)> {
        if !self.files.has("travel") {
            return None;
        }
        let f = self.read("travel", TRAVEL_COLUMNS, 1_000_000)?;
        let mut given: Vec<(VenueId, VenueId, u32, u64)> = Vec::new();
        for row in &f.rows {
            let from = self.venue_cell(&f, row, "from");
            let to = self.venue_cell(&f, row, "to");
            let mc = f.cell(row, "minutes");
            let minutes = mc
                .value
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|&m| m <= 24 * 60);
            if minutes.is_none() {
                self.pr.error(
                    f.diag(&mc, format!("bad minutes '{}'", mc.value))
                        .hint("write the travel time in whole minutes, from 0 to 1440"),
                );
            }
            for (col, v) in [("from", from), ("to", to)] {
                if v.is_none() && f.cell(row, col).value.trim().is_empty() {
                    let c = f.cell(row, col);
                    self.pr
                        .error(f.diag(&c, format!("'{col}' is empty")).hint(VENUE_HINT));
                }
            }
            if let (Some(a), Some(b), Some(m)) = (from, to, minutes) {
                given.push((a, b, m, row.line));
            }
        }
        let n = self.venues.venues.len();
        let mut travel: Travel = vec![vec![None; n]; n];
        let mut stated: Vec<Vec<bool>> = vec![vec![false; n]; n];
        for &(a, b, m, _) in &given {
            travel[a][b] = Some(m);
            stated[a][b] = true;
        }
        for &(a, b, m, _) in &given {
            if !stated[b][a] {
                travel[b][a] = Some(m);
            }
        }
        for (v, row) in travel.iter_mut().enumerate() {
            row[v] = Some(0);
        }
        Some((travel, f.name.clone()))
    }
}

/// Every two venues used on one day (slots, programme items, visits) need a travel time: the
/// first missing pair of each, as an error message.
pub(super) fn missing_travel(event: &Event) -> Vec<String> {
    let Some(travel) = &event.travel else {
        return Vec::new();
    };
    let mut by_day: BTreeMap<Date, BTreeSet<VenueId>> = BTreeMap::new();
    for span in event.all_spans() {
        if let Some(v) = span.venue {
            by_day.entry(span.day).or_default().insert(v);
        }
    }
    let mut pairs: BTreeSet<(VenueId, VenueId)> = BTreeSet::new();
    for venues in by_day.values() {
        for &a in venues {
            for &b in venues {
                if a < b && (travel[a][b].is_none() || travel[b][a].is_none()) {
                    pairs.insert((a, b));
                }
            }
        }
    }
    pairs
        .into_iter()
        .map(|(a, b)| {
            format!(
                "no travel time between '{}' and '{}'",
                event.venues[a].id, event.venues[b].id
            )
        })
        .collect()
}

impl Event {
    /// Minutes from one venue to another: 0 within a venue, without a venue or without
    /// travel.csv.
    pub(crate) fn travel_minutes(&self, from: Option<VenueId>, to: Option<VenueId>) -> u32 {
        match (&self.travel, from, to) {
            (Some(t), Some(a), Some(b)) if a != b => t[a][b].unwrap_or(0),
            _ => 0,
        }
    }

    /// Whether one person cannot hold both engagements: they overlap, or the time between
    /// them is shorter than the travel from the first one's venue to the second's.
    pub(crate) fn spans_conflict(&self, x: &Span, y: &Span) -> bool {
        if x.day != y.day {
            return false;
        }
        let gap = |a: &Span, b: &Span| i32::from(b.start.0) - i32::from(a.end.0);
        if x.end <= y.start {
            gap(x, y) < self.travel_minutes(x.venue, y.venue) as i32
        } else if y.end <= x.start {
            gap(y, x) < self.travel_minutes(y.venue, x.venue) as i32
        } else {
            true
        }
    }

    /// The venue a name stands for (id or name).
    pub(crate) fn venue_named(&self, s: &str) -> Option<VenueId> {
        named(&self.venues, s)
    }

    /// Where meetings of slot `s` take place: the slot's venue.
    pub(crate) fn slot_venue(&self, s: super::SlotId) -> Option<VenueId> {
        self.slot(s)
            .venue
            .as_deref()
            .and_then(|v| self.venue_named(v))
    }

    pub(crate) fn slot_span(&self, s: super::SlotId) -> Span {
        let slot = self.slot(s);
        Span {
            day: slot.day,
            start: slot.start,
            end: slot.end,
            venue: self.slot_venue(s),
        }
    }

    /// Every engagement's time and place: slots, programme items, visits.
    pub(crate) fn all_spans(&self) -> Vec<Span> {
        let mut out: Vec<Span> = crate::id::ids(self.slots.len())
            .map(|s| self.slot_span(s))
            .collect();
        out.extend(self.programme.iter().map(super::programme::Item::span));
        out.extend(self.visits.iter().map(super::programme::Visit::span));
        out
    }

    /// "Name, address" of a venue, for agendas.
    pub(crate) fn venue_text(&self, v: Option<VenueId>) -> String {
        v.map(|v| self.venues[v].display()).unwrap_or_default()
    }
}
