//! Integration tests: the built binary on fixture events, its outputs re-validated by an
//! independent checker.

mod checker;
mod corpus;
mod errors;
mod fuzz_seeds;
mod jair;
mod planning;
mod props;
mod replan;
mod support;
