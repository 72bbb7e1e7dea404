//! The event: the rows of its lists (CSV files or sheets of workbooks) turned into a checked,
//! typed structure. After `load`, every id is a typed index and every cross-reference is known
//! to be valid.

pub(crate) mod cancellations;
pub(crate) mod csvfile;
pub(crate) mod files;
pub(crate) mod info;
pub(crate) mod interpreters;
mod load;
pub(crate) mod programme;
pub(crate) mod sheet;
pub(crate) mod time;
pub(crate) mod venues;
pub(crate) mod workbook;

pub(crate) use files::EventFiles;
pub(crate) use info::EventInfo;
pub(crate) use interpreters::{InterpId, Interpreter};
pub(crate) use load::{load, load_with_warnings};
pub(crate) use programme::{Item, ItemId, Visit, VisitId};
pub(crate) use venues::{Span, Travel, Venue, VenueId};

use crate::id::Id;
use std::ops::Range;
use time::{Date, Time};

pub(crate) type PartId = Id<Participant>;
pub(crate) type SlotId = Id<Slot>;
pub(crate) type TableId = Id<Table>;
pub(crate) type PairId = Id<Pair>;

#[derive(Debug, Clone)]
pub(crate) struct Slot {
    pub id: String,
    pub day: Date,
    pub start: Time,
    pub end: Time,
    pub venue: Option<String>,
    /// Index into `Event::sessions`.
    pub session: usize,
}

/// A maximal run of back-to-back slots of one day; breaks are counted within a session.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub day: Date,
    pub slots: Range<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub id: String,
    pub venue: Option<String>,
    /// The firm whose fixed table this is.
    pub owner: Option<PartId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    Buyer,
    Firm,
}

