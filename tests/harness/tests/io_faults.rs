//! I/O faults, in the manner of SQLite's own fail-the-Nth-I/O loops: for each kind of
//! transaction Brobygger makes, every write and every sync it performs is made to fail in
//! turn, once and from then on. After each run:
//!
//! - the call returned `Ok` or a typed storage error, never a panic or a wrong answer;
//! - the vault holds the state from before the call or after it, never a mix;
//! - once I/O works again, the same handle carries the call out, and a reopened vault passes
//!   `PRAGMA integrity_check`, opens with the right PIN and holds every acknowledged change;
//! - no reminder reached the sender twice;
//! - no file in the vault folder holds any personal marker the test wrote.
//!
//! The faulty VFS is the process's default, so this file holds a single test.

use brobygger_cli::keystore::FileKeyStore;
use brobygger_ffi::*;
use brobygger_harness::faulty_vfs::{self, IoKind, Persistence};
use brobygger_harness::{copy_dir, files, StepClock, START_MS};
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

const PIN: &str = "314159";
const NEW_PIN: &str = "271828";
/// 2026-03-02 16:05 UTC, 17:05 in Copenhagen: the day-before reminders for 3 March are due.
const DUE_MS: i64 = 1_772_467_500_000;
/// Every personal value the test writes; none may appear in any file.
const MARKERS: &[&str] = &[
    "FaultMarkerWorker",
    "FaultMarkerAsta",
    "FaultMarkerBo",
    "FaultMarkerCase",
    "FaultMarkerNote",
    "FaultMarkerFinal",
    "FaultMarkerNew",
    "FaultMarkerEdited",
    "FaultMarkerSaved",
    "20304050",
    "701234567",
    "61223344",
];

/// The kinds of transaction the product makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    OpenAndUnlock,
    WrongPin,
    AddCitizen,
    EditCitizen,
    DeleteCitizen,
    CreateNote,
    SaveDraft,
    FinalizeNote,
    Book,
    Reschedule,
    Cancel,
    SetOutcome,
    CorrectOutcome,
    EditReminderText,
    RunOutbox,
    ChangePin,
    /// Writes nothing at all: checked in the dry run, with no fault to inject.
    PreviewBooking,
}

const OPS: [Op; 17] = [
    Op::OpenAndUnlock,
    Op::WrongPin,
    Op::AddCitizen,
    Op::EditCitizen,
    Op::DeleteCitizen,
    Op::CreateNote,
    Op::SaveDraft,
    Op::FinalizeNote,
    Op::Book,
    Op::Reschedule,
    Op::Cancel,
    Op::SetOutcome,
    Op::CorrectOutcome,
    Op::EditReminderText,
    Op::RunOutbox,
    Op::ChangePin,
    Op::PreviewBooking,
];

/// The ids of what the template vault holds.
struct Template {
    dir: PathBuf,
    asta: String,
    bo: String,
    draft: String,
    appointment: String,
    past_appointment: String,
    /// Past, with its outcome (attended) recorded.
    attended_appointment: String,
    /// A day-before reminder of `appointment`, due at the test's instant.
    reminder: String,
}

/// A sender that records every reminder it is handed and accepts it.
#[derive(Default)]
struct Recorder(Mutex<Vec<String>>);

impl SmsSender for Recorder {
    fn send(&self, reminder_id: String, _number: String, _text: String) -> Result<SendOutcome, SmsSenderError> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(reminder_id);
        Ok(SendOutcome::Accepted)
    }
}

impl Recorder {
    fn assert_no_duplicate(&self, context: &str) {
        let sent = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let mut seen = std::collections::HashSet::new();
        for id in sent.iter() {
            assert!(seen.insert(id), "{context}: a reminder reached the sender twice");
        }
    }
}

fn open(dir: &Path, ms: i64) -> Result<Arc<Vault>, BrobyggerError> {
    Vault::open(dir.display().to_string(), Arc::new(FileKeyStore::new(dir)), Arc::new(StepClock(Mutex::new(ms))))
}

fn citizen(nickname: &str, phone: &str, case: &str) -> NewCitizen {
    NewCitizen {
        nickname: nickname.into(),
        phone: Some(phone.into()),
        sms_consent: Some(ConsentMethod::Verbal),
        language: SmsLanguage::Da,
        case_reference: Some(case.into()),
    }
}

