//! One message per participant and per interpreter with meetings (RFC 5322, MIME via lettre's
//! builder): a short text and HTML body with the agenda, the printable HTML agenda attached,
//! and the calendar invitation (iTIP: METHOD:REQUEST, and METHOD:CANCEL for meetings a
//! re-plan cancelled) made by the same code as the `.ics` exports, so UIDs and SEQUENCE agree.

use super::{Draft, Due, Recipient, Sender};
use crate::event::{Event, InterpId, Interpreter, PartId, Participant};
use crate::export::agenda::{self, Row};
use crate::export::changes::change_words;
use crate::export::html::{agenda_sheet, page};
use crate::export::ics::{self, Entry, InterpEntry, Itip, Method};
use crate::export::programme::{Dated, ExtraKind};
use crate::export::text::html as esc;
use crate::export::{Ctx, Style};
use crate::id::ids;
use crate::lang::{fill, Lang};
use crate::plan::Plan;
use crate::replan::{Change, ChangeKind};
use anyhow::{Context, Result};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};
use std::collections::HashMap;
use std::fmt::Write;

/// The language of `p`'s message: the first of its `languages` that has labels, else
/// `fallback` (`--lang`, else English). The one place that decides.
pub(crate) fn language(p: &Participant, fallback: Lang) -> Lang {
    language_of(&p.languages, fallback)
}

/// The first of `codes` that has labels, else `fallback` (participants and interpreters).
pub(crate) fn language_of(codes: &[String], fallback: Lang) -> Lang {
    codes
        .iter()
        .find_map(|code| {
            // "it", "IT", "it-IT", "it_IT": the primary subtag.
            let primary = code.split(['-', '_']).next().unwrap_or("").trim();
            <Lang as clap::ValueEnum>::from_str(primary, true).ok()
        })
        .unwrap_or(fallback)
}

