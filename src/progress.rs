//! Progress on stderr (indicatif): the stage, and while solving the elapsed time against the
//! limit with the best plan and the bound. Hidden when stderr is not a terminal or `--quiet`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

pub(crate) struct Progress {
    bar: ProgressBar,
    started: Instant,
    limit: f64,
    /// `T4S_TRACE=1`: every stage also as a line with its time, for tuning the solver.
    trace: bool,
}

impl Progress {
    pub(crate) fn new(quiet: bool, limit: f64) -> Self {
        let bar = if quiet || !std::io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            b.set_style(
                ProgressStyle::with_template("{spinner} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            b.enable_steady_tick(Duration::from_millis(120));
            b
        };
        Progress {
            bar,
            started: Instant::now(),
            limit,
            trace: std::env::var_os("T4S_TRACE").is_some_and(|v| v == "1"),
        }
    }

    /// Shows and traces nothing: for the many short HiGHS runs of the neighbourhood search,
    /// whose every start and end would flood `T4S_TRACE=1`.
    pub(crate) fn silent() -> Self {
        Progress {
            bar: ProgressBar::hidden(),
            started: Instant::now(),
            limit: 0.0,
            trace: false,
        }
    }

    pub(crate) fn stage(&self, msg: impl Into<String>) {
        let msg = msg.into();
        if self.trace {
            eprintln!("[{:7.2} s] {msg}", self.started.elapsed().as_secs_f64());
        }
        self.bar.set_message(msg);
    }

    /// A line for `T4S_TRACE=1` only.
    pub(crate) fn trace(&self, msg: impl FnOnce() -> String) {
        if self.trace {
            eprintln!(
                "[{:7.2} s]   {}",
                self.started.elapsed().as_secs_f64(),
                msg()
            );
        }
    }

    /// A solving update: elapsed against the limit, then `detail` (best plan and bound).
    pub(crate) fn solving(&self, detail: &str) {
        let t = self.started.elapsed().as_secs_f64();
        self.bar
            .set_message(format!("solving [{t:.0} s / {:.0} s] {detail}", self.limit));
    }

    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