fn note(citizen_id: &str, text: &str) -> NoteInput {
    NoteInput {
        citizen_id: Some(citizen_id.into()),
        text: text.into(),
        topics: vec![],
        help_given: vec![],
        occurred_at: None,
    }
}

fn local(s: &str) -> LocalDateTime {
    LocalDateTime(chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").expect("a local time"))
}

fn appointment(citizen_id: &str, at: &str) -> NewAppointment {
    NewAppointment {
        citizen_id: citizen_id.into(),
        venue_id: None,
        local_start: local(at),
        duration_minutes: 45,
        kind: AppointmentKind::Conversation,
        outside_place: None,
    }
}

fn make_template(root: &Path) -> Template {
    let dir = root.join("template");
    let clock = Arc::new(brobygger_core::ManualClock::new(
        chrono::DateTime::from_timestamp_millis(START_MS - 2 * 86_400_000).expect("instant"),
    ));
    // The core's constructor with a cheap KDF: the FFI offers only the production cost.
    brobygger_core::Vault::create_with_test_kdf(
        &dir,
        PIN,
        Arc::new(KeyStoreAdapter(Arc::new(FileKeyStore::new(&dir)))),
        clock,
        1_000,
    )
    .expect("template vault");
    // Two days before the due instant: an appointment that has since passed.
    let early = open(&dir, START_MS - 2 * 86_400_000).expect("open");
    early.unlock(PIN.into()).expect("unlock");
    let bo = early.add_citizen(citizen("FaultMarkerBo", "+46 70 123 45 67", "FaultMarkerCase2")).expect("citizen");
    let past = early.book_appointment(appointment(&bo.id, "2026-03-01T10:00")).expect("past appointment");
    let attended = early.book_appointment(appointment(&bo.id, "2026-03-01T12:00")).expect("past appointment");
    drop(early);
    let v = open(&dir, START_MS).expect("open");
    v.unlock(PIN.into()).expect("unlock");
    v.set_worker_profile("FaultMarkerWorker".into(), "61223344".into(), WorkerRole::Caseworker).expect("profile");
    let asta = v.add_citizen(citizen("FaultMarkerAsta", "20 30 40 50", "FaultMarkerCase1")).expect("citizen");
    let draft = v.create_note(note(&asta.id, "FaultMarkerNote om bolig")).expect("draft");
    let done = v.create_note(note(&asta.id, "FaultMarkerFinal om gæld")).expect("note");
    v.finalize_note(done.id).expect("finalize");
    let booked = v.book_appointment(appointment(&asta.id, "2026-03-03T10:00")).expect("book");
    v.book_appointment(appointment(&bo.id, "2026-03-03T11:00")).expect("book");
    v.set_outcome(attended.appointment.id.clone(), Outcome::Attended).expect("outcome");
    let reminder = booked
        .reminders
        .iter()
        .find(|r| r.reminder.kind == ReminderKind::DayBefore)
        .expect("a day-before reminder")
        .reminder
        .id
        .clone();
    Template {
        dir,
        asta: asta.id,
        bo: bo.id,
        draft: draft.id,
        appointment: booked.appointment.id,
        past_appointment: past.appointment.id,
        attended_appointment: attended.appointment.id,
        reminder,
    }
}

/// Everything a caseworker can see, without the random ids, sorted.
fn snapshot(v: &Vault) -> String {
    let mut lines = Vec::new();
    let citizens = v.list_citizens().expect("list citizens").citizens;
    let names: HashMap<String, String> = citizens.iter().map(|c| (c.id.clone(), c.nickname.clone())).collect();
    for c in &citizens {
        lines.push(format!("citizen {} {:?} {:?} {:?}", c.nickname, c.phone, c.case_reference, c.sms_consent));
        for a in v.appointments_for_citizen(c.id.clone()).expect("appointments") {
            lines.push(format!("appointment {} {} {:?}", c.nickname, a.local_start.0, a.status));
        }
    }
    let page = v.list_notes(None, Some(1000), None).expect("notes");
    assert_eq!((page.next_cursor.as_deref(), page.unreadable), (None, 0), "one whole page");
    for summary in page.items {
        let n = v.get_note(summary.id).expect("note");
        let who = n.citizen_id.as_ref().and_then(|id| names.get(id));
        lines.push(format!("note {who:?} {:?} {}", n.state, n.text));
    }
    for r in v.list_reminders(None).expect("reminders") {
        lines
            .push(format!("reminder {:?} {:?} {} {:?} {:?} {}", r.kind, r.state, r.attempts, r.hold, r.text, r.edited));
    }
    lines.push(format!("worker {:?}", v.worker_profile().expect("profile").map(|w| w.name)));
    lines.sort();
    lines.join("\n")
}

/// Carries out one operation on an unlocked vault.
fn run(op: Op, v: &Vault, t: &Template, sender: &Arc<Recorder>) -> Result<(), BrobyggerError> {
    match op {
        Op::OpenAndUnlock => unreachable!("handled by the caller"),
        Op::WrongPin => {
            v.lock();
            match v.unlock("000000".into()) {
                Ok(()) => panic!("a wrong PIN opened the vault"),
                Err(BrobyggerError::WrongPin { .. }) => Ok(()),
                Err(e) => Err(e),
            }
        }
        Op::AddCitizen => v.add_citizen(citizen("FaultMarkerNew", "21 22 23 24", "FaultMarkerCase3")).map(drop),
        Op::EditCitizen => v
            .edit_citizen(
                t.asta.clone(),
                CitizenEdit {
                    nickname: "FaultMarkerEdited".into(),
                    phone: Some("20 30 40 50".into()),
                    language: SmsLanguage::En,
                    case_reference: None,
                },
            )
            .map(drop),
        Op::DeleteCitizen => v.delete_citizen(t.bo.clone()),
        Op::CreateNote => v.create_note(note(&t.bo, "FaultMarkerNew om mad")).map(drop),
        Op::SaveDraft => v.save_draft(t.draft.clone(), note(&t.asta, "FaultMarkerSaved om bolig og job")).map(drop),
        Op::FinalizeNote => v.finalize_note(t.draft.clone()).map(drop),
        Op::Book => v.book_appointment(appointment(&t.bo, "2026-03-05T10:00")).map(drop),
        Op::Reschedule => v.reschedule_appointment(t.appointment.clone(), local("2026-03-04T11:00"), None).map(drop),
        Op::Cancel => v.cancel_appointment(t.appointment.clone(), CancelledBy::Citizen).map(drop),
        Op::SetOutcome => v.set_outcome(t.past_appointment.clone(), Outcome::Attended).map(drop),
        Op::CorrectOutcome => v.set_outcome(t.attended_appointment.clone(), Outcome::NoShow).map(drop),
        Op::EditReminderText => v
            .edit_reminder_text(
                t.reminder.clone(),
                "Hej FaultMarkerEdited, vi ses i morgen kl. 10. FaultMarkerWorker".into(),
            )
            .map(drop),
        Op::PreviewBooking => v.preview_booking(appointment(&t.bo, "2026-03-05T12:00")).map(drop),
        Op::RunOutbox => v.run_outbox(sender.clone(), None).map(drop),
        Op::ChangePin => v.change_pin(PIN.into(), NEW_PIN.into()),
    }
}

fn pin_after(op: Op) -> &'static str {
    if op == Op::ChangePin {
        NEW_PIN
    } else {
        PIN
    }
}

