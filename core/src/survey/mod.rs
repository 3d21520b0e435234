//! The satisfaction survey (SPEC §2 G): the five statements of the evaluation, answered by
//! the citizen on the worker's phone after a talk, anonymous and unlinked.
//!
//! What is kept of one form (table `survey_answers`, migration 11): the venue and the local
//! date in clear, so the report can select by them; the five answers sealed. Nothing that
//! could link a form to a person or a talk: no citizen, note or appointment, no time of day,
//! no creation time, no insertion order (the table is ordered by its random id). The sealed
//! value has a fixed length, so not even the number of skipped statements shows.
//!
//! Why the answers have a key of their own (HKDF of the vault key, label
//! `survey answers v1`) rather than the general key: survey mode (`mode.rs`) keeps the key
//! that seals answers in memory while the phone is in a citizen's hands and the vault is
//! locked. That key opens survey answers and nothing else; the general key would also open
//! every anonymous note. The envelope binds table, row and column; the sealed value repeats
//! the venue and the date, so an answer moved to another venue or day is refused when read.
//! Survey rows are outside the seal ledger (the key to write ledger entries is the vault
//! key's, which survey mode does not hold): a row deleted, or the table rolled back, is not
//! detected — for anonymous answers that link to nothing, an accepted limit.

pub mod mode;

pub use mode::{SurveyMode, SURVEY_IDLE_MINUTES};

use crate::crypto::envelope::{self, Aad};
use crate::crypto::wiped::Wiped;
use crate::error::{CoreError, CoreResult};
use crate::ids;
use crate::time::{date_from_sql, date_to_sql};
use crate::vault::keyring::{envelope_error, subkey, Keyring};
use crate::vault::Vault;
use crate::venues::{self, parse_zone};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use ring::aead::LessSafeKey;
use rusqlite::{params, Connection};
use zeroize::Zeroizing;

/// How many statements a form has.
pub const STATEMENTS: usize = 5;
/// The lowest answer that counts as agreeing (4 = agree, 5 = strongly agree).
pub const AGREE_FROM: u8 = 4;
/// The key id written into survey envelopes (not a `data_keys` row).
pub const SURVEY_KEY_ID: u64 = u64::MAX - 2;

const TABLE: &str = "survey_answers";
const FORMAT: u8 = 1;

/// The five statements of the evaluation (Den Grimme Ælling #40, 2017, after KORA).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Statement {
    /// It was positive that the talk was held at the drop-in centre.
    HeldAtVenuePositive,
    /// I felt safe and at ease during the talk.
    SafeAndAtEase,
    /// I was listened to.
    ListenedTo,
    /// The talk was about what mattered to me.
    AboutWhatMattered,
    /// The talk came at the right time for me.
    RightTime,
}

impl Statement {
    /// In the order a form asks them and stores the answers.
    pub const ALL: [Statement; STATEMENTS] = [
        Statement::HeldAtVenuePositive,
        Statement::SafeAndAtEase,
        Statement::ListenedTo,
        Statement::AboutWhatMattered,
        Statement::RightTime,
    ];

    /// The stable code (CSV, JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Statement::HeldAtVenuePositive => "held_at_venue_positive",
            Statement::SafeAndAtEase => "safe_and_at_ease",
            Statement::ListenedTo => "listened_to",
            Statement::AboutWhatMattered => "about_what_mattered",
            Statement::RightTime => "right_time",
        }
    }
}

/// One filled-in form: for each statement, in [`Statement::ALL`] order, 1 (strongly disagree)
/// to 5 (strongly agree), or `None` when the citizen chose not to answer it.
pub type Answers = [Option<u8>; STATEMENTS];

/// Checks a form as given: five answers, each 1–5 or not answered, at least one answered.
pub fn check_answers(answers: &[Option<u8>]) -> CoreResult<Answers> {
    let form: Answers =
        answers.try_into().map_err(|_| CoreError::invalid("answers", "five answers are needed, one per statement"))?;
    if form.iter().flatten().any(|a| !(1..=5).contains(a)) {
        return Err(CoreError::invalid("answers", "each answer must be between 1 and 5"));
    }
    if form.iter().all(Option::is_none) {
        return Err(CoreError::invalid("answers", "at least one statement must be answered"));
    }
    Ok(form)
}

