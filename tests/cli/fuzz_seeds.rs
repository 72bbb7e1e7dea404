//! The fuzz targets' seed corpus, replayed through the same library entry points on every test
//! run: each input must be handled (reported or accepted) without a panic.

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{} panicked", path.display());
        n += 1;
    }
    assert!(n >= 5, "{target}: only {n} seeds");
}

#[test]
fn event_loader_seeds_never_panic() {
    replay("event_loader", t4s_schedule::fuzzing::event_loader);
}

#[test]
fn schedule_reader_seeds_never_panic() {
    replay("schedule_reader", t4s_schedule::fuzzing::schedule_reader);
}
