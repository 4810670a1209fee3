//! The loader parses each file as it is added, so hosts can drop a file's bytes at once.
//! These tests prove that the order files arrive in, removing files and evaluating twice
//! never change a report: the store is put in path order before evaluation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use apready_core::{Input, Loader};
use common::*;

fn json(l: &mut Loader, profile: &str) -> Vec<u8> {
    let opts = format!(r#"{{"profile":"{profile}","as_of":"{AS_OF}","format":"json"}}"#);
    l.run(opts.as_bytes()).output
}

fn loader<'a>(inputs: impl IntoIterator<Item = &'a Input>) -> Loader {
    let mut l = Loader::new();
    for i in inputs {
        l.add(&i.path, &i.bytes);
    }
    l
}

#[test]
fn any_arrival_order_gives_the_same_report() {
    let mut checked = 0;
    for dir in all_folders() {
        let inputs = load(&dir);
        if inputs.len() < 2 {
            continue;
        }
        for profile in ["2022-05", "current"] {
            let sorted = json(&mut loader(&inputs), profile);
            let reversed = json(&mut loader(inputs.iter().rev()), profile);
            assert!(
                sorted == reversed,
                "{}: the report depends on the order files were added ({profile})",
                dir.display()
            );
            // Interleaved: odd positions first, then even ones.
            let mixed: Vec<&Input> = inputs
                .iter()
                .skip(1)
                .step_by(2)
                .chain(inputs.iter().step_by(2))
                .collect();
            assert!(
                sorted == json(&mut loader(mixed), profile),
                "{}: interleaved order changes the report ({profile})",
                dir.display()
            );
        }
        checked += 1;
    }
    assert!(checked > 20, "only {checked} multi-file folders found");
}

#[test]
fn removing_a_file_is_the_same_as_never_adding_it() {
    let inputs = load(&data("sample-tenant"));
    for skip in 0..inputs.len() {
        let without: Vec<&Input> = inputs
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, x)| x)
            .collect();
        let expected = json(&mut loader(without), "current");
        let mut l = loader(&inputs);
        // Evaluate once with everything, then remove and evaluate again.
        let _ = json(&mut l, "current");
        assert_eq!(l.remove(&inputs[skip].path), 1);
        assert!(
            expected == json(&mut l, "current"),
            "removing {} differs from never adding it",
            inputs[skip].path
        );
    }
}

#[test]
fn evaluating_again_and_adding_later_match_a_fresh_run() {
    let inputs = load(&data("sample-tenant"));
    let fresh = json(&mut loader(&inputs), "current");
    let mut l = loader(&inputs[..inputs.len() / 2]);
    let _ = json(&mut l, "2022-05");
    for i in &inputs[inputs.len() / 2..] {
        l.add(&i.path, &i.bytes);
    }
    assert!(fresh == json(&mut l, "current"));
    assert!(fresh == json(&mut l, "current"), "a second run differs");
}

#[test]
fn a_scope_file_applies_only_while_named() {
    let mut inputs = load(&data("sample-tenant"));
    let dev = "b3e1c0a2-0000-4000-8000-000000000001";
    inputs.push(Input {
        path: "scope.txt".into(),
        bytes: format!("{dev}\n").into_bytes(),
    });
    let mut l = loader(&inputs);
    let scoped =
        l.run(br#"{"profile":"current","as_of":"2022-06-15T00:00:00Z","scope":"scope.txt"}"#);
    let scoped_fresh = apready_core::run(
        &inputs,
        br#"{"profile":"current","as_of":"2022-06-15T00:00:00Z","scope":"scope.txt"}"#,
    );
    assert!(scoped.output == scoped_fresh.output);
    let text = String::from_utf8(scoped.output).unwrap();
    assert!(text.contains(r#""kind":"scope""#), "{text}");
    // Without the scope option the same loader evaluates every device again.
    let all = json(&mut l, "current");
    assert!(!String::from_utf8(all)
        .unwrap()
        .contains(r#""kind":"scope""#));
}