/// The key that seals and opens survey answers, and nothing else.
pub(crate) struct SurveyKey(Wiped<LessSafeKey>);

impl SurveyKey {
    pub(crate) fn of(keys: &Keyring) -> CoreResult<Self> {
        let key = subkey(keys.vault_key(), b"survey answers v1")?;
        Ok(SurveyKey(Wiped::new(envelope::aead_key(&key).map_err(envelope_error)?)))
    }
}

/// format (1) | date `YYYY-MM-DD` (10) | venue id (32) | five answers, 0 = not answered (5).
const SEALED_LEN: usize = 1 + 10 + ids::ID_LEN + STATEMENTS;

fn encode(date: &str, venue_id: &str, answers: &Answers) -> CoreResult<Zeroizing<Vec<u8>>> {
    if date.len() != 10 || venue_id.len() != ids::ID_LEN {
        return Err(CoreError::Internal { reason: "survey answer encoding" });
    }
    let mut out = Zeroizing::new(Vec::with_capacity(SEALED_LEN));
    out.push(FORMAT);
    out.extend_from_slice(date.as_bytes());
    out.extend_from_slice(venue_id.as_bytes());
    out.extend(answers.iter().map(|a| a.unwrap_or(0)));
    Ok(out)
}

/// The answers of a sealed value, if it is well formed and names this date and venue.
fn decode(raw: &[u8], date: &str, venue_id: &str) -> Option<Answers> {
    if raw.len() != SEALED_LEN || raw[0] != FORMAT {
        return None;
    }
    let (d, rest) = raw[1..].split_at(10);
    let (v, a) = rest.split_at(ids::ID_LEN);
    if d != date.as_bytes() || v != venue_id.as_bytes() {
        return None;
    }
    let mut answers: Answers = [None; STATEMENTS];
    for (slot, &byte) in answers.iter_mut().zip(a) {
        *slot = match byte {
            0 => None,
            1..=5 => Some(byte),
            _ => return None,
        };
    }
    Some(answers)
}

/// The local date at the venue now.
pub(crate) fn today_at(zone: Tz, now: DateTime<Utc>) -> NaiveDate {
    crate::time::local::local(zone, now).date()
}

/// The venue's time zone; `NotFound` for a venue that does not exist.
pub(crate) fn venue_zone(conn: &Connection, venue_id: &str) -> CoreResult<Tz> {
    ids::check_id("venue_id", venue_id)?;
    let (_, zone) = venues::venue_name_and_zone(conn, venue_id)?;
    parse_zone(&zone).map_err(|_| CoreError::Corrupt)
}

/// Stores one form, in one durable statement.
pub(crate) fn insert(
    conn: &Connection,
    key: &SurveyKey,
    venue_id: &str,
    date: NaiveDate,
    answers: &Answers,
) -> CoreResult<()> {
    let id = ids::new_id()?;
    let date = date_to_sql(date);
    let plain = encode(&date, venue_id, answers)?;
    let sealed =
        envelope::seal_with(&key.0, SURVEY_KEY_ID, Aad::new(TABLE, &id, "answers"), &plain).map_err(envelope_error)?;
    conn.prepare_cached("INSERT INTO survey_answers (id, venue_id, on_date, answers) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![id, venue_id, date, sealed])?;
    Ok(())
}

/// How the answers to one statement fell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatementTally {
    /// Forms that answered this statement.
    pub answered: u32,
    /// How many answered 1, 2, 3, 4, 5.
    pub by_answer: [u32; 5],
}

impl StatementTally {
    /// Answers of 4 or 5.
    pub fn agree(&self) -> u32 {
        self.by_answer[usize::from(AGREE_FROM - 1)..].iter().sum()
    }
}

/// The forms of a period (and a venue).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SurveyTally {
    pub responses: u32,
    /// In [`Statement::ALL`] order.
    pub statements: [StatementTally; STATEMENTS],
    /// Rows that did not open (damaged or moved): left out of the counts.
    pub unreadable: u32,
}