/// FNV-1a (64 bit): a stable fingerprint of the plan's files for Message-IDs (not security:
/// it only tells one plan's messages from another's).
fn fingerprint(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for &b in *p {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        // A separator, so that moving bytes between the parts changes the fingerprint.
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The plan's part of every Message-ID: the fingerprint of its schedule.csv and changes.csv,
/// so that the same plan gives the same ids on every run and another plan other ids.
pub(crate) fn plan_tag(schedule_csv: &[u8], changes_csv: &[u8]) -> String {
    format!("{:016x}", fingerprint(&[schedule_csv, changes_csv]))
}

/// `<t4s.TAG.ID@event-domain>`: stable per plan and participant. An id's dots become `=2E`
/// so the left side stays a dot-atom (RFC 5322 3.6.4) whatever the id.
fn message_id(tag: &str, ev: &Event, id: &str) -> String {
    format!(
        "<t4s.{tag}.{}@{}>",
        id.replace('.', "=2E"),
        ics::uid_domain(ev)
    )
}

/// The participant's address, checked: None when the cell is empty, else the address or
/// why it is not one.
pub(crate) fn address(p: &Participant) -> Option<Result<Address, String>> {
    address_of(&p.email)
}

/// An e-mail cell, checked: None when empty, else the address or why it is not one.
pub(crate) fn address_of(cell: &str) -> Option<Result<Address, String>> {
    let raw = cell.trim();
    if raw.is_empty() {
        return None;
    }
    Some(raw.parse::<Address>().map_err(|e| format!("{e}")))
}

/// Everything that is the same for every message of a run.
pub(crate) struct Setup<'a> {
    pub event: &'a Event,
    pub plan: &'a Plan,
    /// changes.csv of a re-plan; None for a first plan (everyone gets their agenda).
    pub changes: Option<&'a [Change]>,
    pub fallback: Lang,
    pub timezone: Option<&'a str>,
    pub sender: &'a Sender,
    /// See `plan_tag`.
    pub tag: String,
}

/// The messages of a plan folder: for a first plan every participant, after a re-plan the
/// participants its changes name; each with its address problem if it has no usable one.
pub(crate) fn compose(s: &Setup) -> Result<Vec<Draft>> {
    let ev = s.event;
    let mut styles: HashMap<Lang, Style> = HashMap::new();
    let mut changed: HashMap<PartId, Vec<&Change>> = HashMap::new();
    for c in s.changes.unwrap_or_default() {
        changed.entry(c.participant).or_default().push(c);
    }
    let mut out = Vec::new();
    for p in ids::<Participant>(ev.participants.len()) {
        let me = ev.part(p);
        let list = changed.get(&p);
        if s.changes.is_some() && list.is_none() {
            continue; // a re-plan: only the affected hear
        }
        let lang = language(me, s.fallback);
        let style = styles
            .entry(lang)
            .or_insert_with(|| Style::new(lang, s.timezone, ev));
        let ctx = Ctx::new(ev, s.plan, style);
        let message_id = message_id(&s.tag, ev, &me.id);
        let due = match address(me) {
            None => Due::NoAddress,
            Some(Err(why)) => Due::BadAddress(why),
            Some(Ok(to)) => Due::Ready(to),
        };
        let bytes = match &due {
            Due::Ready(to) => message(&ctx, s.sender, p, to, &message_id, list)
                .with_context(|| format!("composing the message to {}", me.id))?,
            _ => Vec::new(),
        };
        out.push(Draft {
            recipient: Recipient::Participant(p),
            id: me.id.clone(),
            lang,
            message_id,
            update: list.is_some(),
            due,
            bytes,
        });
    }
    // Interpreters: on a first plan those with meetings, after a re-plan those it names.
    let affected = s.changes.map(crate::replan::interpreters_affected);
    for k in ids::<Interpreter>(ev.interpreters.len()) {
        let me = ev.interpreter(k);
        let list: Option<Vec<&Change>> = s.changes.map(|all| {
            all.iter()
                .filter(|c| c.interpreters.0 == Some(k) || c.interpreters.1 == Some(k))
                .collect()
        });
        match &affected {
            Some(a) if !a.contains(&k) => continue,
            None if !s.plan.meetings.iter().any(|m| m.interpreter == Some(k)) => continue,
            _ => {}
        }
        let lang = language_of(&me.languages, s.fallback);
        let style = styles
            .entry(lang)
            .or_insert_with(|| Style::new(lang, s.timezone, ev));
        let ctx = Ctx::new(ev, s.plan, style);
        let message_id = message_id(&s.tag, ev, &me.id);
        let due = match address_of(&me.email) {
            None => Due::NoAddress,
            Some(Err(why)) => Due::BadAddress(why),
            Some(Ok(to)) => Due::Ready(to),
        };
        let bytes = match &due {
            Due::Ready(to) => {
                interp_message(&ctx, s.sender, k, to, &message_id, list.as_deref())
                    .with_context(|| format!("composing the message to interpreter {}", me.id))?
            }
            _ => Vec::new(),
        };
        out.push(Draft {
            recipient: Recipient::Interpreter(k),
            id: me.id.clone(),
            lang,
            message_id,
            update: list.is_some(),
            due,
            bytes,
        });
    }
    Ok(out)
}

/// An interpreter's agenda as plain text: per day, one line per meeting (time, table, the two
/// sides with their languages).
fn text_interp_agenda(ctx: &Ctx, k: InterpId) -> String {
    use crate::export::interp_agenda::{meetings, side};
    let (ev, l) = (ctx.event, ctx.labels);
    let mut s = format!("{}\n", fill(l.agenda_of, &[&ev.interpreter(k).name]));
    let list = meetings(ctx, k);
    if list.is_empty() {
        let _ = writeln!(s, "\n{}", l.no_meetings);
    }
    let mut day = None;
    for m in list {
        let slot = ev.slot(m.slot);
        if day != Some(slot.day) {
            day = Some(slot.day);
            let _ = writeln!(s, "\n{}", l.long_date(slot.day));
        }
        let table = agenda::table_id(ev, m);
        let table = if table.is_empty() {
            String::new()
        } else {
            format!("{} {table}  ", l.table)
        };
        let pair = ev.pair(m.pair);
        let _ = writeln!(
            s,
            "  {}–{}  {table}{} – {}",
            slot.start,
            slot.end,
            side(ctx, pair.a),
            side(ctx, pair.b)
        );
    }
    s
}

/// Interpreter `k`'s message: as a participant's, with their agenda and an invitation to the
/// meetings they interpret (after a re-plan: those changed, and a cancellation of those they
/// no longer interpret).
fn interp_message(
    ctx: &Ctx,
    sender: &Sender,
    k: InterpId,
    to: &Address,
    message_id: &str,
    changes: Option<&[&Change]>,
) -> Result<Vec<u8>> {
    use crate::export::interp_agenda::sheet;
    let (ev, l) = (ctx.event, ctx.labels);
    let me = ev.interpreter(k);
    let words = Words::new(ctx, &me.name, &me.name, changes.is_some());
    // Each changed meeting once (changes.csv lists it per participant).
    let mut seen = std::collections::HashSet::new();
    let list: Vec<&Change> = changes
        .unwrap_or_default()
        .iter()
        .copied()
        .filter(|c| {
            seen.insert((
                c.participant.min(c.counterpart),
                c.participant.max(c.counterpart),
            ))
        })
        .collect();
    let line = |c: &Change| {
        let (kind, _, when) = change_words(ctx, c);
        let pair = format!(
            "{} – {}",
            ev.part(c.participant.min(c.counterpart)).display(),
            ev.part(c.participant.max(c.counterpart)).display()
        );
        (kind, pair, when)
    };

    let mut text = format!("{}\n\n{}\n\n", words.greeting, words.intro);
    for c in &list {
        let (kind, pair, when) = line(c);
        let _ = writeln!(text, "- {kind}: {pair}, {when}");
    }
    text.push_str(&text_interp_agenda(ctx, k));
    let _ = write!(
        text,
        "\n{}\n{}\n",
        l.mail_closing,
        words.signature.join("\n")
    );

    let mut body = format!(
        "<p>{}</p>\n<p>{}</p>\n",
        esc(&words.greeting),
        esc(&words.intro)
    );
    if changes.is_some() {
        body.push_str("<ul>\n");
        for c in &list {
            let (kind, pair, when) = line(c);
            let _ = writeln!(
                body,
                "<li><strong>{}</strong>: {}, {}</li>",
                esc(kind),
                esc(&pair),
                esc(&when)
            );
        }
        body.push_str("</ul>\n");
    }
    body.push_str(&sheet(ctx, k));
    body.push_str(&words.closing_html(l));
    let html = page(ctx, &words.subject, &body);
    // The attachment is the interpreter's HTML agenda export, byte for byte.
    let agenda_html = page(ctx, &fill(l.agenda_of, &[&me.name]), &sheet(ctx, k));

    let all = ics::interpreter_entries(ctx, k);
    let key = |a: PartId, b: PartId| (a.min(b), a.max(b));
    let (request, cancel): (Vec<InterpEntry>, Vec<InterpEntry>) = match changes {
        None => (all, vec![]),
        Some(_) => {
            let request = all
                .into_iter()
                .filter(|e| {
                    list.iter().any(|c| {
                        c.interpreters.1 == Some(k)
                            && c.kind != ChangeKind::Cancelled
                            && key(c.participant, c.counterpart) == key(e.a, e.b)
                    })
                })
                .collect();
            let cancel = list
                .iter()
                .filter(|c| c.interpreters.0 == Some(k) && c.interpreters.1 != Some(k))
                .filter_map(|c| {
                    let (slot, table) = c.before?;
                    let (a, b) = key(c.participant, c.counterpart);
                    // A meeting that stays where it was, with another interpreter, keeps its
                    // SEQUENCE: the one who loses it holds that SEQUENCE already, and a
                    // calendar takes a CANCEL only above it (RFC 5546 §2.1.5).
                    let sequence = if c.kind == ChangeKind::Interpreter {
                        c.sequence + 1
                    } else {
                        c.sequence
                    };
                    Some(InterpEntry {
                        a,
                        b,
                        slot,
                        table,
                        sequence,
                        cancelled: true,
                    })
                })
                .collect();
            (request, cancel)
        }
    };
    let mut calendars = Vec::new();
    for (entries, method) in [(&request, Method::Request), (&cancel, Method::Cancel)] {
        if entries.is_empty() {
            continue;
        }
        let itip = Itip {
            method,
            organizer_name: &sender.name,
            organizer_email: sender.address.as_ref(),
            attendee_name: &me.name,
            attendee_email: to.as_ref(),
        };
        calendars.push((method, ics::interpreter_invitation(ctx, k, entries, &itip)?));
    }
    assemble(
        ctx,
        sender,
        Assembly {
            person: &me.name,
            to,
            message_id,
            subject: words.subject,
            text,
            html,
            calendars,
            agenda_name: format!("{}-{}.html", l.mail_agenda_file, me.id),
            agenda_html,
        },
    )
}

/// The words every message shares: subject, greeting, intro and signature.
struct Words {
    subject: String,
    intro: String,
    greeting: String,
    signature: Vec<String>,
}

impl Words {
    /// `person`: whom the message greets; `who`: whom an unnamed event's subject names.
    fn new(ctx: &Ctx, person: &str, who: &str, update: bool) -> Words {
        let (ev, l) = (ctx.event, ctx.labels);
        let event_name = if ev.info.name.is_empty() {
            l.mail_the_event.to_string()
        } else {
            ev.info.name.clone()
        };
        let subject_name = if ev.info.name.is_empty() {
            who.to_string()
        } else {
            ev.info.name.clone()
        };
        let (subject, intro) = if update {
            (
                fill(l.mail_subject_changed, &[&subject_name]),
                fill(l.mail_intro_changed, &[&event_name]),
            )
        } else {
            (
                fill(l.mail_subject, &[&subject_name]),
                fill(l.mail_intro, &[&event_name]),
            )
        };
        let mut signature = vec![];
        if !ev.info.organiser.is_empty() {
            signature.push(ev.info.organiser.clone());
        }
        if !ev.info.contact.is_empty() {
            signature.push(ev.info.contact.clone());
        }
        Words {
            subject,
            intro,
            greeting: fill(l.mail_greeting, &[person]),
            signature,
        }
    }

    fn closing_html(&self, l: &crate::lang::Labels) -> String {
        format!(
            "<p>{}<br>{}</p>\n",
            esc(l.mail_closing),
            self.signature
                .iter()
                .map(|s| esc(s))
                .collect::<Vec<_>>()
                .join("<br>")
        )
    }
}

/// The parts of a message, ready to assemble.
struct Assembly<'a> {
    person: &'a str,
    to: &'a Address,
    message_id: &'a str,
    subject: String,
    text: String,
    html: Vec<u8>,
    /// Invitation, then cancellation (each only when it holds events).
    calendars: Vec<(Method, Vec<u8>)>,
    agenda_name: String,
    agenda_html: Vec<u8>,
}

