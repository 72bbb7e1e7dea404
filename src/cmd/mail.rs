//! `mail PLAN_DIR [--send]`: composes every participant's and interpreter's message (after a
//! re-plan only the affected ones'), writes them to `PLAN_DIR/mail/outbox/` for review, and
//! with `--send` delivers those the log does not hold as sent; reports per recipient what did
//! not go.

use crate::cli::MailArgs;
use crate::error::{Error, Result};
use crate::mail::compose::{self, Setup};
use crate::mail::log::{self, Log, Outcome};
use crate::mail::send::{self, Delivery, Server, Tls};
use crate::mail::{Draft, Due, Sender};
use lettre::message::Mailbox;
use lettre::Address;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::io::IsTerminal;
use std::path::Path;

/// The environment variable that holds the SMTP password.
pub(crate) const PASSWORD_VAR: &str = "T4S_SMTP_PASSWORD";

fn arg_error(msg: impl Into<String>) -> Error {
    Error::usage(msg)
}

/// `--from`, else the event's `from`: "Name <address>" or an address; the name defaults to
/// the organiser.
fn sender(args: &MailArgs, info: &crate::event::EventInfo) -> Result<Sender> {
    let raw = args.from.clone().unwrap_or_else(|| info.mail.from.clone());
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(arg_error(
            "mail needs the sender's address: give --from ADDRESS, or `from` in the event's \
             event.toml (or event.csv)",
        ));
    }
    let fallback_name = if info.organiser.is_empty() {
        info.name.clone()
    } else {
        info.organiser.clone()
    };
    if let Ok(a) = raw.parse::<Address>() {
        return Ok(Sender {
            name: fallback_name,
            address: a,
        });
    }
    match raw.parse::<Mailbox>() {
        Ok(m) => Ok(Sender {
            name: m.name.unwrap_or(fallback_name),
            address: m.email,
        }),
        Err(e) => Err(arg_error(format!(
            "the sender '{raw}' is not an e-mail address ({e}); write it as name@example.com \
             or \"Name <name@example.com>\""
        ))),
    }
}

fn server(args: &MailArgs, info: &crate::event::EventInfo) -> Result<Server> {
    let m = &info.mail;
    let host = args
        .smtp_host
        .clone()
        .unwrap_or_else(|| m.smtp_host.clone());
    if host.trim().is_empty() {
        return Err(arg_error(
            "--send needs the SMTP server: give --smtp-host HOST, or `smtp_host` in the event's \
             event.toml (or event.csv)",
        ));
    }
    let tls = match (args.tls, m.smtp_tls.as_deref()) {
        (Some(t), _) => t,
        (None, Some("tls")) => Tls::Implicit,
        (None, Some("none")) => Tls::None,
        _ => Tls::Starttls,
    };
    let port = args
        .smtp_port
        .or(m.smtp_port)
        .unwrap_or_else(|| tls.default_port());
    let user = args
        .smtp_user
        .clone()
        .unwrap_or_else(|| m.smtp_user.clone());
    let login = if user.trim().is_empty() {
        None
    } else {
        if tls == Tls::None && !send::is_loopback(&host) {
            return Err(arg_error(format!(
                "refusing to send the password for {user} unencrypted to {host}; use --tls \
                 starttls or --tls tls"
            )));
        }
        Some((user.clone(), password(&user, &host)?))
    };
    Ok(Server {
        host,
        port,
        tls,
        login,
        timeout: std::time::Duration::from_secs(60),
    })
}

/// The password: from T4S_SMTP_PASSWORD, else typed at a prompt (never an argument or a file:
/// both end up where others can read them).
fn password(user: &str, host: &str) -> Result<String> {
    if let Ok(p) = std::env::var(PASSWORD_VAR) {
        if !p.is_empty() {
            return Ok(p);
        }
    }
    if !std::io::stdin().is_terminal() {
        return Err(arg_error(format!(
            "the SMTP password for {user} is not set: export {PASSWORD_VAR}, or run in a \
             terminal to type it"
        )));
    }
    rpassword::prompt_password(format!("SMTP password for {user} at {host}: "))
        .map_err(|e| Error::Internal(anyhow::anyhow!("cannot read the password: {e}")))
}

/// `--resend` ids (participant ids or Message-IDs) as draft indices.
fn resend_set(ids: &[String], drafts: &[Draft]) -> Result<HashSet<usize>> {
    let mut out = HashSet::new();
    let mut unknown = Vec::new();
    for id in ids {
        let bare = id.trim().trim_start_matches('<').trim_end_matches('>');
        let found = drafts.iter().position(|d| {
            d.id == id.trim() || d.message_id.trim_start_matches('<').trim_end_matches('>') == bare
        });
        match found {
            Some(i) if matches!(drafts[i].due, Due::Ready(_)) => {
                out.insert(i);
            }
            Some(i) => {
                return Err(arg_error(format!(
                    "--resend {id}: {} has no usable e-mail address",
                    drafts[i].id
                )))
            }
            None => unknown.push(id.as_str()),
        }
    }
    if !unknown.is_empty() {
        return Err(arg_error(format!(
            "--resend {}: no message of this plan goes to {} (after a re-plan only the \
             participants whose agenda changed get one)",
            unknown.join(", "),
            if unknown.len() == 1 { "it" } else { "them" }
        )));
    }
    Ok(out)
}

