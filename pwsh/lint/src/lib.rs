//! Static checks for the `AutopatchReadiness` PowerShell module, run by `cargo test` on machines
//! that have no PowerShell.
//!
//! Every `.ps1`/`.psm1`/`.psd1` is parsed with the tree-sitter PowerShell grammar and must produce
//! no `ERROR` or `MISSING` node. On top of the syntax tree, module code (everything in the module
//! folder except `Tests/`) is checked for:
//!
//! - the manifest's `FunctionsToExport`: an explicit list (no wildcard) equal to the functions
//!   defined in `Public/` (one function per file, named like the file);
//! - approved verbs (Windows PowerShell 5.1's `Get-Verb` list) for every function;
//! - comment-based help on every exported function: `.SYNOPSIS`, `.DESCRIPTION`, at least one
//!   `.EXAMPLE`, and a `.PARAMETER` for each parameter (and none for a parameter that is gone);
//! - no `exit` statement, no `Write-Host`, no built-in aliases (`%`, `?`, `select`, `gci`, …);
//! - ASCII only in files without a byte order mark (for every file under the module, tests too);
//! - nothing that Windows PowerShell 5.1 cannot run: pipeline chains (`&&`, `||`), and the
//!   PowerShell 7-only parameters and commands listed in [`PS7_ONLY_PARAMETERS`] and
//!   [`PS7_ONLY_COMMANDS`] (the ternary and null-coalescing operators are already parse errors).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use tree_sitter::{Node, Parser, Tree};

/// Approved verbs: `Get-Verb` of Windows PowerShell 5.1 (PowerShell 7 adds `Build` and `Deploy`,
/// which 5.1 would warn about on import, so they are left out on purpose).
#[rustfmt::skip]
pub const APPROVED_VERBS: &[&str] = &[
    // Common
    "Add", "Clear", "Close", "Copy", "Enter", "Exit", "Find", "Format", "Get", "Hide", "Join", "Lock",
    "Move", "New", "Open", "Optimize", "Pop", "Push", "Redo", "Remove", "Rename", "Reset", "Resize",
    "Search", "Select", "Set", "Show", "Skip", "Split", "Step", "Switch", "Undo", "Unlock", "Watch",
    // Communications
    "Connect", "Disconnect", "Read", "Receive", "Send", "Write",
    // Data
    "Backup", "Checkpoint", "Compare", "Compress", "Convert", "ConvertFrom", "ConvertTo", "Dismount",
    "Edit", "Expand", "Export", "Group", "Import", "Initialize", "Limit", "Merge", "Mount", "Out",
    "Publish", "Restore", "Save", "Sync", "Unpublish", "Update",
    // Diagnostic
    "Debug", "Measure", "Ping", "Repair", "Resolve", "Test", "Trace",
    // Lifecycle
    "Approve", "Assert", "Complete", "Confirm", "Deny", "Disable", "Enable", "Install", "Invoke",
    "Register", "Request", "Restart", "Resume", "Start", "Stop", "Submit", "Suspend", "Uninstall",
    "Unregister", "Wait",
    // Security
    "Block", "Grant", "Protect", "Revoke", "Unblock", "Unprotect",
    // Other
    "Use",
];

/// Built-in aliases of Windows PowerShell 5.1 and PowerShell 7 (lower case). Module code spells
/// commands out in full.
#[rustfmt::skip]
pub const BUILTIN_ALIASES: &[&str] = &[
    "%", "?", "ac", "asnp", "cat", "cd", "chdir", "clc", "clear", "clhy", "cli", "clp", "cls", "clv",
    "cnsn", "compare", "copy", "cp", "cpi", "cpp", "curl", "cvpa", "dbp", "del", "diff", "dir",
    "dnsn", "ebp", "echo", "epal", "epcsv", "epsn", "erase", "etsn", "exsn", "fc", "fhx", "fl",
    "foreach", "ft", "fw", "gal", "gbp", "gc", "gcb", "gci", "gcm", "gcs", "gdr", "ghy", "gi", "gin",
    "gjb", "gl", "gm", "gmo", "gp", "gps", "gpv", "group", "gsn", "gsnp", "gsv", "gtz", "gu", "gv",
    "gwmi", "h", "history", "icm", "iex", "ihy", "ii", "ipal", "ipcsv", "ipmo", "ipsn", "irm", "ise",
    "iwmi", "iwr", "kill", "lp", "ls", "man", "md", "measure", "mi", "mount", "move", "mp", "mv",
    "nal", "ndr", "ni", "nmo", "npssc", "nsn", "nv", "ogv", "oh", "popd", "ps", "pushd", "pwd", "r",
    "rbp", "rcjb", "rcsn", "rd", "rdr", "ren", "ri", "rjb", "rm", "rmdir", "rmo", "rni", "rnp", "rp",
    "rsn", "rsnp", "rujb", "rv", "rvpa", "rwmi", "sajb", "sal", "saps", "sasv", "sbp", "sc", "scb",
    "select", "set", "shcm", "si", "sl", "sleep", "sls", "sort", "sp", "spjb", "spps", "spsv",
    "start", "stz", "sujb", "sv", "swmi", "tee", "trcm", "type", "wget", "where", "wjb", "write",
];

