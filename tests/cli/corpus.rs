//! The bad-input corpus: each folder of `tests/fixtures/bad/` overlays the base event of
//! `tests/fixtures/base/` (a file replaces the base's, `NAME.absent` deletes it, a folder
//! named like a file stands in its place); `expected.txt` pins the exit code and every line of
//! stderr. Nothing may be written and nothing may panic. `UPDATE_FIXTURES=1` rewrites the
//! expectations (review the diff before committing).

use crate::support::TestEvent;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn event_for(case: &Path) -> TestEvent {
    let t = TestEvent::empty();
    for e in std::fs::read_dir(fixtures().join("base")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), t.ev().join(e.file_name())).unwrap();
    }
    for e in std::fs::read_dir(case).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().into_string().unwrap();
        if name == "expected.txt" {
            continue;
        }
        if let Some(gone) = name.strip_suffix(".absent") {
            std::fs::remove_file(t.ev().join(gone)).unwrap();
        } else if e.path().is_dir() {
            let _ = std::fs::remove_file(t.ev().join(&name));
            std::fs::create_dir(t.ev().join(&name)).unwrap();
        } else {
            std::fs::copy(e.path(), t.ev().join(&name)).unwrap();
        }
    }
    t
}

#[test]
fn every_bad_input_gets_its_pinned_message_and_nothing_is_written() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixtures().join("bad"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 30, "the corpus holds {} cases", cases.len());
    let update = std::env::var_os("UPDATE_FIXTURES").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let t = event_for(case);
        let out = t.plan().output().unwrap();
        let got = format!(
            "exit {}\n{}",
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!got.contains("panicked"), "{}: {got}", case.display());
        assert!(!t.out().exists(), "{}: output written", case.display());
        let expected_file = case.join("expected.txt");
        if update {
            std::fs::write(&expected_file, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_file).unwrap_or_default();
        if got != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{got}",
                case.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
