//! `mail/sent.csv`: the append-only log of what `mail --send` did, one row per step, flushed
//! and fsynced before the next step, so that a crash or a lost connection never loses a
//! delivery from it.
//!
//! The rule (at most once): a message's row `sending` is written (and fsynced) after the
//! server accepted MAIL FROM, RCPT TO and DATA, right before the message itself goes out;
//! `sent` after the server's 250 for it. A message whose last row is `sending` (the run
//! died while it went out) or `uncertain` (the connection broke while it went out) may have
//! arrived: it is never sent again by itself, only with `--resend`. Any other failure
//! happened before the message left, so the next run sends it.

use crate::event::csvfile::csv_uncell;
use crate::export::text::csv_cell;
use crate::export::OutFile;
use anyhow::{bail, Context, Result};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The log, relative to the plan folder.
pub(crate) const LOG: &str = "mail/sent.csv";
const LOCK: &str = "mail/.lock";
const HEADER: [&str; 6] = [
    "time",
    "message_id",
    "participant",
    "address",
    "outcome",
    "detail",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The message is going out (the server said 354 to DATA).
    Sending,
    /// The server accepted it (250).
    Sent,
    /// The connection broke while the message went out: it may have arrived.
    Uncertain,
    /// The server refused it for good (5xx): not delivered.
    Refused,
    /// Not delivered: a temporary refusal (4xx) or the connection was lost before it left.
    Failed,
    /// The participant has no e-mail address.
    NoAddress,
    /// The participant's address is not one.
    BadAddress,
}

impl Outcome {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Outcome::Sending => "sending",
            Outcome::Sent => "sent",
            Outcome::Uncertain => "uncertain",
            Outcome::Refused => "refused",
            Outcome::Failed => "failed",
            Outcome::NoAddress => "no_address",
            Outcome::BadAddress => "bad_address",
        }
    }

    fn parse(s: &str) -> Option<Outcome> {
        [
            Outcome::Sending,
            Outcome::Sent,
            Outcome::Uncertain,
            Outcome::Refused,
            Outcome::Failed,
            Outcome::NoAddress,
            Outcome::BadAddress,
        ]
        .into_iter()
        .find(|o| o.word() == s)
    }
}

/// What the log says of one message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct History {
    /// A `sent` row: the server took it.
    pub delivered: bool,
    /// The last attempt is `sending` or `uncertain`: it may have arrived.
    pub uncertain: bool,
}

impl History {
    /// Sent again only with `--resend`.
    pub(crate) fn settled(self) -> bool {
        self.delivered || self.uncertain
    }
}

/// The history of every message in the log of the plan folder `dir` (none without a log).
pub(crate) fn read(dir: &Path) -> Result<HashMap<String, History>> {
    let path = dir.join(LOG);
    let mut out: HashMap<String, History> = HashMap::new();
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    // A last line without its line end was torn by a crash while being written: the step it
    // records was not confirmed, so it is left out (its `sending` row, if any, stands).
    let whole = match bytes.iter().rposition(|&b| b == b'\n') {
        Some(i) => &bytes[..=i],
        None => &bytes[..0],
    };
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(whole);
    for (k, row) in r.records().enumerate() {
        let row = row.with_context(|| format!("{}: line {}", path.display(), k + 2))?;
        let (Some(id), Some(outcome)) = (row.get(1), row.get(4).and_then(Outcome::parse)) else {
            continue;
        };
        let h = out.entry(csv_uncell(id).to_string()).or_default();
        match outcome {
            Outcome::Sent => {
                h.delivered = true;
                h.uncertain = false;
            }
            Outcome::Sending | Outcome::Uncertain => h.uncertain = true,
            _ => h.uncertain = false,
        }
    }
    Ok(out)
}

/// The open log of a sending run. It holds the plan folder's mail lock: two runs never send
/// from one folder at once.
pub(crate) struct Log {
    file: File,
    path: PathBuf,
    _lock: File,
}

