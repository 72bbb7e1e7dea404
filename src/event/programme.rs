//! The rest of the programme: items everyone concerned attends (`programme.csv`: a forum, an
//! exhibition visit) and company visits offered by firms (`visits.csv`), planned with the
//! meetings. Those concerned by an item, and a firm during its own visits, are busy then: a
//! slot that overlaps (travel included) is unavailable to them.

use super::load::Loader;
use super::sheet::{opt, req, Column, Sheet as CsvFile};
use super::time::{Date, Time};
use super::venues::{Span, VenueId};
use super::{Event, PartId, Participant, Side, SlotId};
use crate::diag::suggest;
use crate::id::Id;
use std::collections::HashMap;

pub(crate) type ItemId = Id<Item>;
pub(crate) type VisitId = Id<Visit>;

/// A programme item: all those it concerns attend.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub id: String,
    pub title: String,
    /// Titles by language code (`title_it` → ("it", …)).
    pub titles: Vec<(String, String)>,
    pub day: Date,
    pub start: Time,
    pub end: Time,
    pub venue: Option<VenueId>,
    /// The `who` cell as written.
    pub who_text: String,
    /// Per participant: concerned.
    pub who: Vec<bool>,
    pub description: String,
}

impl Item {
    pub(crate) fn span(&self) -> Span {
        Span {
            day: self.day,
            start: self.start,
            end: self.end,
            venue: self.venue,
        }
    }
    /// The title in language `lang`, the default one without it.
    pub(crate) fn title_in(&self, lang: &str) -> &str {
        self.titles
            .iter()
            .find(|(l, _)| l.eq_ignore_ascii_case(lang))
            .map_or(self.title.as_str(), |(_, t)| t.as_str())
    }
}

/// A company visit a firm offers: up to `capacity` visitors.
#[derive(Debug, Clone)]
pub(crate) struct Visit {
    pub id: String,
    pub firm: PartId,
    pub day: Date,
    pub start: Time,
    pub end: Time,
    pub capacity: u32,
    pub venue: Option<VenueId>,
    /// Called off (`cancellations.csv`, column `visit`): nobody goes, the firm is free.
    pub cancelled: bool,
}

impl Visit {
    pub(crate) fn span(&self) -> Span {
        Span {
            day: self.day,
            start: self.start,
            end: self.end,
            venue: self.venue,
        }
    }
}

pub(super) const PROGRAMME_COLUMNS: &[Column] = &[
    req("id"),
    req("title"),
    req("day"),
    req("start"),
    req("end"),
    opt("venue"),
    req("who"),
    opt("description"),
    opt("title_it"),
    opt("title_en"),
    opt("title_fr"),
    opt("title_de"),
    opt("title_es"),
];
/// The languages an item's title may be given in (`title_<code>` columns).
const TITLE_LANGS: &[&str] = &["it", "en", "fr", "de", "es"];
pub(super) const VISIT_COLUMNS: &[Column] = &[
    req("id"),
    req("firm"),
    req("day"),
    req("start"),
    req("end"),
    req("capacity"),
    opt("venue"),
];
const WHO_HINT: &str = "write all, buyers, firms, a role, or participant ids separated by ';'";

type Ids = HashMap<String, (PartId, String, u64)>;

