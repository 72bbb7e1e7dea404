//! One file per command; each reads as its pipeline: arguments → event → model → solve →
//! render → write. What `plan` and `replan` share is here.

pub(crate) mod check;
pub(crate) mod export;
pub(crate) mod init;
pub(crate) mod mail;
pub(crate) mod plan;
pub(crate) mod replan;
pub(crate) mod validate;

use crate::cli::PlanConfig;
use crate::diag::Diagnostic;
use crate::error::Result;
use crate::event::{Event, PairId, TableId};
use crate::export::{default_set, render_all, summary, write_atomically, Ctx, OutFile, Style};
use crate::plan::Plan;
use crate::progress::Progress;
use crate::solve::{self, Instance, Restrictions};
use crate::stop::Budget;
use std::collections::HashMap;
use std::sync::atomic::AtomicBool;

pub(crate) fn print_warnings(warnings: &[Diagnostic]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

/// A planning run: its options, clock, Ctrl-C flag and progress display.
pub(crate) struct Planning {
    pub(crate) cfg: PlanConfig,
    pub(crate) budget: Budget,
    pub(crate) stop: &'static AtomicBool,
    pub(crate) progress: Progress,
}

impl Planning {
    pub(crate) fn new(cfg: PlanConfig) -> Self {
        Planning {
            budget: Budget::new(cfg.time_limit),
            stop: crate::stop::on_ctrl_c(),
            progress: Progress::new(cfg.quiet, cfg.time_limit),
            cfg,
        }
    }

    /// Builds the model of `event` under `restrictions` and solves it with `share` of the
    /// search budget. `pins`: tables a re-plan keeps, given the solver's result.
    pub(crate) fn solve(
        &self,
        event: &Event,
        restrictions: &Restrictions,
        share: f64,
        pins: impl FnOnce(&solve::Solved) -> HashMap<PairId, TableId>,
    ) -> Result<Plan> {
        self.progress.stage("building the model");
        let inst = Instance::new(event, restrictions, self.cfg.max_break_spread);
        let opts = solve::Options {
            time_limit: self.budget.for_search(event.participants.len()) * share,
            seed: solve::SEED,
        };
        let solved = solve::solve(event, &inst, &opts, &self.progress, self.stop)?;
        let pinned = pins(&solved);
        Ok(Plan::new(event, solved, &pinned))
    }

    /// Writes the plan folder: every format, `extra` files, and a copy of the event's input.
    /// Returns the summary lines and the number of files.
    pub(crate) fn write(
        &self,
        event: &Event,
        plan: &Plan,
        extra: impl FnOnce(&Ctx) -> anyhow::Result<Vec<OutFile>>,
    ) -> Result<(String, usize)> {
        self.progress.stage("writing");
        let mut style = Style::new(self.cfg.lang, self.cfg.timezone.as_deref(), event);
        style.duplex = self.cfg.duplex;
        let ctx = Ctx::new(event, plan, &style);
        let mut files = render_all(&ctx, &default_set())?;
        files.extend(extra(&ctx)?);
        files.extend(crate::plandir::input_copy(&self.cfg.event)?);
        // What was mailed from the folder being replaced stays known: never sent twice.
        files.extend(mail::keep_log(&self.cfg.out)?);
        write_atomically(&self.cfg.out, &files)?;
        Ok((summary(&ctx), files.len()))
    }
}

impl Drop for Planning {
    /// The progress line never outlives the run, whichever way it ends.
    fn drop(&mut self) {
        self.progress.finish();
    }
}
