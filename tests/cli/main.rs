//! Integration tests: the built binary on fixture events, its outputs re-validated by an
//! independent checker.

mod checker;
mod corpus;
mod errors;
mod excel;
mod exports;
mod fuzz_seeds;
mod ics;
mod interpreters;
mod jair;
mod mail;
mod planning;
mod programme;
mod props;
mod replan;
mod sat;
mod smtp;
mod support;
mod trust;
