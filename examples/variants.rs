//! Variants of the JAIR 2022 events as organisers produce them every day (issue #16), written
//! to a folder outside the repository for `examples/bench -- --variants DIR`:
//!
//! - `pinned/NAME`: a plan of the event is made with the built `t4s-schedule` (30 s, the
//!   fairness of the benchmarks, D = 2), then a random fifth of its meetings is pinned to its
//!   slot, written as the pair's `when` = that one slot in preferences.csv (what a re-plan's
//!   kept meeting amounts to: the pair may use that slot and no other). Always feasible.
//! - `late/NAME`: the same, but the plan pinned from is one made before a tenth of the requests
//!   arrived (those rows left out of the event it plans), as when requests are added at the
//!   bottom of the list after meetings were announced: the pins then come from a plan that is
//!   not optimal for the event as it stands, and can force breaks. May be infeasible: a pin can
//!   take a slot a late request needed (a seed-1 late forum-14 has a participant with 14
//!   meetings that can only be held in the 12 morning slots, ten by their `when` and four by
//!   their pins).
//! - `unavailable/NAME`: every participant-slot is forbidden with a small probability (3 % by
//!   default), added to the participant's `unavailable` list. May be infeasible (the JAIR
//!   agendas are nearly full: most are).
//! - `scattered/NAME`: the same at a third of that probability (1 %), so that more stay
//!   feasible.
//!
//! Seeded (SplitMix64 on the seed and the event's name), so the same command writes the same
//! files, except for the pinned and late events: the plan they pin from can differ from one
//! machine or run to the next (mostly where it was not proven optimal within the time limit).
//! The events are read from `../shared/benchmarks/jair2022` (or `--shared DIR`), never copied
//! into the repository.
//!
//!     cargo build --release --examples && target/release/examples/variants OUT_DIR
//!         [--seed 1] [--pin-fraction 0.2] [--unavailable 0.03] [--time-limit 30] [--only NAME]
//!         [--shared DIR]

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

struct Rng(u64);

impl Rng {
    fn new(seed: u64, name: &str) -> Self {
        // FNV-1a of the name, mixed with the seed.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in name.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        Rng(h ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn binary() -> PathBuf {
    let exe = std::env::current_exe().expect("own path");
    let dir = exe.parent().and_then(Path::parent).expect("target/release");
    dir.join("t4s-schedule")
}

/// A comma-separated file as header + rows (the JAIR conversion writes plain `,` CSV).
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("row").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn write_csv(path: &Path, header: &[String], rows: &[Vec<String>]) {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    w.write_record(header).expect("write");
    for r in rows {
        w.write_record(r).expect("write");
    }
    w.flush().expect("flush");
}

fn copy_event(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create variant folder");
    for e in std::fs::read_dir(from).expect("event folder") {
        let e = e.expect("entry");
        if e.path().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).expect("copy");
        }
    }
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// Pins a random fraction of a plan's meetings to their slot through the pair's `when`. With
/// `late` > 0, the plan is made without that fraction of the requests (drawn at random), as
/// before they arrived.
fn pinned(
    event: &Path,
    out: &Path,
    name: &str,
    seed: u64,
    fraction: f64,
    late: f64,
    limit: &str,
) -> usize {
    let plan = tempfile::tempdir().expect("temp dir");
    let earlier = plan.path().join("earlier");
    copy_event(event, &earlier);
    if late > 0.0 {
        let (ph, prefs) = read_csv(&event.join("preferences.csv"));
        let mut rng = Rng::new(seed ^ 0x1a7e, name);
        let kept: Vec<Vec<String>> = prefs.into_iter().filter(|_| rng.unit() >= late).collect();
        write_csv(&earlier.join("preferences.csv"), &ph, &kept);
    }
    let ok = Command::new(binary())
        .arg("plan")
        .arg(&earlier)
        .arg("--out")
        .arg(plan.path().join("out"))
        .args(["--quiet", "--time-limit", limit, "--max-break-spread", "2"])
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "{name}: planning failed (cargo build --release first)");
    let (sh, rows) = read_csv(&plan.path().join("out/schedule.csv"));
    let (a, b, slot) = (
        col(&sh, "participant_a"),
        col(&sh, "participant_b"),
        col(&sh, "slot"),
    );
    let mut rng = Rng::new(seed, name);
    let mut pins: HashMap<(String, String), String> = HashMap::new();
    for r in &rows {
        if rng.unit() < fraction {
            let (x, y) = (r[a].clone(), r[b].clone());
            let key = if x < y { (x, y) } else { (y, x) };
            pins.insert(key, r[slot].clone());
        }
    }
    copy_event(event, out);
    let (ph, mut prefs) = read_csv(&event.join("preferences.csv"));
    let (from, to, when) = (col(&ph, "from"), col(&ph, "to"), col(&ph, "when"));
    let mut n = 0;
    for r in &mut prefs {
        let (x, y) = (r[from].clone(), r[to].clone());
        let key = if x < y { (x, y) } else { (y, x) };
        if let Some(s) = pins.remove(&key) {
            r[when] = s;
            n += 1;
        }
    }
    write_csv(&out.join("preferences.csv"), &ph, &prefs);
    n
}

