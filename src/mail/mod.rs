//! `mail`: every participant's (and interpreter's) agenda and calendar invitation by e-mail,
//! and after a re-plan only the changes to those affected. `compose` makes the messages, `outbox` writes them for
//! review under `PLAN/mail/outbox/`, `send` delivers them over SMTP and `log` keeps
//! `PLAN/mail/sent.csv`, which makes a repeated run send only what was not sent.

pub(crate) mod compose;
pub(crate) mod log;
pub(crate) mod send;

use crate::event::{Event, InterpId, PartId};
use crate::export::text::csv_bytes;
use crate::export::OutFile;
use crate::lang::Lang;
use lettre::Address;

/// Who sends: the organiser's name and the sender address (also the invitations' ORGANIZER).
pub(crate) struct Sender {
    pub name: String,
    pub address: Address,
}

/// Whether a message can go to its participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Due {
    Ready(Address),
    /// The participant's `email` is empty.
    NoAddress,
    /// The participant's `email` is not an address (why).
    BadAddress(String),
}

/// Whom a message goes to. Ids are unique across participants and interpreters (checked at
/// load time), so a draft's `id` alone names it in the outbox, the log and `--resend`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Recipient {
    Participant(PartId),
    Interpreter(InterpId),
}

impl Recipient {
    /// The recipient's name and (untrimmed) e-mail cell.
    pub(crate) fn name_email(self, event: &Event) -> (&str, &str) {
        match self {
            Recipient::Participant(p) => {
                let me = event.part(p);
                (&me.name, &me.email)
            }
            Recipient::Interpreter(k) => {
                let me = event.interpreter(k);
                (&me.name, &me.email)
            }
        }
    }
}

/// One participant's (or interpreter's) message.
pub(crate) struct Draft {
    pub recipient: Recipient,
    pub id: String,
    pub lang: Lang,
    /// `<...>`, stable per plan and participant.
    pub message_id: String,
    /// A re-plan's update (else the whole agenda).
    pub update: bool,
    pub due: Due,
    /// The message (RFC 5322), empty without a usable address.
    pub bytes: Vec<u8>,
}

impl Draft {
    pub(crate) fn address(&self) -> &str {
        match &self.due {
            Due::Ready(a) => a.as_ref(),
            _ => "",
        }
    }
}

/// The outbox folder, relative to the plan folder.
pub(crate) const OUTBOX: &str = "mail/outbox";

/// The outbox's files: `<id>.eml` per message, and `messages.csv` listing every participant
/// and interpreter due a message (the `participant` column holds either's id), with its
/// address problem if any (so that nobody is skipped silently).
pub(crate) fn outbox(drafts: &[Draft], event: &Event) -> anyhow::Result<Vec<OutFile>> {
    let mut files = Vec::new();
    let rows = drafts.iter().map(|d| {
        let (name, email) = d.recipient.name_email(event);
        let (status, detail) = match &d.due {
            Due::Ready(_) => ("ready", String::new()),
            Due::NoAddress => ("no_address", String::new()),
            Due::BadAddress(why) => ("bad_address", format!("'{}': {why}", email.trim())),
        };
        vec![
            d.id.clone(),
            name.to_string(),
            email.trim().to_string(),
            d.lang.labels().code.to_string(),
            if d.update { "update" } else { "agenda" }.to_string(),
            d.message_id.clone(),
            if d.bytes.is_empty() {
                String::new()
            } else {
                format!("{}.eml", d.id)
            },
            status.to_string(),
            detail,
        ]
    });
    files.push(OutFile {
        path: "messages.csv".into(),
        bytes: csv_bytes(
            &[
                "participant",
                "name",
                "email",
                "language",
                "kind",
                "message_id",
                "file",
                "status",
                "detail",
            ],
            rows,
        )?,
    });
    for d in drafts.iter().filter(|d| !d.bytes.is_empty()) {
        files.push(OutFile {
            path: format!("{}.eml", d.id),
            bytes: d.bytes.clone(),
        });
    }
    Ok(files)
}
