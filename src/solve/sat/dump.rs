//! A timing problem as plain text, to measure the engine alone: `T4S_SAT_DUMP=FILE plan …`
//! writes the problem `plan` hands to the engine (with the annealing's plan as incumbent), and
//!
//! ```text
//! T4S_SAT_LOAD=FILE T4S_SAT_SECS=30 cargo test --release --lib sat::dump -- --ignored --nocapture
//! ```
//!
//! runs the engine on it and prints its result with the CPU time (`/usr/bin/time -v` around the
//! test binary), without the annealing, HiGHS and writing around it (issue #16: the full `plan`
//! runs vary by a factor of 2 on a loaded machine, and the engine gets only part of the time).
//! `T4S_SAT_SEARCH=core` runs it as the portfolio's first run does (`Search::CoreLoop`,
//! with the block and independent-set rows; with `T4S_SAT_SHARE=1`), `improving` as its
//! second (with the block rows; with `T4S_SAT_SHARE=0`), and `default` or without it the
//! default search (the neighbourhood search's); the core loop as it was until the fourteenth
//! session, in stable mode only, is `core` with `T4S_CADICAL=stabilizeonly=1`;
//! `T4S_SAT_ROWS="block,order,independent,two_runs"` (or part of it) other optional rows than
//! the search's own;
//! `T4S_CADICAL="option=value,…"` sets CaDiCaL options on top of the engine's own, to compare
//! settings by the conflicts they need (a count the machine's load does not change).
//!
//! The format, one item a line: `n_parts n_slots max_spread` (`-` for none), the sessions as
//! `start..end` words, the reps per participant, the floating tables per slot (`-`: no limit),
//! the incumbent slots (`-`: none), then one meeting a line: `a b floating slot…`.

#[cfg(test)]
use super::Meeting;
use super::TimingProblem;
use crate::solve::instance::UNLIMITED;
use std::fmt::Write;

fn words<T: ToString>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
fn numbers<T: std::str::FromStr>(line: &str) -> Option<Vec<T>> {
    line.split_whitespace().map(|w| w.parse().ok()).collect()
}

impl TimingProblem {
    /// The problem as text (see the module's format).
    pub(crate) fn to_text(&self) -> String {
        let mut s = String::new();
        let spread = self.max_spread.map_or("-".into(), |d| d.to_string());
        let _ = writeln!(s, "{} {} {spread}", self.n_parts, self.n_slots);
        let _ = writeln!(
            s,
            "{}",
            words(
                self.sessions
                    .iter()
                    .map(|q| format!("{}..{}", q.start, q.end))
            )
        );
        let _ = writeln!(s, "{}", words(&self.cap));
        let tables = self.float_cap.iter().map(|&c| match c {
            UNLIMITED => "-".to_string(),
            c => c.to_string(),
        });
        let _ = writeln!(s, "{}", words(tables));
        match &self.incumbent {
            Some(inc) => {
                let _ = writeln!(s, "{}", words(inc));
            }
            None => s.push_str("-\n"),
        }
        for m in &self.meetings {
            let _ = writeln!(s, "{} {} {} {}", m.a, m.b, m.floating, words(&m.slots));
        }
        // Slots held by the programme (participant × slot indices), when there are any.
        if self.skip.iter().any(|&x| x) {
            let held = (0..self.skip.len()).filter(|&k| self.skip[k]);
            let _ = writeln!(s, "skip {}", words(held));
        }
        s
    }

