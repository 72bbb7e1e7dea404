//! Command-line arguments (clap derive), one struct per subcommand, and their checked form.

use crate::error::{Error, Result};
use crate::export::Format;
use crate::lang::Lang;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Meeting scheduler for B2B matchmaking events: CSV files in, agendas out.
#[derive(Parser, Debug)]
#[command(name = "t4s-schedule", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Plan the meetings of an event and write the schedule, agendas and report.
    Plan(PlanArgs),
    /// Load and check an event only; print what it holds and what predicts trouble.
    Validate(ValidateArgs),
    /// Write a small example event into DIR, as a template to fill in.
    Init(InitArgs),
    /// Check a schedule (possibly edited by hand) against the event's rules.
    Check(CheckArgs),
    /// Re-plan after cancellations and edits, keeping the announced meetings that still work.
    Replan(ReplanArgs),
    /// Write a plan folder's agendas again: other formats, another language or time zone.
    Export(ExportArgs),
    /// E-mail every participant their agenda and calendar invitation (after a re-plan, only
    /// the changes to those affected): written to PLAN/mail/outbox/, delivered with --send.
    Mail(MailArgs),
}

#[derive(Args, Debug)]
pub struct MailArgs {
    /// A plan folder written by `plan` or `replan`.
    pub plan: PathBuf,
    /// Deliver the messages over SMTP; without it they are only written for review.
    #[arg(long)]
    pub send: bool,
    /// Send this message again (a participant id or a Message-ID), even if the log holds it as
    /// sent or possibly sent; repeatable.
    #[arg(long, value_name = "ID", requires = "send")]
    pub resend: Vec<String>,
    /// SMTP server [default: smtp_host of event.toml / event.csv].
    #[arg(long, value_name = "HOST")]
    pub smtp_host: Option<String>,
    /// SMTP port [default: smtp_port, else 587 for starttls, 465 for tls, 25 for none].
    #[arg(long, value_name = "PORT")]
    pub smtp_port: Option<u16>,
    /// Connection security [default: smtp_tls, else starttls].
    #[arg(long, value_enum)]
    pub tls: Option<crate::mail::send::Tls>,
    /// SMTP login [default: smtp_user]; the password comes from T4S_SMTP_PASSWORD or a prompt.
    #[arg(long, value_name = "USER")]
    pub smtp_user: Option<String>,
    /// Sender, "Name <address>" or an address [default: from of event.toml / event.csv].
    #[arg(long, value_name = "ADDRESS")]
    pub from: Option<String>,
    /// At most N messages per minute.
    #[arg(long, default_value_t = 30, value_name = "N")]
    pub rate: u32,
    /// Language of participants none of whose `languages` the tool speaks [default: en].
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// IANA time zone of the event's times, for calendars [default: the event's, else
    /// Europe/Rome].
    #[arg(long, value_name = "TZ")]
    pub timezone: Option<String>,
    /// The event folder [default: the copy the plan keeps in PLAN/input].
    #[arg(long, value_name = "DIR")]
    pub event: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Language and time zone of the printed and calendar outputs.
#[derive(Args, Debug, Clone)]
pub struct StyleArgs {
    /// Language of agendas, floor sheets, calendars and report.html (CSV headers stay English);
    /// `auto`: each participant's agenda, calendar and notices in their first language the
    /// tool has labels for, else English; floor sheets and report.html in English.
    #[arg(long, value_enum, default_value = "auto")]
    pub lang: Lang,
    /// IANA time zone of the event's times, for calendars [default: event.csv's timezone,
    /// else Europe/Rome].
    #[arg(long, value_name = "TZ")]
    pub timezone: Option<String>,
    /// Booklet for two-sided printing: every participant starts on a front page (a page for
    /// notes after an agenda of an odd number of pages).
    #[arg(long)]
    pub duplex: bool,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// A plan folder written by `plan` or `replan`.
    pub plan: PathBuf,
    /// Formats to write, comma-separated.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "csv,md,html,ics,xlsx"
    )]
    pub format: Vec<Format>,
    #[command(flatten)]
    pub style: StyleArgs,
    /// The event folder or workbook [default: the copy the plan keeps in PLAN/input].
    #[arg(long, value_name = "DIR")]
    pub event: Option<PathBuf>,
    /// Write the files into this folder instead of updating PLAN.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ReplanArgs {
    #[command(flatten)]
    pub plan: PlanArgs,
    /// The announced schedule (schedule.csv or schedule.xlsx of the previous plan, possibly
    /// edited by hand or re-saved by Excel).
    #[arg(long, value_name = "SCHEDULE")]
    pub previous: PathBuf,
    /// Meetings starting before this moment ("YYYY-MM-DD HH:MM") happened: they never change,
    /// and no new meeting is placed before it.
    #[arg(long, value_name = "WHEN")]
    pub frozen_until: Option<String>,
    /// Let still-valid meetings move (each move costs --move-penalty value) for a fuller plan.
    #[arg(long)]
    pub allow_moves: bool,
    /// Value one move costs with --allow-moves (a high-interest side is worth 3).
    #[arg(long, default_value_t = 3, value_name = "VALUE")]
    pub move_penalty: u32,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Event folder or workbook.
    pub event: PathBuf,
    /// The schedule to check (schedule.csv or schedule.xlsx).
    pub schedule: PathBuf,
}

