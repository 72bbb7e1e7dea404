//! `validate`: what the event holds, and the warnings that predict trouble.

use crate::event::{Event, Organiser, Side};
use std::collections::BTreeMap;
use std::fmt::Write;

pub(crate) fn describe(ev: &Event) -> String {
    let mut s = String::new();
    let info = &ev.info;
    if !info.name.is_empty() {
        let _ = writeln!(s, "{:<12} {}", "event:", info.name);
    }
    let place: Vec<&str> = [info.venue.as_str(), info.address.as_str()]
        .into_iter()
        .filter(|v| !v.is_empty())
        .collect();
    if !place.is_empty() {
        let _ = writeln!(s, "{:<12} {}", "venue:", place.join(", "));
    }
    let _ = writeln!(
        s,
        "{:<12} {}",
        "time zone:",
        match &info.timezone {
            Some(tz) => tz.clone(),
            None => format!(
                "{} (default: set `timezone` in event.csv)",
                crate::event::info::DEFAULT_TIMEZONE
            ),
        }
    );
    for side in [Side::Buyer, Side::Firm] {
        let parts: Vec<_> = ev.participants.iter().filter(|p| p.side == side).collect();
        let mut by_country: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &parts {
            *by_country
                .entry(if p.country.is_empty() {
                    "?"
                } else {
                    &p.country
                })
                .or_default() += 1;
        }
        let countries: Vec<String> = by_country.iter().map(|(c, n)| format!("{c} {n}")).collect();
        let _ = write!(s, "{:<12} {}", format!("{}s:", side.word()), parts.len());
        let unknown_only = by_country.len() == 1 && by_country.contains_key("?");
        if !parts.is_empty() && !unknown_only {
            let _ = write!(s, " ({})", countries.join(", "));
        }
        s.push('\n');
    }
    let days: Vec<String> = ev
        .days()
        .iter()
        .map(std::string::ToString::to_string)
        .collect();
    let _ = writeln!(s, "{:<12} {} ({})", "days:", days.len(), days.join(", "));
    let _ = writeln!(s, "{:<12} {}", "sessions:", ev.sessions.len());
    for q in &ev.sessions {
        let (a, b) = (&ev.slots[q.slots.start], &ev.slots[q.slots.end - 1]);
        let _ = writeln!(
            s,
            "  {} {}-{}: {} slots",
            q.day,
            a.start,
            b.end,
            q.slots.len()
        );
    }
    let _ = writeln!(s, "{:<12} {}", "slots:", ev.slots.len());
    if ev.tables_limited {
        let fixed = ev.tables.iter().filter(|t| t.owner.is_some()).count();
        let _ = writeln!(
            s,
            "{:<12} {} ({fixed} fixed to a firm)",
            "tables:",
            ev.tables.len()
        );
    } else if !ev.tables.is_empty() {
        let _ = writeln!(
            s,
            "{:<12} {} named in firms.csv, each a firm's own (no tables.csv: the other meetings need no table)",
            "tables:",
            ev.tables.len()
        );
    }
    let no_email: Vec<&str> = ev
        .participants
        .iter()
        .filter(|p| p.email.is_empty() && !p.cancelled)
        .map(|p| p.id.as_str())
        .collect();
    if !no_email.is_empty() && no_email.len() < ev.participants.len() {
        let mut shown = no_email
            .iter()
            .take(10)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        if no_email.len() > 10 {
            shown.push_str(&format!(" and {} more", no_email.len() - 10));
        }
        let _ = writeln!(
            s,
            "{:<12} {} without one ({shown})",
            "emails:",
            no_email.len()
        );
    }
    let count = |o: Organiser| ev.pairs.iter().filter(|p| p.organiser == o).count();
    let _ = writeln!(
        s,
        "{:<12} {} requested ({} required), {} forbidden",
        "pairs:",
        ev.pairs.len() - count(Organiser::Forbidden),
        count(Organiser::Required),
        count(Organiser::Forbidden)
    );
    let mut roles: BTreeMap<String, usize> = BTreeMap::new();
    for p in ev.participants.iter().filter(|p| !p.role.is_empty()) {
        *roles.entry(p.role.to_lowercase()).or_default() += 1;
    }
    if !roles.is_empty() {
        let list: Vec<String> = roles.iter().map(|(r, n)| format!("{r} {n}")).collect();
        let _ = writeln!(s, "{:<12} {}", "roles:", list.join(", "));
    }
    // Pairs without a shared language: the meetings that will need an interpreter.
    let mut by_langs: BTreeMap<String, usize> = BTreeMap::new();
    for p in crate::id::ids(ev.pairs.len()) {
        if ev.pair(p).organiser != Organiser::Forbidden && ev.needs_interpreter(p) {
            *by_langs.entry(ev.language_pair(p)).or_default() += 1;
        }
    }
    if !by_langs.is_empty() {
        let total: usize = by_langs.values().sum();
        let list: Vec<String> = by_langs.iter().map(|(l, n)| format!("{l} {n}")).collect();
        let _ = writeln!(
            s,
            "{:<12} {total} requested pairs share no language ({}): their meetings need an interpreter; `plan` says how many per slot",
            "languages:",
            list.join(", ")
        );
    }
    if ev.interpreters_listed {
        let list: Vec<String> = ev
            .interpreters
            .iter()
            .map(|k| format!("{} ({})", k.id, k.languages.join(";")))
            .collect();
        let no_email = ev
            .interpreters
            .iter()
            .filter(|k| k.email.is_empty())
            .count();
        let _ = writeln!(
            s,
            "{:<12} {} ({}){}",
            "interpreters:",
            ev.interpreters.len(),
            list.join(", "),
            if no_email > 0 {
                format!("; {no_email} without an email")
            } else {
                String::new()
            }
        );
    }
    s
}