impl Log {
    pub(crate) fn open(dir: &Path) -> Result<Log> {
        let path = dir.join(LOG);
        let folder = path.parent().unwrap_or(dir);
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK))
            .with_context(|| format!("cannot open {}", dir.join(LOCK).display()))?;
        if lock.try_lock().is_err() {
            bail!(
                "another `t4s-schedule mail --send` is sending from {}; wait for it to finish",
                dir.display()
            );
        }
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        let len = file.metadata()?.len();
        if len == 0 {
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new());
            w.write_record(HEADER)?;
            file.write_all(&w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)?;
        } else {
            // After a torn line, start a fresh one.
            let mut last = [0u8];
            file.seek(SeekFrom::Start(len - 1))?;
            file.read_exact(&mut last)?;
            if last[0] != b'\n' {
                file.write_all(b"\r\n")?;
            }
        }
        file.sync_all()?;
        Ok(Log {
            file,
            path,
            _lock: lock,
        })
    }

    /// Appends one row and makes it durable before returning.
    pub(crate) fn append(
        &mut self,
        message_id: &str,
        participant: &str,
        address: &str,
        outcome: Outcome,
        detail: &str,
    ) -> Result<()> {
        let time = jiff::Timestamp::now()
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let detail: String = detail.chars().filter(|c| !c.is_control()).collect();
        w.write_record(
            [
                time.as_str(),
                message_id,
                participant,
                address,
                outcome.word(),
                &detail,
            ]
            .map(csv_cell),
        )?;
        let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
        self.file
            .write_all(&bytes)
            .and_then(|_| self.file.sync_data())
            .with_context(|| format!("cannot write {}", self.path.display()))
    }
}

/// The log of an output folder about to be replaced by `plan` or `replan`, to keep in the
/// new one: what was sent stays on record.
pub(crate) fn carry(out: &Path) -> Result<Option<OutFile>> {
    let path = out.join(LOG);
    if !out.join(crate::export::MARKER).is_file() || !path.is_file() {
        return Ok(None);
    }
    let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Some(OutFile {
        path: LOG.to_string(),
        bytes,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_tells_delivered_uncertain_and_retryable() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut log = Log::open(dir.path()).unwrap();
            // A second run cannot send from the same folder meanwhile.
            assert!(Log::open(dir.path()).is_err());
            log.append("<a>", "A", "a@x.org", Outcome::Sending, "")
                .unwrap();
            log.append("<a>", "A", "a@x.org", Outcome::Sent, "250 ok")
                .unwrap();
            log.append("<b>", "B", "b@x.org", Outcome::Sending, "")
                .unwrap();
            log.append("<c>", "C", "c@x.org", Outcome::Refused, "550 no")
                .unwrap();
            log.append("<d>", "D", "d@x.org", Outcome::Sending, "")
                .unwrap();
            log.append("<d>", "D", "d@x.org", Outcome::Uncertain, "eof")
                .unwrap();
            log.append("<e>", "E", "", Outcome::NoAddress, "").unwrap();
        }
        // A crash while writing the next row leaves a torn line.
        let mut f = OpenOptions::new()
            .append(true)
            .open(dir.path().join(LOG))
            .unwrap();
        f.write_all(b"2027-01-01T00:00:00Z,<c>,C,c@x.org,se")
            .unwrap();
        drop(f);
        let h = read(dir.path()).unwrap();
        assert!(h["<a>"].delivered && !h["<a>"].uncertain);
        assert!(h["<b>"].uncertain && h["<b>"].settled());
        assert!(!h["<c>"].settled(), "refused: not delivered, tried again");
        assert!(h["<d>"].uncertain);
        assert!(!h["<e>"].settled());
        // Appending after the torn line starts a new one.
        let mut log = Log::open(dir.path()).unwrap();
        log.append("<c>", "C", "c@x.org", Outcome::Sending, "")
            .unwrap();
        log.append("<c>", "C", "c@x.org", Outcome::Sent, "")
            .unwrap();
        drop(log);
        assert!(read(dir.path()).unwrap()["<c>"].delivered);
        let text = std::fs::read_to_string(dir.path().join(LOG)).unwrap();
        assert!(text.starts_with("time,message_id,participant,address,outcome,detail\r\n"));
        assert!(text.contains(",se\r\n"), "{text}");
    }
}