/// Opens and unlocks with whichever of the two PINs the vault takes, for a PIN change
/// that may or may not have landed.
fn unlock_any(v: &Vault, op: Op) -> &'static str {
    match v.unlock(PIN.into()) {
        Ok(()) => PIN,
        Err(BrobyggerError::WrongPin { .. }) if op == Op::ChangePin => {
            v.unlock(NEW_PIN.into()).expect("the new PIN opens it");
            NEW_PIN
        }
        Err(e) => panic!("{op:?}: the vault does not unlock after I/O recovered: {e}"),
    }
}

fn integrity_ok(dir: &Path) -> bool {
    let conn = rusqlite::Connection::open(dir.join("vault.db")).expect("sqlite open");
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check");
    check == "ok"
}

fn leak_scan(dir: &Path, context: &str) {
    for path in files(dir) {
        let bytes = std::fs::read(&path).unwrap_or_default();
        for marker in MARKERS {
            let needle = marker.as_bytes();
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{context}: {marker} in plaintext in {}",
                path.display()
            );
        }
    }
}

/// What the call must leave behind: the vault's state before and after it succeeds.
struct Expected {
    before: String,
    after: String,
    writes: u64,
    syncs: u64,
}

/// Runs `op` once without faults on a copy of the template and records what it does.
fn dry_run(t: &Template, op: Op, work: &Path) -> Expected {
    let dir = work.join(format!("dry-{op:?}"));
    copy_dir(&t.dir, &dir);
    faulty_vfs::disarm();
    let sender = Arc::new(Recorder::default());
    faulty_vfs::reset_counts();
    let v = open(&dir, DUE_MS).expect("open");
    v.unlock(PIN.into()).expect("unlock");
    let before = snapshot(&v);
    if op == Op::OpenAndUnlock {
        drop(v);
        faulty_vfs::reset_counts();
        let v = open(&dir, DUE_MS).expect("open");
        v.unlock(PIN.into()).expect("unlock");
        let (writes, syncs) = faulty_vfs::counts();
        return Expected { after: snapshot(&v), before, writes, syncs };
    }
    faulty_vfs::reset_counts();
    run(op, &v, t, &sender).unwrap_or_else(|e| panic!("{op:?} without faults: {e}"));
    let (writes, syncs) = faulty_vfs::counts();
    if op == Op::RunOutbox {
        assert_eq!(sender.0.lock().unwrap().len(), 2, "both day-before reminders are due at the test's instant");
    }
    if !v.is_unlocked() {
        v.unlock(pin_after(op).into()).expect("unlock");
    }
    Expected { after: snapshot(&v), before, writes, syncs }
}

