//! t4s-schedule: meeting scheduler for B2B matchmaking events.
//!
//! The pipeline: `cli` (arguments → checked config) → `event` (CSV → checked `Event`) →
//! `solve` (good_lp + HiGHS, with heuristics) → `plan` (the result) → `export` (files).

pub mod check;
pub mod cli;
pub mod diag;
pub mod event;
pub mod export;
#[doc(hidden)]
pub mod fuzzing;
pub mod id;
pub mod init;
pub mod plan;
pub mod plandir;
pub mod progress;
pub mod replan;
pub mod schedule;
pub mod solve;
pub mod validate;

use anyhow::Result;
use cli::{Cli, Command, PlanConfig};
use std::sync::atomic::{AtomicBool, Ordering};

/// Exit codes (documented in the README).
pub mod exit {
    pub const OK: i32 = 0;
    /// Anything unexpected: a bug, a disk error.
    pub const INTERNAL: i32 = 1;
    /// Bad input or arguments: nothing was written.
    pub const INVALID_INPUT: i32 = 2;
    /// The required meetings cannot all be scheduled: nothing was written.
    pub const INFEASIBLE: i32 = 3;
    /// `check`: the schedule breaks a rule.
    pub const VIOLATIONS: i32 = 4;
}

/// `check` found rule violations (exit code 4); each is printed with its line.
#[derive(Debug)]
pub struct Violations(pub usize);

impl std::fmt::Display for Violations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the schedule breaks {} rule{}",
            self.0,
            if self.0 == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Violations {}

/// The exit code for an error, by what it is.
pub fn exit_code(err: &anyhow::Error) -> i32 {
    if err.downcast_ref::<diag::InvalidInput>().is_some()
        || err.downcast_ref::<cli::ArgError>().is_some()
    {
        exit::INVALID_INPUT
    } else if err.downcast_ref::<solve::Infeasible>().is_some() {
        exit::INFEASIBLE
    } else if err.downcast_ref::<Violations>().is_some() {
        exit::VIOLATIONS
    } else {
        exit::INTERNAL
    }
}

/// Set by Ctrl-C: the search stops and keeps the best plan.
static STOP: AtomicBool = AtomicBool::new(false);

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Plan(args) => plan(PlanConfig::new(args)?),
        Command::Validate(args) => validate(&args.event),
        Command::Check(args) => check(&args.event, &args.schedule),
        Command::Replan(args) => replan(args),
        Command::Export(args) => export(args),
        Command::Init(args) => {
            init::init(&args.dir)?;
            println!(
                "wrote an example event to {}: edit its CSV files, then run `t4s-schedule plan {}`",
                args.dir.display(),
                args.dir.display()
            );
            Ok(())
        }
    }
}

/// First Ctrl-C: stop searching and write the best plan; a second one removes the temporary
/// output folder, if a write is under way, and exits at once.
fn stop_on_ctrl_c() {
    let _ = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            export::abandon_write();
            std::process::exit(130);
        }
    });
}

/// The search's share of `--time-limit`: what loading left, less what writing will take
/// (every format for every participant: measured about 2 ms each), so that the whole run
/// stays within the limit.
fn solve_budget(limit: f64, started: std::time::Instant, participants: usize) -> f64 {
    let writing = 0.002 * participants as f64;
    (limit * 0.98 - started.elapsed().as_secs_f64() - writing).max(limit * 0.1)
}