/// Counts the forms dated `from..=to` (at `venue_id`, or all).
pub(crate) fn tally(
    conn: &Connection,
    key: &SurveyKey,
    from: NaiveDate,
    to: NaiveDate,
    venue_id: Option<&str>,
) -> CoreResult<SurveyTally> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, venue_id, on_date, answers FROM survey_answers
         WHERE on_date >= ?1 AND on_date <= ?2 AND (?3 IS NULL OR venue_id = ?3)",
    )?;
    let mut rows = stmt.query(params![date_to_sql(from), date_to_sql(to), venue_id])?;
    let mut t = SurveyTally::default();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let venue: String = r.get(1)?;
        let date: String = r.get(2)?;
        let sealed = r.get_ref(3)?.as_blob().map_err(|_| CoreError::Corrupt)?;
        let answers = envelope::open_with(&key.0, Aad::new(TABLE, &id, "answers"), sealed)
            .ok()
            .filter(|_| date_from_sql(&date).is_ok())
            .and_then(|raw| decode(&raw, &date, &venue));
        let Some(answers) = answers else {
            t.unreadable += 1;
            continue;
        };
        t.responses += 1;
        for (s, a) in t.statements.iter_mut().zip(answers) {
            if let Some(a) = a {
                s.answered += 1;
                s.by_answer[usize::from(a - 1)] += 1;
            }
        }
    }
    Ok(t)
}

impl Vault {
    /// Records one form typed in by the worker (answers given on paper, for instance): at
    /// `venue_id`, dated `date` (today at the venue when `None`; never in the future).
    /// Needs the vault unlocked. On the phone, citizens answer in survey mode instead.
    pub fn add_survey_answer(&self, venue_id: &str, date: Option<NaiveDate>, answers: &[Option<u8>]) -> CoreResult<()> {
        let answers = check_answers(answers)?;
        ids::check_id("venue_id", venue_id)?;
        if let Some(d) = date {
            crate::time::check_date("date", d)?;
        }
        self.with_session(|ctx| {
            let zone = venue_zone(ctx.conn, venue_id)?;
            let today = today_at(zone, ctx.now);
            let date = date.unwrap_or(today);
            if date > today {
                return Err(CoreError::invalid("date", "lies in the future"));
            }
            let key = SurveyKey::of(ctx.keys)?;
            insert(ctx.conn, &key, venue_id, date, &answers)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_checked() {
        assert_eq!(
            check_answers(&[Some(5), Some(4), None, Some(1), Some(3)]),
            Ok([Some(5), Some(4), None, Some(1), Some(3)])
        );
        for bad in [&[Some(5); 4][..], &[Some(5); 6][..], &[][..]] {
            assert_eq!(
                check_answers(bad),
                Err(CoreError::InvalidInput { field: "answers", reason: "five answers are needed, one per statement" })
            );
        }
        for v in [0, 6, 255] {
            assert_eq!(
                check_answers(&[Some(3), Some(v), Some(3), Some(3), Some(3)]),
                Err(CoreError::InvalidInput { field: "answers", reason: "each answer must be between 1 and 5" })
            );
        }
        assert_eq!(
            check_answers(&[None; 5]),
            Err(CoreError::InvalidInput { field: "answers", reason: "at least one statement must be answered" })
        );
    }

    #[test]
    fn the_sealed_value_has_one_length_and_names_its_place() {
        let venue = "0123456789abcdef0123456789abcdef";
        let full = encode("2026-03-31", venue, &[Some(5); 5]).unwrap();
        let sparse = encode("2026-03-31", venue, &[Some(1), None, None, None, None]).unwrap();
        assert_eq!(full.len(), SEALED_LEN);
        assert_eq!(sparse.len(), SEALED_LEN);
        assert_eq!(decode(&sparse, "2026-03-31", venue), Some([Some(1), None, None, None, None]));
        assert_eq!(decode(&sparse, "2026-04-01", venue), None, "moved to another day");
        assert_eq!(decode(&sparse, "2026-03-31", "fedcba9876543210fedcba9876543210"), None, "moved to another venue");
        let mut bad = sparse.to_vec();
        bad[SEALED_LEN - 1] = 6;
        assert_eq!(decode(&bad, "2026-03-31", venue), None);
    }

    #[test]
    fn agreeing_is_four_or_five() {
        let t = StatementTally { answered: 10, by_answer: [1, 1, 2, 3, 3] };
        assert_eq!(t.agree(), 6);
    }

    #[test]
    fn statement_codes_are_distinct() {
        let mut codes: Vec<&str> = Statement::ALL.iter().map(|s| s.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), STATEMENTS);
    }
}