#[derive(Args, Debug)]
pub struct PlanArgs {
    /// Event folder (slots, buyers, firms, preferences [, tables] as CSV files or workbooks) or
    /// one workbook with a sheet per list.
    #[arg(default_value = "data")]
    pub event: PathBuf,
    /// Output folder; replaced atomically when the plan is complete.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// Seconds the search may take; the best plan found is written with its status.
    #[arg(long, default_value_t = 60.0, value_name = "SECS")]
    pub time_limit: f64,
    /// Fairness: at most D more breaks for any participant than for any other.
    #[arg(long, value_name = "D")]
    pub max_break_spread: Option<u32>,
    /// No progress display.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub style: StyleArgs,
}

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Event folder or workbook.
    #[arg(default_value = "data")]
    pub event: PathBuf,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Folder to create (must not exist, or be empty).
    pub dir: PathBuf,
}

/// `plan`'s arguments, checked before any work.
#[derive(Debug)]
pub struct PlanConfig {
    pub event: PathBuf,
    pub out: PathBuf,
    pub time_limit: f64,
    pub max_break_spread: Option<u32>,
    pub quiet: bool,
    pub lang: Lang,
    /// Checked IANA name, when given.
    pub timezone: Option<String>,
    pub duplex: bool,
}

/// `--timezone`, checked against the bundled time zone database.
pub fn check_timezone(tz: Option<&str>) -> Result<Option<String>> {
    match tz {
        None => Ok(None),
        Some(t) => crate::event::info::check_timezone(t)
            .map(Some)
            .map_err(|m| {
                Error::usage(format!(
                    "--timezone: {m}; {}",
                    crate::event::info::TIMEZONE_HINT
                ))
            }),
    }
}

impl PlanConfig {
    pub fn new(a: PlanArgs) -> Result<Self> {
        if !a.time_limit.is_finite() || a.time_limit <= 0.0 || a.time_limit > 7.0 * 86_400.0 {
            return Err(Error::usage(format!(
                "--time-limit must be a number of seconds above 0 and at most a week (got {})",
                a.time_limit
            )));
        }
        let same = |x: &PathBuf, y: &PathBuf| match (x.canonicalize(), y.canonicalize()) {
            (Ok(x), Ok(y)) => x == y || x.starts_with(&y),
            _ => false,
        };
        if same(&a.event, &a.out) || same(&a.out, &a.event) {
            return Err(Error::usage(format!(
                "--out {} would replace the event folder {}; choose another output folder",
                a.out.display(),
                a.event.display()
            )));
        }
        let timezone = check_timezone(a.style.timezone.as_deref())?;
        Ok(PlanConfig {
            lang: a.style.lang,
            duplex: a.style.duplex,
            timezone,
            event: a.event,
            out: a.out,
            time_limit: a.time_limit,
            max_break_spread: a.max_break_spread,
            quiet: a.quiet,
        })
    }
}
