//! The real events of Bofill et al. (JAIR 2022), read from ../shared when present: every plan
//! must be complete and pass the independent checker. Skips cleanly without ../shared.

use crate::checker::check;
use crate::support::TestEvent;
use std::path::PathBuf;

fn instance(name: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/benchmarks/jair2022")
        .join(name);
    p.is_dir().then_some(p)
}

#[test]
fn jair_instances_plan_every_required_meeting_validly() {
    for name in ["tic-12", "forum-13"] {
        let Some(dir) = instance(name) else {
            eprintln!("skipped: ../shared/benchmarks/jair2022/{name} is absent");
            return;
        };
        let t = TestEvent::empty();
        let mut c = t.cmd();
        c.arg("plan")
            .arg(&dir)
            .args(["--out", "out", "--quiet", "--time-limit", "20"]);
        c.assert().success();
        let errs = check(&dir, &t.out().join("schedule.csv"));
        assert!(errs.is_empty(), "{name}: {errs:#?}");
    }
}
