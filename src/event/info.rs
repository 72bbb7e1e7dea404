//! The event's own facts for agendas and calendars: name, venue, address, time zone, organiser.
//! Optional, from `event.csv` (a header and one row, like the other lists; also a workbook or
//! the `event` sheet of the event's workbook) or `event.toml` (the same keys); never both. The
//! settings of `mail` (SMTP server, user, sender) live there too: flat keys, or in event.toml a
//! `[mail]` table. A password never does.

use super::csvfile;
use super::files::EventFiles;
use super::sheet::{opt, Column};
use crate::diag::{suggest, Diagnostic, Problems};
use std::path::Path;

/// The time zone when neither event.csv/event.toml nor `--timezone` gives one: the tool's
/// home district (Lucca, Marche); documented in the README.
pub(crate) const DEFAULT_TIMEZONE: &str = "Europe/Rome";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct EventInfo {
    pub name: String,
    pub venue: String,
    pub address: String,
    /// An IANA name known to the bundled time zone database (checked at load time).
    pub timezone: Option<String>,
    pub organiser: String,
    /// How participants reach the organiser on the day (phone, e-mail).
    pub contact: String,
    pub mail: MailSettings,
}

/// Where `mail --send` delivers and who sends: `smtp_host`, `smtp_port`, `smtp_tls`,
/// `smtp_user`, `from` (command-line options override them). The password is never read from
/// a file: the event's files are copied into every plan folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MailSettings {
    pub smtp_host: String,
    pub smtp_port: Option<u16>,
    /// `starttls`, `tls` or `none` (checked).
    pub smtp_tls: Option<String>,
    pub smtp_user: String,
    /// The sender's address (`Name <address>` or a bare address), checked when mailing.
    pub from: String,
}

/// The keys of the mail settings (flat, or in event.toml's `[mail]` table).
const MAIL_KEYS: [&str; 5] = ["smtp_host", "smtp_port", "smtp_tls", "smtp_user", "from"];
const TLS_WORDS: [&str; 3] = ["starttls", "tls", "none"];

/// Sets one mail setting from its text; the message when the value is bad.
fn set_mail(m: &mut MailSettings, key: &str, value: &str) -> Result<(), (String, String)> {
    match key {
        "smtp_host" => m.smtp_host = value.to_string(),
        "smtp_user" => m.smtp_user = value.to_string(),
        "from" => m.from = value.to_string(),
        "smtp_port" if value.is_empty() => m.smtp_port = None,
        "smtp_port" => match value.parse::<u16>() {
            Ok(p) if p > 0 => m.smtp_port = Some(p),
            _ => {
                return Err((
                    format!("smtp_port '{value}' is not a port number"),
                    "a whole number from 1 to 65535, e.g. 587 (STARTTLS) or 465 (TLS)".into(),
                ))
            }
        },
        "smtp_tls" if value.is_empty() => m.smtp_tls = None,
        "smtp_tls" => {
            let v = value.to_lowercase();
            if !TLS_WORDS.contains(&v.as_str()) {
                return Err((
                    format!("smtp_tls '{value}' is not starttls, tls or none"),
                    "starttls (port 587), tls (port 465) or none (a local relay only)".into(),
                ));
            }
            m.smtp_tls = Some(v);
        }
        _ => {}
    }
    Ok(())
}

/// Keys that would put a password in a file: refused, never read.
fn is_password_key(k: &str) -> bool {
    k.to_lowercase().contains("password")
}

const PASSWORD_HINT: &str = "the event's files are copied into every plan folder: set T4S_SMTP_PASSWORD in the environment, or type the password when `mail --send` asks";

const KEYS: [&str; 6] = [
    "name",
    "venue",
    "address",
    "timezone",
    "organiser",
    "contact",
];
const COLUMNS: &[Column] = &[
    opt("name"),
    opt("venue"),
    opt("address"),
    opt("timezone"),
    opt("organiser"),
    opt("contact"),
    opt("smtp_host"),
    opt("smtp_port"),
    opt("smtp_tls"),
    opt("smtp_user"),
    opt("from"),
    // Known only to be refused.
    opt("smtp_password"),
    opt("password"),
];

