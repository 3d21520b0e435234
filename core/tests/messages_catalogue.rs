//! The message catalogue knows every code the core can put in front of a person: it reads
//! the core's own source (`core/src`, without the catalogue and the tests) and finds
//!
//! - every field name and reason of `CoreError::invalid(..)` and `InvalidInput { .. }`,
//!   every text rule's field and "too long" reason, and every field name passed to a helper
//!   that takes `field: &'static str` (`check_id("reminder_id", ..)`);
//! - every reason of `InvalidState { .. }` (all string literals inside the braces, so a
//!   `match` choosing the reason is covered);
//! - every `NotFound { what: .. }`;
//! - every reminder reason: what SQL writes into a `reason` column (`reason = 'too_late'`,
//!   `CASE .. THEN 'a' ELSE 'b' END`), every literal passed for a parameter named `reason`
//!   (`cancel_pending(.., "rescheduled", ..)`, `update_citizen(id, "consent_given", ..)`),
//!   `"prefix: {}"` formats of reasons, and the codes a `*_reason` function returns;
//!
//! and fails, listing them, if the catalogue has no words for one. A second test proves
//! the scan finds each pattern by planting unknown codes in a throw-away source tree.

use brobygger_core::messages::{self, Language};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    /// A char literal or a lifetime: never part of what is looked for.
    Quote,
    Punct(char),
}

/// Rust source to tokens: comments dropped, string literals (plain, raw, with escapes and
/// line continuations) decoded, char literals and lifetimes told apart.
fn tokens(src: &str) -> Vec<Tok> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        let next = c.get(i + 1).copied();
        if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && next == Some('*') {
            i += 2;
            while i + 1 < c.len() && !(c[i] == '*' && c[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if ch == 'r'
            && (next == Some('"') || (next == Some('#') && c.get(i + 2).is_some_and(|x| *x == '"' || *x == '#')))
        {
            // Raw string: r"..", r#".."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while c.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            j += 1; // the opening quote
            let start = j;
            loop {
                if j >= c.len() {
                    break;
                }
                if c[j] == '"' && (0..hashes).all(|h| c.get(j + 1 + h) == Some(&'#')) {
                    break;
                }
                j += 1;
            }
            out.push(Tok::Str(c[start..j.min(c.len())].iter().collect()));
            i = j + 1 + hashes;
        } else if ch == '"' {
            let mut s = String::new();
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    match c.get(i + 1) {
                        Some('n') => s.push('\n'),
                        Some('t') => s.push('\t'),
                        Some('r') => s.push('\r'),
                        Some('0') => s.push('\0'),
                        Some('\n') => {
                            // Line continuation: the newline and the next line's indent go.
                            i += 2;
                            while i < c.len() && c[i].is_whitespace() {
                                i += 1;
                            }
                            continue;
                        }
                        Some('u') => {
                            let close = (i..c.len()).find(|k| c[*k] == '}').unwrap_or(c.len() - 1);
                            let hex: String = c[i + 3..close].iter().collect();
                            s.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
                            i = close + 1;
                            continue;
                        }
                        Some(other) => s.push(*other),
                        None => {}
                    }
                    i += 2;
                } else {
                    s.push(c[i]);
                    i += 1;
                }
            }
            i += 1;
            out.push(Tok::Str(s));
        } else if ch == '\'' {
            if next == Some('\\') {
                // An escaped char literal: '\n', '\'', '\u{301}'.
                i += 2;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if c.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                // A lifetime.
                i += 1;
                while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                    i += 1;
                }
            }
            out.push(Tok::Quote);
        } else if ch.is_alphanumeric() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push(Tok::Ident(c[start..i].iter().collect()));
        } else {
            out.push(Tok::Punct(ch));
            i += 1;
        }
    }
    out
}

fn is_ident(t: Option<&Tok>, name: &str) -> bool {
    matches!(t, Some(Tok::Ident(n)) if n == name)
}

fn is_punct(t: Option<&Tok>, p: char) -> bool {
    matches!(t, Some(Tok::Punct(x)) if *x == p)
}

