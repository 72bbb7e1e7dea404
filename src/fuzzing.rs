//! Entry points for the fuzz targets (`fuzz/`), kept in the library so that the normal tests
//! replay the seed corpus through exactly the same code.
//!
//! Input format: the files of an event separated by a line `---`, in the order slots, buyers,
//! firms, preferences, tables, event.toml (absent when fewer parts), then for the schedule reader the
//! schedule. Whatever the bytes, these functions must return, never panic.

use std::path::Path;

const SEPARATOR: &[u8] = b"\n---\n";
const EVENT_FILES: [&str; 6] = [
    "slots.csv",
    "buyers.csv",
    "firms.csv",
    "preferences.csv",
    "tables.csv",
    "event.toml",
];

fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(i) = rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
        parts.push(&rest[..i]);
        rest = &rest[i + SEPARATOR.len()..];
    }
    parts.push(rest);
    parts
}

fn write_event(dir: &Path, parts: &[&[u8]]) {
    for (name, bytes) in EVENT_FILES.iter().zip(parts) {
        let _ = std::fs::write(dir.join(name), bytes);
    }
}

/// Loads an event made of `data`; if it loads, plans nothing but builds the solver's view.
pub fn event_loader(data: &[u8]) {
    let Ok(dir) = tempfile::tempdir() else { return };
    write_event(dir.path(), &split(data));
    if let Ok(loaded) = crate::event::load_with_warnings(dir.path()) {
        let _ = crate::validate::describe(&loaded.event);
        let _ = crate::validate::forecast(&loaded.event);
        let _ = crate::solve::Instance::new(
            &loaded.event,
            &crate::solve::Restrictions::default(),
            None,
        );
    }
}

/// Reads `data` as a schedule against a fixed small event, checks it, and renders every export of it.
pub fn schedule_reader(data: &[u8]) {
    let Ok(dir) = tempfile::tempdir() else { return };
    // A plan folder: the example event in input/, the fuzzed schedule beside it.
    let input = dir.path().join(crate::plandir::INPUT);
    if std::fs::create_dir(&input).is_err() {
        return;
    }
    for (name, text) in crate::cmd::init::FILES {
        let _ = std::fs::write(input.join(name), text);
    }
    let path = dir.path().join("schedule.csv");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let Ok(event) = crate::event::load(&input) else {
        return;
    };
    if let Ok(sched) = crate::schedule::read(&path, &event) {
        let _ = crate::check::violations(&event, &sched);
    }
    // Whatever schedule the reader accepts, every exporter renders it.
    if let Ok(r) = crate::plandir::read(dir.path(), None) {
        let style = crate::export::Style::new(Default::default(), None, &r.event);
        let ctx = crate::export::Ctx::new(&r.event, &r.plan, &style);
        let _ = crate::export::render_all(&ctx, &crate::export::default_set());
    }
}