    /// The problem back from [`TimingProblem::to_text`]; `None` if the text is not one.
    #[cfg(test)]
    pub(crate) fn from_text(text: &str) -> Option<TimingProblem> {
        let mut lines = text.lines();
        let head: Vec<&str> = lines.next()?.split_whitespace().collect();
        let [n_parts, n_slots, spread] = head[..] else {
            return None;
        };
        let sessions = lines
            .next()?
            .split_whitespace()
            .map(|w| {
                let (a, b) = w.split_once("..")?;
                Some(a.parse().ok()?..b.parse().ok()?)
            })
            .collect::<Option<Vec<_>>>()?;
        let cap = numbers(lines.next()?)?;
        let float_cap = lines
            .next()?
            .split_whitespace()
            .map(|w| match w {
                "-" => Some(UNLIMITED),
                w => w.parse().ok(),
            })
            .collect::<Option<Vec<u32>>>()?;
        let incumbent = match lines.next()?.trim() {
            "-" => None,
            line => Some(numbers(line)?),
        };
        let rest: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();
        let n: usize = n_parts.parse::<usize>().ok()? * n_slots.parse::<usize>().ok()?;
        let mut skip = Vec::new();
        if let Some(held) = rest.iter().find_map(|l| l.strip_prefix("skip ")) {
            skip = vec![false; n];
            for k in numbers::<usize>(held)? {
                *skip.get_mut(k)? = true;
            }
        }
        let meetings = rest
            .iter()
            .filter(|l| !l.starts_with("skip "))
            .map(|l| {
                let mut w = l.split_whitespace();
                let a = w.next()?.parse().ok()?;
                let b = w.next()?.parse().ok()?;
                let floating = w.next()?.parse().ok()?;
                let slots = w.map(|x| x.parse().ok()).collect::<Option<Vec<u32>>>()?;
                Some(Meeting {
                    a,
                    b,
                    slots,
                    floating,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(TimingProblem {
            n_parts: n_parts.parse().ok()?,
            n_slots: n_slots.parse().ok()?,
            sessions,
            cap,
            float_cap,
            meetings,
            max_spread: match spread {
                "-" => None,
                d => Some(d.parse().ok()?),
            },
            incumbent,
            skip,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{solve_timing, Budget};
    use super::*;
    use std::sync::atomic::AtomicBool;
    use std::time::{Duration, Instant};

    #[test]
    fn a_problem_reads_back_as_written() {
        let p = TimingProblem {
            n_parts: 3,
            n_slots: 4,
            sessions: vec![0..2, 2..4],
            cap: vec![1, 2, 1],
            float_cap: vec![UNLIMITED, 1, 0, 2],
            meetings: vec![
                Meeting {
                    a: 0,
                    b: 1,
                    slots: vec![0, 1, 3],
                    floating: true,
                },
                Meeting {
                    a: 1,
                    b: 2,
                    slots: vec![2],
                    floating: false,
                },
            ],
            max_spread: Some(2),
            incumbent: Some(vec![3, 2]),
            skip: vec![
                false, true, false, false, false, false, false, false, false, false, false, true,
            ],
        };
        let q = TimingProblem::from_text(&p.to_text()).expect("reads back");
        assert_eq!(q.to_text(), p.to_text());
        assert_eq!(q.meetings, p.meetings);
        assert_eq!(q.float_cap, p.float_cap);
        assert_eq!(q.sessions, p.sessions);
        assert_eq!(q.skip, p.skip);
        assert_eq!(
            (q.max_spread, q.incumbent),
            (p.max_spread, p.incumbent.clone())
        );
        let none = TimingProblem {
            max_spread: None,
            incumbent: None,
            skip: Vec::new(),
            ..p
        };
        let r = TimingProblem::from_text(&none.to_text()).expect("reads back");
        assert_eq!((r.max_spread, r.incumbent), (None, None));
        assert!(TimingProblem::from_text("3 4\n").is_none());
    }

    /// The engine on a dumped problem (`T4S_SAT_LOAD`, `T4S_SAT_SECS`; see the module doc).
    #[test]
    #[ignore = "a measurement, on a file written by `T4S_SAT_DUMP`"]
    fn engine_on_a_dumped_problem() {
        let Ok(path) = std::env::var("T4S_SAT_LOAD") else {
            return;
        };
        let secs: f64 = std::env::var("T4S_SAT_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(30.0);
        let text = std::fs::read_to_string(&path).expect("T4S_SAT_LOAD is readable");
        let p = TimingProblem::from_text(&text).expect("a dumped problem");
        // T4S_SAT_SEARCH=core: the portfolio's first run (the core loop, block rows);
        // `improving`: its second (with T4S_SAT_SHARE=0).
        let search = match std::env::var("T4S_SAT_SEARCH").as_deref() {
            Ok("core") => crate::solve::sat::Search::CoreLoop,
            Ok("improving") => crate::solve::sat::Search::Improving,
            Ok("default") | Err(_) => crate::solve::sat::Search::Default,
            // `stable` named the core loop until it left stable mode: not silently the default.
            Ok(other) => panic!("T4S_SAT_SEARCH={other}: core, improving or default"),
        };
        static NO_STOP: AtomicBool = AtomicBool::new(false);
        let start = Instant::now();
        let t = solve_timing(
            &p,
            &Budget {
                deadline: start + Duration::from_secs_f64(secs),
                stop: &NO_STOP,
                proof_share: std::env::var("T4S_SAT_SHARE")
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(crate::solve::sat::OLL_SHARE),
                search,
                // T4S_SAT_ROWS="block,order,independent,two_runs" (or a part of it, or empty):
                // other optional rows than the search's own.
                rows: std::env::var("T4S_SAT_ROWS").map_or(search.rows(), |r| {
                    crate::solve::sat::Rows {
                        block: r.contains("block"),
                        order: r.contains("order"),
                        independent: r.contains("independent"),
                        two_runs: r.contains("two_runs"),
                    }
                }),
                lane: None,
            },
        );
        // The plan re-counted from its slots alone.
        if let Some((plan, c)) = &t.best {
            assert_eq!(p.cost(plan), Some(*c));
            // T4S_SAT_SAVE=FILE: the problem again, with this plan as its incumbent.
            if let Ok(save) = std::env::var("T4S_SAT_SAVE") {
                let q = TimingProblem {
                    incumbent: Some(plan.clone()),
                    ..p.clone()
                };
                std::fs::write(save, q.to_text()).expect("T4S_SAT_SAVE is writable");
            }
        }
        println!(
            "{path}: best {:?}, bound {}, optimal {}, {} cores, {} conflicts, {:.2} s wall",
            t.best.as_ref().map(|b| b.1),
            t.lower_bound,
            t.optimal,
            t.cores,
            t.conflicts,
            start.elapsed().as_secs_f64()
        );
    }
}