/// Checks an IANA time zone name against the bundled database; the message suggests the
/// nearest name.
pub(crate) fn check_timezone(name: &str) -> Result<String, String> {
    let db = jiff::tz::db();
    // The database matches names regardless of case; keep its spelling ("europe/rome" is
    // written Europe/Rome).
    if let Ok(tz) = db.get(name) {
        return Ok(tz.iana_name().unwrap_or(name).to_string());
    }
    let known: Vec<String> = db.available().map(|n| n.to_string()).collect();
    let mut msg = format!("unknown time zone '{name}'");
    if let Some(s) = suggest(name, known.iter().map(String::as_str)) {
        msg.push_str(&format!(" (did you mean '{s}'?)"));
    }
    Err(msg)
}

pub(crate) const TIMEZONE_HINT: &str =
    "use an IANA time zone name such as Europe/Rome, Europe/London or America/New_York";

/// Reads the event's list `event` (event.csv, a workbook, or a sheet) or event.toml, if there
/// is one; the list read is added to `order` (for sorting problems).
pub(crate) fn read(
    files: &mut EventFiles,
    pr: &mut Problems,
    order: &mut Vec<(String, Option<String>)>,
) -> EventInfo {
    let toml = (!files.is_workbook())
        .then(|| files.root.join("event.toml"))
        .filter(|p| p.exists());
    match (files.has("event"), toml) {
        (false, None) => EventInfo::default(),
        (true, Some(toml)) => {
            pr.error(
                Diagnostic::file(
                    &toml.display().to_string(),
                    format!("{} exists too", file_name(&files.shown_name("event"))),
                )
                .hint("keep one of event.csv and event.toml"),
            );
            EventInfo::default()
        }
        (true, None) => from_list(files, pr, order),
        (false, Some(toml)) => {
            order.push((toml.display().to_string(), None));
            from_toml(&toml, pr)
        }
    }
}

fn from_list(
    files: &mut EventFiles,
    pr: &mut Problems,
    order: &mut Vec<(String, Option<String>)>,
) -> EventInfo {
    order.push(files.origin("event"));
    let Some(f) = files.read("event", COLUMNS, pr) else {
        return EventInfo::default();
    };
    order.push((f.name.clone(), f.sheet.clone()));
    let mut info = EventInfo::default();
    if f.rows.len() > 1 {
        pr.error(
            f.at(f.rows[1].line, "event.csv holds one row")
                .hint("one header line (name, venue, address, timezone, organiser, contact) and one row of values"),
        );
    }
    let Some(row) = f.rows.first() else {
        return info;
    };
    let get = |k: &str| f.cell(row, k).value.to_string();
    info.name = get("name");
    info.venue = get("venue");
    info.address = get("address");
    info.organiser = get("organiser");
    info.contact = get("contact");
    for k in MAIL_KEYS {
        let c = f.cell(row, k);
        if let Err((m, hint)) = set_mail(&mut info.mail, k, c.value.trim()) {
            pr.error(f.diag(&c, m).hint(hint));
        }
    }
    for h in ["smtp_password", "password"] {
        if f.has_column(h) {
            pr.error(
                Diagnostic::at(
                    &f.name,
                    1,
                    None,
                    format!("column '{h}': a password is never read from a file"),
                )
                .hint(PASSWORD_HINT),
            );
        }
    }
    let tz = f.cell(row, "timezone");
    if !tz.value.is_empty() {
        match check_timezone(tz.value) {
            Ok(name) => info.timezone = Some(name),
            Err(m) => pr.error(f.diag(&tz, m).hint(TIMEZONE_HINT)),
        }
    }
    info
}

