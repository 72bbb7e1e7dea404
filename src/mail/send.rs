//! SMTP delivery (lettre's connection, driven step by step so that the log knows whether a
//! message can have left: see `log`), at a limited rate, with a progress bar.

use super::log::{History, Log, Outcome};
use super::{Draft, Due, Sender};
use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::Error as SmtpError;
use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::net::ToSocketAddrs;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How the connection is protected (`--tls`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Tls {
    /// Plain connection upgraded with STARTTLS (port 587); refused if the server cannot.
    Starttls,
    /// TLS from the first byte (port 465).
    #[value(name = "tls")]
    Implicit,
    /// No encryption: for a relay on this machine or the local network only.
    None,
}

impl Tls {
    pub fn default_port(self) -> u16 {
        match self {
            Tls::Starttls => 587,
            Tls::Implicit => 465,
            Tls::None => 25,
        }
    }
}

pub(crate) struct Server {
    pub host: String,
    pub port: u16,
    pub tls: Tls,
    /// User and password, when the server wants a login.
    pub login: Option<(String, String)>,
    pub timeout: Duration,
}

/// Set by the first Ctrl-C: the message going out finishes, then the run stops.
static STOP: AtomicBool = AtomicBool::new(false);

/// What happened to one message in this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Delivery {
    Sent,
    Refused(String),
    /// Not delivered, can be sent again: a temporary refusal, a lost connection before the
    /// message left, or not tried because the connection was lost or the run stopped.
    NotSent(String),
    /// The connection broke while the message went out.
    Uncertain(String),
}

fn connect(server: &Server) -> Result<SmtpConnection, SmtpError> {
    let hello = ClientId::default();
    let addr = (server.host.as_str(), server.port);
    let tls = || TlsParameters::new(server.host.clone());
    let mut conn = match server.tls {
        Tls::Implicit => {
            SmtpConnection::connect(addr, Some(server.timeout), &hello, Some(&tls()?), None)?
        }
        _ => SmtpConnection::connect(addr, Some(server.timeout), &hello, None, None)?,
    };
    if server.tls == Tls::Starttls {
        // Never fall back to plain text: the password and the agendas would travel in clear.
        conn.starttls(&tls()?, &hello)?;
    }
    if let Some((user, password)) = &server.login {
        conn.auth(
            &[Mechanism::Plain, Mechanism::Login],
            &Credentials::new(user.clone(), password.clone()),
        )?;
    }
    Ok(conn)
}

/// Whether a plain-text login is acceptable: only to this machine.
pub(crate) fn is_loopback(host: &str) -> bool {
    (host, 0)
        .to_socket_addrs()
        .is_ok_and(|mut a| a.all(|a| a.ip().is_loopback()))
}

fn words(e: &SmtpError) -> String {
    let s = e.to_string();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Sends `todo` (indices into `drafts`) one by one, logging every step.
pub(crate) fn send(
    server: &Server,
    sender: &Sender,
    drafts: &[Draft],
    todo: &[usize],
    rate_per_minute: u32,
    log: &mut Log,
    quiet: bool,
) -> Result<HashMap<usize, Delivery>> {
    let _ = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            // A second Ctrl-C: at once. A message going out is left `sending` in the log,
            // so it is never sent again by itself.
            std::process::exit(130);
        }
    });
    let bar = if quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let b =
            ProgressBar::with_draw_target(Some(todo.len() as u64), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} messages, {eta} left  {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    };
    let interval = Duration::from_secs_f64(60.0 / f64::from(rate_per_minute.max(1)));
    let started = Instant::now();
    let mut results = HashMap::new();
    let mut conn: Option<SmtpConnection> = None;
    let mut lost: Option<String> = None;
    for (k, &i) in todo.iter().enumerate() {
        let d = &drafts[i];
        let Due::Ready(to) = &d.due else { continue };
        if let Some(why) = &lost {
            results.insert(i, Delivery::NotSent(why.clone()));
            continue;
        }
        if STOP.load(Ordering::SeqCst) {
            results.insert(i, Delivery::NotSent("the run was stopped (Ctrl-C)".into()));
            continue;
        }
        // Rate: message k leaves no earlier than k intervals after the first.
        let due_at = started + interval * k as u32;
        if let Some(wait) = due_at.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        bar.set_message(d.id.as_str().to_string());
        if conn
            .as_ref()
            .is_none_or(lettre::transport::smtp::client::SmtpConnection::has_broken)
        {
            // One new connection per loss; if that fails too, the rest waits for another run.
            match connect(server) {
                Ok(c) => conn = Some(c),
                Err(e) => {
                    let why = format!(
                        "cannot connect to {}:{}: {}",
                        server.host,
                        server.port,
                        words(&e)
                    );
                    results.insert(i, Delivery::NotSent(why.clone()));
                    lost = Some(why);
                    continue;
                }
            }
        }
        let c = conn.as_mut().expect("connected above");
        let addr = to.as_ref();
        let log_row = |log: &mut Log, o: Outcome, detail: &str| {
            log.append(&d.message_id, d.id.as_str(), addr, o, detail)
        };
        // Envelope: nothing has left yet, whatever fails here.
        let envelope = c
            .command(Mail::new(Some(sender.address.clone()), vec![]))
            .and_then(|_| c.command(Rcpt::new(to.clone(), vec![])))
            .and_then(|_| c.command(Data));
        if let Err(e) = envelope {
            let result = if e.is_permanent() {
                log_row(log, Outcome::Refused, &words(&e))?;
                Delivery::Refused(words(&e))
            } else {
                log_row(log, Outcome::Failed, &words(&e))?;
                Delivery::NotSent(words(&e))
            };
            if e.is_permanent() || e.is_transient() {
                // The server answered: the connection is fine, the transaction is reset.
                if c.command(Rset).is_err() {
                    c.abort();
                }
            } else {
                c.abort();
            }
            results.insert(i, result);
            bar.inc(1);
            continue;
        }
        // The exactly-once boundary: from here the message may arrive.
        log_row(log, Outcome::Sending, "")?;
        let result = match c.message(&d.bytes) {
            Ok(r) => {
                let reply = r.message().collect::<Vec<_>>().join(" ");
                log_row(log, Outcome::Sent, &format!("{} {reply}", r.code()))?;
                Delivery::Sent
            }
            Err(e) if e.is_permanent() => {
                log_row(log, Outcome::Refused, &words(&e))?;
                Delivery::Refused(words(&e))
            }
            Err(e) if e.is_transient() => {
                log_row(log, Outcome::Failed, &words(&e))?;
                Delivery::NotSent(words(&e))
            }
            Err(e) => {
                c.abort();
                log_row(log, Outcome::Uncertain, &words(&e))?;
                Delivery::Uncertain(words(&e))
            }
        };
        results.insert(i, result);
        bar.inc(1);
    }
    if let Some(mut c) = conn {
        if !c.has_broken() {
            let _ = c.quit();
        }
    }
    bar.finish_and_clear();
    Ok(results)
}

/// Indices of the drafts this run sends: ready, and not settled in the log, or named by
/// `--resend`.
pub(crate) fn todo(
    drafts: &[Draft],
    history: &HashMap<String, History>,
    resend: &HashSet<usize>,
) -> Vec<usize> {
    (0..drafts.len())
        .filter(|&i| matches!(drafts[i].due, Due::Ready(_)))
        .filter(|&i| {
            resend.contains(&i)
                || !history
                    .get(&drafts[i].message_id)
                    .is_some_and(|h| h.settled())
        })
        .collect()
}
