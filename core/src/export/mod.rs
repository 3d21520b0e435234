//! The access-request export (GDPR art. 15): everything recorded about one citizen — their
//! details, consent, notes with amendments and follow-ups, appointments, and the reminder
//! texts with their states — as one readable, self-contained HTML document in Danish or
//! English.
//!
//! Self-contained: inline CSS, no scripts, no links, no images, and a content security policy
//! that forbids loading anything, so it opens the same anywhere, offline, and prints. The
//! words are the message catalogue's. The core hands the document back as a string and never
//! writes it: the shell writes it where the user points (the system file picker / the
//! document picker; the CLI's `--out`). Every export is audited (the kind and how many
//! records, never whom).
//!
//! What retention has purged or made anonymous is not in it: it is no longer recorded about
//! the citizen, and the document says so.

use crate::appointments::{self, Appointment};
use crate::audit::{AuditKind, AuditObject, Event};
use crate::citizens::{self, Citizen};
use crate::error::{CoreError, CoreResult};
use crate::messages::lifecycle::{at_time, export_word, on_day, ExportWord as W};
use crate::messages::{label, reminder_reason, Language};
use crate::notes::{self, Note};
use crate::reminders::{outbox, Reminder};
use crate::sms::phone;
use crate::store;
use crate::time::local;
use crate::vault::keyring::Keyring;
use crate::vault::Vault;
use crate::venues::{self, parse_zone, DEFAULT_TIME_ZONE};
use crate::worker;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rusqlite::Connection;
use std::fmt::Write;

/// An access-request document and how many records it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenExport {
    /// The HTML document, UTF-8.
    pub html: String,
    /// Records in it: the citizen, notes, amendments, follow-ups, appointments, reminders.
    pub records: u32,
}