pub(crate) fn run(args: MailArgs) -> Result<()> {
    let timezone = crate::cli::check_timezone(args.timezone.as_deref())?;
    if args.rate == 0 {
        return Err(arg_error("--rate must be at least 1 message per minute"));
    }
    let reloaded = crate::plandir::read(&args.plan, args.event.as_deref())?;
    for w in &reloaded.warnings {
        eprintln!("warning: {w}");
    }
    let (event, plan) = (&reloaded.event, &reloaded.plan);
    let sender = sender(&args, &event.info)?;
    // Settle the server (and ask for the password) before any work.
    let server = if args.send {
        Some(server(&args, &event.info)?)
    } else {
        None
    };
    let read = |name: &str| std::fs::read(args.plan.join(name)).unwrap_or_default();
    let setup = Setup {
        event,
        plan,
        changes: reloaded.changes.as_deref(),
        fallback: args.lang.unwrap_or_default(),
        timezone: timezone.as_deref(),
        sender: &sender,
        tag: compose::plan_tag(&read("schedule.csv"), &read("changes.csv")),
    };
    let drafts = compose::compose(&setup)?;
    let outbox = args.plan.join(crate::mail::OUTBOX);
    crate::export::write_atomically(&outbox, &crate::mail::outbox(&drafts, event)?)?;

    let ready = drafts
        .iter()
        .filter(|d| matches!(d.due, Due::Ready(_)))
        .count();
    let mut langs: Vec<&str> = drafts.iter().map(|d| d.lang.labels().code).collect();
    langs.sort();
    let mut by_lang: Vec<String> = Vec::new();
    for code in langs.iter().copied() {
        if !by_lang.iter().any(|s| s.starts_with(&format!("{code} "))) {
            let n = langs.iter().filter(|&&c| c == code).count();
            by_lang.push(format!("{code} {n}"));
        }
    }
    let what = if reloaded.changes.is_some() {
        "updates after the re-plan"
    } else {
        "agendas"
    };
    if drafts.is_empty() {
        println!("messages:            none (no agenda changed in this re-plan)");
    } else {
        println!(
            "messages:            {} ({what}; languages: {})",
            drafts.len(),
            by_lang.join(", ")
        );
    }
    let Some(server) = server else {
        let history = log::read(&args.plan)?;
        let before = drafts
            .iter()
            .filter(|d| history.get(&d.message_id).is_some_and(|h| h.delivered))
            .count();
        print_problems("not mailable:", &drafts, &HashMap::new(), &history);
        if before > 0 {
            println!("already sent:        {before} (in {})", log::LOG);
        }
        println!(
            "wrote {} ({ready} message{}); review them, then send with --send",
            outbox.display(),
            if ready == 1 { "" } else { "s" }
        );
        return Ok(());
    };

    let resend = resend_set(&args.resend, &drafts)?;
    let mut log = Log::open(&args.plan)?;
    let history = log::read(&args.plan)?;
    for d in &drafts {
        match &d.due {
            Due::NoAddress => log.append(&d.message_id, &d.id, "", Outcome::NoAddress, "")?,
            Due::BadAddress(why) => log.append(
                &d.message_id,
                &d.id,
                d.recipient.name_email(event).1.trim(),
                Outcome::BadAddress,
                why,
            )?,
            Due::Ready(_) => {}
        }
    }
    let todo = send::todo(&drafts, &history, &resend);
    let results = send::send(
        &server, &sender, &drafts, &todo, args.rate, &mut log, args.quiet,
    )?;
    let sent_now = results.values().filter(|r| **r == Delivery::Sent).count();
    let before = drafts
        .iter()
        .enumerate()
        .filter(|(i, d)| {
            !results.contains_key(i) && history.get(&d.message_id).is_some_and(|h| h.delivered)
        })
        .count();
    println!("sent now:            {sent_now}");
    if before > 0 {
        println!("sent before:         {before} (in {})", log::LOG);
    }
    let missing = print_problems("not delivered:", &drafts, &results, &history);
    println!(
        "log:                 {}",
        args.plan.join(log::LOG).display()
    );
    if missing > 0 {
        return Err(Error::Undelivered(missing));
    }
    Ok(())
}

/// Lists every participant due a message that does not have it, grouped by why, with what to
/// do; returns how many.
fn print_problems(
    title: &str,
    drafts: &[Draft],
    results: &HashMap<usize, Delivery>,
    history: &HashMap<String, log::History>,
) -> usize {
    let mut lines: Vec<(u8, String)> = Vec::new();
    for (i, d) in drafts.iter().enumerate() {
        let addr = d.address();
        let line = match (&d.due, results.get(&i)) {
            (Due::NoAddress, _) => (0, format!("{}: no e-mail address", d.id)),
            (Due::BadAddress(why), _) => (1, format!("{}: bad address ({why})", d.id)),
            (_, Some(Delivery::Refused(why))) => (2, format!("{} <{addr}>: refused: {why}", d.id)),
            (_, Some(Delivery::NotSent(why))) => (
                3,
                format!("{} <{addr}>: not sent ({why}); run again to send it", d.id),
            ),
            (_, Some(Delivery::Uncertain(why))) => (
                4,
                format!(
                    "{} <{addr}>: may have arrived (the connection broke while it was being sent: {why}); check, then --resend {}",
                    d.id, d.id
                ),
            ),
            (_, None) if history.get(&d.message_id).is_some_and(|h| h.uncertain && !h.delivered) => (
                4,
                format!(
                    "{} <{addr}>: may have arrived (an earlier run stopped while it was being sent); check, then --resend {}",
                    d.id, d.id
                ),
            ),
            _ => continue,
        };
        lines.push(line);
    }
    lines.sort_by_key(|l| l.0);
    if !lines.is_empty() {
        let mut s = format!("{title:<21}{}\n", lines.len());
        for (_, l) in &lines {
            let _ = writeln!(s, "  {l}");
        }
        print!("{s}");
    }
    lines.len()
}

/// The mail log of `out`, kept when `plan` or `replan` replaces that folder.
pub(crate) fn keep_log(out: &Path) -> Result<Vec<crate::export::OutFile>> {
    Ok(log::carry(out)?.into_iter().collect())
}