fn file_name(shown: &str) -> String {
    Path::new(shown)
        .file_name()
        .map_or(shown.to_string(), |n| n.to_string_lossy().to_string())
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (u64, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u64 + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn from_toml(path: &Path, pr: &mut Problems) -> EventInfo {
    let shown = path.display().to_string();
    let mut info = EventInfo::default();
    let text = match std::fs::read(path) {
        Ok(b) if b.len() as u64 > csvfile::MAX_FILE_BYTES => {
            pr.error(Diagnostic::file(
                &shown,
                "file is too large for an event description",
            ));
            return info;
        }
        Ok(b) => match String::from_utf8(b) {
            Ok(t) => t,
            Err(e) => {
                let (line, col) = line_col(
                    &String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]),
                    usize::MAX,
                );
                pr.error(
                    Diagnostic::at(&shown, line, Some(col), "not UTF-8 text")
                        .hint("save the file as UTF-8"),
                );
                return info;
            }
        },
        Err(e) => {
            pr.error(Diagnostic::file(&shown, format!("cannot read: {e}")));
            return info;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let doc = match toml::de::DeTable::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            pr.error(
                Diagnostic::at(&shown, line, Some(col), e.message().trim().to_string())
                    .hint("write one `key = \"value\"` per line; keys: name, venue, address, timezone, organiser, contact"),
            );
            return info;
        }
    };
    for (key, value) in doc.get_ref() {
        let (line, col) = line_col(text, key.span().start);
        let k = key.get_ref().as_ref();
        if k == "mail" {
            if let Some(table) = value.get_ref().as_table() {
                for (key, value) in table {
                    let (line, col) = line_col(text, key.span().start);
                    let k = key.get_ref().as_ref();
                    toml_mail_key(&mut info.mail, &shown, (line, col), k, value, text, pr);
                }
                continue;
            }
        }
        if MAIL_KEYS.contains(&k) || is_password_key(k) {
            toml_mail_key(&mut info.mail, &shown, (line, col), k, value, text, pr);
            continue;
        }
        if !KEYS.contains(&k) {
            pr.warn(unknown_key(&shown, line, col, k));
            continue;
        }
        let Some(s) = value.get_ref().as_str() else {
            pr.error(
                Diagnostic::at(&shown, line, Some(col), format!("'{k}' must be text"))
                    .hint(format!("write it in quotes: {k} = \"...\"")),
            );
            continue;
        };
        let s = s.trim().to_string();
        match k {
            "timezone" => match check_timezone(&s) {
                Ok(n) => info.timezone = Some(n),
                Err(m) => {
                    let (line, col) = line_col(text, value.span().start);
                    pr.error(Diagnostic::at(&shown, line, Some(col), m).hint(TIMEZONE_HINT));
                }
            },
            "name" => info.name = s,
            "venue" => info.venue = s,
            "address" => info.address = s,
            "organiser" => info.organiser = s,
            "contact" => info.contact = s,
            _ => {} // not in KEYS: warned above
        }
    }
    info
}

/// One mail setting of event.toml (flat or in `[mail]`): text, or a number for the port.
fn toml_mail_key(
    m: &mut MailSettings,
    shown: &str,
    (line, col): (u64, usize),
    k: &str,
    value: &toml::Spanned<toml::de::DeValue>,
    text: &str,
    pr: &mut Problems,
) {
    if is_password_key(k) {
        pr.error(
            Diagnostic::at(
                shown,
                line,
                Some(col),
                format!("'{k}': a password is never read from a file"),
            )
            .hint(PASSWORD_HINT),
        );
        return;
    }
    if !MAIL_KEYS.contains(&k) {
        let mut msg = format!("unknown key '{k}' in [mail] is ignored");
        if let Some(s) = suggest(k, MAIL_KEYS) {
            msg.push_str(&format!(" (did you mean '{s}'?)"));
        }
        pr.warn(Diagnostic::at(shown, line, Some(col), msg));
        return;
    }
    let v = value.get_ref();
    let s = match (v.as_str(), v.as_integer()) {
        (Some(s), _) => s.trim().to_string(),
        (None, Some(i)) if k == "smtp_port" => i.as_str().to_string(),
        _ => {
            pr.error(
                Diagnostic::at(shown, line, Some(col), format!("'{k}' must be text"))
                    .hint(format!("write it in quotes: {k} = \"...\"")),
            );
            return;
        }
    };
    if let Err((msg, hint)) = set_mail(m, k, &s) {
        let (line, col) = line_col(text, value.span().start);
        pr.error(Diagnostic::at(shown, line, Some(col), msg).hint(hint));
    }
}

fn unknown_key(file: &str, line: u64, col: usize, k: &str) -> Diagnostic {
    let mut msg = format!("unknown key '{k}' is ignored");
    if let Some(s) = suggest(k, KEYS.iter().copied().chain(MAIL_KEYS).chain(["mail"])) {
        msg.push_str(&format!(" (did you mean '{s}'?)"));
    }
    Diagnostic::at(file, line, Some(col), msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zones_are_checked_with_a_suggestion() {
        assert_eq!(check_timezone("Europe/Rome").unwrap(), "Europe/Rome");
        assert_eq!(check_timezone("europe/rome").unwrap(), "Europe/Rome");
        assert_eq!(
            check_timezone("Europe/Rom").unwrap_err(),
            "unknown time zone 'Europe/Rom' (did you mean 'Europe/Rome'?)"
        );
    }

    #[test]
    fn line_and_column_of_an_offset() {
        assert_eq!(line_col("a\nbc\nd", 3), (2, 2));
        assert_eq!(line_col("abc", 0), (1, 1));
    }
}