/// One run with the `n`th `kind` call failing, then every check.
/// Returns whether the call reported the fault (rather than succeeding despite it).
fn faulted_run(
    t: &Template,
    op: Op,
    expected: &Expected,
    kind: IoKind,
    n: u64,
    persistence: Persistence,
    dir: &Path,
) -> bool {
    let context = format!("{op:?}, {kind:?} #{n} failing {persistence:?}");
    copy_dir(&t.dir, dir);
    let sender = Arc::new(Recorder::default());
    faulty_vfs::disarm();

    // The call, with I/O failing.
    let (handle, result) = catch_unwind(AssertUnwindSafe(|| {
        if op == Op::OpenAndUnlock {
            faulty_vfs::arm(kind, n, persistence);
            match open(dir, DUE_MS) {
                Ok(v) => {
                    let r = v.unlock(PIN.into());
                    (Some(v), r)
                }
                Err(e) => (None, Err(e)),
            }
        } else {
            let v = open(dir, DUE_MS).expect("open");
            v.unlock(PIN.into()).expect("unlock");
            faulty_vfs::arm(kind, n, persistence);
            let r = run(op, &v, t, &sender);
            (Some(v), r)
        }
    }))
    .unwrap_or_else(|_| panic!("{context}: panicked"));
    if persistence == Persistence::FromThenOn {
        // While I/O stays broken, every further write is refused with a typed error too.
        if let Some(v) = handle.as_ref().filter(|v| v.is_unlocked()) {
            let more = catch_unwind(AssertUnwindSafe(|| v.create_note(note(&t.asta, "FaultMarkerNew i mellemtiden"))))
                .unwrap_or_else(|_| panic!("{context}: a later call panicked"));
            assert!(
                matches!(more, Err(BrobyggerError::Storage { .. })),
                "{context}: a later call with I/O still failing gave {more:?}"
            );
        }
    }
    faulty_vfs::disarm();
    assert!(faulty_vfs::injected() >= 1, "{context}: the fault never fired; the sweep is off");
    match &result {
        Ok(()) | Err(BrobyggerError::Storage { .. }) => {}
        Err(e) => panic!("{context}: expected success or a storage error, got {e:?}"),
    }

    // I/O works again: the same handle shows the state before or after, and can finish the job.
    let handle = match handle {
        Some(v) => v,
        None => open(dir, DUE_MS).unwrap_or_else(|e| panic!("{context}: cannot open after I/O recovered: {e}")),
    };
    if !handle.is_unlocked() {
        unlock_any(&handle, op);
    }
    let seen = snapshot(&handle);
    let outbox = op == Op::RunOutbox;
    // A PIN change shows only in which PIN opens the vault.
    let pin_changed = op == Op::ChangePin && {
        handle.lock();
        unlock_any(&handle, op) == NEW_PIN
    };
    let took_effect = if op == Op::ChangePin { pin_changed } else { seen == expected.after };
    if result.is_ok() && !outbox {
        assert!(took_effect, "{context}: acknowledged but not there");
        assert_eq!(seen, expected.after, "{context}: acknowledged but not there");
    } else if !outbox && !took_effect {
        assert_eq!(seen, expected.before, "{context}: half a transaction is visible");
        run(op, &handle, t, &sender).unwrap_or_else(|e| panic!("{context}: retry after I/O recovered: {e}"));
        if !handle.is_unlocked() {
            unlock_any(&handle, op);
        }
        assert_eq!(snapshot(&handle), expected.after, "{context}: the retry did not land");
    } else if outbox {
        // A claim whose outcome could not be written stays claimed: a second run must not resend it.
        handle.run_outbox(sender.clone(), None).unwrap_or_else(|e| panic!("{context}: outbox after recovery: {e}"));
    }
    sender.assert_no_duplicate(&context);
    drop(handle);

    // A fresh process's view: integrity, the right PIN, every acknowledged change.
    assert!(integrity_ok(dir), "{context}: integrity_check failed");
    let v = open(dir, DUE_MS).unwrap_or_else(|e| panic!("{context}: reopen: {e}"));
    let pin = unlock_any(&v, op);
    assert_eq!(pin, pin_after(op), "{context}: the acknowledged PIN does not open the vault");
    if outbox {
        // Every reminder reached the sender at most once; any whose outcome was lost is now
        // `unknown` for the worker, the rest were sent.
        v.run_outbox(sender.clone(), None).unwrap_or_else(|e| panic!("{context}: outbox after reopen: {e}"));
        sender.assert_no_duplicate(&context);
        for r in v.list_reminders(None).expect("reminders") {
            if r.kind == ReminderKind::DayBefore && r.appointment_id != t.past_appointment {
                assert!(
                    matches!(r.state, ReminderState::Sent | ReminderState::Unknown),
                    "{context}: a due reminder ended {:?}",
                    r.state
                );
            }
        }
    } else {
        assert_eq!(snapshot(&v), expected.after, "{context}: lost after reopening");
    }
    v.add_citizen(citizen("FaultMarkerNew", "21 22 23 24", "FaultMarkerCase4"))
        .unwrap_or_else(|e| panic!("{context}: not usable after recovery: {e}"));
    drop(v);
    leak_scan(dir, &context);
    std::fs::remove_dir_all(dir).expect("clean up");
    result.is_err()
}