impl Loader<'_> {
    /// Day, start and end of a row, each checked (end after start).
    fn when(
        &mut self,
        f: &CsvFile,
        row: &super::sheet::Row,
        what: &str,
    ) -> Option<(Date, Time, Time)> {
        let dc = f.cell(row, "day");
        let day = match Date::read(dc.value) {
            Ok(d) => Some(d),
            Err(bad) => {
                self.pr.error(f.diag(&dc, bad.message).hint(bad.hint));
                None
            }
        };
        let mut times = [None, None];
        for (k, col) in ["start", "end"].into_iter().enumerate() {
            let c = f.cell(row, col);
            match Time::read(c.value) {
                Ok(t) => times[k] = Some(t),
                Err(bad) => self.pr.error(
                    f.diag(&c, format!("{} in column '{col}'", bad.message))
                        .hint(bad.hint),
                ),
            }
        }
        let (Some(day), [Some(start), Some(end)]) = (day, times) else {
            return None;
        };
        if end <= start {
            let c = f.cell(row, "end");
            self.pr.error(
                f.diag(
                    &c,
                    format!("{what} ends at {end}, not after its start {start}"),
                )
                .hint("the end must be later than the start"),
            );
            return None;
        }
        Some((day, start, end))
    }

    /// programme.csv, when the event has one.
    pub(super) fn programme(&mut self, parts: &[Participant], ids: &Ids) -> Vec<Item> {
        if !self.files.has("programme") {
            return Vec::new();
        }
        let Some(f) = self.read("programme", PROGRAMME_COLUMNS, 10_000) else {
            return Vec::new();
        };
        let title_cols: Vec<(String, String)> = TITLE_LANGS
            .iter()
            .map(|l| (l.to_string(), format!("title_{l}")))
            .collect();
        let mut out: Vec<Item> = Vec::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        for row in &f.rows {
            let id = self.id_cell(&f, row, "id");
            if let Some(id) = &id {
                let what = ("programme item", "programme item");
                if self.repeated_id(&f, row, &mut seen, (id, id.clone()), what) {
                    continue;
                }
            }
            let what = format!("programme item '{}'", id.as_deref().unwrap_or(""));
            let when = self.when(&f, row, &what);
            let venue = self.venue_cell(&f, row, "venue");
            let tc = f.cell(row, "title");
            if tc.value.trim().is_empty() {
                self.pr.error(
                    f.diag(&tc, format!("{what} has no title"))
                        .hint("the title is printed on every agenda"),
                );
            }
            let wc = f.cell(row, "who");
            let who = match who_mask(wc.value, parts, ids) {
                Ok(m) => Some(m),
                Err(m) => {
                    self.pr.error(f.diag(&wc, m).hint(WHO_HINT));
                    None
                }
            };
            let (Some(id), Some((day, start, end)), Some(who)) = (id, when, who) else {
                continue;
            };
            out.push(Item {
                id,
                title: tc.value.trim().to_string(),
                titles: title_cols
                    .iter()
                    .filter_map(|(lang, col)| {
                        let v = f.cell(row, col).value.trim();
                        (!v.is_empty()).then(|| (lang.clone(), v.to_string()))
                    })
                    .collect(),
                day,
                start,
                end,
                venue,
                who_text: wc.value.trim().to_string(),
                who,
                description: f.cell(row, "description").value.trim().to_string(),
            });
        }
        out.sort_by_key(|i| (i.day, i.start, i.end));
        out
    }

    /// visits.csv, when the event has one.
    pub(super) fn visits(&mut self, parts: &[Participant], ids: &Ids) -> Vec<Visit> {
        if !self.files.has("visits") {
            return Vec::new();
        }
        let Some(f) = self.read("visits", VISIT_COLUMNS, 100_000) else {
            return Vec::new();
        };
        let mut out: Vec<Visit> = Vec::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        for row in &f.rows {
            let id = self.id_cell(&f, row, "id");
            if let Some(id) = &id {
                if self.repeated_id(&f, row, &mut seen, (id, id.clone()), ("visit id", "visit")) {
                    continue;
                }
            }
            let fc = f.cell(row, "firm");
            let firm = match ids.get(fc.value.trim()) {
                Some(&(p, _, _)) if parts[p.index()].side == Side::Firm => Some(p),
                Some(_) => {
                    self.pr.error(
                        f.diag(&fc, format!("'{}' is a buyer, not a firm", fc.value))
                            .hint("visits are offered by the firms of firms.csv"),
                    );
                    None
                }
                None => {
                    let mut d = f.diag(&fc, format!("unknown firm '{}'", fc.value));
                    let firms = parts
                        .iter()
                        .filter(|p| p.side == Side::Firm)
                        .map(|p| p.id.as_str());
                    d = match suggest(fc.value, firms) {
                        Some(s) => d.hint(format!("did you mean '{s}'?")),
                        None => d.hint("visits are offered by the firms of firms.csv"),
                    };
                    self.pr.error(d);
                    None
                }
            };
            let what = format!("visit '{}'", id.as_deref().unwrap_or(""));
            let when = self.when(&f, row, &what);
            let cc = f.cell(row, "capacity");
            let capacity = cc
                .value
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|&c| (1..=10_000).contains(&c));
            if capacity.is_none() {
                self.pr.error(
                    f.diag(&cc, format!("bad capacity '{}'", cc.value))
                        .hint("write how many visitors it takes, a whole number from 1"),
                );
            }
            let venue = if f.cell(row, "venue").value.trim().is_empty() {
                firm.and_then(|p| parts[p.index()].premises)
            } else {
                self.venue_cell(&f, row, "venue")
            };
            let (Some(id), Some(firm), Some((day, start, end)), Some(capacity)) =
                (id, firm, when, capacity)
            else {
                continue;
            };
            out.push(Visit {
                id,
                firm,
                day,
                start,
                end,
                capacity,
                venue,
                cancelled: false,
            });
        }
        out.sort_by_key(|v| (v.day, v.start, v.end));
        out
    }
}

