#![no_main]
//! Any bytes as a (hand-edited) schedule.csv against the example event: the reader and the
//! checker must report problems, never panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    t4s_schedule::fuzzing::schedule_reader(data);
});
