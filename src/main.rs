//! The `khitomer` binary: see `khitomer --help`.

fn main() -> std::process::ExitCode {
    khitomer::cli::main()
}