impl Side {
    pub fn folder(self) -> &'static str {
        match self {
            Side::Buyer => "buyers",
            Side::Firm => "firms",
        }
    }
    pub fn word(self) -> &'static str {
        match self {
            Side::Buyer => "buyer",
            Side::Firm => "firm",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Participant {
    pub id: String,
    pub side: Side,
    pub name: String,
    pub company: String,
    pub country: String,
    pub contact: String,
    pub email: String,
    pub languages: Vec<String>,
    /// Fixed table (firms only): the firm always meets there.
    pub table: Option<TableId>,
    /// Meetings it can hold at once.
    pub reps: u32,
    pub max_meetings: Option<u32>,
    pub min_meetings: Option<u32>,
    /// Per slot (indexed by `SlotId`): free to meet.
    pub available: Vec<bool>,
    /// Cancelled for the whole event (cancellations.csv): no meetings, no minimum owed.
    pub cancelled: bool,
    /// Free words (`buyer`, `journalist`, `influencer`, `exhibitor`): shown, counted, and
    /// named by programme items' `who`; empty when not given.
    pub role: String,
    /// A firm's premises (`venue` column of firms.csv): where its visits take place.
    pub premises: Option<VenueId>,
}

impl Participant {
    /// Name for agendas: "Name (Company)" when the company adds something.
    pub(crate) fn display(&self) -> String {
        if self.company.is_empty() || self.company == self.name {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, self.company)
        }
    }
    pub(crate) fn free_slots(&self) -> usize {
        self.available.iter().filter(|&&a| a).count()
    }
    /// Most meetings it can possibly hold: slots × reps, capped by `max_meetings`.
    pub(crate) fn capacity(&self) -> usize {
        let by_slots = self.free_slots() * self.reps as usize;
        self.max_meetings
            .map_or(by_slots, |m| by_slots.min(m as usize))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Organiser {
    Free,
    Required,
    Forbidden,
}

/// Both directions of a wish, merged. `a` is the buyer of a buyer–firm pair, else the
/// participant listed first.
#[derive(Debug, Clone)]
pub(crate) struct Pair {
    pub a: PartId,
    pub b: PartId,
    /// Interest of a in b and of b in a (3/2/1), where a row states it.
    pub interest_ab: Option<u32>,
    pub interest_ba: Option<u32>,
    pub organiser: Organiser,
    /// Per slot: inside the pair's `when` (all true without one).
    pub when: Vec<bool>,
    /// Where the meeting takes place when a firm with a fixed table is in it.
    pub host_table: Option<TableId>,
    /// The organiser cancelled this pair's meeting for the whole event (cancellations.csv).
    pub cancelled: bool,
    /// A visit to this firm was asked for (`kind` = visit) instead of a table meeting.
    pub visit_host: Option<PartId>,
}

impl Pair {
    /// The pair's value: the sum of both sides' interests, so a mutual wish counts twice.
    pub(crate) fn value(&self) -> u32 {
        self.interest_ab.unwrap_or(0) + self.interest_ba.unwrap_or(0)
    }
    pub(crate) fn other(&self, p: PartId) -> PartId {
        if p == self.a {
            self.b
        } else {
            self.a
        }
    }
    pub(crate) fn involves(&self, p: PartId) -> bool {
        self.a == p || self.b == p
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Event {
    /// Sorted by day and start.
    pub slots: Vec<Slot>,
    pub sessions: Vec<Session>,
    /// Empty when the event has no tables.csv.
    pub tables: Vec<Table>,
    /// True when tables.csv exists: tables are then a limited resource.
    pub tables_limited: bool,
    /// Buyers first, then firms, each in file order.
    pub participants: Vec<Participant>,
    pub pairs: Vec<Pair>,
    /// Name, venue, time zone... from event.csv or event.toml (all empty without one).
    pub info: EventInfo,
    /// venues.csv, or every venue named (empty when none is).
    pub venues: Vec<Venue>,
    /// travel.csv's minutes between venues; `None` without the file.
    pub travel: Option<Travel>,
    /// programme.csv's items, by day and start.
    pub programme: Vec<Item>,
    /// visits.csv's company visits, by day and start.
    pub visits: Vec<Visit>,
    /// From interpreters.csv (empty without it).
    pub interpreters: Vec<Interpreter>,
    /// True when interpreters.csv exists: a meeting without a shared language then needs one.
    pub interpreters_listed: bool,
}

impl Event {
    pub(crate) fn part(&self, p: PartId) -> &Participant {
        &self.participants[p.index()]
    }
    pub(crate) fn pair(&self, p: PairId) -> &Pair {
        &self.pairs[p.index()]
    }
    pub(crate) fn slot(&self, s: SlotId) -> &Slot {
        &self.slots[s.index()]
    }
    pub(crate) fn table(&self, t: TableId) -> &Table {
        &self.tables[t.index()]
    }
    /// The days of the slots, programme items and visits.
    pub(crate) fn days_with_programme(&self) -> Vec<Date> {
        let mut d = self.days();
        d.extend(self.programme.iter().map(|i| i.day));
        d.extend(self.visits.iter().map(|v| v.day));
        d.sort();
        d.dedup();
        d
    }
    pub(crate) fn days(&self) -> Vec<Date> {
        let mut d: Vec<Date> = self.sessions.iter().map(|s| s.day).collect();
        d.dedup();
        d
    }

    /// Whether table `t` can be used in slot `s` (venues match or one is unspecified).
    pub(crate) fn table_usable(&self, t: TableId, s: SlotId) -> bool {
        match (&self.table(t).venue, &self.slot(s).venue) {
            (Some(tv), Some(sv)) => tv.eq_ignore_ascii_case(sv),
            _ => true,
        }
    }

    /// Tables not owned by any firm, usable in slot `s`; `None` when tables are unlimited.
    pub(crate) fn floating_tables(&self, s: SlotId) -> Option<Vec<TableId>> {
        self.tables_limited.then(|| {
            crate::id::ids(self.tables.len())
                .filter(|&t| self.table(t).owner.is_none() && self.table_usable(t, s))
                .collect()
        })
    }

    /// Slots in which the pair may meet: both free, inside `when`, its fixed table usable.
    /// Forbidden pairs have none.
    pub(crate) fn pair_slots(&self, p: PairId) -> Vec<SlotId> {
        let pair = self.pair(p);
        if pair.organiser == Organiser::Forbidden || pair.visit_host.is_some() {
            return Vec::new();
        }
        let (a, b) = (self.part(pair.a), self.part(pair.b));
        // Programme items and hosted visits (none in most events: nothing to compute).
        let (blocked_a, blocked_b) = if self.programme.is_empty() && self.visits.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            (self.blocked(pair.a), self.blocked(pair.b))
        };
        let free = |blocked: &[bool], i: usize| !blocked.get(i).copied().unwrap_or(false);
        crate::id::ids(self.slots.len())
            .filter(|&s: &SlotId| {
                let i = s.index();
                a.available[i]
                    && b.available[i]
                    && pair.when[i]
                    && pair.host_table.is_none_or(|t| self.table_usable(t, s))
                    && free(&blocked_a, i)
                    && free(&blocked_b, i)
            })
            .collect()
    }
}
