//! Golden files: every format of the sample tenant's report (profile 2022-05, as of
//! 2022-06-15T00:00:00Z), plain and redacted under the test key, compared byte for byte with
//! `tests/golden/`. After an intended change, regenerate with
//! `APREADY_BLESS=1 cargo test -p apready-core --test golden` and review the diff.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

fn file_name(format: &str, redacted: bool) -> String {
    let ext = match format {
        "text" => "txt",
        "junit" => "junit.xml",
        f => f,
    };
    if redacted {
        format!("report.redacted.{ext}")
    } else {
        format!("report.{ext}")
    }
}

fn first_difference(a: &[u8], b: &[u8]) -> String {
    let a = String::from_utf8_lossy(a);
    let b = String::from_utf8_lossy(b);
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            let cut = |s: &str| s.chars().take(300).collect::<String>();
            return format!(
                "line {}:\n  expected: {}\n  actual:   {}",
                i + 1,
                cut(x),
                cut(y)
            );
        }
    }
    format!(
        "one is a prefix of the other ({} vs {} lines)",
        a.lines().count(),
        b.lines().count()
    )
}

#[test]
fn golden_files_match() {
    let dir = root().join("tests/golden");
    let bless = std::env::var_os("APREADY_BLESS").is_some_and(|v| v == "1");
    let report = sample();
    let mut failures = Vec::new();
    for format in formats() {
        for redacted in [false, true] {
            let key = redacted.then_some(TEST_KEY);
            let actual = render(&report, format, key);
            // The same bytes every time (no hash-map order, no clock).
            assert_eq!(
                actual,
                render(&report, format, key),
                "{format} is not stable"
            );
            let path = dir.join(file_name(format, redacted));
            if bless {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &actual).unwrap();
                continue;
            }
            match std::fs::read(&path) {
                Ok(expected) if expected == actual => {}
                Ok(expected) => failures.push(format!(
                    "{} differs — {}",
                    path.display(),
                    first_difference(&expected, &actual)
                )),
                Err(e) => failures.push(format!("{}: {e}", path.display())),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "golden files differ (regenerate with APREADY_BLESS=1 after reviewing):\n{}",
        failures.join("\n")
    );
}
