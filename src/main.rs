use clap::Parser;

fn main() {
    let cli = t4s_schedule::cli::Cli::parse();
    if let Err(e) = t4s_schedule::run(cli) {
        eprintln!("error: {e:#}");
        std::process::exit(t4s_schedule::exit_code(&e));
    }
}
