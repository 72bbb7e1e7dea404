//! `export`: redraws a plan folder in the asked formats, language and time zone. In place,
//! the files it does not write (changes.csv, notices, input/) stay as they were, and the
//! folder is replaced atomically like any output.

use super::print_warnings;
use crate::cli::{check_timezone, ExportArgs};
use crate::error::Result;
use crate::export::{self, Ctx, Style};

pub(crate) fn run(args: ExportArgs) -> Result<()> {
    let timezone = check_timezone(args.style.timezone.as_deref())?;
    let reloaded = crate::plandir::read(&args.plan, args.event.as_deref())?;
    print_warnings(&reloaded.warnings);
    let (event, plan) = (reloaded.event, reloaded.plan);
    let mut style = Style::new(args.style.lang, timezone.as_deref(), &event);
    style.duplex = args.style.duplex;
    let ctx = Ctx::new(&event, &plan, &style);
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
        for f in crate::plandir::existing_files(&args.plan)? {
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