/// Warnings that predict trouble when planning.
pub(crate) fn forecast(ev: &Event) -> Vec<String> {
    let mut out = Vec::new();
    let mut wanted = vec![0usize; ev.participants.len()];
    let mut any = vec![false; ev.participants.len()];
    for p in &ev.pairs {
        if p.organiser == Organiser::Forbidden {
            continue;
        }
        for i in [p.a, p.b] {
            any[i.index()] = true;
            wanted[i.index()] += 1;
        }
    }
    for (i, p) in ev.participants.iter().enumerate() {
        if p.cancelled {
            continue;
        }
        let cap = p.capacity();
        if p.side == Side::Firm && wanted[i] > cap {
            out.push(format!(
                "{} is wanted by {} participants but has {cap} free slots: at least {} will not meet it",
                p.id,
                wanted[i],
                wanted[i] - cap
            ));
        }
        if !any[i] {
            out.push(format!(
                "{} has no wishes and nobody asks for it: it will get no meetings",
                p.id
            ));
        } else if p.free_slots() == 0 {
            out.push(format!("{} is unavailable in every slot", p.id));
        }
    }
    // Languages given for some and not others: those without are taken to understand everyone.
    let without: Vec<&str> = ev
        .participants
        .iter()
        .filter(|p| p.languages.is_empty())
        .map(|p| p.id.as_str())
        .collect();
    if !without.is_empty() && without.len() < ev.participants.len() {
        let mut shown = without
            .iter()
            .take(10)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        if without.len() > 10 {
            shown.push_str(&format!(" and {} more", without.len() - 10));
        }
        out.push(format!(
            "{} participants have no languages ({shown}): they are taken to understand everyone, so their meetings never get an interpreter",
            without.len()
        ));
    }
    for p in crate::id::ids(ev.pairs.len()) {
        let pair = ev.pair(p);
        if pair.organiser == Organiser::Forbidden {
            continue;
        }
        if ev.interpreters_for(p).is_some_and(|ks| ks.is_empty()) {
            out.push(format!(
                "{}-{} share no language and no interpreter speaks {}: they cannot meet",
                ev.part(pair.a).id,
                ev.part(pair.b).id,
                ev.language_pair(p)
            ));
        }
    }
    out
}