/// RFC 5322 bytes: text and HTML alternatives, the calendars, the HTML agenda attached.
fn assemble(ctx: &Ctx, sender: &Sender, a: Assembly) -> Result<Vec<u8>> {
    let alternative = MultiPart::alternative()
        .boundary(boundary(a.message_id, "alt"))
        .singlepart(SinglePart::plain(a.text))
        .singlepart(SinglePart::html(String::from_utf8(a.html)?));
    let mut mixed = MultiPart::mixed()
        .boundary(boundary(a.message_id, "mix"))
        .multipart(alternative);
    for (method, cal) in a.calendars {
        let (word, file) = match method {
            Method::Request => ("REQUEST", "invitation.ics"),
            Method::Cancel => ("CANCEL", "cancellation.ics"),
        };
        mixed = mixed.singlepart(Attachment::new(file.to_string()).body(
            String::from_utf8(cal)?,
            ContentType::parse(&format!("text/calendar; charset=utf-8; method={word}"))?,
        ));
    }
    mixed = mixed.singlepart(Attachment::new(a.agenda_name).body(
        String::from_utf8(a.agenda_html)?,
        ContentType::parse("text/html; charset=utf-8")?,
    ));
    let date = std::time::UNIX_EPOCH
        + std::time::Duration::from_secs(ctx.style.stamp.as_second().max(0) as u64);
    let msg = Message::builder()
        .from(Mailbox::new(
            Some(sender.name.clone()).filter(|n| !n.is_empty()),
            sender.address.clone(),
        ))
        .to(Mailbox::new(Some(a.person.to_string()), a.to.clone()))
        .subject(a.subject)
        .date(date)
        .message_id(Some(a.message_id.to_string()))
        .multipart(mixed)?;
    Ok(msg.formatted())
}

