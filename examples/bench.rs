//! Benchmark: runs the built `t4s-schedule` on the JAIR 2022 events (read from
//! `../shared/benchmarks/jair2022`, never copied) and on generated scale events, re-validates
//! every plan with the tests' independent checker, and prints one Markdown row per instance:
//! meetings, breaks, bound, gap, wall time, peak memory, and the published optimum.
//!
//!     cargo build --release && cargo run --release --example bench -- [--time-limit 60]
//!         [--max-break-spread 2|none] [--only NAME] [--scale] [--variants DIR] [--shared DIR]
//!
//! `--variants DIR` also runs the events `examples/variants` wrote there (DIR/pinned/NAME,
//! DIR/late/NAME, DIR/unavailable/NAME, DIR/scattered/NAME): an infeasible variant counts as
//! solved when the tool proves it, and its row gives the reason. `--shared DIR` names the
//! benchmarks folder (default `../shared/benchmarks`). `--max-break-spread none` plans
//! without fairness, as `plan` does by default; the published optima are those with fairness
//! (d = 2), which the optimum without it can only equal or beat, so a negative gap is no error.

#[path = "../tests/cli/checker.rs"]
#[allow(dead_code)]
mod checker;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

struct Run {
    meetings: String,
    breaks: String,
    bound: String,
    status: String,
    /// "value 4611 of bound 4611 (optimal)" as the summary prints it.
    value: String,
    /// The summary's status line in full.
    status_line: String,
    seconds: f64,
    peak_mib: f64,
    valid: bool,
    /// Proven infeasible: the first reason the tool gave.
    infeasible: Option<String>,
}

fn binary() -> PathBuf {
    let exe = std::env::current_exe().expect("own path");
    let dir = exe.parent().and_then(Path::parent).expect("target/release");
    dir.join("t4s-schedule")
}

/// Runs one plan in a child process and measures its wall time and peak memory (wait4).
fn run(event: &Path, extra: &[String]) -> Run {
    let out = tempfile::tempdir().expect("temp dir");
    let start = Instant::now();
    let child = Command::new(binary())
        .arg("plan")
        .arg(event)
        .arg("--out")
        .arg(out.path().join("out"))
        .arg("--quiet")
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run t4s-schedule (cargo build --release first)");
    let pid = child.id() as libc::pid_t;
    let output_thread = std::thread::spawn(move || {
        let mut child = child;
        let mut so = String::new();
        let mut se = String::new();
        use std::io::Read;
        child.stdout.take().unwrap().read_to_string(&mut so).ok();
        child.stderr.take().unwrap().read_to_string(&mut se).ok();
        std::mem::forget(child); // reaped by wait4 below
        (so, se)
    });
    let mut status = 0;
    // SAFETY: plain libc call on our own child's pid with valid out-pointers.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let seconds = start.elapsed().as_secs_f64();
    let (stdout, stderr) = output_thread.join().expect("reader");
    let field = |label: &str| -> String {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(label))
            .map(|r| r.trim().to_string())
            .unwrap_or_default()
    };
    let status_line = field("status:");
    let breaks = field("breaks:")
        .split_whitespace()
        .next()
        .unwrap_or("-")
        .to_string();
    let bound = if status_line.starts_with("optimal") {
        breaks.clone()
    } else if let Some(b) = status_line.split("lower bound of ").nth(1) {
        b.trim().to_string()
    } else if status_line.contains("breaks optimal") {
        breaks.clone()
    } else {
        "?".into()
    };
    let infeasible = stderr
        .contains("the required meetings cannot all be scheduled")
        .then(|| {
            stderr
                .lines()
                .find_map(|l| l.trim().strip_prefix("- "))
                .unwrap_or("")
                .to_string()
        });
    let valid = libc::WIFEXITED(status)
        && libc::WEXITSTATUS(status) == 0
        && checker::check(event, &out.path().join("out/schedule.csv")).is_empty();
    if !valid && infeasible.is_none() {
        eprintln!("{}: FAILED\n{stderr}", event.display());
    }
    Run {
        meetings: field("meetings scheduled:")
            .split_whitespace()
            .next()
            .unwrap_or("-")
            .to_string(),
        breaks,
        bound,
        status: if status_line.starts_with("optimal") {
            "optimal".into()
        } else if infeasible.is_some() {
            "infeasible (proven)".into()
        } else {
            "time limit".into()
        },
        value: field("value:"),
        status_line: status_line.clone(),
        seconds,
        peak_mib: usage.ru_maxrss as f64 / 1024.0,
        valid,
        infeasible,
    }
}

/// One Markdown row of the results table.
fn print_row(name: &str, optimum: &str, gap: &str, r: &Run) {
    println!(
        "| {name} | {} | {} | {} | {optimum} | {gap} | {} | {:.1} | {:.0} | {} |",
        r.meetings,
        r.breaks,
        r.bound,
        r.status,
        r.seconds,
        r.peak_mib,
        if r.valid { "valid" } else { "INVALID" }
    );
}

/// One row of the scale table: the value against its bound matters as much as the breaks.
fn print_scale_row(name: &str, r: &Run) {
    let (value, bound) = r
        .value
        .split_once(" of bound ")
        .map(|(v, b)| {
            (
                v.to_string(),
                b.split_whitespace().next().unwrap_or("").to_string(),
            )
        })
        .unwrap_or_default();
    let gap = match (value.parse::<f64>(), bound.parse::<f64>()) {
        (Ok(v), Ok(b)) if b > 0.0 => format!("{:.2} %", 100.0 * (b - v) / b),
        _ => "-".into(),
    };
    println!(
        "| {name} | {} | {value} | {bound} | {gap} | {} | {} | {:.1} | {:.0} | {} |",
        r.meetings,
        r.breaks,
        r.bound,
        r.seconds,
        r.peak_mib,
        if r.valid { "valid" } else { "INVALID" }
    );
    eprintln!("{name}: {}", r.status_line);
}