/// Text escaped for HTML content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escaped, with line breaks kept.
fn para(s: &str) -> String {
    esc(s).replace('\n', "<br>")
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:46rem;margin:2rem auto;\
padding:0 1rem;color:#111;line-height:1.45}h1{font-size:1.5rem}h2{font-size:1.2rem;border-bottom:1px solid #999;\
margin-top:2rem}h3{font-size:1rem;margin-bottom:.3rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}\
dt{font-weight:600}dd{margin:0}table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;\
border-bottom:1px solid #ddd;padding:.3rem .4rem}section{border-left:3px solid #ccc;padding-left:.8rem;margin:1rem 0}\
.text{white-space:normal}.meta{color:#444}@media print{body{margin:0}}";

struct Doc {
    out: String,
    lang: Language,
    tz: Tz,
}

impl Doc {
    fn w(&self, word: W) -> &'static str {
        export_word(word, self.lang)
    }

    fn when(&self, t: DateTime<Utc>) -> String {
        at_time(local::local(self.tz, t), self.lang)
    }

    fn push(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn row(&mut self, dt: W, dd: &str) {
        let dt = esc(self.w(dt));
        let _ = write!(self.out, "<dt>{dt}</dt><dd>{}</dd>", esc(dd));
    }
}

fn details(d: &mut Doc, c: &Citizen) {
    let _ = write!(d.out, "<h2>{}</h2><dl>", esc(d.w(W::Details)));
    d.row(W::Nickname, &c.nickname);
    let phone = c.phone.as_ref().map_or_else(
        || d.w(W::None).to_string(),
        |p| format!("{} ({})", phone::display(&p.e164), label(p.kind.into(), d.lang)),
    );
    d.row(W::Phone, &phone);
    d.row(W::SmsLanguage, label(c.language.into(), d.lang));
    let case = c.case_reference.clone().unwrap_or_else(|| d.w(W::None).to_string());
    d.row(W::CaseReference, &case);
    let (registered, changed) = (d.when(c.created_at), d.when(c.updated_at));
    d.row(W::Registered, &registered);
    d.row(W::LastChanged, &changed);
    d.push("</dl>");
    let _ = write!(d.out, "<h2>{}</h2><dl>", esc(d.w(W::Consent)));
    match &c.sms_consent {
        Some(s) => {
            let given = d.when(s.given_at);
            d.row(W::ConsentGiven, &given);
            d.row(W::ConsentMethod, label(s.method.into(), d.lang));
        }
        None => {
            let none = d.w(W::NoConsent);
            d.row(W::ConsentGiven, none);
        }
    }
    if let Some(t) = c.sms_consent_withdrawn_at {
        let withdrawn = d.when(t);
        d.row(W::ConsentWithdrawn, &withdrawn);
    }
    d.push("</dl>");
}

fn note(d: &mut Doc, n: &Note) -> u32 {
    let heading = format!("{} — {}", d.when(n.occurred_at), label(n.state.into(), d.lang));
    let _ = write!(d.out, "<section><h3>{}</h3><dl>", esc(&heading));
    d.row(W::Conversation, &d.when(n.occurred_at));
    if let Some(t) = n.finalized_at {
        d.row(W::Finalised, &d.when(t));
    }
    if let Some(t) = n.journalised_at {
        d.row(W::Journalised, &d.when(t));
    }
    if let Some(r) = &n.journal_reference {
        d.row(W::JournalReference, r);
    }
    let topics: Vec<&str> = n.topics.iter().map(|t| label((*t).into(), d.lang)).collect();
    let topics = if topics.is_empty() { d.w(W::None).to_string() } else { topics.join(", ") };
    d.row(W::Topics, &topics);
    let help: Vec<&str> = n.help_given.iter().map(|h| label((*h).into(), d.lang)).collect();
    let help = if help.is_empty() { d.w(W::None).to_string() } else { help.join(", ") };
    d.row(W::HelpGiven, &help);
    d.push("</dl>");
    let _ = write!(d.out, "<p class=\"text\">{}</p>", para(&n.text));
    let mut records = 1;
    if !n.amendments.is_empty() {
        let _ = write!(d.out, "<h3>{}</h3><ul>", esc(d.w(W::Amendments)));
        for a in &n.amendments {
            let _ = write!(d.out, "<li><strong>{}</strong>: {}</li>", esc(&d.when(a.created_at)), para(&a.text));
            records += 1;
        }
        d.push("</ul>");
    }
    if !n.follow_ups.is_empty() {
        let _ = write!(d.out, "<h3>{}</h3><ul>", esc(d.w(W::FollowUps)));
        for f in &n.follow_ups {
            let mut facts = vec![format!("{}: {}", d.w(W::Owner), label(f.owner.into(), d.lang))];
            if let Some(due) = f.due_date {
                facts.push(format!("{}: {}", d.w(W::Due), on_day(due, d.lang)));
            }
            if let Some(done) = f.done_at {
                facts.push(format!("{}: {}", d.w(W::Done), d.when(done)));
            }
            let _ =
                write!(d.out, "<li>{} <span class=\"meta\">({})</span></li>", para(&f.text), esc(&facts.join("; ")));
            records += 1;
        }
        d.push("</ul>");
    }
    d.push("</section>");
    records
}

fn appointment_rows(d: &mut Doc, conn: &Connection, list: &[Appointment]) -> CoreResult<()> {
    let head = [W::Time, W::Kind, W::Place, W::Status];
    d.push("<table><thead><tr>");
    for h in head {
        let _ = write!(d.out, "<th>{}</th>", esc(d.w(h)));
    }
    d.push("</tr></thead><tbody>");
    for a in list {
        let place = match (&a.venue_id, &a.outside_place) {
            (_, Some(p)) => p.clone(),
            (Some(v), None) => venues::venue_name_and_zone(conn, v)?.0,
            (None, None) => d.w(W::None).to_string(),
        };
        let time = at_time(a.local_start, d.lang);
        let _ = write!(
            d.out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&time),
            esc(label(a.kind.into(), d.lang)),
            esc(&place),
            esc(label(a.status.into(), d.lang))
        );
    }
    d.push("</tbody></table>");
    Ok(())
}

fn reminder_rows(d: &mut Doc, list: &[Reminder]) {
    let head = [W::SendAt, W::Status, W::Text];
    d.push("<table><thead><tr>");
    for h in head {
        let _ = write!(d.out, "<th>{}</th>", esc(d.w(h)));
    }
    d.push("</tr></thead><tbody>");
    for r in list {
        let mut state = label(r.state.into(), d.lang).to_string();
        if let Some(t) = r.sent_at {
            state = format!("{state} ({}: {})", d.w(W::Sent).to_lowercase(), d.when(t));
        }
        if let Some(t) = r.delivered_at {
            state.push_str(&format!("; {}: {}", d.w(W::Delivered), d.when(t)));
        }
        if let Some(reason) = &r.reason {
            state.push_str(&format!(" ({})", reminder_reason(reason, d.lang)));
        }
        let text = r.text.clone().unwrap_or_else(|| d.w(W::Anonymous).to_string());
        let _ = write!(
            d.out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&d.when(r.send_at)),
            esc(&state),
            para(&text)
        );
    }
    d.push("</tbody></table>");
}