/// The agenda as plain text: per day, one line per meeting (time, table, who, company,
/// country), breaks and pauses as lines.
fn text_agenda(ctx: &Ctx, p: PartId) -> String {
    let (ev, l) = (ctx.event, ctx.labels);
    let mut s = format!("{}\n", fill(l.agenda_of, &[&ev.part(p).display()]));
    let days = agenda::days(ctx, p);
    if days.is_empty() {
        let _ = writeln!(s, "\n{}", l.no_meetings);
    }
    for day in days {
        let _ = writeln!(s, "\n{}", l.long_date(day.date));
        for row in day.rows {
            match row {
                Row::Pause => {
                    let _ = writeln!(s, "  ({})", l.pause_between_sessions);
                }
                Row::Break(a, b) => {
                    let _ = writeln!(
                        s,
                        "  {}–{}  ({})",
                        ev.slot(a).start,
                        ev.slot(b).end,
                        l.break_row
                    );
                }
                Row::Meeting(m) => {
                    let slot = ev.slot(m.slot);
                    let other = ev.part(ev.pair(m.pair).other(p));
                    let mut who = vec![agenda::counterpart(other)];
                    for v in [&other.company, &other.country] {
                        if !v.is_empty() && !who.contains(v) {
                            who.push(v.clone());
                        }
                    }
                    let table = agenda::table_id(ev, m);
                    let table = if table.is_empty() {
                        String::new()
                    } else {
                        format!("{} {table}  ", l.table)
                    };
                    let _ = writeln!(
                        s,
                        "  {}–{}  {table}{}",
                        slot.start,
                        slot.end,
                        who.join(", ")
                    );
                }
                Row::Extra(e) => {
                    let venue = ev.venue_text(e.venue);
                    let _ = writeln!(
                        s,
                        "  {}–{}  {}{}",
                        e.start,
                        e.end,
                        crate::export::programme::title(ctx, &e),
                        if venue.is_empty() {
                            String::new()
                        } else {
                            format!(", {venue}")
                        }
                    );
                }
                Row::Travel(minutes, to) => {
                    let _ = writeln!(
                        s,
                        "  ({})",
                        crate::export::programme::travel_text(ctx, minutes, to)
                    );
                }
            }
        }
    }
    s
}

