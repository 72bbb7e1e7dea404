//! iCalendar (RFC 5545): one `<id>.ics` per participant. Times carry the event's time zone
//! as a TZID with its VTIMEZONE; each meeting's UID is made of the two participants' ids, so
//! it stays the same across re-plans; SEQUENCE rises when a re-plan moves the meeting, and a
//! cancelled meeting is sent with STATUS:CANCELLED, so re-importing updates the calendar
//! instead of adding duplicates. `invitation` makes the same events into an iTIP message
//! (RFC 5546: METHOD REQUEST or CANCEL, ORGANIZER, ATTENDEE) for `mail`.

use super::agenda::{self, counterpart};
use super::programme::Dated;
use super::{Ctx, Export, OutFile};
use crate::event::time::{Date, Time};
use crate::event::{Event, PartId, Participant, SlotId, TableId};
use crate::id::ids;
use crate::lang::fill;
use anyhow::{Context, Result};
use jiff::tz::TimeZone;

/// The right-hand side of every UID: the event's name as a slug, so that two events' meetings
/// between the same ids never collide. Keep the name unchanged between plans of one event.
pub(crate) fn uid_domain(event: &Event) -> String {
    let mut slug = String::new();
    for c in event.info.name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    format!(
        "{}.t4s-schedule",
        if slug.is_empty() { "event" } else { slug }
    )
}

/// Stable UID of the meeting of two participants (ids sorted; `+` never occurs in an id).
fn uid(event: &Event, a: PartId, b: PartId) -> String {
    let (x, y) = (&event.part(a).id, &event.part(b).id);
    let (x, y) = if x <= y { (x, y) } else { (y, x) };
    format!("{x}+{y}@{}", uid_domain(event))
}

/// TEXT value escaping (RFC 5545 3.3.11).
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// Content lines: folded at 75 octets (never inside a UTF-8 character), CRLF ends.
#[derive(Default)]
struct Lines(String);

impl Lines {
    fn put(&mut self, line: &str) {
        let mut width = 0;
        for c in line.chars() {
            let n = c.len_utf8();
            if width + n > 75 {
                self.0.push_str("\r\n ");
                width = 1;
            }
            self.0.push(c);
            width += n;
        }
        self.0.push_str("\r\n");
    }
}

fn local(d: Date, t: Time) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}00",
        d.year(),
        d.month(),
        d.day(),
        t.0 / 60,
        t.0 % 60
    )
}

fn utc(ts: jiff::Timestamp) -> String {
    ts.strftime("%Y%m%dT%H%M%SZ").to_string()
}

fn offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    if s.is_multiple_of(60) {
        format!("{sign}{:02}{:02}", s / 3600, s / 60 % 60)
    } else {
        format!("{sign}{:02}{:02}{:02}", s / 3600, s / 60 % 60, s % 60)
    }
}

/// The VTIMEZONE for the event's dates: the observance in force when the event starts and
/// every transition until it ends, from the bundled tz database.
fn vtimezone(out: &mut Lines, name: &str, event: &Event) -> Result<()> {
    let span = match (event.slots.first(), event.slots.last()) {
        (Some(f), Some(l)) => Some(((f.day, f.start), (l.day, l.end))),
        _ => None,
    };
    vtimezone_for(out, name, span)
}

type Moment = (Date, Time);

