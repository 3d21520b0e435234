//! `brobygger`: the desktop shell over brobygger-ffi's Rust API — the same surface the
//! phones get. For demos, support staff and scripts. `brobygger --help` lists everything.
//!
//! Exit status: 0 done; 1 the command failed (one line on stderr, JSON with `--json`);
//! 2 bad usage (JSON on stderr with `--json` too). A closed stdout (`| head`) ends quietly.

mod app;
mod codes;
mod commands;
mod demo;
mod directory;
mod show;
mod times;
mod words;

use app::{CliError, Ctx};
use clap::Parser;
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "brobygger",
    version,
    about = "Brobygger: encrypted offline notes, citizens, appointments and SMS reminders for outreach workers",
    after_help = "The PIN is read from $BROBYGGER_PIN, else asked for without echo.\n\
                  New PINs (init, change-pin, recover, restore) come from $BROBYGGER_NEW_PIN, else are asked for twice.\n\
                  The recovery key (recover, restore, backup verify) comes from $BROBYGGER_RECOVERY_KEY, else a prompt, else stdin.\n\
                  The duress PIN (duress-pin set) comes from $BROBYGGER_DURESS_PIN, else a prompt (twice), else stdin.\n\
                  Ids may be typed as unique prefixes of at least 6 hex digits, in any case.\n\
                  Exit status: 0 ok, 1 the command failed (one line on stderr), 2 bad usage."
)]
struct Cli {
    /// Vault folder [default: $BROBYGGER_VAULT, else ./brobygger-vault]
    #[arg(long, global = true, value_name = "DIR")]
    vault: Option<PathBuf>,
    /// Print JSON: one object, or an array for plain lists; errors as JSON on stderr
    #[arg(long, global = true)]
    json: bool,
    /// Use this instant as "now" instead of the system clock (RFC 3339; for scripts and tests)
    #[arg(long, global = true, value_name = "RFC3339")]
    now: Option<String>,
    #[command(subcommand)]
    command: commands::Command,
}

/// Writes to stdout; a reader that went away (`| head`) is not an error.
fn out(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|_| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::failed("output", format!("cannot write the output: {}", e.kind())))
        }
        _ => Ok(()),
    }
}

fn err(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

fn usage_failed(e: clap::Error, json_mode: bool) -> ! {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = out(e.render().to_string().trim_end());
            std::process::exit(0);
        }
        _ if json_mode => {
            // clap's message without its usage lines and hints, on one line.
            let rendered = e.render().to_string();
            let message = rendered
                .lines()
                .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
                .map(|l| l.trim().trim_start_matches("error: "))
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            err(&json!({"error": "usage", "message": message}).to_string());
        }
        _ => {
            let _ = e.print();
        }
    }
    std::process::exit(2);
}

/// Reports how the command ended and gives the exit status.
fn report(e: CliError, json_mode: bool, flags: &commands::Flags) -> i32 {
    let flag_of = |name: &str| flags.iter().find(|(field, _)| *field == name).map(|(_, f)| f.to_string());
    let (code, message, flag, status) = match &e {
        CliError::Core(core) => {
            let field = match core {
                brobygger_ffi::BrobyggerError::InvalidInput { field, .. } => Some(field.as_str()),
                brobygger_ffi::BrobyggerError::NotFound { what } => Some(what.as_str()),
                _ => None,
            };
            (codes::error_code(core), words::error_words(core, &flag_of), field.and_then(flag_of), 1)
        }
        CliError::Usage(m) => ("usage", m.clone(), None, 2),
        CliError::Input { flag, message } => ("invalid_input", message.clone(), Some(flag.clone()), 1),
        CliError::Lookup { code, flag, message } => (*code, message.clone(), Some(flag.clone()), 1),
        CliError::Failed { code, message } => (*code, message.clone(), None, 1),
        CliError::Catalogued { error, language } => {
            let flag = match error {
                brobygger_ffi::BrobyggerError::InvalidInput { field, .. } => flag_of(field),
                brobygger_ffi::BrobyggerError::NotFound { what } => flag_of(what),
                _ => None,
            };
            (codes::error_code(error), words::catalogue_words(error, *language, flag.as_deref()), flag, 1)
        }
        CliError::Path { code, flag, message } => (*code, message.clone(), Some(flag.clone()), 1),
        CliError::Wiped(notice) => ("no_vault", notice.message.clone(), None, 1),
    };
    if json_mode {
        let mut j = json!({"error": code, "message": message});
        if let Some(f) = flag {
            j["flag"] = json!(f);
        }
        if let CliError::Wiped(notice) = &e {
            j["wiped_on"] = json!(times::iso_date(&notice.wiped_on));
            j["wiped_after_days"] = json!(notice.after_days);
        }
        err(&j.to_string());
    } else {
        err(&format!("brobygger: {message}"));
    }
    status
}

fn main() {
    let json_mode = std::env::args_os().take_while(|a| a != "--").any(|a| a == "--json");
    let cli = Cli::try_parse().unwrap_or_else(|e| usage_failed(e, json_mode));
    let flags = commands::flags(&cli.command);
    let dir = cli
        .vault
        .clone()
        .or_else(|| std::env::var_os("BROBYGGER_VAULT").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("./brobygger-vault"));
    let result = app::parse_now(cli.now.as_deref()).and_then(|now| {
        let ctx = Ctx { dir, now };
        commands::run(&ctx, cli.command).map_err(|e| ctx.explain(e))
    });
    let failure = match result {
        Ok(a) => {
            let printed = if cli.json {
                out(&a.json.to_string())
            } else if a.text.is_empty() {
                Ok(())
            } else {
                out(&a.text)
            };
            printed.err().or(a.failure)
        }
        Err(e) => Some(e),
    };
    if let Some(e) = failure {
        std::process::exit(report(e, cli.json, &flags));
    }
}
