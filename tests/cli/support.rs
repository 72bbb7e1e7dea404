//! A small builder for test events (like just's `Test`): a temporary folder holding an event
//! folder `ev/`, and the real binary run inside it, so messages show short relative paths.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub const SLOTS: &str = "id,day,start,end\n\
S1,2027-03-10,09:00,09:20\n\
S2,2027-03-10,09:20,09:40\n\
S3,2027-03-10,09:40,10:00\n\
S4,2027-03-10,10:00,10:20\n";
pub const BUYERS: &str =
    "id,name,company,country\nB1,Anna,Schmidt GmbH,Germany\nB2,Pierre,Martin SARL,France\n";
pub const FIRMS: &str = "id,name,table\nF1,Bianchi,T1\nF2,Lucchesi,T2\nF3,Nardi,T3\n";
pub const TABLES: &str = "id\nT1\nT2\nT3\n";
pub const PREFS: &str = "from,to,interest\nB1,F1,high\nB1,F2,\nB2,F1,low\nB2,F3,high\nF3,B2,high\n";

pub struct TestEvent {
    pub root: tempfile::TempDir,
}

impl TestEvent {
    /// A small valid event.
    pub fn new() -> Self {
        TestEvent::empty()
            .file("slots.csv", SLOTS)
            .file("buyers.csv", BUYERS)
            .file("firms.csv", FIRMS)
            .file("tables.csv", TABLES)
            .file("preferences.csv", PREFS)
    }

    pub fn empty() -> Self {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("ev")).unwrap();
        TestEvent { root }
    }

    /// A copy of an event folder of the repository (e.g. `data`).
    pub fn copy_of(dir: &str) -> Self {
        let t = TestEvent::empty();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        for e in std::fs::read_dir(src).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), t.ev().join(e.file_name())).unwrap();
        }
        t
    }

    pub fn file(self, name: &str, text: &str) -> Self {
        self.bytes(name, text.as_bytes())
    }

    pub fn bytes(self, name: &str, bytes: &[u8]) -> Self {
        std::fs::write(self.ev().join(name), bytes).unwrap();
        self
    }

    pub fn without(self, name: &str) -> Self {
        std::fs::remove_file(self.ev().join(name)).unwrap();
        self
    }

    pub fn ev(&self) -> PathBuf {
        self.root.path().join("ev")
    }

    pub fn out(&self) -> PathBuf {
        self.root.path().join("out")
    }

    /// The binary, run in the temporary folder.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("t4s-schedule").unwrap();
        c.current_dir(self.root.path());
        // Calendars carry the time they were written; pinned, every output is reproducible.
        c.env("SOURCE_DATE_EPOCH", "1800000000");
        c
    }

    /// `plan ev --out out`, quiet, with a short time limit.
    pub fn plan(&self) -> Command {
        let mut c = self.cmd();
        c.args([
            "plan",
            "ev",
            "--out",
            "out",
            "--quiet",
            "--time-limit",
            "20",
        ]);
        c
    }

    /// `replan ev --previous prev.csv --out out`, quiet, with a short time limit.
    pub fn replan(&self) -> Command {
        let mut c = self.cmd();
        c.args([
            "replan",
            "ev",
            "--previous",
            "prev.csv",
            "--out",
            "out",
            "--quiet",
            "--time-limit",
            "20",
        ]);
        c
    }

    pub fn read_out(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Plans and asserts success and a schedule the independent checker accepts.
    pub fn plan_valid(&self) -> String {
        let out = self.plan().assert().success().get_output().stdout.clone();
        let errs = crate::checker::check(&self.ev(), &self.out().join("schedule.csv"));
        assert!(errs.is_empty(), "checker: {errs:#?}");
        String::from_utf8(out).unwrap()
    }
}

/// Every file under `dir`, relative path → bytes.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The rows of schedule.csv in `out`, as (slot, table, a, b).
pub fn meetings(out: &Path) -> Vec<(String, String, String, String)> {
    crate::checker::read_rows(&out.join("schedule.csv"))
        .into_iter()
        .map(|r| {
            (
                r["slot"].clone(),
                r["table"].clone(),
                r["participant_a"].clone(),
                r["participant_b"].clone(),
            )
        })
        .collect()
}