fn vtimezone_for(out: &mut Lines, name: &str, span: Option<(Moment, Moment)>) -> Result<()> {
    let tz = TimeZone::get(name).with_context(|| format!("time zone {name}"))?;
    let at = |d: Date, t: Time| -> Result<jiff::Timestamp> {
        let civil = jiff::civil::DateTime::new(
            d.year(),
            d.month(),
            d.day(),
            (t.0 / 60).min(23) as i8,
            (t.0 % 60) as i8,
            0,
            0,
        )?;
        Ok(civil.to_zoned(tz.clone())?.timestamp())
    };
    let (first, last) = match span {
        Some(((d0, t0), (d1, t1))) => (at(d0, t0)?, at(d1, t1)?),
        None => (jiff::Timestamp::UNIX_EPOCH, jiff::Timestamp::UNIX_EPOCH),
    };
    out.put("BEGIN:VTIMEZONE");
    out.put(&format!("TZID:{name}"));
    let mut transitions: Vec<_> = tz.preceding(first).take(1).collect();
    transitions.extend(tz.following(first).take_while(|t| t.timestamp() <= last));
    if transitions.is_empty() {
        // A zone that never changed (UTC): one standard observance.
        let off = offset(tz.to_offset(first).seconds());
        out.put("BEGIN:STANDARD");
        out.put("DTSTART:19700101T000000");
        out.put(&format!("TZOFFSETFROM:{off}"));
        out.put(&format!("TZOFFSETTO:{off}"));
        out.put("END:STANDARD");
    }
    for t in transitions {
        let before = tz.to_offset(t.timestamp() - jiff::SignedDuration::from_secs(1));
        let kind = if t.dst().is_dst() {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        // DTSTART of an observance is local time as it was before the change.
        let start = before.to_datetime(t.timestamp());
        out.put(&format!("BEGIN:{kind}"));
        out.put(&format!("DTSTART:{}", start.strftime("%Y%m%dT%H%M%S")));
        out.put(&format!("TZOFFSETFROM:{}", offset(before.seconds())));
        out.put(&format!("TZOFFSETTO:{}", offset(t.offset().seconds())));
        if !t.abbreviation().is_empty() && !t.abbreviation().starts_with(['+', '-']) {
            out.put(&format!("TZNAME:{}", text(t.abbreviation())));
        }
        out.put(&format!("END:{kind}"));
    }
    out.put("END:VTIMEZONE");
    Ok(())
}

/// One event of a participant's calendar: a planned meeting, or one a re-plan cancelled.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    pub other: PartId,
    pub slot: SlotId,
    pub table: Option<TableId>,
    pub sequence: u32,
    pub cancelled: bool,
    /// The meeting's interpreter, named in the description.
    pub interpreter: Option<crate::event::InterpId>,
}

/// The events of `p`'s calendar: its meetings in time order, then the meetings a re-plan
/// cancelled (with their raised SEQUENCE).
pub(crate) fn entries(ctx: &Ctx, p: PartId) -> Vec<Entry> {
    let ev = ctx.event;
    let mut out: Vec<Entry> = ctx
        .agenda(p)
        .into_iter()
        .map(|m| Entry {
            other: ev.pair(m.pair).other(p),
            slot: m.slot,
            table: m.table,
            sequence: m.sequence,
            cancelled: false,
            interpreter: m.interpreter,
        })
        .collect();
    out.extend(
        ctx.plan
            .withdrawn
            .iter()
            .filter(|w| w.a == p || w.b == p)
            .map(|w| Entry {
                other: if w.a == p { w.b } else { w.a },
                slot: w.slot,
                table: w.table,
                sequence: w.sequence,
                cancelled: true,
                interpreter: None,
            }),
    );
    out
}

/// iTIP method of a mailed calendar (RFC 5546).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    /// New or updated meetings.
    Request,
    /// Cancelled meetings.
    Cancel,
}

/// What makes a calendar an invitation: the method, the organiser (who sends) and the
/// attendee (the participant it goes to).
pub(crate) struct Itip<'a> {
    pub method: Method,
    pub organizer_name: &'a str,
    pub organizer_email: &'a str,
    pub attendee_name: &'a str,
    pub attendee_email: &'a str,
}

/// A quoted parameter value (RFC 5545 3.2): no quotes or control characters inside.
fn param(s: &str) -> String {
    let clean: String = s.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    format!("\"{clean}\"")
}

/// The organiser and the attendee of an invitation's event.
fn put_parties(out: &mut Lines, i: &Itip) {
    out.put(&format!(
        "ORGANIZER;CN={}:mailto:{}",
        param(i.organizer_name),
        i.organizer_email
    ));
    out.put(&format!(
        "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:{}",
        param(i.attendee_name),
        i.attendee_email
    ));
}