/// (command, parameter) pairs that exist only in PowerShell 6 or later (lower case).
pub const PS7_ONLY_PARAMETERS: &[(&str, &str)] = &[
    ("foreach-object", "-parallel"),
    ("foreach-object", "-throttlelimit"),
    ("convertfrom-json", "-ashashtable"),
    ("convertfrom-json", "-depth"),
    ("convertfrom-json", "-noenumerate"),
    ("convertfrom-json", "-datekind"),
    ("convertto-json", "-asarray"),
    ("convertto-json", "-enumsasstrings"),
    ("convertto-json", "-escapehandling"),
    ("join-path", "-additionalchildpath"),
    ("split-path", "-leafbase"),
    ("split-path", "-extension"),
    ("invoke-restmethod", "-skiphttperrorcheck"),
    ("invoke-restmethod", "-statuscodevariable"),
    ("invoke-restmethod", "-skipcertificatecheck"),
    ("invoke-webrequest", "-skiphttperrorcheck"),
    ("invoke-webrequest", "-skipcertificatecheck"),
    ("get-content", "-asbytestream"),
    ("set-content", "-asbytestream"),
];

/// Commands that exist only in PowerShell 6 or later (lower case).
pub const PS7_ONLY_COMMANDS: &[&str] = &[
    "test-json",
    "get-error",
    "join-string",
    "remove-alias",
    "get-uptime",
    "convertfrom-markdown",
    "show-markdown",
    "clean-block",
];

/// One finding of the checker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// 1-based; 0 when the problem is about the whole file.
    pub line: usize,
    pub column: usize,
    pub rule: &'static str,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: [{}] {}",
            self.file, self.line, self.column, self.rule, self.message
        )
    }
}

impl Problem {
    fn at(file: &str, node: Node<'_>, rule: &'static str, message: String) -> Self {
        let p = node.start_position();
        Problem {
            file: file.to_string(),
            line: p.row + 1,
            column: p.column + 1,
            rule,
            message,
        }
    }
    fn whole(file: &str, rule: &'static str, message: String) -> Self {
        Problem {
            file: file.to_string(),
            line: 0,
            column: 0,
            rule,
            message,
        }
    }
}

/// A function definition found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionDef {
    pub name: String,
    pub line: usize,
    /// Declared parameter names, without `$`.
    pub parameters: Vec<String>,
    /// The comment-based help block (`<# … #>`), if any.
    pub help: Option<String>,
    /// True when the function is at the top level of its file (not nested in another block).
    pub top_level: bool,
}

/// Parses PowerShell source with the tree-sitter grammar.
pub fn parse(source: &str) -> Result<Tree, String> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_powershell::LANGUAGE.into())
        .map_err(|e| format!("cannot load the PowerShell grammar: {e}"))?;
    parser
        .parse(strip_bom(source), None)
        .ok_or_else(|| "the parser returned no tree".to_string())
}

fn strip_bom(source: &str) -> &str {
    source.strip_prefix('\u{feff}').unwrap_or(source)
}

fn text<'a>(node: Node<'_>, source: &'a str) -> &'a str {
    source.get(node.byte_range()).unwrap_or("")
}

fn children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.children(&mut cursor).collect()
}

/// Every node of the tree, depth first.
fn descendants(root: Node<'_>) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        out.push(node);
        let mut kids = children(node);
        kids.reverse();
        stack.extend(kids);
    }
    out
}

/// `ERROR` and `MISSING` nodes: anything the grammar could not parse.
pub fn syntax_problems(file: &str, source: &str) -> Vec<Problem> {
    let source = strip_bom(source);
    let tree = match parse(source) {
        Ok(t) => t,
        Err(e) => return vec![Problem::whole(file, "syntax", e)],
    };
    let mut problems = Vec::new();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.is_error() {
            let snippet: String = text(node, source).chars().take(40).collect();
            problems.push(Problem::at(
                file,
                node,
                "syntax",
                format!("cannot parse near {:?}", snippet.trim()),
            ));
            continue;
        }
        if node.is_missing() {
            problems.push(Problem::at(
                file,
                node,
                "syntax",
                format!("missing {}", node.kind()),
            ));
            continue;
        }
        let mut kids = children(node);
        kids.reverse();
        stack.extend(kids);
    }
    if problems.is_empty() && tree.root_node().has_error() {
        problems.push(Problem::whole(
            file,
            "syntax",
            "the syntax tree has an error".to_string(),
        ));
    }
    problems.sort_by_key(|p| (p.line, p.column));
    problems
}

fn command_name(node: Node<'_>, source: &str) -> Option<String> {
    node.child_by_field_name("command_name")
        .map(|n| text(n, source).trim().to_ascii_lowercase())
}

fn command_parameters(node: Node<'_>, source: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(elements) = node.child_by_field_name("command_elements") {
        for child in children(elements) {
            if child.kind() == "command_parameter" {
                let t = text(child, source)
                    .trim()
                    .trim_end_matches(':')
                    .to_ascii_lowercase();
                out.push(t);
            }
        }
    }
    out
}