/// Those a `who` cell names, per participant.
fn who_mask(s: &str, parts: &[Participant], ids: &Ids) -> Result<Vec<bool>, String> {
    let mut mask = vec![false; parts.len()];
    let tokens: Vec<&str> = s
        .split([';', ','])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.is_empty() {
        return Err("'who' is empty".into());
    }
    for t in tokens {
        let side = match t.to_lowercase().as_str() {
            "all" | "tutti" => Some(None),
            "buyers" | "acquirenti" | "compratori" => Some(Some(Side::Buyer)),
            "firms" | "aziende" | "imprese" => Some(Some(Side::Firm)),
            _ => None,
        };
        if let Some(side) = side {
            for (m, p) in mask.iter_mut().zip(parts) {
                *m |= side.is_none_or(|s| p.side == s);
            }
            continue;
        }
        if let Some(&(p, _, _)) = ids.get(t) {
            mask[p.index()] = true;
            continue;
        }
        let by_role: Vec<usize> = (0..parts.len())
            .filter(|&i| parts[i].role.eq_ignore_ascii_case(t))
            .collect();
        if by_role.is_empty() {
            let mut m = format!("'{t}' is no participant id, role or group");
            if let Some(g) = suggest(t, ids.keys().map(String::as_str)) {
                m.push_str(&format!(" (did you mean '{g}'?)"));
            }
            return Err(m);
        }
        for i in by_role {
            mask[i] = true;
        }
    }
    Ok(mask)
}

impl Event {
    /// The participants a `who` cell names (as programme.csv's), for an item of an earlier
    /// plan; names no longer in the event name nobody.
    pub(crate) fn who_named(&self, s: &str) -> Vec<PartId> {
        let ids: Ids = self
            .participants
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), (PartId::new(i), String::new(), 0)))
            .collect();
        let mask = s
            .split([';', ','])
            .filter_map(|t| who_mask(t, &self.participants, &ids).ok())
            .fold(vec![false; self.participants.len()], |mut m, x| {
                for (a, b) in m.iter_mut().zip(x) {
                    *a |= b;
                }
                m
            });
        crate::id::ids(mask.len())
            .filter(|p: &PartId| mask[p.index()])
            .collect()
    }

    pub(crate) fn item(&self, k: ItemId) -> &Item {
        &self.programme[k.index()]
    }
    pub(crate) fn visit(&self, v: VisitId) -> &Visit {
        &self.visits[v.index()]
    }

    /// What participant `p` is held to besides its meetings: the programme items it attends
    /// and, for a firm, the visits it hosts.
    pub(crate) fn fixed_spans(&self, p: PartId) -> Vec<Span> {
        let mut out: Vec<Span> = self
            .programme
            .iter()
            .filter(|i| i.who[p.index()])
            .map(Item::span)
            .collect();
        out.extend(
            self.visits
                .iter()
                .filter(|v| v.firm == p && !v.cancelled)
                .map(Visit::span),
        );
        out
    }

    /// Per slot: participant `p` cannot meet then (a programme item or a visit it hosts
    /// overlaps it, travel included). All false without a programme or visits.
    pub(crate) fn blocked(&self, p: PartId) -> Vec<bool> {
        let fixed = self.fixed_spans(p);
        crate::id::ids(self.slots.len())
            .map(|s: SlotId| {
                let span = self.slot_span(s);
                fixed.iter().any(|f| self.spans_conflict(f, &span))
            })
            .collect()
    }

    /// The visits visitor `p` may attend for the visit pair `pair`: those of its host firm
    /// clear of `p`'s own fixed engagements.
    pub(crate) fn visit_options(&self, pair: super::PairId) -> Vec<VisitId> {
        let pr = self.pair(pair);
        let Some(host) = pr.visit_host else {
            return Vec::new();
        };
        let visitor = pr.other(host);
        if pr.organiser == super::Organiser::Forbidden
            || pr.cancelled
            || self.part(visitor).cancelled
            || self.part(host).cancelled
        {
            return Vec::new();
        }
        let fixed = self.fixed_spans(visitor);
        crate::id::ids(self.visits.len())
            .filter(|&v: &VisitId| {
                let visit = self.visit(v);
                visit.firm == host
                    && !visit.cancelled
                    && !fixed.iter().any(|f| self.spans_conflict(f, &visit.span()))
            })
            .collect()
    }
}