fn put_event(out: &mut Lines, ctx: &Ctx, me: PartId, e: &Entry, itip: Option<&Itip>) {
    let (ev, l) = (ctx.event, ctx.labels);
    let tz = &ctx.style.timezone;
    let slot = ev.slot(e.slot);
    let other: &Participant = ev.part(e.other);
    out.put("BEGIN:VEVENT");
    out.put(&format!("UID:{}", uid(ev, me, e.other)));
    out.put(&format!("DTSTAMP:{}", utc(ctx.style.stamp)));
    out.put(&format!(
        "DTSTART;TZID={tz}:{}",
        local(slot.day, slot.start)
    ));
    out.put(&format!("DTEND;TZID={tz}:{}", local(slot.day, slot.end)));
    out.put(&format!("SEQUENCE:{}", e.sequence));
    if let Some(i) = itip {
        put_parties(out, i);
    }
    let mut summary = fill(l.calendar_summary, &[&other.display()]);
    if e.cancelled {
        summary = format!("{summary} ({})", l.cancelled);
    }
    out.put(&format!("SUMMARY;LANGUAGE={}:{}", l.code, text(&summary)));
    let mut place = Vec::new();
    if let Some(t) = e.table {
        place.push(format!("{} {}", l.table, ev.table(t).id));
    }
    match ev
        .slot_venue(e.slot)
        .filter(|&v| !ev.venues[v].address.is_empty())
    {
        // venues.csv says where the slot is: its name and address.
        Some(v) => place.push(ev.venues[v].display()),
        None => {
            for v in [&ev.info.venue, &ev.info.address] {
                if !v.is_empty() {
                    place.push(v.clone());
                }
            }
        }
    }
    if !place.is_empty() {
        out.put(&format!("LOCATION:{}", text(&place.join(", "))));
    }
    let mut desc = vec![counterpart(other)];
    for v in [&other.company, &other.country] {
        if !v.is_empty() && !desc.contains(v) {
            desc.push(v.clone());
        }
    }
    if !other.languages.is_empty() {
        desc.push(fill(l.languages, &[&other.languages.join(", ")]));
    }
    if let Some(k) = e.interpreter {
        desc.push(format!("{}: {}", l.interpreter, ev.interpreter(k).name));
    }
    if !ev.info.name.is_empty() {
        desc.push(ev.info.name.clone());
    }
    out.put(&format!("DESCRIPTION:{}", text(&desc.join("\n"))));
    out.put(if e.cancelled {
        "STATUS:CANCELLED"
    } else {
        "STATUS:CONFIRMED"
    });
    out.put("TRANSP:OPAQUE");
    out.put("END:VEVENT");
}

/// The calendar of `p` holding `entries`: the `.ics` export (no method), or with `itip` an
/// invitation to mail. Both share every line of an event, so UIDs and SEQUENCE agree.
/// `zone` is the VTIMEZONE's lines (the same for every participant: made once).
fn calendar(
    ctx: &Ctx,
    p: PartId,
    entries: &[Entry],
    extras: &[Dated],
    zone: &Lines,
    itip: Option<&Itip>,
) -> Vec<u8> {
    let ev = ctx.event;
    let me = ev.part(p);
    let mut out = Lines::default();
    out.put("BEGIN:VCALENDAR");
    out.put("VERSION:2.0");
    out.put(&format!(
        "PRODID:-//t4s-schedule//t4s-schedule {}//{}",
        env!("CARGO_PKG_VERSION"),
        ctx.labels.code.to_uppercase()
    ));
    out.put("CALSCALE:GREGORIAN");
    match itip.map(|i| i.method) {
        Some(Method::Request) => out.put("METHOD:REQUEST"),
        Some(Method::Cancel) => out.put("METHOD:CANCEL"),
        None => {
            let name = if ev.info.name.is_empty() {
                me.display()
            } else {
                format!("{} – {}", ev.info.name, me.display())
            };
            out.put(&format!("X-WR-CALNAME:{}", text(&name)));
            out.put(&format!("X-WR-TIMEZONE:{}", ctx.style.timezone));
        }
    }
    out.0.push_str(&zone.0);
    // The programme and visits in time order among the meetings; the withdrawn ones after
    // the cancelled meetings.
    let (mut live, gone): (Vec<&Dated>, Vec<&Dated>) = extras.iter().partition(|x| !x.cancelled);
    live.reverse();
    for e in entries {
        if !e.cancelled {
            let slot = ev.slot(e.slot);
            while live
                .last()
                .is_some_and(|x| (x.extra.day, x.extra.start) < (slot.day, slot.start))
            {
                let x = live.pop().expect("checked");
                put_extra(&mut out, ctx, p, x, itip);
            }
        }
        put_event(&mut out, ctx, p, e, itip);
    }
    while let Some(x) = live.pop() {
        put_extra(&mut out, ctx, p, x, itip);
    }
    for x in gone {
        put_extra(&mut out, ctx, p, x, itip);
    }
    out.put("END:VCALENDAR");
    out.0.into_bytes()
}

