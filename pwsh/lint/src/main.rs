//! `apready-pwsh-lint [MODULE-FOLDER...]`: runs the checks of this crate and prints each problem.
//! Without arguments it checks `pwsh/AutopatchReadiness` of this repository. Exit code 1 when a
//! problem is found, 0 otherwise.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut folders: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if folders.is_empty() {
        folders.push(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join("AutopatchReadiness"),
        );
    }
    let mut count = 0usize;
    for folder in &folders {
        for problem in apready_pwsh_lint::lint_module(folder) {
            println!("{problem}");
            count += 1;
        }
    }
    if count == 0 {
        println!("no problems");
        ExitCode::SUCCESS
    } else {
        println!("{count} problem(s)");
        ExitCode::from(1)
    }
}
