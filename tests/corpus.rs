//! The broken-files corpus: each case under `tests/corpus/` holds the command to run (`cmd`,
//! one argument per line) and exactly what it must print on standard error and the exit code
//! (`expected.txt`). Set `KHITOMER_BLESS=1` to write the expectations from the current output
//! after reading them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn run(args: &[String]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_khitomer"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("KHITOMER_HOME")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn check_case(dir: &Path, args: Vec<String>, replace: &[(&str, &str)]) {
    let (code, mut stderr) = run(&args);
    for (from, to) in replace {
        stderr = stderr.replace(from, to);
    }
    assert!(!stderr.contains("panicked"), "{}: {stderr}", dir.display());
    // The summary counts the game's own content too; only its error count is the case's.
    let stderr: String = stderr
        .lines()
        .map(|l| match (l.starts_with("checked "), l.find(": ")) {
            (true, Some(at)) => format!("checked ...{}\n", &l[at..]),
            _ => format!("{l}\n"),
        })
        .collect();
    let actual = format!("exit: {code}\n{stderr}");
    let expected_path = dir.join("expected.txt");
    if std::env::var_os("KHITOMER_BLESS").is_some() {
        std::fs::write(&expected_path, &actual).expect("writable");
        return;
    }
    let expected = std::fs::read_to_string(&expected_path)
        .unwrap_or_else(|_| panic!("{} has no expected.txt", dir.display()));
    assert_eq!(actual, expected, "case {}", dir.display());
}

#[test]
fn every_broken_file_gets_exactly_its_diagnostics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("the corpus is there")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("cmd").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "{cases:?}");
    for dir in cases {
        let args: Vec<String> = std::fs::read_to_string(dir.join("cmd"))
            .unwrap()
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        check_case(&dir, args, &[]);
    }
}

#[test]
fn an_oversize_file_is_refused_unread() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("oversize_mod");
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(tmp.join("maps")).unwrap();
    std::fs::write(
        tmp.join("mod.ron"),
        "Mod(id: \"huge\", name: \"Huge\", version: \"0.1.0\")",
    )
    .unwrap();
    let filler = format!("// {}\n", "x".repeat(1000));
    std::fs::write(tmp.join("maps/huge.ron"), filler.repeat(1100)).unwrap();
    let shown = tmp.display().to_string();
    // Inside the checkout the path is shown relative to it.
    let relative = tmp
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| shown.clone());
    check_case(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus_generated/oversize"),
        vec!["check".into(), "--mod".into(), shown.clone()],
        &[(&shown, "{MOD}"), (&relative, "{MOD}")],
    );
}