#[test]
fn every_write_and_sync_of_every_transaction_fails_in_turn() {
    faulty_vfs::install();
    let work = tempfile::tempdir().expect("temp dir");
    let template = make_template(work.path());
    let mut runs = 0u64;
    let mut injected = 0u64;
    let mut reported = 0u64;
    let mut report = Vec::new();
    for op in OPS {
        let expected = dry_run(&template, op, work.path());
        if op == Op::PreviewBooking {
            assert_eq!((expected.writes, expected.syncs), (0, 0), "a preview wrote to the vault");
            assert_eq!(expected.before, expected.after, "a preview changed what the vault shows");
            report.push(format!("{op:?}: no writes, no syncs"));
            continue;
        }
        assert!(expected.writes + expected.syncs > 0 || op == Op::OpenAndUnlock, "{op:?} wrote nothing");
        for (kind, count) in [(IoKind::Write, expected.writes), (IoKind::Sync, expected.syncs)] {
            for n in 1..=count {
                for persistence in [Persistence::Once, Persistence::FromThenOn] {
                    let dir = work.path().join("run");
                    reported += u64::from(faulted_run(&template, op, &expected, kind, n, persistence, &dir));
                    runs += 1;
                    injected += faulty_vfs::injected();
                }
            }
        }
        report.push(format!("{op:?}: {} writes, {} syncs", expected.writes, expected.syncs));
    }
    leak_scan(&template.dir, "template");
    println!(
        "{runs} faulted runs, {injected} injected I/O errors, {reported} reported as storage errors\n{}",
        report.join("\n")
    );
    assert!(runs > 100, "too few faulted runs: {runs}");
}
