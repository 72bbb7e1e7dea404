use clap::Parser;
use std::io::Write;

fn main() {
    // A closed pipe (`t4s-schedule validate data | head -1`) ends the program quietly: Rust
    // ignores SIGPIPE, so `println!` would panic instead.
    reset_sigpipe();
    let cli = t4s_schedule::cli::Cli::parse();
    let code = match t4s_schedule::run(cli) {
        Ok(()) => t4s_schedule::ExitCode::Success,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {e}");
            e.code()
        }
    };
    std::process::exit(code.code());
}

#[cfg(unix)]
fn reset_sigpipe() {
    // SAFETY: restoring the default disposition of SIGPIPE at start-up, before any thread.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn reset_sigpipe() {}