/// The tokens before the file's test module (`#[cfg(test)] mod ..`).
fn without_tests(toks: Vec<Tok>) -> Vec<Tok> {
    let cfg_test = [
        Tok::Punct('#'),
        Tok::Punct('['),
        Tok::Ident("cfg".into()),
        Tok::Punct('('),
        Tok::Ident("test".into()),
        Tok::Punct(')'),
        Tok::Punct(']'),
    ];
    let end = (0..toks.len())
        .find(|&i| {
            toks[i..].starts_with(&cfg_test)
                && (is_ident(toks.get(i + 7), "mod")
                    || (is_ident(toks.get(i + 7), "pub") && is_ident(toks.get(i + 8), "mod")))
        })
        .unwrap_or(toks.len());
    toks[..end].to_vec()
}

/// The index just past the bracket closing the one opened at `open`.
fn close_of(toks: &[Tok], open: usize) -> usize {
    let mut depth = 0i32;
    for (i, t) in toks.iter().enumerate().skip(open) {
        match t {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    toks.len()
}

/// The arguments (or parameters) in the brackets opened at `open`, split at top-level
/// commas; angle brackets count in a signature (`HashMap<K, V>`), not `->`.
fn args(toks: &[Tok], open: usize, angles: bool) -> Vec<Vec<Tok>> {
    let end = close_of(toks, open);
    let inner = &toks[open + 1..end.saturating_sub(1)];
    let mut out = vec![Vec::new()];
    let mut depth = 0i32;
    for (i, t) in inner.iter().enumerate() {
        match t {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => depth -= 1,
            Tok::Punct('<') if angles => depth += 1,
            Tok::Punct('>') if angles && !(i > 0 && inner[i - 1] == Tok::Punct('-')) => depth -= 1,
            Tok::Punct(',') if depth == 0 => {
                out.push(Vec::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = out.last_mut() {
            last.push(t.clone());
        }
    }
    if out.last().is_some_and(Vec::is_empty) {
        out.pop();
    }
    out
}

/// The literal an argument is, if it is only a string literal.
fn literal(arg: &[Tok]) -> Option<String> {
    match arg {
        [Tok::Str(s)] => Some(s.clone()),
        _ => None,
    }
}

/// `name: "literal"` inside `toks`.
fn keyed(toks: &[Tok], key: &str) -> Vec<String> {
    toks.windows(3)
        .filter_map(|w| match w {
            [Tok::Ident(k), Tok::Punct(':'), Tok::Str(s)] if k == key => Some(s.clone()),
            _ => None,
        })
        .collect()
}

fn is_code(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// SQL's `reason = 'x'` and `reason = CASE .. THEN 'a' ELSE 'b' END` in a string.
fn sql_reasons(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let quoted_after = |s: &str| -> Option<String> {
        let s = s.trim_start().strip_prefix('\'')?;
        s.find('\'').map(|end| s[..end].to_string())
    };
    let mut rest = sql;
    while let Some(at) = rest.find("reason = ") {
        let after = &rest[at + "reason = ".len()..];
        if let Some(r) = quoted_after(after) {
            out.push(r);
        } else if let Some(case) = after.strip_prefix("CASE") {
            let case = &case[..case.find("END").unwrap_or(case.len())];
            for word in ["THEN", "ELSE"] {
                for (i, _) in case.match_indices(word) {
                    out.extend(quoted_after(&case[i + word.len()..]));
                }
            }
        }
        rest = after;
    }
    out
}

#[derive(Default, Debug)]
struct Found {
    fields: BTreeSet<String>,
    /// (field when given with it, reason).
    input_reasons: BTreeSet<(String, String)>,
    state_reasons: BTreeSet<String>,
    whats: BTreeSet<String>,
    reminder_reasons: BTreeSet<String>,
    /// `"sender_error: {}"` and the like: reasons that are a prefix and a code.
    reminder_prefixes: BTreeSet<String>,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n == "messages") {
                continue; // the catalogue itself
            }
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") && p.file_name().is_some_and(|n| n != "testing.rs") {
            out.push(p);
        }
    }
}

/// Functions with a parameter named `param` of a string type: (name, index of it, not
/// counting `self`).
fn functions_taking(files: &[Vec<Tok>], param: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for toks in files {
        for i in 0..toks.len() {
            let (Some(Tok::Ident(f)), Some(Tok::Ident(name))) = (toks.get(i), toks.get(i + 1)) else { continue };
            if f != "fn" {
                continue;
            }
            // Skip generics: fn name<..>(..)
            let mut open = i + 2;
            if is_punct(toks.get(open), '<') {
                let mut depth = 0;
                while open < toks.len() {
                    match toks[open] {
                        Tok::Punct('<') => depth += 1,
                        Tok::Punct('>') => depth -= 1,
                        _ => {}
                    }
                    open += 1;
                    if depth == 0 {
                        break;
                    }
                }
            }
            if !is_punct(toks.get(open), '(') {
                continue;
            }
            let params: Vec<Vec<Tok>> = args(toks, open, true)
                .into_iter()
                .filter(|p| !p.iter().any(|t| matches!(t, Tok::Ident(s) if s == "self")))
                .collect();
            for (k, p) in params.iter().enumerate() {
                let first = p.iter().find_map(|t| match t {
                    Tok::Ident(s) if s != "mut" => Some(s.as_str()),
                    _ => None,
                });
                if first == Some(param) && p.iter().any(|t| matches!(t, Tok::Ident(s) if s == "str")) {
                    out.push((name.clone(), k));
                }
            }
        }
    }
    out
}

/// Literal arguments at `index` of calls to `name` (`name(..)`, `x::name(..)`, `.name(..)`).
fn literal_args(files: &[Vec<Tok>], name: &str, index: usize) -> Vec<String> {
    let mut out = Vec::new();
    for toks in files {
        for i in 0..toks.len() {
            if is_ident(toks.get(i), name)
                && is_punct(toks.get(i + 1), '(')
                && !is_ident(i.checked_sub(1).and_then(|p| toks.get(p)), "fn")
            {
                if let Some(s) = args(toks, i + 1, false).get(index).and_then(|a| literal(a)) {
                    out.push(s);
                }
            }
        }
    }
    out
}

fn scan(src: &Path) -> Found {
    let mut paths = Vec::new();
    rust_files(src, &mut paths);
    let files: Vec<(PathBuf, Vec<Tok>)> = paths
        .into_iter()
        .map(|p| {
            let toks = without_tests(tokens(&std::fs::read_to_string(&p).unwrap()));
            (p, toks)
        })
        .collect();
    let all: Vec<Vec<Tok>> = files.iter().map(|(_, t)| t.clone()).collect();
    let mut found = Found::default();

    for toks in &all {
        for i in 0..toks.len() {
            let here = toks.get(i);
            // CoreError::invalid(field, reason)
            if is_ident(here, "invalid")
                && is_punct(toks.get(i + 1), '(')
                && !is_ident(i.checked_sub(1).and_then(|p| toks.get(p)), "fn")
            {
                let a = args(toks, i + 1, false);
                let field = a.first().and_then(|x| literal(x));
                if let Some(f) = &field {
                    found.fields.insert(f.clone());
                }
                if let Some(r) = a.get(1).and_then(|x| literal(x)) {
                    found.input_reasons.insert((field.unwrap_or_default(), r));
                }
            }
            let braces = is_punct(toks.get(i + 1), '{');
            if !braces {
                continue;
            }
            let body = &toks[i + 1..close_of(toks, i + 1)];
            if is_ident(here, "InvalidState") {
                for t in body {
                    if let Tok::Str(s) = t {
                        found.state_reasons.insert(s.clone());
                    }
                }
            } else if is_ident(here, "InvalidInput") {
                let fields = keyed(body, "field");
                found.fields.extend(fields.iter().cloned());
                for r in keyed(body, "reason") {
                    found.input_reasons.insert((fields.first().cloned().unwrap_or_default(), r));
                }
            } else if is_ident(here, "NotFound") {
                found.whats.extend(keyed(body, "what"));
            } else if is_ident(here, "Rule") {
                // A text rule: its field and its "too long" reason.
                let fields = keyed(body, "field");
                found.fields.extend(fields.iter().cloned());
                for r in keyed(body, "too_long") {
                    found.input_reasons.insert((fields.first().cloned().unwrap_or_default(), r));
                }
            }
        }
    }
    // Field names handed to helpers that take `field: &'static str`.
    for (name, index) in functions_taking(&all, "field") {
        found.fields.extend(literal_args(&all, &name, index));
    }

    // Reminder reasons, from the capabilities that set them.
    let reminder_files: Vec<Vec<Tok>> = files
        .iter()
        .filter(|(p, _)| {
            let s = p.to_string_lossy().replace('\\', "/");
            ["/reminders/", "/flows/", "/appointments/"].iter().any(|d| s.contains(d))
        })
        .map(|(_, t)| t.clone())
        .collect();
    for toks in &reminder_files {
        for t in toks {
            let Tok::Str(s) = t else { continue };
            found.reminder_reasons.extend(sql_reasons(s));
            if let Some(prefix) = s.strip_suffix("{}") {
                if prefix.ends_with(": ") && is_code(prefix.trim_end_matches(": ")) {
                    found.reminder_prefixes.insert(prefix.to_string());
                }
            }
        }
        // What a `*_reason` function returns: `clean_reason`'s fallback code.
        for i in 0..toks.len() {
            let (true, Some(Tok::Ident(name))) = (is_ident(toks.get(i), "fn"), toks.get(i + 1)) else { continue };
            if !name.ends_with("reason") {
                continue;
            }
            let Some(open) = (i..toks.len()).find(|k| is_punct(toks.get(*k), '{')) else { continue };
            for t in &toks[open..close_of(toks, open)] {
                if let Tok::Str(s) = t {
                    if is_code(s) {
                        found.reminder_reasons.insert(s.clone());
                    }
                }
            }
        }
    }
    for (name, index) in functions_taking(&reminder_files, "reason") {
        found.reminder_reasons.extend(literal_args(&reminder_files, &name, index));
    }
    found
}

/// What the catalogue has no words for, in either language.
fn missing(found: &Found) -> Vec<String> {
    let mut out = Vec::new();
    for lang in Language::ALL {
        for f in &found.fields {
            if messages::field(f, lang).is_none() {
                out.push(format!("{lang:?} field {f:?}"));
            }
        }
        for (f, r) in &found.input_reasons {
            if messages::input_reason(f, r, lang).is_none() {
                out.push(format!("{lang:?} input reason {r:?} (field {f:?})"));
            }
        }
        for r in &found.state_reasons {
            if messages::state_reason(r, lang).is_none() {
                out.push(format!("{lang:?} state reason {r:?}"));
            }
        }
        for w in &found.whats {
            if messages::not_found(w, lang).is_none() {
                out.push(format!("{lang:?} not found {w:?}"));
            }
        }
    }
    for r in &found.reminder_reasons {
        if !messages::knows_reminder_reason(r) {
            out.push(format!("reminder reason {r:?}"));
        }
    }
    for p in &found.reminder_prefixes {
        // The prefix with a code every sender can give.
        if !messages::knows_reminder_reason(&format!("{p}generic_failure")) {
            out.push(format!("reminder reason prefix {p:?}"));
        }
    }
    out.sort();
    out.dedup();
    out
}

fn core_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn every_code_in_the_core_has_words() {
    let found = scan(&core_src());
    let reasons = found.input_reasons.len() + found.state_reasons.len();
    // Lower bounds, so a scan that silently stopped finding things fails.
    assert!(reasons >= 40, "only {reasons} reasons found: {found:#?}");
    assert!(found.fields.len() >= 30, "only {} fields found: {:?}", found.fields.len(), found.fields);
    assert!(found.whats.len() >= 8, "{:?}", found.whats);
    assert!(found.reminder_reasons.len() >= 18, "{:?}", found.reminder_reasons);
    // Known cases of each pattern, so each keeps being found.
    assert!(found.fields.contains("reminder_id"), "helpers' field names: {:?}", found.fields);
    assert!(found.fields.contains("nickname") && found.fields.contains("new_pin"));
    assert!(found.input_reasons.contains(&("nickname".into(), "too long (at most 60 characters)".into())));
    assert!(found.state_reasons.contains("the outcome is already recorded as no-show"), "a reason chosen by a match");
    assert!(found.whats.contains("office hours"));
    for r in [
        "too_late",
        "held_until_too_late",
        "not_sent_by_user",
        "dropped_by_worker",
        "rescheduled",
        "consent_given",
        "citizen_deleted",
        "sender_failed",
    ] {
        assert!(found.reminder_reasons.contains(r), "{r} in {:?}", found.reminder_reasons);
    }
    assert!(found.reminder_prefixes.contains("sender_error: "), "{:?}", found.reminder_prefixes);

    let missing = missing(&found);
    assert!(missing.is_empty(), "the message catalogue has no words for:\n{}", missing.join("\n"));
}

#[test]
fn the_scan_finds_a_new_code_in_each_place() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for sub in ["reminders", "flows", "messages"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    std::fs::write(
        dir.join("widgets.rs"),
        r##"
        /// CoreError::invalid("doc_field", "in a comment, not code")
        fn a() -> CoreResult<()> {
            Err(CoreError::invalid("bogus_field", "is bogus"))?;
            Err(CoreError::InvalidInput { field: "bogus_direct", reason: "is directly bogus" })?;
            Err(CoreError::InvalidState {
                reason: match x { 1 => "the moon is full", _ => "the tide is out" },
            })?;
            Err(CoreError::NotFound { what: "unicorn" })?;
            let c = '{';
            check_bogus("bogus_helper_field", 3)
        }
        pub fn check_bogus(field: &'static str, n: u32) -> CoreResult<()> { Ok(()) }
        const R: Rule = Rule { field: "bogus_rule_field", max: 1, multiline: false, allow_empty: false, too_long: "far too bogus" };
        #[cfg(test)]
        mod tests {
            fn t() { CoreError::invalid("test_only_field", "test only"); }
        }
        "##,
    )
    .unwrap();
    std::fs::write(
        dir.join("reminders").join("outbox.rs"),
        r##"
        fn x(conn: &Connection) {
            conn.execute("UPDATE reminders SET state = 'failed', reason = 'eaten_by_goat' WHERE id = ?1", []);
            conn.execute("UPDATE reminders SET reason = CASE WHEN hold IS NOT NULL THEN 'goat_a' ELSE 'goat_b' END", []);
            let r = format!("goat_error: {}", code);
        }
        fn goat_reason(reason: &str) -> String { "goat_failed".into() }
        pub(crate) fn cancel_goats(conn: &Connection, id: &str, reason: &str, now: i64) {}
        "##,
    )
    .unwrap();
    std::fs::write(
        dir.join("flows").join("goats.rs"),
        r##"
        impl Vault {
            fn go(&self) { outbox::cancel_goats(tx, id, "goat_rescheduled", now); self.herd(id, "goat_herded", |c, _| c.x()); }
            fn herd(&self, id: &str, reason: &str, change: impl FnOnce(&mut Goat, DateTime<Utc>)) {}
        }
        "##,
    )
    .unwrap();
    // The catalogue's own folder is not scanned.
    std::fs::write(dir.join("messages").join("mod.rs"), r#"fn m() { CoreError::invalid("catalogue_field", "x"); }"#)
        .unwrap();

    let found = scan(dir);
    let missing = missing(&found);
    for expected in [
        "Da field \"bogus_field\"",
        "En input reason \"is bogus\" (field \"bogus_field\")",
        "Da field \"bogus_direct\"",
        "Da input reason \"is directly bogus\" (field \"bogus_direct\")",
        "Da state reason \"the moon is full\"",
        "Da state reason \"the tide is out\"",
        "Da not found \"unicorn\"",
        "Da field \"bogus_helper_field\"",
        "Da field \"bogus_rule_field\"",
        "Da input reason \"far too bogus\" (field \"bogus_rule_field\")",
        "reminder reason \"eaten_by_goat\"",
        "reminder reason \"goat_a\"",
        "reminder reason \"goat_b\"",
        "reminder reason \"goat_failed\"",
        "reminder reason \"goat_rescheduled\"",
        "reminder reason \"goat_herded\"",
        "reminder reason prefix \"goat_error: \"",
    ] {
        assert!(missing.iter().any(|m| m == expected), "{expected} not reported; reported: {missing:#?}");
    }
    for not_expected in ["doc_field", "test_only_field", "catalogue_field"] {
        assert!(
            !missing.iter().any(|m| m.contains(not_expected)),
            "{not_expected} should not be scanned: {missing:#?}"
        );
    }
}

#[test]
fn the_tokeniser_reads_literals_as_rust_does() {
    let toks = tokens(
        r####"a("x\"y", r#"raw "q""#, 'c', '\'', "multi \
        line", "\u{e6}") // "comment"
        /* "block" */ b<'static>"####,
    );
    let strs: Vec<&str> = toks
        .iter()
        .filter_map(|t| match t {
            Tok::Str(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(strs, ["x\"y", "raw \"q\"", "multi line", "æ"]);
    assert!(toks.contains(&Tok::Ident("b".into())));
    assert_eq!(
        sql_reasons("SET reason = 'a', x = CASE WHEN y THEN 'no' END, reason = CASE WHEN z THEN 'b' ELSE 'c' END"),
        ["a", "b", "c"]
    );
}