/// A programme item or visit as its own VEVENT (a stable UID: the item or visit and the
/// participant), the travel to it in the description.
fn put_extra(out: &mut Lines, ctx: &Ctx, p: PartId, d: &Dated, itip: Option<&Itip>) {
    let (ev, l) = (ctx.event, ctx.labels);
    let tz = &ctx.style.timezone;
    let e = &d.extra;
    out.put("BEGIN:VEVENT");
    out.put(&format!("UID:{}", super::programme::uid(ctx, p, e)));
    out.put(&format!("DTSTAMP:{}", utc(ctx.style.stamp)));
    out.put(&format!("DTSTART;TZID={tz}:{}", local(e.day, e.start)));
    out.put(&format!("DTEND;TZID={tz}:{}", local(e.day, e.end)));
    out.put(&format!("SEQUENCE:{}", d.sequence));
    if let Some(i) = itip {
        put_parties(out, i);
    }
    out.put(&format!(
        "SUMMARY;LANGUAGE={}:{}",
        l.code,
        text(&super::programme::title(ctx, e))
    ));
    let venue = ev.venue_text(e.venue);
    if !venue.is_empty() {
        out.put(&format!("LOCATION:{}", text(&venue)));
    }
    let mut desc = Vec::new();
    if let super::programme::ExtraKind::Item(k) = e.kind {
        if !ev.item(k).description.is_empty() {
            desc.push(ev.item(k).description.clone());
        }
    }
    if !ev.info.name.is_empty() {
        desc.push(ev.info.name.clone());
    }
    if !desc.is_empty() {
        out.put(&format!("DESCRIPTION:{}", text(&desc.join("\n"))));
    }
    out.put(if d.cancelled {
        "STATUS:CANCELLED"
    } else {
        "STATUS:CONFIRMED"
    });
    out.put("TRANSP:OPAQUE");
    out.put("END:VEVENT");
}

fn zone(ctx: &Ctx) -> Result<Lines> {
    let mut z = Lines::default();
    vtimezone(&mut z, &ctx.style.timezone, ctx.event)?;
    Ok(z)
}

/// An invitation (iTIP over e-mail) for `p`: `entries` with the method, organiser and
/// attendee of `itip`.
pub(crate) fn invitation(
    ctx: &Ctx,
    p: PartId,
    entries: &[Entry],
    extras: &[Dated],
    itip: &Itip,
) -> Result<Vec<u8>> {
    Ok(calendar(ctx, p, entries, extras, &zone(ctx)?, Some(itip)))
}

pub(crate) struct Calendars;

impl Export for Calendars {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>> {
        let ev = ctx.event;
        let zone = zone(ctx)?;
        let mut files = Vec::new();
        let styles = ctx.auto_styles();
        let subs: Vec<Ctx> = styles.iter().map(|s| Ctx::new(ev, ctx.plan, s)).collect();
        for p in ids::<Participant>(ev.participants.len()) {
            let c = ctx.pick(&subs, p);
            files.push(OutFile {
                path: agenda::path(ev.part(p), "ics"),
                bytes: calendar(
                    c,
                    p,
                    &entries(c, p),
                    &super::programme::calendar_extras(c, p),
                    &zone,
                    None,
                ),
            });
        }
        Ok(files)
    }
}

/// One event of an interpreter's calendar: a meeting they interpret, or (in a re-plan's
/// invitation) one they no longer do, cancelled.
#[derive(Debug, Clone, Copy)]
pub(crate) struct InterpEntry {
    pub a: PartId,
    pub b: PartId,
    pub slot: SlotId,
    pub table: Option<TableId>,
    pub sequence: u32,
    pub cancelled: bool,
}

/// The meetings interpreter `k` interprets, in the plan's order (that of their `.ics`).
pub(crate) fn interpreter_entries(ctx: &Ctx, k: crate::event::InterpId) -> Vec<InterpEntry> {
    let ev = ctx.event;
    ctx.plan
        .meetings
        .iter()
        .filter(|m| m.interpreter == Some(k))
        .map(|m| {
            let pair = ev.pair(m.pair);
            InterpEntry {
                a: pair.a,
                b: pair.b,
                slot: m.slot,
                table: m.table,
                sequence: m.sequence,
                cancelled: false,
            }
        })
        .collect()
}

/// The calendar of interpreter `k`: the meetings they interpret, with the meetings' own UIDs
/// and SEQUENCE (so that a re-plan's calendar updates theirs too).
pub(crate) fn interpreter_calendar(ctx: &Ctx, k: crate::event::InterpId) -> Result<Vec<u8>> {
    interp_calendar(ctx, k, &interpreter_entries(ctx, k), None)
}

/// An invitation (iTIP over e-mail) for interpreter `k`: `entries` with the method,
/// organiser and attendee of `itip`; every event's lines are those of their `.ics`.
pub(crate) fn interpreter_invitation(
    ctx: &Ctx,
    k: crate::event::InterpId,
    entries: &[InterpEntry],
    itip: &Itip,
) -> Result<Vec<u8>> {
    interp_calendar(ctx, k, entries, Some(itip))
}

