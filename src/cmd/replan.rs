//! `replan`: a new plan after cancellations and edits that disturbs as few announced meetings
//! as possible, and says exactly who must be told.
//!
//! Every previous meeting that is still valid stays at its slot and table (a hard rule unless
//! `--allow-moves`); meetings before `--frozen-until` never change (they happened) and count
//! like any other; meetings pinned by hand (`locked`) stay; freed time goes to the best waiting
//! requests, announced meetings that lost their place first.

use super::{print_warnings, Planning};
use crate::cli::{PlanConfig, ReplanArgs};
use crate::error::{Error, Result};
use crate::export::{Changes, Export};
use crate::replan::{self, ChangeKind, Moment};

pub(crate) fn run(args: ReplanArgs) -> Result<()> {
    let frozen = match &args.frozen_until {
        None => None,
        Some(s) => Some(Moment::parse(s).ok_or_else(|| {
            Error::usage(format!(
                "--frozen-until must be \"YYYY-MM-DD HH:MM\" (got \"{s}\")"
            ))
        })?),
    };
    let (allow_moves, penalty) = (args.allow_moves, args.move_penalty);
    let run = Planning::new(PlanConfig::new(args.plan)?);
    run.progress
        .stage("loading the event and the previous schedule");
    let loaded = crate::event::load_with_warnings(&run.cfg.event)?;
    print_warnings(&loaded.warnings);
    let event = loaded.event;
    let prev = crate::schedule::read(&args.previous, &event)?.without_clashes()?;
    print_warnings(&prev.warnings);
    let triage = replan::triage(&event, &prev, frozen)?;

    // Announced meetings stay where they are; with --allow-moves a second solve lets them move,
    // and wins only if what it gains is worth the moves.
    let share = if allow_moves { 0.5 } else { 1.0 };
    let solve = |allow: bool| {
        let restrictions = replan::restrictions(&event, &triage, frozen, allow);
        let mut moves = 0;
        let plan = run.solve(&event, &restrictions, share, |solved| {
            moves = replan::moves(&triage, solved);
            replan::table_pins(&triage, solved)
        })?;
        Ok::<_, Error>((plan, moves))
    };
    let (mut plan, _) = solve(false)?;
    if allow_moves {
        let (free, moves) = solve(true)?;
        let value = |p: &crate::plan::Plan| crate::plan::Figures::of(&event, p).value as i64;
        if value(&free) - i64::from(penalty) * moves as i64 > value(&plan) {
            plan = free;
        }
    }
    // An announced interpreter stays with a meeting that stays, when still possible.
    let announced: std::collections::HashMap<_, _> = prev
        .entries
        .iter()
        .filter_map(|e| {
            let p = e.pair?;
            let stays = plan
                .meetings
                .iter()
                .any(|m| m.pair == p && m.slot == e.slot);
            stays.then_some((p, e.interpreter?))
        })
        .collect();
    plan.keep_interpreters(&event, &announced);
    replan::revise(&event, &prev, &mut plan);
    let mut changes = replan::changes(&event, &prev, &plan);
    // The programme as the previous plan listed it (programme.csv beside its schedule): items
    // changed, added or withdrawn since are told to those concerned, calendars updated.
    let dir = args
        .previous
        .parent()
        .unwrap_or_else(|| std::path::Path::new("."));
    let mut pr = crate::diag::Problems::default();
    match crate::plandir::listed_programme(dir, &mut pr) {
        Some(listed) if !pr.has_errors() => {
            replan::programme::revise(&event, &listed, &mut plan);
            changes.extend(replan::programme::changes(&event, &listed, &plan));
            changes.sort_by(|x, y| {
                event
                    .part(x.participant)
                    .id
                    .cmp(&event.part(y.participant).id)
            });
        }
        _ => {
            print_warnings(&pr.errors);
            if !event.programme.is_empty() {
                eprintln!(
                    "warning: no programme.csv of the previous plan beside {}: changes to the \
                     programme since are not announced (re-plan from the previous plan folder's \
                     schedule.csv)",
                    args.previous.display()
                );
            }
        }
    }
    let (summary, n_files) = run.write(&event, &plan, |ctx| Changes(&changes).render(ctx))?;
    run.progress.finish();
    print!("{summary}");
    let count = |k| replan::count(&changes, k);
    let kept = prev.entries.len() - count(ChangeKind::Cancelled) - count(ChangeKind::Moved);
    println!(
        "changes:             {kept} kept, {} cancelled, {} moved, {} added ({} cancellation rows)",
        count(ChangeKind::Cancelled),
        count(ChangeKind::Moved),
        count(ChangeKind::Added),
        loaded.cancellations
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
    let interpreters: Vec<&str> = replan::interpreters_affected(&changes)
        .into_iter()
        .map(|k| event.interpreter(k).id.as_str())
        .collect();
    if !interpreters.is_empty() {
        println!(
            "notify interpreters: {} ({}; {} interpreter changes)",
            interpreters.join(", "),
            interpreters.len(),
            count(ChangeKind::Interpreter)
        );
    }
    println!("wrote {} ({n_files} files)", run.cfg.out.display());
    Ok(())
}
