//! The run's clock and Ctrl-C, owned in one place: the search reads the flag and the budget,
//! nothing else installs handlers or does time arithmetic.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Set by the first Ctrl-C: the search stops and keeps the best plan.
static STOP: AtomicBool = AtomicBool::new(false);

/// First Ctrl-C: stop searching and write the best plan; a second one removes the temporary
/// output folder, if a write is under way, and exits at once (130).
pub(crate) fn on_ctrl_c() -> &'static AtomicBool {
    let _ = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            crate::export::abandon_write();
            std::process::exit(crate::error::ExitCode::Killed.code());
        }
    });
    &STOP
}

/// `--time-limit` for the whole run, from the moment the command started.
pub(crate) struct Budget {
    started: Instant,
    limit: f64,
}

impl Budget {
    pub(crate) fn new(limit: f64) -> Self {
        Budget {
            started: Instant::now(),
            limit,
        }
    }

    /// The search's share: what loading left, less what writing will take (every format for
    /// every participant: measured about 2 ms each), so that the whole run stays within the
    /// limit; never less than a tenth of it.
    pub(crate) fn for_search(&self, participants: usize) -> f64 {
        let writing = 0.002 * participants as f64;
        (self.limit * 0.98 - self.started.elapsed().as_secs_f64() - writing).max(self.limit * 0.1)
    }
}