fn interp_calendar(
    ctx: &Ctx,
    k: crate::event::InterpId,
    entries: &[InterpEntry],
    itip: Option<&Itip>,
) -> Result<Vec<u8>> {
    let (ev, l) = (ctx.event, ctx.labels);
    let me = ev.interpreter(k);
    let tz = &ctx.style.timezone;
    let mut out = Lines::default();
    out.put("BEGIN:VCALENDAR");
    out.put("VERSION:2.0");
    out.put(&format!(
        "PRODID:-//t4s-schedule//t4s-schedule {}//{}",
        env!("CARGO_PKG_VERSION"),
        l.code.to_uppercase()
    ));
    out.put("CALSCALE:GREGORIAN");
    match itip.map(|i| i.method) {
        Some(Method::Request) => out.put("METHOD:REQUEST"),
        Some(Method::Cancel) => out.put("METHOD:CANCEL"),
        None => {
            let name = if ev.info.name.is_empty() {
                me.name.clone()
            } else {
                format!("{} – {}", ev.info.name, me.name)
            };
            out.put(&format!("X-WR-CALNAME:{}", text(&name)));
            out.put(&format!("X-WR-TIMEZONE:{tz}"));
        }
    }
    out.0.push_str(&zone(ctx)?.0);
    for e in entries {
        let (a, b) = (ev.part(e.a), ev.part(e.b));
        let slot = ev.slot(e.slot);
        out.put("BEGIN:VEVENT");
        out.put(&format!("UID:{}", uid(ev, e.a, e.b)));
        out.put(&format!("DTSTAMP:{}", utc(ctx.style.stamp)));
        out.put(&format!(
            "DTSTART;TZID={tz}:{}",
            local(slot.day, slot.start)
        ));
        out.put(&format!("DTEND;TZID={tz}:{}", local(slot.day, slot.end)));
        out.put(&format!("SEQUENCE:{}", e.sequence));
        if let Some(i) = itip {
            put_parties(&mut out, i);
        }
        let mut summary = format!("{}: {} – {}", l.interpreter, a.display(), b.display());
        if e.cancelled {
            summary = format!("{summary} ({})", l.cancelled);
        }
        out.put(&format!("SUMMARY;LANGUAGE={}:{}", l.code, text(&summary)));
        let mut place = Vec::new();
        if let Some(t) = e.table {
            place.push(format!("{} {}", l.table, ev.table(t).id));
        }
        for v in [&ev.info.venue, &ev.info.address] {
            if !v.is_empty() {
                place.push(v.clone());
            }
        }
        if !place.is_empty() {
            out.put(&format!("LOCATION:{}", text(&place.join(", "))));
        }
        let desc = format!(
            "{} ({})\n{} ({})",
            a.display(),
            a.languages.join(", "),
            b.display(),
            b.languages.join(", ")
        );
        out.put(&format!("DESCRIPTION:{}", text(&desc)));
        out.put(if e.cancelled {
            "STATUS:CANCELLED"
        } else {
            "STATUS:CONFIRMED"
        });
        out.put("TRANSP:OPAQUE");
        out.put("END:VEVENT");
    }
    out.put("END:VCALENDAR");
    Ok(out.0.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let mut l = Lines::default();
        let long = format!("SUMMARY:{}", "è".repeat(60));
        l.put(&long);
        for line in l.0.split("\r\n") {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        let unfolded = l.0.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{long}\r\n"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
    }

    fn zone(name: &str, from: &str, to: &str) -> String {
        let m = |s: &str| {
            let (d, t) = s.split_once(' ').unwrap();
            (Date::parse(d).unwrap(), Time::parse(t).unwrap())
        };
        let mut l = Lines::default();
        vtimezone_for(&mut l, name, Some((m(from), m(to)))).unwrap();
        l.0
    }

    #[test]
    fn time_zone_rules_cover_the_event() {
        // Summer: the daylight observance that began in March.
        let z = zone("Europe/Rome", "2027-06-10 09:00", "2027-06-11 18:00");
        assert!(z.contains("BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST"), "{z}");
        assert!(!z.contains("STANDARD"), "{z}");
        // An event across the October change holds both observances.
        let z = zone("Europe/Rome", "2027-10-30 09:00", "2027-11-01 18:00");
        assert!(z.contains("BEGIN:DAYLIGHT") && z.contains("BEGIN:STANDARD\r\nDTSTART:20271031T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100"), "{z}");
        // A zone without changes.
        let z = zone("UTC", "2027-06-10 09:00", "2027-06-11 18:00");
        assert!(z.contains("TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000"), "{z}");
    }

    #[test]
    fn offsets() {
        assert_eq!(offset(3600), "+0100");
        assert_eq!(offset(-16200), "-0430");
        assert_eq!(offset(0), "+0000");
    }
}