/// Windows PowerShell 5.1 reads a script without a byte order mark in the ANSI code page, so a
/// non-ASCII character in such a file changes meaning between 5.1 and 7.
pub fn encoding_problems(file: &str, bytes: &[u8]) -> Vec<Problem> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF])
        || bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
    {
        return Vec::new();
    }
    let mut line = 1usize;
    let mut column = 1usize;
    for &b in bytes {
        if b >= 0x80 {
            return vec![Problem {
                file: file.to_string(),
                line,
                column,
                rule: "encoding",
                message: "non-ASCII text in a file without a byte order mark: Windows PowerShell 5.1 reads it as ANSI; use ASCII (e.g. [char]0x00e9) or save as UTF-8 with BOM".into(),
            }];
        }
        if b == b'\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    Vec::new()
}

/// Rules for module code: no `exit`, no `Write-Host`, no aliases, nothing Windows PowerShell 5.1
/// cannot run.
pub fn style_problems(file: &str, source: &str) -> Vec<Problem> {
    let source = strip_bom(source);
    let tree = match parse(source) {
        Ok(t) => t,
        Err(e) => return vec![Problem::whole(file, "syntax", e)],
    };
    let mut problems = Vec::new();
    for node in descendants(tree.root_node()) {
        match node.kind() {
            "flow_control_statement" => {
                if let Some(first) = node.child(0) {
                    if first.kind().eq_ignore_ascii_case("exit") {
                        problems.push(Problem::at(
                            file,
                            node,
                            "no-exit",
                            "`exit` in module code ends the caller's session; return a result or throw instead".into(),
                        ));
                    }
                }
            }
            "pipeline_chain_tail" => {
                problems.push(Problem::at(
                    file,
                    node,
                    "ps51-compat",
                    format!(
                        "pipeline chain operator `{}` needs PowerShell 7",
                        text(node, source).trim()
                    ),
                ));
            }
            "command" => {
                let Some(name) = command_name(node, source) else {
                    continue;
                };
                if name == "write-host" {
                    problems.push(Problem::at(
                        file,
                        node,
                        "no-write-host",
                        "Write-Host in module code: write objects, or use Write-Verbose/Write-Information/Write-Warning".into(),
                    ));
                }
                if BUILTIN_ALIASES.contains(&name.as_str()) {
                    problems.push(Problem::at(
                        file,
                        node,
                        "no-alias",
                        format!("alias `{name}`: spell the command out"),
                    ));
                }
                if PS7_ONLY_COMMANDS.contains(&name.as_str()) {
                    problems.push(Problem::at(
                        file,
                        node,
                        "ps51-compat",
                        format!("`{name}` does not exist in Windows PowerShell 5.1"),
                    ));
                }
                for parameter in command_parameters(node, source) {
                    if PS7_ONLY_PARAMETERS
                        .iter()
                        .any(|(c, p)| *c == name && *p == parameter)
                    {
                        problems.push(Problem::at(
                            file,
                            node,
                            "ps51-compat",
                            format!("`{name} {parameter}` needs PowerShell 6 or later"),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    problems
}

fn parameter_names(list: Node<'_>, source: &str) -> Vec<String> {
    let mut names = Vec::new();
    for parameter in children(list) {
        if parameter.kind() != "script_parameter" {
            continue;
        }
        if let Some(variable) = children(parameter)
            .into_iter()
            .find(|c| c.kind() == "variable")
        {
            let t = text(variable, source).trim();
            let t = t
                .trim_start_matches('$')
                .trim_start_matches('{')
                .trim_end_matches('}');
            names.push(t.to_string());
        }
    }
    names
}

fn function_parameters(function: Node<'_>, source: &str) -> Vec<String> {
    for child in children(function) {
        match child.kind() {
            "function_parameter_declaration" => {
                if let Some(list) = children(child)
                    .into_iter()
                    .find(|c| c.kind() == "parameter_list")
                {
                    return parameter_names(list, source);
                }
            }
            "script_block" => {
                if let Some(block) = children(child)
                    .into_iter()
                    .find(|c| c.kind() == "param_block")
                {
                    if let Some(list) = children(block)
                        .into_iter()
                        .find(|c| c.kind() == "parameter_list")
                    {
                        return parameter_names(list, source);
                    }
                    return Vec::new();
                }
            }
            _ => {}
        }
    }
    Vec::new()
}

fn is_help_block(comment: &str) -> bool {
    comment.starts_with("<#")
        && help_sections(comment)
            .iter()
            .any(|(k, _, _)| k == "SYNOPSIS" || k == "DESCRIPTION")
}

/// Comment-based help of a function: a `<# … #>` block at the start of its body, or right before
/// the `function` keyword.
fn function_help(function: Node<'_>, source: &str) -> Option<String> {
    for child in children(function) {
        if child.kind() == "comment" {
            let t = text(child, source);
            if is_help_block(t) {
                return Some(t.to_string());
            }
        }
        if child.kind() == "script_block" {
            break;
        }
    }
    let before = source.get(..function.start_byte())?.trim_end();
    if before.ends_with("#>") {
        let start = before.rfind("<#")?;
        let block = &before[start..];
        if is_help_block(block) {
            return Some(block.to_string());
        }
    }
    None
}

/// The functions a file defines.
pub fn functions(source: &str) -> Result<Vec<FunctionDef>, String> {
    let source = strip_bom(source);
    let tree = parse(source)?;
    let mut out = Vec::new();
    for node in descendants(tree.root_node()) {
        if node.kind() != "function_statement" {
            continue;
        }
        let Some(name_node) = children(node)
            .into_iter()
            .find(|c| c.kind() == "function_name")
        else {
            continue;
        };
        let top_level = node.parent().is_some_and(|p| {
            p.kind() == "statement_list" && p.parent().is_some_and(|g| g.kind() == "program")
        });
        out.push(FunctionDef {
            name: text(name_node, source).trim().to_string(),
            line: node.start_position().row + 1,
            parameters: function_parameters(node, source),
            help: function_help(node, source),
            top_level,
        });
    }
    Ok(out)
}

/// The sections of a comment-based help block: (KEYWORD upper case, argument, body text).
pub fn help_sections(help: &str) -> Vec<(String, String, String)> {
    let inner = help.trim().trim_start_matches("<#").trim_end_matches("#>");
    let mut sections: Vec<(String, String, String)> = Vec::new();
    for line in inner.lines() {
        let trimmed = line.trim();
        if let Some(rest) = trimmed.strip_prefix('.') {
            let mut parts = rest.splitn(2, char::is_whitespace);
            let keyword = parts.next().unwrap_or("");
            if !keyword.is_empty()
                && keyword.chars().all(|c| c.is_ascii_alphabetic())
                && keyword.chars().any(|c| c.is_ascii_uppercase())
            {
                let argument = parts.next().unwrap_or("").trim().to_string();
                sections.push((keyword.to_ascii_uppercase(), argument, String::new()));
                continue;
            }
        }
        if let Some(last) = sections.last_mut() {
            if !trimmed.is_empty() {
                if !last.2.is_empty() {
                    last.2.push('\n');
                }
                last.2.push_str(trimmed);
            }
        }
    }
    sections
}

/// Help rules for an exported function.
pub fn help_problems(file: &str, function: &FunctionDef) -> Vec<Problem> {
    let at = |message: String| Problem {
        file: file.to_string(),
        line: function.line,
        column: 1,
        rule: "help",
        message: format!("{}: {}", function.name, message),
    };
    let Some(help) = &function.help else {
        return vec![at("no comment-based help (<# .SYNOPSIS … #>)".into())];
    };
    let sections = help_sections(help);
    let mut problems = Vec::new();
    let body_of = |keyword: &str| {
        sections
            .iter()
            .filter(|(k, _, _)| k == keyword)
            .map(|(_, _, b)| b.clone())
            .collect::<Vec<_>>()
    };
    for keyword in ["SYNOPSIS", "DESCRIPTION"] {
        let bodies = body_of(keyword);
        if bodies.is_empty() {
            problems.push(at(format!(".{keyword} is missing")));
        } else if bodies.iter().all(|b| b.trim().is_empty()) {
            problems.push(at(format!(".{keyword} is empty")));
        }
    }
    let examples = body_of("EXAMPLE");
    if examples.is_empty() {
        problems.push(at("no .EXAMPLE".into()));
    }
    for (i, example) in examples.iter().enumerate() {
        if example.trim().is_empty() {
            problems.push(at(format!(".EXAMPLE {} is empty", i + 1)));
        }
    }
    let documented: BTreeMap<String, String> = sections
        .iter()
        .filter(|(k, _, _)| k == "PARAMETER")
        .map(|(_, a, b)| (a.to_ascii_lowercase(), b.clone()))
        .collect();
    for parameter in &function.parameters {
        match documented.get(&parameter.to_ascii_lowercase()) {
            None => problems.push(at(format!("parameter -{parameter} has no .PARAMETER help"))),
            Some(body) if body.trim().is_empty() => {
                problems.push(at(format!(".PARAMETER {parameter} is empty")))
            }
            Some(_) => {}
        }
    }
    let declared: BTreeSet<String> = function
        .parameters
        .iter()
        .map(|p| p.to_ascii_lowercase())
        .collect();
    for (_, argument, _) in sections.iter().filter(|(k, _, _)| k == "PARAMETER") {
        if !declared.contains(&argument.to_ascii_lowercase()) {
            problems.push(at(format!(
                ".PARAMETER {argument} documents a parameter the function does not have"
            )));
        }
    }
    problems
}

/// The verb of a `Verb-Noun` name, if it is approved.
pub fn is_approved_verb(verb: &str) -> bool {
    APPROVED_VERBS.iter().any(|v| v.eq_ignore_ascii_case(verb))
}

/// Verb-Noun with an approved verb.
pub fn verb_problem(file: &str, function: &FunctionDef) -> Option<Problem> {
    let message = match function.name.split_once('-') {
        None => format!("{}: not in Verb-Noun form", function.name),
        Some((verb, "")) => {
            format!("{}: empty noun after verb {verb}", function.name)
        }
        Some((verb, _)) if !is_approved_verb(verb) => {
            format!(
                "{}: `{verb}` is not an approved verb (see Get-Verb)",
                function.name
            )
        }
        Some(_) => return None,
    };
    Some(Problem {
        file: file.to_string(),
        line: function.line,
        column: 1,
        rule: "approved-verb",
        message,
    })
}

fn unquote(s: &str) -> String {
    let t = s.trim();
    if t.len() >= 2
        && ((t.starts_with('\'') && t.ends_with('\'')) || (t.starts_with('"') && t.ends_with('"')))
    {
        t[1..t.len() - 1].to_string()
    } else {
        t.to_string()
    }
}

/// The top-level entries of a module manifest: key → (value node text, string literals inside).
fn manifest_entries(source: &str) -> Result<BTreeMap<String, (String, Vec<String>)>, String> {
    let source = strip_bom(source);
    let tree = parse(source)?;
    let root = tree.root_node();
    let hash = descendants(root)
        .into_iter()
        .find(|n| n.kind() == "hash_literal_expression")
        .ok_or_else(|| "the manifest holds no hash table".to_string())?;
    let Some(body) = children(hash)
        .into_iter()
        .find(|c| c.kind() == "hash_literal_body")
    else {
        return Ok(BTreeMap::new());
    };
    let mut out = BTreeMap::new();
    for entry in children(body) {
        if entry.kind() != "hash_entry" {
            continue;
        }
        let kids = children(entry);
        let Some(key) = kids.iter().find(|c| c.kind() == "key_expression") else {
            continue;
        };
        let Some(value) = kids.iter().skip_while(|c| c.kind() != "=").nth(1) else {
            continue;
        };
        let strings = descendants(*value)
            .into_iter()
            .filter(|n| n.kind() == "string_literal")
            .map(|n| unquote(text(n, source)))
            .collect();
        out.insert(
            unquote(text(*key, source)).to_ascii_lowercase(),
            (text(*value, source).to_string(), strings),
        );
    }
    Ok(out)
}

/// `FunctionsToExport` of a module manifest.
pub fn manifest_exports(source: &str) -> Result<Vec<String>, String> {
    let entries = manifest_entries(source)?;
    let (_, strings) = entries
        .get("functionstoexport")
        .ok_or_else(|| "the manifest has no FunctionsToExport".to_string())?;
    Ok(strings.clone())
}

/// Manifest rules: explicit exports, both editions, PowerShell 5.1.
pub fn manifest_problems(file: &str, source: &str) -> Vec<Problem> {
    let entries = match manifest_entries(source) {
        Ok(e) => e,
        Err(e) => return vec![Problem::whole(file, "manifest", e)],
    };
    let mut problems = Vec::new();
    for key in [
        "functionstoexport",
        "cmdletstoexport",
        "aliasestoexport",
        "variablestoexport",
    ] {
        match entries.get(key) {
            None => problems.push(Problem::whole(
                file,
                "manifest",
                format!("{key} is not set (an unset export list exports everything)"),
            )),
            Some((_, strings)) if strings.iter().any(|s| s.contains('*')) => {
                problems.push(Problem::whole(
                    file,
                    "manifest",
                    format!("{key} uses a wildcard; list the names"),
                ))
            }
            Some(_) => {}
        }
    }
    match entries.get("compatiblepseditions") {
        Some((_, strings)) => {
            for edition in ["Desktop", "Core"] {
                if !strings.iter().any(|s| s == edition) {
                    problems.push(Problem::whole(
                        file,
                        "manifest",
                        format!("CompatiblePSEditions lacks {edition}"),
                    ));
                }
            }
        }
        None => problems.push(Problem::whole(
            file,
            "manifest",
            "CompatiblePSEditions is not set".into(),
        )),
    }
    match entries.get("powershellversion") {
        Some((_, strings)) if strings.iter().any(|s| s == "5.1") => {}
        _ => problems.push(Problem::whole(
            file,
            "manifest",
            "PowerShellVersion is not '5.1'".into(),
        )),
    }
    problems
}

/// Every `.ps1`, `.psm1` and `.psd1` below `root`, sorted (the Rust `target` folder is skipped).
pub fn powershell_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                let name = entry.file_name();
                if name != "target" && name != ".git" {
                    stack.push(path);
                }
            } else if is_powershell_file(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn is_powershell_file(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["ps1", "psm1", "psd1"]
            .iter()
            .any(|x| x.eq_ignore_ascii_case(e))
    })
}

fn display(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))
}

/// Whether `path` (inside `module_dir`) is module code rather than a test or data file.
fn is_module_code(path: &Path, module_dir: &Path) -> bool {
    let relative = path.strip_prefix(module_dir).unwrap_or(path);
    let first = relative
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().to_ascii_lowercase());
    !matches!(first.as_deref(), Some("tests") | Some("data"))
}

/// All checks for one module folder (the folder holding `<Name>.psd1`, `Public/`, `Private/`).
pub fn lint_module(module_dir: &Path) -> Vec<Problem> {
    let base = module_dir.parent().unwrap_or(module_dir);
    let mut problems = Vec::new();
    let files = powershell_files(module_dir);

    for path in &files {
        let name = display(path, base);
        if let Ok(bytes) = std::fs::read(path) {
            problems.extend(encoding_problems(&name, &bytes));
        }
        match read(path) {
            Ok(source) => {
                problems.extend(syntax_problems(&name, &source));
                if is_module_code(path, module_dir)
                    && !path
                        .extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("psd1"))
                {
                    problems.extend(style_problems(&name, &source));
                }
            }
            Err(e) => problems.push(Problem::whole(&name, "io", e)),
        }
    }

    // Functions: public ones (one per file, named like the file) and private ones.
    let mut public: BTreeMap<String, (String, FunctionDef)> = BTreeMap::new();
    let mut all_names: BTreeMap<String, String> = BTreeMap::new();
    for path in files.iter().filter(|p| is_module_code(p, module_dir)) {
        let name = display(path, base);
        let Ok(source) = read(path) else { continue };
        let defs = match functions(&source) {
            Ok(d) => d,
            Err(e) => {
                problems.push(Problem::whole(&name, "syntax", e));
                continue;
            }
        };
        let in_public = path
            .parent()
            .and_then(|p| p.file_name())
            .is_some_and(|n| n.eq_ignore_ascii_case("Public"));
        if in_public {
            let top: Vec<&FunctionDef> = defs.iter().filter(|d| d.top_level).collect();
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            if top.len() != 1 {
                problems.push(Problem::whole(
                    &name,
                    "public-layout",
                    format!(
                        "a Public/ file defines exactly one function; found {}",
                        top.len()
                    ),
                ));
            }
            for def in top {
                if !def.name.eq_ignore_ascii_case(stem) {
                    problems.push(Problem::whole(
                        &name,
                        "public-layout",
                        format!("function {} lives in a file named {stem}", def.name),
                    ));
                }
                public.insert(def.name.to_ascii_lowercase(), (name.clone(), def.clone()));
            }
        }
        for def in defs.iter().filter(|d| d.top_level) {
            if let Some(p) = verb_problem(&name, def) {
                problems.push(p);
            }
            if let Some(previous) = all_names.insert(def.name.to_ascii_lowercase(), name.clone()) {
                problems.push(Problem {
                    file: name.clone(),
                    line: def.line,
                    column: 1,
                    rule: "duplicate-function",
                    message: format!("{} is also defined in {previous}", def.name),
                });
            }
        }
    }

    // The manifest.
    let module_name = module_dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("");
    let manifest = module_dir.join(format!("{module_name}.psd1"));
    let manifest_name = display(&manifest, base);
    match read(&manifest) {
        Err(e) => problems.push(Problem::whole(&manifest_name, "manifest", e)),
        Ok(source) => {
            problems.extend(manifest_problems(&manifest_name, &source));
            match manifest_exports(&source) {
                Err(e) => problems.push(Problem::whole(&manifest_name, "manifest", e)),
                Ok(exports) => {
                    let exported: BTreeSet<String> =
                        exports.iter().map(|e| e.to_ascii_lowercase()).collect();
                    let defined: BTreeSet<String> = public.keys().cloned().collect();
                    for missing in defined.difference(&exported) {
                        problems.push(Problem::whole(
                            &manifest_name,
                            "exports",
                            format!("{missing} is defined in Public/ but not in FunctionsToExport"),
                        ));
                    }
                    for extra in exported.difference(&defined) {
                        problems.push(Problem::whole(
                            &manifest_name,
                            "exports",
                            format!(
                                "{extra} is in FunctionsToExport but no Public/ file defines it"
                            ),
                        ));
                    }
                    for export in &exports {
                        if let Some((file, def)) = public.get(&export.to_ascii_lowercase()) {
                            problems.extend(help_problems(file, def));
                        }
                    }
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(problems: &[Problem]) -> Vec<&'static str> {
        problems.iter().map(|p| p.rule).collect()
    }

    const GOOD_FUNCTION: &str = r#"
function Get-Widget {
    <#
    .SYNOPSIS
    Gets widgets.

    .DESCRIPTION
    Gets the widgets of a shelf.

    .PARAMETER Name
    The widget name.

    .PARAMETER Force
    Also hidden ones.

    .EXAMPLE
    Get-Widget -Name a

    Gets widget a.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [string]$Name,
        [switch]$Force
    )
    $items = @(Get-ChildItem -Path . | Where-Object { $_.Name -like $Name } | ForEach-Object { [pscustomobject]@{ Name = $_.Name } })
    if ($items.Count -eq 0) { throw ('No widget {0}' -f $Name) }
    $items
}
"#;

    #[test]
    fn grammar_loads_and_a_clean_file_has_no_problem() {
        assert!(syntax_problems("good.ps1", GOOD_FUNCTION).is_empty());
        assert!(style_problems("good.ps1", GOOD_FUNCTION).is_empty());
        let defs = functions(GOOD_FUNCTION).unwrap_or_default();
        assert_eq!(defs.len(), 1);
        assert_eq!(defs[0].name, "Get-Widget");
        assert_eq!(
            defs[0].parameters,
            vec!["Name".to_string(), "Force".to_string()]
        );
        assert!(defs[0].top_level);
        assert!(
            help_problems("good.ps1", &defs[0]).is_empty(),
            "{:?}",
            help_problems("good.ps1", &defs[0])
        );
        assert!(verb_problem("good.ps1", &defs[0]).is_none());
    }

    #[test]
    fn a_broken_script_is_caught_with_its_line() {
        let bad = "function Get-Thing {\n    param($A\n    if ($A) { 'x' \n}\n";
        let problems = syntax_problems("bad.ps1", bad);
        assert!(!problems.is_empty());
        assert!(problems.iter().all(|p| p.rule == "syntax"));
        let unclosed_string = "$x = 'never closed\n";
        assert!(!syntax_problems("bad.ps1", unclosed_string).is_empty());
        let stray_brace = "if ($true) { 1 }}\n";
        assert!(!syntax_problems("bad.ps1", stray_brace).is_empty());
    }

    #[test]
    fn powershell_7_operators_are_caught() {
        // Ternary and null-coalescing do not parse for Windows PowerShell 5.1 (nor for this grammar).
        assert!(!syntax_problems("t.ps1", "$a = $b ? 1 : 2\n").is_empty());
        assert!(!syntax_problems("t.ps1", "$a = $b ?? $c\n").is_empty());
        assert!(!syntax_problems("t.ps1", "$a ??= 1\n").is_empty());
        assert!(!syntax_problems("t.ps1", "$a = ${b}?.c\n").is_empty());
        // Pipeline chains parse, and are reported.
        let chain = style_problems("t.ps1", "Get-Item a && Get-Item b\n");
        assert_eq!(rules(&chain), vec!["ps51-compat"]);
        let chain = style_problems("t.ps1", "Get-Item a || Get-Item b\n");
        assert_eq!(rules(&chain), vec!["ps51-compat"]);
        let parallel = style_problems("t.ps1", "1..3 | ForEach-Object -Parallel { $_ }\n");
        assert_eq!(rules(&parallel), vec!["ps51-compat"]);
        let hashtable = style_problems("t.ps1", "$x = '{}' | ConvertFrom-Json -AsHashtable\n");
        assert_eq!(rules(&hashtable), vec!["ps51-compat"]);
        let test_json = style_problems("t.ps1", "Test-Json -Json '{}'\n");
        assert_eq!(rules(&test_json), vec!["ps51-compat"]);
    }

    #[test]
    fn exit_write_host_and_aliases_are_caught() {
        let exit = style_problems("m.ps1", "function Stop-All {\n    exit 1\n}\n");
        assert_eq!(rules(&exit), vec!["no-exit"]);
        assert_eq!(exit[0].line, 2);
        let bare_exit = style_problems("m.ps1", "if ($x) { exit }\n");
        assert_eq!(rules(&bare_exit), vec!["no-exit"]);
        let host = style_problems("m.ps1", "Write-Host 'hello'\n");
        assert_eq!(rules(&host), vec!["no-write-host"]);
        let host_case = style_problems("m.ps1", "write-HOST 'hello'\n");
        assert_eq!(rules(&host_case), vec!["no-write-host"]);
        let percent = style_problems("m.ps1", "1..3 | % { $_ }\n");
        assert_eq!(rules(&percent), vec!["no-alias"]);
        let question = style_problems("m.ps1", "1..3 | ? { $_ -gt 1 }\n");
        assert_eq!(rules(&question), vec!["no-alias"]);
        let gci = style_problems("m.ps1", "gci . | select Name | sort Name\n");
        assert_eq!(rules(&gci), vec!["no-alias", "no-alias", "no-alias"]);
        // A foreach statement and a method or property named like an alias are fine.
        let fine = style_problems(
            "m.ps1",
            "foreach ($i in 1..3) { $i.ToString() }\n$h = @{ sort = 1 }\n$h.sort\n",
        );
        assert!(fine.is_empty(), "{fine:?}");
        // Writing the word exit in a string or comment is fine.
        let words = style_problems(
            "m.ps1",
            "# never exit here\n$m = 'exit'\nWrite-Verbose 'Write-Host'\n",
        );
        assert!(words.is_empty(), "{words:?}");
    }

    #[test]
    fn non_ascii_without_bom_is_caught() {
        assert!(encoding_problems("a.ps1", b"$a = 'plain'\n").is_empty());
        let bad = encoding_problems("a.ps1", "$a = 1\n$b = 'caf\u{e9}'\n".as_bytes());
        assert_eq!(rules(&bad), vec!["encoding"]);
        assert_eq!((bad[0].line, bad[0].column), (2, 10));
        let with_bom = [&[0xEF, 0xBB, 0xBF][..], "$b = 'caf\u{e9}'".as_bytes()].concat();
        assert!(encoding_problems("a.ps1", &with_bom).is_empty());
    }

    #[test]
    fn unapproved_verbs_are_caught() {
        let defs = functions("function Fetch-Thing { }\nfunction Get-Thing { }\nfunction Thing { }\nfunction Build-Thing { }\n").unwrap_or_default();
        let problems: Vec<Problem> = defs
            .iter()
            .filter_map(|d| verb_problem("v.ps1", d))
            .collect();
        let names: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
        assert_eq!(problems.len(), 3, "{names:?}");
        assert!(names[0].contains("Fetch"));
        assert!(names[1].contains("Verb-Noun"));
        // Build is approved only from PowerShell 6 on.
        assert!(names[2].contains("Build"));
        assert!(
            is_approved_verb("ConvertTo") && is_approved_verb("test") && is_approved_verb("Assert")
        );
    }

    #[test]
    fn help_rules_catch_missing_sections() {
        let no_help = "function Get-A {\n    param($Name)\n}\n";
        let defs = functions(no_help).unwrap_or_default();
        assert_eq!(rules(&help_problems("h.ps1", &defs[0])), vec!["help"]);

        let no_example = "function Get-A {\n    <#\n    .SYNOPSIS\n    A.\n    .DESCRIPTION\n    A thing.\n    .PARAMETER Name\n    The name.\n    #>\n    param($Name)\n}\n";
        let defs = functions(no_example).unwrap_or_default();
        let problems = help_problems("h.ps1", &defs[0]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("EXAMPLE"));

        let undocumented = "function Get-A {\n    <#\n    .SYNOPSIS\n    A.\n    .DESCRIPTION\n    A thing.\n    .PARAMETER Gone\n    Old.\n    .EXAMPLE\n    Get-A\n    #>\n    param([string]$Name, [switch]$Force)\n}\n";
        let defs = functions(undocumented).unwrap_or_default();
        let messages: Vec<String> = help_problems("h.ps1", &defs[0])
            .into_iter()
            .map(|p| p.message)
            .collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("-Name")));
        assert!(messages.iter().any(|m| m.contains("-Force")));
        assert!(messages.iter().any(|m| m.contains("Gone")));

        // Help placed right before the function keyword also counts.
        let before = "<#\n.SYNOPSIS\nA.\n.DESCRIPTION\nA thing.\n.EXAMPLE\nGet-A\n#>\nfunction Get-A {\n    param()\n}\n";
        let defs = functions(before).unwrap_or_default();
        assert!(help_problems("h.ps1", &defs[0]).is_empty());
    }

    #[test]
    fn manifest_rules() {
        let good = "@{\n    RootModule = 'M.psm1'\n    PowerShellVersion = '5.1'\n    CompatiblePSEditions = @('Desktop', 'Core')\n    FunctionsToExport = @(\n        'Get-A'\n        'Set-B'\n    )\n    CmdletsToExport = @()\n    AliasesToExport = @()\n    VariablesToExport = @()\n    PrivateData = @{ PSData = @{ Tags = @('x') } }\n}\n";
        assert!(syntax_problems("m.psd1", good).is_empty());
        assert_eq!(
            manifest_exports(good).unwrap_or_default(),
            vec!["Get-A".to_string(), "Set-B".to_string()]
        );
        assert!(
            manifest_problems("m.psd1", good).is_empty(),
            "{:?}",
            manifest_problems("m.psd1", good)
        );

        let wildcard = good.replace("'Get-A'", "'*'");
        assert!(manifest_problems("m.psd1", &wildcard)
            .iter()
            .any(|p| p.message.contains("wildcard")));
        let desktop_only = good.replace("@('Desktop', 'Core')", "@('Desktop')");
        assert!(manifest_problems("m.psd1", &desktop_only)
            .iter()
            .any(|p| p.message.contains("Core")));
        let unset = good.replace("    AliasesToExport = @()\n", "");
        assert!(manifest_problems("m.psd1", &unset)
            .iter()
            .any(|p| p.message.contains("aliasestoexport")));
    }

    #[test]
    fn lint_module_catches_a_broken_module() {
        let dir = std::env::temp_dir().join(format!("apready-pwsh-lint-{}", std::process::id()));
        let module = dir.join("Broken");
        let _ = std::fs::remove_dir_all(&dir);
        let write = |rel: &str, body: &str| {
            let path = module.join(rel);
            if let Some(parent) = path.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            let _ = std::fs::write(path, body);
        };
        write(
            "Broken.psd1",
            "@{\n    RootModule = 'Broken.psm1'\n    PowerShellVersion = '5.1'\n    CompatiblePSEditions = @('Desktop', 'Core')\n    FunctionsToExport = @('Get-Widget', 'Get-Ghost')\n    CmdletsToExport = @()\n    AliasesToExport = @()\n    VariablesToExport = @()\n}\n",
        );
        write(
            "Broken.psm1",
            "Get-ChildItem $PSScriptRoot/Public | % { . $_.FullName }\n",
        );
        write("Public/Get-Widget.ps1", GOOD_FUNCTION);
        write(
            "Public/Remove-Widget.ps1",
            "function Remove-Widget {\n    param($Name)\n    Write-Host $Name\n    exit 3\n}\n",
        );
        write(
            "Private/Helpers.ps1",
            "function Fetch-Data {\n    $x = (\n}\n",
        );
        write(
            "Tests/Widget.Tests.ps1",
            "Describe 'x' { It 'y' { 1 | % { $_ } } }\n",
        );

        let problems = lint_module(&module);
        let _ = std::fs::remove_dir_all(&dir);
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        let has = |rule: &str, needle: &str| {
            problems
                .iter()
                .any(|p| p.rule == rule && p.to_string().contains(needle))
        };
        assert!(has("no-alias", "Broken.psm1"), "{text:#?}");
        assert!(has("no-write-host", "Remove-Widget.ps1"), "{text:#?}");
        assert!(has("no-exit", "Remove-Widget.ps1"), "{text:#?}");
        assert!(has("syntax", "Helpers.ps1"), "{text:#?}");
        assert!(
            has("exports", "remove-widget is defined in Public/"),
            "{text:#?}"
        );
        assert!(
            has("exports", "get-ghost is in FunctionsToExport"),
            "{text:#?}"
        );
        // Tests may use aliases; only module code is held to the style rules.
        assert!(
            !problems
                .iter()
                .any(|p| p.file.contains("Tests/") && p.rule == "no-alias"),
            "{text:#?}"
        );
    }
}