/// Forbids each participant-slot with probability `p` (added to `unavailable`).
fn unavailable(event: &Path, out: &Path, name: &str, seed: u64, p: f64) -> usize {
    copy_event(event, out);
    let (_, slots) = read_csv(&event.join("slots.csv"));
    let mut rng = Rng::new(seed ^ 0x5eed_0ff5, name);
    let mut n = 0;
    for file in ["buyers.csv", "firms.csv"] {
        let (mut h, mut rows) = read_csv(&event.join(file));
        if rows.is_empty() {
            continue;
        }
        let u = match h.iter().position(|c| c == "unavailable") {
            Some(u) => u,
            None => {
                h.push("unavailable".into());
                for r in &mut rows {
                    r.push(String::new());
                }
                h.len() - 1
            }
        };
        for r in &mut rows {
            let mut list: Vec<String> = r[u]
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            for s in &slots {
                if rng.unit() < p && !list.contains(&s[0]) {
                    list.push(s[0].clone());
                    n += 1;
                }
            }
            r[u] = list.join(";");
        }
        write_csv(&out.join(file), &h, &rows);
    }
    n
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let Some(out) = args.first().filter(|a| !a.starts_with("--")) else {
        eprintln!("usage: variants OUT_DIR [--seed N] [--pin-fraction F] [--unavailable P] [--time-limit S] [--only NAME] [--shared DIR]");
        std::process::exit(2);
    };
    let out = PathBuf::from(out);
    let seed: u64 = flag("--seed").map_or(1, |s| s.parse().expect("--seed N"));
    let fraction: f64 =
        flag("--pin-fraction").map_or(0.2, |s| s.parse().expect("--pin-fraction F"));
    let p: f64 = flag("--unavailable").map_or(0.03, |s| s.parse().expect("--unavailable P"));
    let limit = flag("--time-limit").unwrap_or_else(|| "30".into());
    let only = flag("--only");
    let shared = flag("--shared").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/benchmarks"),
        PathBuf::from,
    );
    let root = shared.join("jair2022");
    let Ok(entries) = std::fs::read_dir(&root) else {
        eprintln!("{} is absent: no variants", root.display());
        std::process::exit(1);
    };
    let names: BTreeMap<String, PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| only.as_ref().is_none_or(|o| o == n))
        .collect();
    for (name, dir) in &names {
        let pins = pinned(
            dir,
            &out.join("pinned").join(name),
            name,
            seed,
            fraction,
            0.0,
            &limit,
        );
        let late = pinned(
            dir,
            &out.join("late").join(name),
            name,
            seed,
            fraction,
            0.1,
            &limit,
        );
        let cuts = unavailable(dir, &out.join("unavailable").join(name), name, seed, p);
        let few = unavailable(dir, &out.join("scattered").join(name), name, seed, p / 3.0);
        println!(
            "{name}: {pins} meetings pinned ({late} from an earlier plan); \
             {cuts} participant-slots made unavailable ({few} scattered)"
        );
    }
}
