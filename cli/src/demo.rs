//! `brobygger demo`: a scripted morning at a drop-in centre, on a temporary vault that is
//! wiped at the end. It shows what the caseworker sees, through the same API as the phones.

use crate::output::*;
use crate::{answer, platform, Answer, CliError};
use brobygger_ffi::*;
use ring::rand::{SecureRandom, SystemRandom};
use serde_json::{json, Value};

struct Script {
    steps: Vec<Value>,
    text: Vec<String>,
}

impl Script {
    fn step(&mut self, what: &str, shows: Value, text: String) {
        self.text.push(format!("\n== {what}\n{text}"));
        self.steps.push(json!({"step": what, "shows": shows}));
    }
}

pub fn run(json_mode: bool) -> Result<Answer, CliError> {
    let mut suffix = [0u8; 6];
    SystemRandom::new().fill(&mut suffix).map_err(|_| CliError::Usage("random generator failed".into()))?;
    let dir = std::env::temp_dir()
        .join(format!("brobygger-demo-{}", suffix.iter().map(|b| format!("{b:02x}")).collect::<String>()));
    let result = script(&dir, json_mode);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn script(dir: &std::path::Path, _json_mode: bool) -> Result<Answer, CliError> {
    let mut s = Script { steps: Vec::new(), text: Vec::new() };
    let pin = "246810".to_string();
    let (ks, clock) = platform(dir);
    let created = create_vault(dir.display().to_string(), pin.clone(), ks, clock)?;
    let vault = created.vault;
    let status = vault.status()?;
    s.step(
        "08:55 Set up the work phone",
        json!({"recovery_key_shown_once": true, "status": status_json(&status)}),
        format!(
            "Vault created; recovery key shown once: {}\nPIN KDF: PBKDF2-HMAC-SHA256 x {} bound to the device key; auto-lock after {} min.",
            created.recovery_key, status.kdf_iterations, status.auto_lock_minutes
        ),
    );

    let ole = vault.add_citizen(NewCitizen {
        nickname: "Ole".into(),
        phone: Some("20 30 40 50".into()),
        sms_consent: Some(ConsentMethod::Verbal),
        language: SmsLanguage::Da,
        case_reference: Some("27.12.04-G01-1234-26".into()),
    })?;
    let mette = vault.add_citizen(NewCitizen {
        nickname: "Mette".into(),
        phone: Some("0045 3366 3366".into()),
        sms_consent: None,
        language: SmsLanguage::Da,
        case_reference: None,
    })?;
    let tom = vault.add_citizen(NewCitizen {
        nickname: "Tom".into(),
        phone: Some("+46 70 123 45 67".into()),
        sms_consent: Some(ConsentMethod::Written),
        language: SmsLanguage::En,
        case_reference: None,
    })?;
    let list = vault.list_citizens()?;
    s.step(
        "09:10 Register three citizens at Borgercaféen",
        Value::Array(list.iter().map(citizen_json).collect()),
        list.iter().map(citizen_text).collect::<Vec<_>>().join("\n"),
    );

    let draft = vault.create_note(NoteInput {
        citizen_id: Some(ole.id.clone()),
        text: "Kaffe med Ole. Har fået brev fra".into(),
        topics: vec![],
        help_given: vec![],
    })?;
    let draft = vault.save_draft(
        draft.id,
        NoteInput {
            citizen_id: Some(ole.id.clone()),
            text: "Kaffe med Ole. Har fået brev fra ydelseskontoret om tilbagebetaling; vil gerne have hjælp til at forstå det. \
                   Taler om at flytte til Ærø til sommer."
                .into(),
            topics: vec![Topic::FinancesHousing, Topic::JobEducationRehabilitation],
            help_given: vec![HelpGiven::FinancesOverview, HelpGiven::Forms],
        },
    )?;
    s.step("09:25 A café conversation: the draft is saved as it is typed", note_json(&draft), note_text(&draft, true));
    let note = vault.finalize_note(draft.id.clone())?;
    let task = vault.add_follow_up(
        note.id.clone(),
        FollowUpInput {
            text: "Ring til ydelseskontoret om afdragsordning".into(),
            due_date: Some("2026-12-01".into()),
            owner: WorkerRole::Caseworker,
        },
    )?;
    let note = vault.amend_note(note.id, "Ole ringede bagefter: brevet er fra oktober.".into())?;
    s.step(
        "09:40 Finalise the note, add a follow-up, append an amendment",
        note_json(&note),
        format!("{}\n(follow-up {} is owned by the caseworker)", note_text(&note, true), task.id),
    );

    let anon = vault.create_note(NoteInput {
        citizen_id: None,
        text: "Anonym samtale: spørgsmål om gældsrådgivning og hvor man kan få hjælp.".into(),
        topics: vec![Topic::FinancesHousing],
        help_given: vec![HelpGiven::AdviceOnSupport],
    })?;
    let anon = vault.finalize_note(anon.id)?;
    s.step("10:05 An anonymous talk: nobody registered", note_json(&anon), note_text(&anon, true));

    let hits = vault.search_notes("ÆRØ".into())?;
    s.step(
        "10:30 Search \"ÆRØ\" finds Ole's note (case- and letter-aware)",
        Value::Array(hits.iter().map(note_json).collect()),
        hits.iter().map(|n| note_text(n, false)).collect::<Vec<_>>().join("\n"),
    );

    vault.lock();
    let locked = match vault.list_notes(None, None) {
        Err(e) => e.to_string(),
        Ok(_) => "unexpectedly readable".into(),
    };
    let wrong = match vault.unlock("000000".into()) {
        Err(e) => e.to_string(),
        Ok(()) => "unexpectedly unlocked".into(),
    };
    vault.unlock(pin)?;
    s.step(
        "11:00 The phone is left on the table: locked",
        json!({"while_locked": locked, "wrong_pin": wrong, "unlocked_again": vault.is_unlocked()}),
        format!("While locked: {locked}\nWrong PIN: {wrong}\nRight PIN: unlocked again"),
    );

    vault.delete_citizen(mette.id.clone())?;
    let gone = match vault.get_citizen(mette.id.clone()) {
        Err(e) => e.to_string(),
        Ok(_) => "still there".into(),
    };
    s.step(
        "11:30 Mette asks to be forgotten: her key is destroyed",
        json!({"deleted": mette.id, "lookup_after": gone}),
        format!("Deleted citizen {}; looking her up now gives: {gone}", mette.id),
    );

    let recent = vault.list_notes(None, Some(50))?;
    s.step(
        "12:00 The morning's notes, newest first",
        Value::Array(recent.iter().map(note_json).collect()),
        recent.iter().map(|n| note_text(n, false)).collect::<Vec<_>>().join("\n"),
    );
    let _ = tom;
    vault.wipe()?;
    s.step("12:05 The demo vault is wiped", json!({"wiped": true}), "Keys and files removed.".into());
    Ok(answer(json!({"demo": "drop-in centre morning", "steps": s.steps}), s.text.join("\n")))
}