/// A boundary no encoded part can contain: `=_` never occurs in quoted-printable or base64.
fn boundary(message_id: &str, part: &str) -> String {
    format!(
        "=_t4s_{:016x}_{part}",
        fingerprint(&[message_id.as_bytes()])
    )
}

fn message(
    ctx: &Ctx,
    sender: &Sender,
    p: PartId,
    to: &Address,
    message_id: &str,
    changes: Option<&Vec<&Change>>,
) -> Result<Vec<u8>> {
    let (ev, l) = (ctx.event, ctx.labels);
    let me = ev.part(p);
    // A firm is greeted, invited and addressed as its contact person when known.
    let person = agenda::counterpart(me);
    let words = Words::new(ctx, &person, &me.display(), changes.is_some());

    // Text: greeting, what changed, the agenda.
    let mut text = format!("{}\n\n{}\n\n", words.greeting, words.intro);
    for c in changes.into_iter().flatten() {
        let (kind, other, when) = change_words(ctx, c);
        let _ = writeln!(text, "- {kind}: {other}, {when}");
    }
    text.push_str(&text_agenda(ctx, p));
    let _ = write!(
        text,
        "\n{}\n{}\n",
        l.mail_closing,
        words.signature.join("\n")
    );

    // HTML: the same words, then the printable agenda itself.
    let mut body = format!(
        "<p>{}</p>\n<p>{}</p>\n",
        esc(&words.greeting),
        esc(&words.intro)
    );
    if let Some(list) = changes {
        body.push_str("<ul>\n");
        for c in list {
            let (kind, other, when) = change_words(ctx, c);
            let _ = writeln!(
                body,
                "<li><strong>{}</strong>: {}, {}</li>",
                esc(kind),
                esc(&other),
                esc(&when)
            );
        }
        body.push_str("</ul>\n");
    }
    body.push_str(&agenda_sheet(ctx, p));
    body.push_str(&words.closing_html(l));
    let html = page(ctx, &words.subject, &body);
    let title = fill(l.agenda_of, &[&me.display()]);
    let agenda_html = page(ctx, &title, &agenda_sheet(ctx, p));

    // Calendars: the whole agenda, or after a re-plan what changed.
    let all = ics::entries(ctx, p);
    let (request, cancel): (Vec<Entry>, Vec<Entry>) = match changes {
        None => (all.into_iter().filter(|e| !e.cancelled).collect(), vec![]),
        Some(list) => {
            let with = |kinds: &[ChangeKind], cancelled: bool| -> Vec<Entry> {
                all.iter()
                    .filter(|e| {
                        e.cancelled == cancelled
                            && list
                                .iter()
                                .any(|c| c.counterpart == e.other && kinds.contains(&c.kind))
                    })
                    .copied()
                    .collect()
            };
            (
                with(
                    &[
                        ChangeKind::Moved,
                        ChangeKind::Added,
                        ChangeKind::Interpreter,
                    ],
                    false,
                ),
                with(&[ChangeKind::Cancelled], true),
            )
        }
    };
    // The programme and visits: all of them in a first invitation; after a re-plan the visits
    // it booked or moved, and those it withdrew (or the visit called off that `p` hosted).
    let dated = crate::export::programme::calendar_extras(ctx, p);
    let (extra_request, extra_cancel): (Vec<Dated>, Vec<Dated>) = match changes {
        None => (dated.into_iter().filter(|d| !d.cancelled).collect(), vec![]),
        Some(list) => {
            // Whether a change of the list is about `d`: after the change (to request) or
            // before it (to cancel).
            let touched = |d: &Dated, after: bool| {
                list.iter()
                    .any(|c| match (d.extra.kind, &c.programme, c.visit) {
                        (ExtraKind::Item(k), Some(x), _) => {
                            after && x.after.is_some() && x.id == ctx.event.item(k).id
                        }
                        (ExtraKind::Past(k), Some(x), _) => {
                            !after && x.id == ctx.plan.past_items[k].id
                        }
                        (
                            ExtraKind::Visit(v) | ExtraKind::Hosting(v),
                            None,
                            Some((before, now)),
                        ) => (if after { now } else { before }) == Some(v),
                        _ => false,
                    })
            };
            (
                dated
                    .iter()
                    .filter(|d| !d.cancelled && touched(d, true))
                    .copied()
                    .collect(),
                dated
                    .iter()
                    .filter(|d| d.cancelled && touched(d, false))
                    .copied()
                    .collect(),
            )
        }
    };
    let mut calendars = Vec::new();
    for (entries, extras, method) in [
        (&request, &extra_request, Method::Request),
        (&cancel, &extra_cancel, Method::Cancel),
    ] {
        if entries.is_empty() && extras.is_empty() {
            continue;
        }
        let itip = Itip {
            method,
            organizer_name: &sender.name,
            organizer_email: sender.address.as_ref(),
            attendee_name: &person,
            attendee_email: to.as_ref(),
        };
        calendars.push((method, ics::invitation(ctx, p, entries, extras, &itip)?));
    }
    assemble(
        ctx,
        sender,
        Assembly {
            person: &person,
            to,
            message_id,
            subject: words.subject,
            text,
            html,
            calendars,
            agenda_name: format!("{}-{}.html", l.mail_agenda_file, me.id),
            agenda_html,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn someone(languages: &[&str]) -> Participant {
        Participant {
            id: "B1".into(),
            side: crate::event::Side::Buyer,
            name: "Anna".into(),
            company: String::new(),
            country: String::new(),
            contact: String::new(),
            email: String::new(),
            languages: languages.iter().map(ToString::to_string).collect(),
            table: None,
            reps: 1,
            max_meetings: None,
            min_meetings: None,
            available: vec![],
            cancelled: false,
            role: String::new(),
            premises: None,
        }
    }

    #[test]
    fn the_first_language_with_labels_wins() {
        assert_eq!(language(&someone(&["ru", "it", "en"]), Lang::En), Lang::It);
        assert_eq!(language(&someone(&["de", "it", "en"]), Lang::En), Lang::De);
        assert_eq!(language(&someone(&["IT-it"]), Lang::En), Lang::It);
        assert_eq!(language(&someone(&["ja", "ru"]), Lang::It), Lang::It);
        assert_eq!(language(&someone(&["ja", "de"]), Lang::It), Lang::De);
        assert_eq!(language(&someone(&[]), Lang::En), Lang::En);
    }

    #[test]
    fn plan_tags_tell_plans_apart() {
        assert_eq!(plan_tag(b"a", b""), plan_tag(b"a", b""));
        assert_ne!(plan_tag(b"a", b""), plan_tag(b"", b"a"));
        assert_ne!(plan_tag(b"a", b""), plan_tag(b"b", b""));
    }

    #[test]
    fn addresses_are_checked() {
        let mut p = someone(&[]);
        assert!(address(&p).is_none());
        p.email = " anna@example.com ".into();
        assert_eq!(
            address(&p).unwrap().unwrap().to_string(),
            "anna@example.com"
        );
        for bad in [
            "anna",
            "anna@",
            "anna@@x.com",
            "a b@x.com",
            "a@x.com; b@y.com",
        ] {
            p.email = bad.into();
            assert!(address(&p).unwrap().is_err(), "{bad}");
        }
    }
}
