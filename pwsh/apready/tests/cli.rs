//! Runs the built `apready` binary (the core in wasmtime) and checks exit codes, outputs,
//! limits, and parity with the native core (`apready_core::run` / `command`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const BIN: &str = env!("CARGO_BIN_EXE_apready");
const AS_OF: &str = "2022-06-15T00:00:00Z";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sample_tenant() -> PathBuf {
    repo().join("tests/data/sample-tenant")
}

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("apready-cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The test-wide compiled-module cache; the first use compiles once, all others load it.
fn cache_dir() -> &'static Path {
    static CACHE: OnceLock<PathBuf> = OnceLock::new();
    CACHE.get_or_init(|| {
        let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("apready-cache");
        std::fs::create_dir_all(&d).unwrap();
        let out = bare(&d).args(["rules"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        d
    })
}

fn bare(cache: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.env("APREADY_CACHE_DIR", cache)
        .env("APREADY_NO_PRECOMPILED", "1")
        .env_remove("APREADY_MAX_MEMORY_MB")
        .env_remove("APREADY_NO_CACHE")
        .env_remove("APREADY_DEBUG")
        .env_remove("NO_COLOR");
    c
}

fn apready() -> Command {
    bare(cache_dir())
}

fn run(args: &[&str]) -> Output {
    apready().args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// No panic text, no backtrace, ever.
fn assert_clean(o: &Output) {
    let e = stderr(o);
    assert!(
        !e.contains("panicked") && !e.contains("RUST_BACKTRACE") && !e.contains("stack backtrace"),
        "{e}"
    );
}

/// The files of a folder as the command names them (sorted relative paths, `/`, no hidden
/// files, no *.md / *.toml).
fn native_inputs(dir: &Path) -> Vec<apready_core::Input> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<apready_core::Input>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            if p.is_dir() {
                walk(root, &p, out);
            } else if !name.ends_with(".md") && !name.ends_with(".toml") {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(apready_core::Input {
                    path: rel,
                    bytes: std::fs::read(&p).unwrap(),
                });
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

// ------------------------------------------------------------------------------ usage, help

#[test]
fn help_and_version_exit_0() {
    let o = run(&["--help"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("check"), "{}", stdout(&o));
    assert!(stdout(&o).contains("Exit codes"));
    let o = run(&["check", "--help"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("--as-of"));
    let o = run(&["--version"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).starts_with("apready "), "{}", stdout(&o));
}

#[test]
fn usage_errors_exit_64() {
    for args in [
        &["check", "--no-such-flag", "x"][..],
        &[],
        &["frobnicate"],
        &["check"],
        &["check", "x.json", "--format", "pdf"],
        &["check", "x.json", "--fail-on-devices", "ready"],
        &["explain"],
        &["check", "x.json", "--max-memory", "0"],
        &["check", "x.json", "--max-memory", "5000"],
    ] {
        let o = run(args);
        assert_eq!(code(&o), 64, "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?}");
        assert_clean(&o);
    }
}

#[test]
fn missing_or_unreadable_inputs_exit_64() {
    let d = scratch("missing");
    let o = run(&["check", d.join("nope.json").to_str().unwrap()]);
    assert_eq!(code(&o), 64);
    assert!(stderr(&o).contains("nope.json"), "{}", stderr(&o));
    assert!(stderr(&o).contains("no such file"), "{}", stderr(&o));

    // an empty folder (only documentation in it)
    std::fs::write(d.join("README.md"), "notes").unwrap();
    let o = run(&["check", d.to_str().unwrap()]);
    assert_eq!(code(&o), 64, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("holds no input files"),
        "{}",
        stderr(&o)
    );

    // a missing redaction key, a missing scope file
    let s = sample_tenant();
    for flag in ["--redact", "--scope"] {
        let o = run(&[
            "check",
            s.to_str().unwrap(),
            flag,
            d.join("absent").to_str().unwrap(),
        ]);
        assert_eq!(code(&o), 64, "{flag}: {}", stderr(&o));
    }
    let o = apready()
        .args(["check", s.to_str().unwrap()])
        .env("APREADY_MAX_MEMORY_MB", "lots")
        .output()
        .unwrap();
    assert_eq!(code(&o), 64);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = d.join("locked.json");
        std::fs::write(&locked, "{}").unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        // root reads anything: only meaningful for other users
        if std::fs::read(&locked).is_err() {
            let o = run(&["check", locked.to_str().unwrap()]);
            assert_eq!(code(&o), 64, "{}", stderr(&o));
            assert!(stderr(&o).contains("permission denied"), "{}", stderr(&o));
        }
    }
}

#[test]
fn engine_usage_errors_exit_64_and_write_nothing() {
    let d = scratch("engine-usage");
    let out = d.join("report.json");
    let s = sample_tenant();
    for extra in [&["--as-of", "yesterday"][..], &["--profile", "1999-01"]] {
        let mut args = vec![
            "check",
            s.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let o = run(&args);
        assert_eq!(code(&o), 64, "{extra:?}: {}", stderr(&o));
        assert!(stderr(&o).starts_with("apready: "), "{}", stderr(&o));
        assert!(!out.exists(), "{extra:?}");
    }
}

// ------------------------------------------------------------------------------ rules, explain

#[test]
fn explain_a_check() {
    let o = run(&["explain", "DEV-003"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let native = apready_core::command(br#"{"op":"explain","id":"DEV-003"}"#);
    assert_eq!(native.exit_code, 0);
    assert_eq!(o.stdout, native.output);
    let title = apready_core::rules::find("DEV-003").unwrap().doc.title;
    assert!(stdout(&o).contains(title), "{}", stdout(&o));
    // ids are not case-sensitive on the command line
    assert_eq!(run(&["explain", "dev-003"]).stdout, o.stdout);
}

#[test]
fn explain_an_unknown_check_exits_64() {
    let o = run(&["explain", "NOPE"]);
    assert_eq!(code(&o), 64);
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("unknown check"), "{}", stderr(&o));
}

#[test]
fn rules_text_and_json_match_the_native_core() {
    let o = run(&["rules"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        o.stdout,
        apready_core::command(br#"{"op":"rules","format":"text"}"#).output
    );
    let o = run(&["rules", "--format", "json"]);
    assert_eq!(code(&o), 0);
    assert_eq!(
        o.stdout,
        apready_core::command(br#"{"op":"rules","format":"json"}"#).output
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v.to_string().contains("DEV-003"));
    let o = run(&["rules", "--profile", "1999-01"]);
    assert_eq!(code(&o), 64);
}

// ------------------------------------------------------------------------------ check

#[test]
fn sample_tenant_json_report_and_exit_code() {
    let s = sample_tenant();
    let o = run(&[
        "check",
        s.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    assert_clean(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "apready.report/1");
    assert_eq!(v["tool"]["name"], "apready");
    assert_eq!(v["as_of"], AS_OF);
    let want = match v["verdict"].as_str().unwrap() {
        "ready" => 0,
        "advisory" => 1,
        "not_ready" => 2,
        _ => 3,
    };
    assert_eq!(code(&o), want, "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    // the names the engine saw: relative, sorted, no documentation files
    let files: Vec<&str> = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["file"].as_str().unwrap())
        .collect();
    assert!(files.contains(&"devices.json"), "{files:?}");
    assert!(!files
        .iter()
        .any(|f| f.ends_with(".md") || f.ends_with(".toml")));
}

#[test]
fn wasmtime_json_is_byte_identical_to_the_native_core() {
    let s = sample_tenant();
    let o = run(&[
        "check",
        s.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    let opts = serde_json::json!({ "as_of": AS_OF, "format": "json" }).to_string();
    let native = apready_core::run(&native_inputs(&s), opts.as_bytes());
    assert_eq!(code(&o), native.exit_code);
    assert!(
        o.stdout == native.output,
        "the wasmtime host and the native core disagree"
    );
    // and the text summary
    let o = run(&["check", s.to_str().unwrap(), "--as-of", AS_OF]);
    let opts = serde_json::json!({ "as_of": AS_OF, "format": "text" }).to_string();
    let native = apready_core::run(&native_inputs(&s), opts.as_bytes());
    assert_eq!(o.stdout, native.output);
    assert_eq!(code(&o), native.exit_code);
}

/// Every self-contained case folder of `tests/cases/` through the binary: the same bytes and
/// exit code as the native core, and every exit code of a report (0, 1, 2, 3) seen.
#[test]
fn case_folders_agree_with_the_native_core() {
    let root = repo().join("tests/cases");
    let Ok(entries) = std::fs::read_dir(&root) else {
        eprintln!("no tests/cases: skipped");
        return;
    };
    let mut dirs: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut codes = std::collections::BTreeSet::new();
    let mut ran = 0;
    for dir in dirs {
        let Ok(text) = std::fs::read_to_string(dir.join("case.toml")) else {
            continue;
        };
        let case: toml::Table = text.parse().unwrap();
        let inputs = native_inputs(&dir);
        let mut named: Vec<String> = case["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        named.sort();
        let have: Vec<String> = inputs.iter().map(|i| i.path.clone()).collect();
        if named != have || named.is_empty() {
            // the case uses files from elsewhere, or none (an empty folder is a usage error
            // for the command: see missing_or_unreadable_inputs_exit_64)
            continue;
        }
        let mut opts = serde_json::Map::new();
        opts.insert("format".into(), "json".into());
        let mut args = vec!["check".to_string(), dir.to_string_lossy().into_owned()];
        args.push("--format".into());
        args.push("json".into());
        for key in [
            "profile",
            "as_of",
            "configmgr_version",
            "sync_client_version",
            "fail_on_devices",
        ] {
            if let Some(v) = case.get(key).and_then(|v| v.as_str()) {
                opts.insert(key.into(), v.into());
                args.push(format!("--{}", key.replace('_', "-")));
                args.push(v.into());
            }
        }
        let native = apready_core::run(
            &inputs,
            serde_json::Value::Object(opts).to_string().as_bytes(),
        );
        let o = apready().args(&args).output().unwrap();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert_clean(&o);
        assert_eq!(code(&o), native.exit_code, "{name}: {}", stderr(&o));
        assert!(o.stdout == native.output, "{name}: reports differ");
        codes.insert(native.exit_code);
        ran += 1;
    }
    eprintln!("{ran} case folders agree");
    if ran > 20 {
        for c in [0, 1, 2, 3] {
            assert!(codes.contains(&c), "no case exits {c}: {codes:?}");
        }
    }
}

#[test]
fn small_fixtures_exit_0_2_and_3() {
    // not JSON → an `error` report, exit 3, no crash
    let d = scratch("fixtures");
    std::fs::write(d.join("managedDevices.json"), "this is not JSON").unwrap();
    let o = run(&[
        "check",
        d.join("managedDevices.json").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert_clean(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verdict"], "error");

    // an empty file
    std::fs::write(d.join("users.json"), "").unwrap();
    let o = run(&[
        "check",
        d.join("users.json").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));

    // a tenant whose only SKU is suspended: not ready (2)
    let skus = d.join("skus");
    std::fs::create_dir_all(&skus).unwrap();
    std::fs::write(
        skus.join("subscribedSkus.json"),
        r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#subscribedSkus","value":[
        {"capabilityStatus":"Suspended","consumedUnits":0,"id":"x_05e9a617-0261-4cee-bb44-138d3ef5d965",
         "skuId":"05e9a617-0261-4cee-bb44-138d3ef5d965","skuPartNumber":"SPE_E3","appliesTo":"User",
         "prepaidUnits":{"enabled":0,"suspended":50,"warning":0,"lockedOut":0},"servicePlans":[]}]}"#,
    )
    .unwrap();
    let o = run(&[
        "check",
        skus.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verdict"], "not_ready", "{}", stdout(&o));
    assert_eq!(code(&o), 2);

    // a ready tenant (exit 0), if the repository has its case folder
    let ready = repo().join("tests/cases/tenant-ready-from-graph-exports-alone");
    if ready.is_dir() {
        let o = run(&[
            "check",
            ready.to_str().unwrap(),
            "--as-of",
            AS_OF,
            "--profile",
            "2022-05",
        ]);
        assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    }
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let d = scratch("output");
    let out = d.join("sub dir/report.json");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let s = sample_tenant();
    let o = run(&[
        "check",
        s.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(o.stdout.is_empty());
    assert!(
        o.stderr.is_empty(),
        "no chatter when stderr is not a terminal: {}",
        stderr(&o)
    );
    let written = std::fs::read(&out).unwrap();
    let direct = run(&[
        "check",
        s.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    assert_eq!(written, direct.stdout);
    assert_eq!(code(&o), code(&direct));
    // no temporary file left behind
    let left: Vec<_> = std::fs::read_dir(out.parent().unwrap()).unwrap().collect();
    assert_eq!(left.len(), 1);
    // --quiet: nothing on stderr; an existing file is replaced
    let o = run(&[
        "check",
        s.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--quiet",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    assert_ne!(std::fs::read(&out).unwrap(), written);
    // an output folder that does not exist: exit 3 with a message
    let o = run(&[
        "check",
        s.to_str().unwrap(),
        "--output",
        d.join("no/such/dir/r.json").to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 3);
    assert!(stderr(&o).contains("cannot write"), "{}", stderr(&o));
}

#[test]
fn scope_and_redaction_reach_the_engine() {
    let d = scratch("scope");
    let s = sample_tenant();
    let key = d.join("key.txt");
    std::fs::write(&key, "correct horse battery staple\n").unwrap();
    let o = run(&[
        "check",
        s.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--redact",
        key.to_str().unwrap(),
    ]);
    assert_clean(&o);
    assert!(code(&o) < 4, "{}", stderr(&o));
    let text = stdout(&o);
    assert!(!text.contains("Contoso Pharma"), "tenant name not redacted");
    // the same as the native core with the key (line ending dropped)
    let opts = serde_json::json!({ "as_of": AS_OF, "format": "json",
                                   "redact_key": "correct horse battery staple" })
    .to_string();
    let native = apready_core::run(&native_inputs(&s), opts.as_bytes());
    assert!(o.stdout == native.output, "redacted reports differ");

    // a scope file naming one device id
    let v: serde_json::Value = serde_json::from_slice(
        &run(&[
            "check",
            s.to_str().unwrap(),
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ])
        .stdout,
    )
    .unwrap();
    let first = v["devices"]["items"][0]["id"].as_str().unwrap().to_string();
    let scope = d.join("scope.txt");
    std::fs::write(&scope, format!("{first}\n")).unwrap();
    let o = run(&[
        "check",
        s.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--scope",
        scope.to_str().unwrap(),
    ]);
    assert_clean(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files: Vec<&str> = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["file"].as_str().unwrap())
        .collect();
    assert!(files.contains(&"scope.txt"), "{files:?}");
}

// ------------------------------------------------------------------------------ hostile input

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let d = scratch("nesting");
    let f = d.join("managedDevices.json");
    let mut text = String::from(r#"{"value":"#);
    text.push_str(&"[".repeat(200_000));
    std::fs::write(&f, text).unwrap();
    let o = run(&["check", f.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert_clean(&o);
    if o.stdout.is_empty() {
        // the engine stopped: the message names the input
        assert!(stderr(&o).contains("managedDevices.json"), "{}", stderr(&o));
    } else {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["verdict"], "error");
    }
}

#[test]
fn memory_cap_stops_the_engine_with_exit_3() {
    let d = scratch("memory");
    let f = d.join("managedDevices.json");
    // ~6 MB of records: fits the 8 MiB cap as bytes, not once parsed
    let mut text = String::from(
        r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices","value":["#,
    );
    for i in 0..20_000 {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            r#"{{"id":"{i:08}-0000-0000-0000-000000000000","deviceName":"PC-{i}","operatingSystem":"Windows","osVersion":"10.0.19044.1706","managementAgent":"mdm","ownerType":"company","lastSyncDateTime":"2022-06-10T00:00:00Z","azureADDeviceId":"{i:08}-1111-1111-1111-111111111111","userPrincipalName":"user{i}@contoso.com","serialNumber":"SN{i}","model":"Laptop {i}","manufacturer":"Contoso"}}"#
        ));
    }
    text.push_str("]}");
    std::fs::write(&f, &text).unwrap();
    let o = run(&[
        "check",
        f.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--max-memory",
        "8",
    ]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert_clean(&o);
    let e = stderr(&o);
    assert!(
        e.contains("the engine stopped while evaluating managedDevices.json"),
        "{e}"
    );
    assert!(e.contains("memory"), "{e}");
    assert!(o.stdout.is_empty());
    // the same input within the default cap works
    let o = run(&[
        "check",
        f.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    assert!(code(&o) < 4, "{}", stderr(&o));
    // inputs larger than the cap are refused before they are read
    let o = run(&["check", f.to_str().unwrap(), "--max-memory", "1"]);
    assert_eq!(code(&o), 3);
    assert!(stderr(&o).contains("do not fit"), "{}", stderr(&o));
}

// ------------------------------------------------------------------------------ sample, diff

#[test]
fn sample_then_check() {
    let d = scratch("sample").join("tenant");
    let o = run(&["sample", d.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).starts_with("apready check "), "{}", stdout(&o));
    assert!(d.join("managedDevices.page1.json").is_file());
    // the printed command checks it; the report equals the repository's sample tenant's
    let o = run(&[
        "check",
        d.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    let s = sample_tenant();
    let reference = run(&[
        "check",
        s.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), code(&reference));
    assert!(o.stdout == reference.stdout);
    // again into the same folder: fine (same files); a different file of the same name: refused
    assert_eq!(code(&run(&["sample", d.to_str().unwrap()])), 0);
    std::fs::write(d.join("devices.json"), "{}").unwrap();
    let o = run(&["sample", d.to_str().unwrap()]);
    assert_eq!(code(&o), 3);
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
}

#[test]
fn diff_goes_through_the_engine() {
    let d = scratch("diff");
    let s = sample_tenant();
    let old = d.join("old.json");
    let new = d.join("new.json");
    for (p, as_of) in [(&old, AS_OF), (&new, "2022-07-20T00:00:00Z")] {
        let o = run(&[
            "check",
            s.to_str().unwrap(),
            "--as-of",
            as_of,
            "--format",
            "json",
            "--output",
            p.to_str().unwrap(),
        ]);
        assert!(code(&o) < 4);
    }
    for format in ["text", "json", "md"] {
        let o = run(&[
            "diff",
            old.to_str().unwrap(),
            new.to_str().unwrap(),
            "--format",
            format,
        ]);
        let req = serde_json::json!({
            "op": "diff",
            "old": std::fs::read_to_string(&old).unwrap(),
            "new": std::fs::read_to_string(&new).unwrap(),
            "format": format,
        });
        let native = apready_core::command(req.to_string().as_bytes());
        assert_eq!(code(&o), native.exit_code, "{}", stderr(&o));
        if native.exit_code != 64 {
            assert_eq!(o.stdout, native.output);
        }
    }
    // a file that is not a report
    let o = run(&[
        "diff",
        old.to_str().unwrap(),
        d.join("missing.json").to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 64);
}

// ------------------------------------------------------------------------------ loading

#[test]
fn cache_is_written_then_used_and_a_bad_cache_falls_back() {
    let cache = scratch("cache");
    let s = sample_tenant();
    let args = [
        "check",
        s.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ];
    // a damaged entry under the name this build uses (as the warm test cache shows it)
    let o = apready()
        .args(["rules"])
        .env("APREADY_DEBUG", "1")
        .output()
        .unwrap();
    let e = stderr(&o);
    let warm = e
        .lines()
        .find_map(|l| l.strip_prefix("apready: debug: engine from the cache "))
        .and_then(|l| l.rsplit_once(" in "))
        .map(|(p, _)| PathBuf::from(p))
        .unwrap_or_else(|| panic!("{e}"));
    let name = warm.file_name().unwrap().to_owned();
    std::fs::write(cache.join(&name), b"\x7fELF garbage").unwrap();
    let first = bare(&cache)
        .args(args)
        .env("APREADY_DEBUG", "1")
        .output()
        .unwrap();
    let e = stderr(&first);
    assert!(e.contains("refused"), "{e}");
    assert!(e.contains("compiling the embedded wasm"), "{e}");
    assert!(e.contains("cached as"), "{e}");
    let entries: Vec<PathBuf> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        entries,
        vec![cache.join(&name)],
        "one entry, no temporary file"
    );
    let second = bare(&cache)
        .args(args)
        .env("APREADY_DEBUG", "1")
        .output()
        .unwrap();
    assert!(
        stderr(&second).contains("engine from the cache"),
        "{}",
        stderr(&second)
    );
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(code(&first), code(&second));
}

#[test]
fn precompiled_artefact_beside_the_executable_is_used() {
    let d = scratch("precompiled");
    let exe = d.join(Path::new(BIN).file_name().unwrap());
    std::fs::copy(BIN, &exe).unwrap();
    let cwasm = d.join("apready.cwasm");
    let run_here = |args: &[&str]| {
        let mut c = Command::new(&exe);
        c.env("APREADY_NO_CACHE", "1")
            .env("APREADY_DEBUG", "1")
            .env_remove("APREADY_NO_PRECOMPILED")
            .args(args);
        c.output().unwrap()
    };
    let o = run_here(&["__precompile", cwasm.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(cwasm.is_file());
    let o = run_here(&["explain", "DEV-003"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("the precompiled"), "{}", stderr(&o));
    // a foreign or damaged artefact is refused; the engine then compiles (or uses the cache)
    std::fs::write(&cwasm, b"not an artefact").unwrap();
    let mut c = Command::new(&exe);
    let o = c
        .env("APREADY_CACHE_DIR", cache_dir())
        .env("APREADY_DEBUG", "1")
        .env_remove("APREADY_NO_PRECOMPILED")
        .env_remove("APREADY_NO_CACHE")
        .args(["explain", "DEV-003"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("refused"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("engine from the cache"),
        "{}",
        stderr(&o)
    );
}
