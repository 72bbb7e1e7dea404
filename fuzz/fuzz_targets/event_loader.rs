#![no_main]
//! Any bytes as an event folder (files separated by a line `---`): the loader must report
//! problems, never panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    t4s_schedule::fuzzing::event_loader(data);
});