/// Builds the document (no audit here; see [`Vault::export_citizen`]).
fn render(
    conn: &Connection,
    keys: &mut Keyring,
    id: &str,
    lang: Language,
    now: DateTime<Utc>,
) -> CoreResult<CitizenExport> {
    let citizen = citizens::load_in(conn, keys, id)?;
    let tz = parse_zone(DEFAULT_TIME_ZONE)?;
    let mut d = Doc { out: String::with_capacity(16 * 1024), lang, tz };
    let title = esc(d.w(W::Title));
    let _ = write!(
        d.out,
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
         <style>{STYLE}</style></head><body><h1>{title}</h1><p>{}</p>",
        lang.as_str(),
        esc(d.w(W::Intro))
    );
    let mut meta = format!("{}: {}", d.w(W::Printed), d.when(now));
    if let Some(p) = worker::load_profile(conn, keys)? {
        meta.push_str(&format!(" · {}: {} ({})", d.w(W::RecordedBy), p.name, label(p.role.into(), lang)));
    }
    let _ = write!(d.out, "<p class=\"meta\">{}</p><p class=\"meta\">{}</p>", esc(&meta), esc(d.w(W::Retention)));
    details(&mut d, &citizen);
    let mut records = 1;

    let _ = write!(d.out, "<h2>{}</h2>", esc(d.w(W::Notes)));
    let note_ids: Vec<String> = {
        let mut stmt = conn.prepare("SELECT id FROM notes WHERE citizen_id = ?1 ORDER BY occurred_at, id")?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    if note_ids.is_empty() {
        let _ = write!(d.out, "<p>{}</p>", esc(d.w(W::NoNotes)));
    }
    for note_id in &note_ids {
        match notes::load(conn, keys, note_id) {
            Ok(n) => records += note(&mut d, &n),
            // A damaged note is named as such rather than leaving the rest out.
            Err(CoreError::Tampered) => {
                let _ = write!(d.out, "<section><p>{}</p></section>", esc(d.w(W::Unreadable)));
                records += 1;
            }
            Err(e) => return Err(e),
        }
    }

    let _ = write!(d.out, "<h2>{}</h2>", esc(d.w(W::Appointments)));
    let list = appointments::query(conn, keys, "WHERE citizen_id = ?1 ORDER BY starts_at, id", [id])?;
    if list.is_empty() {
        let _ = write!(d.out, "<p>{}</p>", esc(d.w(W::NoAppointments)));
    } else {
        appointment_rows(&mut d, conn, &list)?;
    }
    records += list.len() as u32;

    let _ = write!(d.out, "<h2>{}</h2>", esc(d.w(W::Reminders)));
    let mut reminders = Vec::new();
    for a in &list {
        reminders.extend(outbox::for_appointment(conn, keys, &a.id, now)?);
    }
    if reminders.is_empty() {
        let _ = write!(d.out, "<p>{}</p>", esc(d.w(W::NoReminders)));
    } else {
        reminder_rows(&mut d, &reminders);
    }
    records += reminders.len() as u32;
    d.push("</body></html>\n");
    Ok(CitizenExport { html: d.out, records })
}

impl Vault {
    /// Everything recorded about one citizen as one HTML document in `language`, for an
    /// access request. Unlocked only; audited (kind and number of records). The caller
    /// writes it where the user points; the core keeps no copy.
    pub fn export_citizen(&self, citizen_id: &str, language: Language) -> CoreResult<CitizenExport> {
        self.with_session(|ctx| {
            let now = ctx.now;
            let export = render(ctx.conn, ctx.keys, citizen_id, language, now)?;
            let event = Event::counted(AuditKind::CitizenExported, AuditObject::Citizen, export.records as u64);
            let rotation = store::write_tx(ctx.conn, |tx| self.audit_tx(tx, now, &[event]))?;
            self.finish_rotation(rotation);
            Ok(export)
        })
    }
}