fn print_warnings(warnings: &[diag::Diagnostic]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

fn validate(dir: &std::path::Path) -> Result<()> {
    let loaded = event::load_with_warnings(dir)?;
    print_warnings(&loaded.warnings);
    print!("{}", validate::describe(&loaded.event));
    let forecast = validate::forecast(&loaded.event);
    if forecast.is_empty() {
        println!("no problems found");
    }
    for f in forecast {
        println!("warning: {f}");
    }
    Ok(())
}

fn replan(args: cli::ReplanArgs) -> Result<()> {
    let started = std::time::Instant::now();
    let frozen = match &args.frozen_until {
        None => None,
        Some(s) => Some(replan::Moment::parse(s).ok_or_else(|| {
            cli::ArgError(format!(
                "--frozen-until must be \"YYYY-MM-DD HH:MM\" (got \"{s}\")"
            ))
        })?),
    };
    let (allow_moves, penalty) = (args.allow_moves, args.move_penalty);
    let cfg = PlanConfig::new(args.plan)?;
    stop_on_ctrl_c();
    let progress = progress::Progress::new(cfg.quiet, cfg.time_limit);
    progress.stage("loading the event and the previous schedule");
    let loaded = event::load_with_warnings(&cfg.event)?;
    print_warnings(&loaded.warnings);
    let mut event = loaded.event;
    let (cancellations, cancel_warnings) = replan::apply_cancellations(&cfg.event, &mut event)?;
    print_warnings(&cancel_warnings);
    let prev = schedule::read(&args.previous, &event)?;
    print_warnings(&prev.warnings);
    let triage = replan::triage(&event, &prev, frozen)?;

    let solve_with = |allow: bool, limit: f64| -> Result<(solve::Instance, solve::Solved)> {
        let mut inst = solve::Instance::new(&event);
        inst.max_break_spread = cfg.max_break_spread;
        replan::constrain(&mut inst, &event, &triage, frozen, allow);
        let opts = solve::Options {
            time_limit: limit,
            seed: 0x7453_4348,
        };
        let solved = solve::solve(&event, &inst, &opts, &progress, &STOP)?;
        Ok((inst, solved))
    };
    let share = if allow_moves { 0.5 } else { 1.0 };
    let budget = solve_budget(cfg.time_limit, started, event.participants.len());
    let (mut inst, mut solved) =
        solve_with(false, budget * share).inspect_err(|_| progress.finish())?;
    if allow_moves {
        let (inst_b, mut solved_b) =
            solve_with(true, budget * share).inspect_err(|_| progress.finish())?;
        let moves = replan::move_back(&inst_b, &mut solved_b, &triage);
        let net = solved_b.stats.value as i64 - i64::from(penalty) * moves as i64;
        if moves != usize::MAX && net > solved.stats.value as i64 {
            (inst, solved) = (inst_b, solved_b);
        }
    }
    let fixed = replan::fixed(&triage, &inst, &solved.slot_of);
    let mut plan = plan::Plan::with_fixed(&event, &inst, solved, &fixed);
    replan::revise(&event, &prev, &mut plan);
    let changes = replan::changes(&event, &prev, &plan);

    progress.stage("writing");
    let style = export::Style::new(cfg.lang, cfg.timezone.as_deref(), &event);
    let ctx = export::Ctx::new(&event, &plan, &style);
    let mut files = export::render_all(&ctx, &export::default_set())?;
    files.extend(replan::render(&ctx, &changes)?);
    files.extend(plandir::input_copy(&cfg.event)?);
    export::write_atomically(&cfg.out, &files)?;
    progress.finish();
    print!("{}", export::summary(&ctx));
    let count = |k: &str| changes.iter().filter(|c| c.kind == k).count() / 2;
    let kept = prev.entries.len() - count("cancelled") - count("moved");
    println!(
        "changes:             {kept} kept, {} cancelled, {} moved, {} added ({cancellations} cancellation rows)",
        count("cancelled"),
        count("moved"),
        count("added")
    );
    let mut notify: Vec<&str> = changes
        .iter()
        .map(|c| event.part(c.participant).id.as_str())
        .collect();
    notify.dedup();
    if notify.is_empty() {
        println!("notify:              nobody (no agenda changed)");
    } else {
        println!(
            "notify:              {} ({})",
            notify.join(", "),
            notify.len()
        );
    }
    println!("wrote {} ({} files)", cfg.out.display(), files.len());
    Ok(())
}

/// `export`: redraws a plan folder in the asked formats, language and time zone. In place,
/// the files it does not write (changes.csv, notices, input/) stay as they were, and the
/// folder is replaced atomically like any output.
fn export(args: cli::ExportArgs) -> Result<()> {
    let timezone = cli::check_timezone(args.style.timezone.as_deref())?;
    let reloaded = plandir::read(&args.plan, args.event.as_deref())?;
    print_warnings(&reloaded.warnings);
    let (event, plan) = (reloaded.event, reloaded.plan);
    let style = export::Style::new(args.style.lang, timezone.as_deref(), &event);
    let ctx = export::Ctx::new(&event, &plan, &style);
    let mut formats = args.format.clone();
    formats.sort();
    formats.dedup();
    let mut files = export::render_all(&ctx, &export::exporters(&formats))?;
    let out = args.out.clone().unwrap_or_else(|| args.plan.clone());
    // `--out` naming the plan folder itself is an in-place export, never a wipe of the rest.
    let in_place = match (out.canonicalize(), args.plan.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => args.out.is_none(),
    };
    if in_place {
        let fresh: std::collections::HashSet<String> =
            files.iter().map(|f| f.path.clone()).collect();
        for f in plandir::existing_files(&args.plan)? {
            if !fresh.contains(&f.path) {
                files.push(f);
            }
        }
    }
    export::write_atomically(&out, &files)?;
    let names: Vec<String> = formats
        .iter()
        .map(|f| format!("{f:?}").to_lowercase())
        .collect();
    println!(
        "wrote {} ({} files; formats {}; language {}; time zone {})",
        out.display(),
        files.len(),
        names.join(", "),
        style.lang.labels().code,
        style.timezone
    );
    Ok(())
}

fn check(dir: &std::path::Path, schedule: &std::path::Path) -> Result<()> {
    let loaded = event::load_with_warnings(dir)?;
    print_warnings(&loaded.warnings);
    let sched = schedule::read(schedule, &loaded.event)?;
    print_warnings(&sched.warnings);
    let (errors, warnings) = check::violations(&loaded.event, &sched);
    print_warnings(&warnings);
    for e in &errors {
        println!("{e}");
    }
    if errors.is_empty() {
        println!("valid: {} meetings, every rule holds", sched.entries.len());
        Ok(())
    } else {
        Err(Violations(errors.len()).into())
    }
}

fn plan(cfg: PlanConfig) -> Result<()> {
    stop_on_ctrl_c();
    let started = std::time::Instant::now();
    let progress = progress::Progress::new(cfg.quiet, cfg.time_limit);
    progress.stage("loading the event");
    let loaded = event::load_with_warnings(&cfg.event)?;
    print_warnings(&loaded.warnings);
    let event = loaded.event;

    progress.stage("building the model");
    let mut inst = solve::Instance::new(&event);
    inst.max_break_spread = cfg.max_break_spread;
    let opts = solve::Options {
        time_limit: solve_budget(cfg.time_limit, started, event.participants.len()),
        seed: 0x7453_4348,
    };
    let solved = solve::solve(&event, &inst, &opts, &progress, &STOP);
    let solved = match solved {
        Ok(s) => s,
        Err(e) => {
            progress.finish();
            return Err(e);
        }
    };
    let plan = plan::Plan::new(&event, &inst, solved);

    progress.stage("writing");
    let style = export::Style::new(cfg.lang, cfg.timezone.as_deref(), &event);
    let ctx = export::Ctx::new(&event, &plan, &style);
    let mut files = export::render_all(&ctx, &export::default_set())?;
    files.extend(plandir::input_copy(&cfg.event)?);
    export::write_atomically(&cfg.out, &files)?;
    progress.finish();
    print!("{}", export::summary(&ctx));
    println!("wrote {} ({} files)", cfg.out.display(), files.len());
    Ok(())
}
