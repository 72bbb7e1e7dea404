//! An independent iCalendar reader for the tests (RFC 5545), written from the RFC, not from
//! the exporter: content lines with CRLF and folding, components nested by BEGIN/END,
//! properties with parameters, TEXT unescaping; `validate` checks what calendars need.

use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Prop {
    pub name: String,
    pub params: BTreeMap<String, String>,
    pub value: String,
}

#[derive(Debug, Clone, Default)]
pub struct Component {
    pub kind: String,
    pub props: Vec<Prop>,
    pub children: Vec<Component>,
}

impl Component {
    pub fn get(&self, name: &str) -> Option<&Prop> {
        self.props.iter().find(|p| p.name == name)
    }
    pub fn value(&self, name: &str) -> Option<String> {
        self.get(name).map(|p| p.value.clone())
    }
    pub fn all(&self, kind: &str) -> Vec<&Component> {
        self.children.iter().filter(|c| c.kind == kind).collect()
    }
}

/// TEXT unescaping: `\\`, `\;`, `\,`, `\n`/`\N`.
pub fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(x) => out.push(x),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Parses a whole .ics file; any violation of the syntax is an error naming the line.
pub fn parse(bytes: &[u8]) -> Result<Component, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))?;
    if !text.ends_with("\r\n") {
        return Err("the file does not end with CRLF".into());
    }
    // Physical lines: CRLF only, each at most 75 octets.
    let physical: Vec<&str> = text[..text.len() - 2].split("\r\n").collect();
    let mut logical: Vec<String> = Vec::new();
    for (i, line) in physical.iter().enumerate() {
        if line.contains('\n') || line.contains('\r') {
            return Err(format!("line {}: bare CR or LF", i + 1));
        }
        if line.len() > 75 {
            return Err(format!("line {}: {} octets (max 75)", i + 1, line.len()));
        }
        if let Some(rest) = line.strip_prefix([' ', '\t']) {
            let last = logical
                .last_mut()
                .ok_or(format!("line {}: continuation first", i + 1))?;
            last.push_str(rest);
        } else {
            logical.push(line.to_string());
        }
    }
    let mut stack: Vec<Component> = vec![Component::default()];
    for (i, line) in logical.iter().enumerate() {
        let prop = parse_line(line).map_err(|e| format!("content line {}: {e}", i + 1))?;
        match prop.name.as_str() {
            "BEGIN" => stack.push(Component {
                kind: prop.value.clone(),
                ..Default::default()
            }),
            "END" => {
                let c = stack.pop().ok_or("END without BEGIN")?;
                if c.kind != prop.value {
                    return Err(format!("END:{} closes BEGIN:{}", prop.value, c.kind));
                }
                stack
                    .last_mut()
                    .ok_or("END without BEGIN")?
                    .children
                    .push(c);
            }
            _ => stack
                .last_mut()
                .ok_or("property outside a component")?
                .props
                .push(prop),
        }
    }
    let mut root = stack.pop().ok_or("empty")?;
    if !stack.is_empty() {
        return Err(format!("BEGIN:{} is never closed", root.kind));
    }
    if root.children.len() != 1 || root.children[0].kind != "VCALENDAR" || !root.props.is_empty() {
        return Err("the file must hold exactly one VCALENDAR".into());
    }
    Ok(root.children.remove(0))
}

/// `NAME;PARAM=VALUE;...:value` (quoted parameter values may hold `:` and `;`).
fn parse_line(line: &str) -> Result<Prop, String> {
    let mut name_end = None;
    let mut in_quotes = false;
    let mut segments = Vec::new();
    let mut start = 0;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => {
                segments.push(&line[start..i]);
                start = i + 1;
            }
            ':' if !in_quotes => {
                segments.push(&line[start..i]);
                name_end = Some(i);
                break;
            }
            _ => {}
        }
    }
    let colon = name_end.ok_or("no ':' in the line")?;
    let name = segments[0].to_string();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(format!("bad property name {name:?}"));
    }
    let mut params = BTreeMap::new();
    for p in &segments[1..] {
        let (k, v) = p.split_once('=').ok_or(format!("bad parameter {p:?}"))?;
        params.insert(k.to_string(), v.trim_matches('"').to_string());
    }
    Ok(Prop {
        name: name.to_uppercase(),
        params,
        value: line[colon + 1..].to_string(),
    })
}

