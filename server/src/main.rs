//! `ployer`: parse the command line and hand over to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    // Before any thread exists: see `memory` for why.
    ployer_server::memory::tune_allocator();
    let cli = ployer_server::cli::Cli::parse();
    // Two workers match the small machines Ployer is made for and keep idle memory low.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("ployer: cannot start the async runtime: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(ployer_server::cli::run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("ployer: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
