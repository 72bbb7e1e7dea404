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

    /// `plan ev --out out`, quiet. The test events end by proof in seconds; the limit is
    /// generous so that a loaded machine does not end a run by time (outputs are then
    /// byte-identical run after run, and "optimal" is what the tests expect).
    pub fn plan(&self) -> Command {
        let mut c = self.cmd();
        c.args([
            "plan",
            "ev",
            "--out",
            "out",
            "--quiet",
            "--time-limit",
            "300",
        ]);
        c
    }

    /// `replan ev --previous prev.csv --out out`, quiet, with the same generous limit.
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
            "300",
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

/// A generated brokerage event, large and over-subscribed enough that no search proves it in
/// seconds: `buyers` × `firms` with fixed tables, two sessions of ten slots, fourteen wishes per
/// buyer skewed towards popular firms, some unavailability, and a few required pairs (each with
/// another firm, so that they always fit).
pub fn large_event(buyers: usize, firms: usize, seed: u64) -> TestEvent {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move |n: usize| -> usize {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let mut slots = String::from("id,day,start,end\n");
    for (k, from) in [(0, 9 * 60), (1, 14 * 60)] {
        for i in 0..10 {
            let t = from + 20 * i;
            slots += &format!(
                "S{k}{i},2027-03-10,{:02}:{:02},{:02}:{:02}\n",
                t / 60,
                t % 60,
                (t + 20) / 60,
                (t + 20) % 60
            );
        }
    }
    let mut buyer_rows = String::from("id,name,company,country,unavailable\n");
    for b in 0..buyers {
        let un = if next(5) == 0 { "S00;S01" } else { "" };
        buyer_rows += &format!("B{b},Buyer {b},Company {b},DE,{un}\n");
    }
    let mut firm_rows = String::from("id,name,table\n");
    let mut tables = String::from("id\n");
    for f in 0..firms {
        firm_rows += &format!("F{f},Firm {f},T{f}\n");
        tables += &format!("T{f}\n");
    }
    let mut prefs = String::from("from,to,interest,organiser\n");
    for b in 0..buyers {
        let mut wished = std::collections::BTreeSet::new();
        if b < firms / 4 {
            wished.insert(b % firms);
            prefs += &format!("B{b},F{},high,required\n", b % firms);
        }
        while wished.len() < 14.min(firms) {
            // Half the wishes go to the first fifth of the firms: the popular ones.
            let f = if next(2) == 0 {
                next(firms / 5 + 1)
            } else {
                next(firms)
            };
            if wished.insert(f) {
                let interest = ["high", "medium", "low"][next(3)];
                prefs += &format!("B{b},F{f},{interest},\n");
            }
        }
    }
    TestEvent::empty()
        .file("slots.csv", &slots)
        .file("buyers.csv", &buyer_rows)
        .file("firms.csv", &firm_rows)
        .file("tables.csv", &tables)
        .file("preferences.csv", &prefs)
}