fn is_local(v: &str) -> bool {
    v.len() == 15
        && v.as_bytes()[8] == b'T'
        && v.chars()
            .enumerate()
            .all(|(i, c)| i == 8 || c.is_ascii_digit())
}

/// What calendars need (RFC 5545 3.6, 3.6.1, 3.6.5): VERSION and PRODID; per event a UID,
/// a UTC DTSTAMP, DTSTART/DTEND in a time zone the file defines, a SEQUENCE; per VTIMEZONE
/// a TZID and observances with DTSTART and both offsets.
pub fn validate(cal: &Component) -> Result<(), String> {
    if cal.value("VERSION").as_deref() != Some("2.0") {
        return Err("VERSION:2.0 missing".into());
    }
    if cal.value("PRODID").is_none_or(|p| p.is_empty()) {
        return Err("PRODID missing".into());
    }
    let zones: Vec<String> = cal
        .all("VTIMEZONE")
        .iter()
        .map(|z| z.value("TZID").unwrap_or_default())
        .collect();
    for z in cal.all("VTIMEZONE") {
        let obs: Vec<&Component> = z
            .children
            .iter()
            .filter(|c| c.kind == "STANDARD" || c.kind == "DAYLIGHT")
            .collect();
        if obs.is_empty() {
            return Err("VTIMEZONE without STANDARD/DAYLIGHT".into());
        }
        for o in obs {
            for p in ["DTSTART", "TZOFFSETFROM", "TZOFFSETTO"] {
                let v = o.value(p).ok_or(format!("{} without {p}", o.kind))?;
                if p != "DTSTART" && !(v.len() == 5 || v.len() == 7) {
                    return Err(format!("bad UTC offset {v}"));
                }
            }
        }
    }
    let mut uids = std::collections::HashSet::new();
    for e in cal.all("VEVENT") {
        let uid = e.value("UID").ok_or("VEVENT without UID")?;
        if !uids.insert(uid.clone()) {
            return Err(format!("UID {uid} twice in one file"));
        }
        let stamp = e.value("DTSTAMP").ok_or("VEVENT without DTSTAMP")?;
        if !(stamp.len() == 16 && stamp.ends_with('Z') && is_local(&stamp[..15])) {
            return Err(format!("DTSTAMP {stamp} is not UTC date-time"));
        }
        for p in ["DTSTART", "DTEND"] {
            let prop = e.get(p).ok_or(format!("VEVENT without {p}"))?;
            let tz = prop.params.get("TZID").ok_or(format!("{p} without TZID"))?;
            if !zones.contains(tz) {
                return Err(format!("{p} uses TZID {tz} that no VTIMEZONE defines"));
            }
            if !is_local(&prop.value) {
                return Err(format!("{p} {} is not a local date-time", prop.value));
            }
        }
        if e.value("DTEND") <= e.value("DTSTART") {
            return Err(format!("{uid}: DTEND not after DTSTART"));
        }
        e.value("SEQUENCE")
            .ok_or("VEVENT without SEQUENCE")?
            .parse::<u32>()
            .map_err(|_| "SEQUENCE is not a number")?;
        match e.value("STATUS").as_deref() {
            Some("CONFIRMED") | Some("CANCELLED") | Some("TENTATIVE") => {}
            s => return Err(format!("{uid}: STATUS {s:?}")),
        }
    }
    Ok(())
}

/// Reads and validates `path`, panicking with the reason.
pub fn read(path: &std::path::Path) -> Component {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cal = parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    validate(&cal).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    cal
}

#[test]
fn the_reader_rejects_what_rfc_5545_forbids() {
    assert!(
        parse(b"BEGIN:VCALENDAR\nEND:VCALENDAR\n").is_err(),
        "LF only"
    );
    assert!(parse(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n").is_err());
    let long = format!(
        "BEGIN:VCALENDAR\r\nX:{}\r\nEND:VCALENDAR\r\n",
        "a".repeat(80)
    );
    assert!(parse(long.as_bytes()).is_err(), "unfolded long line");
    let folded = "BEGIN:VCALENDAR\r\nSUMMARY;LANGUAGE=it:a\\, b\r\n  c\r\nEND:VCALENDAR\r\n";
    let cal = parse(folded.as_bytes()).unwrap();
    assert_eq!(unescape(&cal.value("SUMMARY").unwrap()), "a, b c");
    assert_eq!(cal.get("SUMMARY").unwrap().params["LANGUAGE"], "it");
}