/// Published optima from the shared README's table (`| name | ... | optimum | ...`).
fn published(readme: &str) -> BTreeMap<String, String> {
    readme
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| instance") && !l.starts_with("|---"))
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells.len() > 6).then(|| (cells[1].to_string(), cells[6].to_string()))
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let limit = flag("--time-limit").unwrap_or_else(|| "60".into());
    let spread = flag("--max-break-spread").unwrap_or_else(|| "2".into());
    // `none`: no fairness flag at all, `plan`'s default.
    let fairness: Vec<String> = if spread == "none" {
        Vec::new()
    } else {
        vec!["--max-break-spread".into(), spread]
    };
    let only = flag("--only");
    let root = flag("--shared").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/benchmarks"),
        PathBuf::from,
    );
    println!("| instance | meetings | breaks | bound | published optimum | gap | status | wall s | peak MiB | checker |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let mut all_valid = true;
    if let Ok(readme) = std::fs::read_to_string(root.join("README.md")) {
        let optima = published(&readme);
        for (name, optimum) in &optima {
            if only.as_ref().is_some_and(|o| o != name) {
                continue;
            }
            let dir = root.join("jair2022").join(name);
            if !dir.is_dir() {
                continue;
            }
            let mut extra = vec!["--time-limit".into(), limit.clone()];
            extra.extend(fairness.iter().cloned());
            let r = run(&dir, &extra);
            all_valid &= r.valid;
            let gap = match (r.breaks.parse::<i64>(), optimum.parse::<i64>()) {
                (Ok(b), Ok(o)) => format!("{:+}", b - o),
                _ => "-".into(),
            };
            print_row(name, optimum, &gap, &r);
        }
    } else {
        eprintln!("../shared/benchmarks is absent: JAIR instances skipped");
    }
    if let Some(dir) = flag("--variants") {
        let mut extra = vec!["--time-limit".into(), limit.clone()];
        extra.extend(fairness.iter().cloned());
        println!(
            "\n| variant | meetings | breaks | bound | status | wall s | peak MiB | checker |"
        );
        println!("|---|---|---|---|---|---|---|---|");
        for kind in ["pinned", "late", "unavailable", "scattered"] {
            let Ok(entries) = std::fs::read_dir(Path::new(&dir).join(kind)) else {
                eprintln!("{dir}/{kind} is absent (run examples/variants first)");
                continue;
            };
            let mut events: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect();
            events.sort();
            for ev in events {
                let name = format!("{kind}/{}", ev.file_name().unwrap().to_string_lossy());
                if only.as_ref().is_some_and(|o| !name.ends_with(o.as_str())) {
                    continue;
                }
                let r = run(&ev, &extra);
                // A proven infeasibility is a result; anything else must be a valid plan.
                all_valid &= r.valid || r.infeasible.is_some();
                let checker = match (&r.infeasible, r.valid) {
                    (Some(why), _) => format!("no plan: {why}"),
                    (None, true) => "valid".into(),
                    (None, false) => "INVALID".into(),
                };
                println!(
                    "| {name} | {} | {} | {} | {} | {:.1} | {:.0} | {checker} |",
                    r.meetings, r.breaks, r.bound, r.status, r.seconds, r.peak_mib
                );
            }
        }
    }
    if args.iter().any(|a| a == "--scale") {
        println!("\n| instance | meetings | value | value bound | value gap | breaks | breaks bound | wall s | peak MiB | checker |");
        println!("|---|---|---|---|---|---|---|---|---|---|");
        for (name, buyers, firms, days, wishes, limit, popular) in [
            ("brokerage-350", "150", "200", "2", "12", "30", false),
            ("brokerage-350-popular", "150", "200", "2", "20", "30", true),
            ("tradeshow-3000", "2000", "1000", "3", "12", "300", false),
            (
                "tradeshow-3000-popular",
                "2000",
                "1000",
                "3",
                "12",
                "300",
                true,
            ),
            // The 60,000-meeting target: 5,000 hosted buyers × 2,000 exhibitors.
            ("tradeshow-7000", "5000", "2000", "3", "12", "480", false),
            // The same with 13 wishes a buyer: above 60,000 meetings with room to spare.
            ("tradeshow-7000-13", "5000", "2000", "3", "13", "600", false),
        ] {
            if only.as_ref().is_some_and(|o| o != name) {
                continue;
            }
            let dir = tempfile::tempdir().expect("temp dir");
            let ev = dir.path().join(name);
            let generator = binary().parent().unwrap().join("examples/generate");
            let ok = Command::new(&generator)
                .arg(&ev)
                .args([buyers, firms, days, wishes])
                .args(popular.then_some("--popular"))
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                eprintln!(
                    "cannot run {} (cargo build --release --examples)",
                    generator.display()
                );
                continue;
            }
            let r = run(&ev, &["--time-limit".into(), limit.into()]);
            all_valid &= r.valid;
            print_scale_row(name, &r);
        }
    }
    if !all_valid {
        std::process::exit(1);
    }
}
