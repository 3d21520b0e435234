//! What the CLI looks up around one command: ids typed as unique prefixes, and the names and
//! zones plain output shows instead of ids. Every list is read once per command, on first use.
//!
//! An id may be typed whole (32 hex digits) or as a prefix of at least 6, in any case. A
//! prefix is resolved by listing what the vault holds of that kind; one that matches none or
//! several is an error naming the flag it was typed for.

use crate::app::CliError;
use brobygger_ffi::*;
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;

pub const ID_LEN: usize = 32;
pub const MIN_PREFIX: usize = 6;
/// The zone of times not tied to a venue (notes, instants): the product's home zone.
pub const HOME_ZONE: &str = "Europe/Copenhagen";

/// An id as typed: whole, or a prefix to look up.
pub enum Typed {
    Whole(String),
    Prefix(String),
}

/// Checks the shape of a typed id or prefix.
pub fn typed(raw: &str, flag: &str) -> Result<Typed, CliError> {
    let s = raw.trim().to_ascii_lowercase();
    if !s.bytes().all(|b| b.is_ascii_hexdigit()) || s.len() > ID_LEN || s.len() < MIN_PREFIX {
        return Err(CliError::input(
            flag,
            format!("'{raw}' is not an id (32 hex digits) or the start of one (at least {MIN_PREFIX} hex digits)"),
        ));
    }
    Ok(if s.len() == ID_LEN { Typed::Whole(s) } else { Typed::Prefix(s) })
}

/// Whether `raw` is a whole id, so no look-up (and no PIN) is needed for it.
pub fn is_whole(raw: &str) -> bool {
    let s = raw.trim();
    s.len() == ID_LEN && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The one id among `ids` that starts with the prefix.
fn pick<'a>(prefix: &str, ids: impl Iterator<Item = &'a str>, what: &str, flag: &str) -> Result<String, CliError> {
    let mut found: Vec<&str> = ids.filter(|id| id.starts_with(prefix)).collect();
    found.sort_unstable();
    found.dedup();
    match found.as_slice() {
        [one] => Ok((*one).to_string()),
        [] => Err(CliError::Lookup {
            code: "not_found",
            flag: flag.to_string(),
            message: format!("{flag}: no {what} id starts with {prefix}"),
        }),
        many => Err(CliError::Lookup {
            code: "ambiguous_id",
            flag: flag.to_string(),
            message: format!("{flag}: {prefix} is the start of {} {what} ids; type more digits", many.len()),
        }),
    }
}

pub struct Directory<'a> {
    vault: &'a Vault,
    citizens: OnceCell<Vec<Citizen>>,
    venues: OnceCell<Vec<Venue>>,
    appointments: OnceCell<Vec<Appointment>>,
    /// Appointment id → its zone, for reminders' send times.
    zones: RefCell<HashMap<String, String>>,
}

impl<'a> Directory<'a> {
    pub fn new(vault: &'a Vault) -> Self {
        Directory {
            vault,
            citizens: OnceCell::new(),
            venues: OnceCell::new(),
            appointments: OnceCell::new(),
            zones: RefCell::new(HashMap::new()),
        }
    }

    fn citizens(&self) -> Result<&Vec<Citizen>, CliError> {
        if let Some(c) = self.citizens.get() {
            return Ok(c);
        }
        let list = self.vault.list_citizens()?.citizens;
        Ok(self.citizens.get_or_init(|| list))
    }

    fn venues(&self) -> Result<&Vec<Venue>, CliError> {
        if let Some(v) = self.venues.get() {
            return Ok(v);
        }
        let list = self.vault.list_venues()?;
        Ok(self.venues.get_or_init(|| list))
    }

    /// Every appointment of every citizen (those of deleted citizens are anonymous counts).
    fn appointments(&self) -> Result<&Vec<Appointment>, CliError> {
        if let Some(a) = self.appointments.get() {
            return Ok(a);
        }
        let mut all = Vec::new();
        for c in self.citizens()? {
            all.extend(self.vault.appointments_for_citizen(c.id.clone())?);
        }
        Ok(self.appointments.get_or_init(|| all))
    }

    /// A citizen's nickname (None when unknown or deleted, or the vault is locked).
    pub fn citizen_name(&self, id: Option<&str>) -> Option<String> {
        let id = id?;
        self.citizens().ok()?.iter().find(|c| c.id == id).map(|c| c.nickname.clone())
    }

    pub fn venue_name(&self, id: Option<&str>) -> Option<String> {
        let id = id?;
        self.venues().ok()?.iter().find(|v| v.id == id).map(|v| v.name.clone())
    }

    /// A venue's time zone (None when unknown or the vault is locked).
    pub fn venue_zone(&self, id: &str) -> Option<String> {
        self.venues().ok()?.iter().find(|v| v.id == id).map(|v| v.time_zone.clone())
    }

    /// The zone an appointment's times are read in (its venue's); the home zone if unknown.
    pub fn zone_of(&self, appointment_id: &str) -> String {
        if let Some(z) = self.zones.borrow().get(appointment_id) {
            return z.clone();
        }
        let zone =
            self.vault.get_appointment(appointment_id.to_string()).map(|a| a.time_zone).unwrap_or(HOME_ZONE.into());
        self.zones.borrow_mut().insert(appointment_id.to_string(), zone.clone());
        zone
    }

    pub fn remember_zone(&self, a: &Appointment) {
        self.zones.borrow_mut().insert(a.id.clone(), a.time_zone.clone());
    }

    pub fn citizen(&self, raw: &str, flag: &str) -> Result<String, CliError> {
        match typed(raw, flag)? {
            Typed::Whole(id) => Ok(id),
            Typed::Prefix(p) => pick(&p, self.citizens()?.iter().map(|c| c.id.as_str()), "citizen", flag),
        }
    }

    pub fn venue(&self, raw: &str, flag: &str) -> Result<String, CliError> {
        match typed(raw, flag)? {
            Typed::Whole(id) => Ok(id),
            Typed::Prefix(p) => pick(&p, self.venues()?.iter().map(|v| v.id.as_str()), "venue", flag),
        }
    }

    pub fn appointment(&self, raw: &str, flag: &str) -> Result<String, CliError> {
        match typed(raw, flag)? {
            Typed::Whole(id) => Ok(id),
            Typed::Prefix(p) => pick(&p, self.appointments()?.iter().map(|a| a.id.as_str()), "appointment", flag),
        }
    }

    /// Notes: every page of the list.
    pub fn note(&self, raw: &str, flag: &str) -> Result<String, CliError> {
        match typed(raw, flag)? {
            Typed::Whole(id) => Ok(id),
            Typed::Prefix(p) => pick(&p, self.all_note_ids()?.iter().map(String::as_str), "note", flag),
        }
    }

    fn all_note_ids(&self) -> Result<Vec<String>, CliError> {
        let mut ids = Vec::new();
        let mut cursor = None;
        loop {
            let page = self.vault.list_notes(None, Some(1000), cursor)?;
            ids.extend(page.items.into_iter().map(|n| n.id));
            match page.next_cursor {
                Some(c) => cursor = Some(c),
                None => return Ok(ids),
            }
        }
    }

    /// Reminders: the open ones and the last week's first, then every appointment's.
    pub fn reminder(&self, raw: &str, flag: &str) -> Result<String, CliError> {
        let p = match typed(raw, flag)? {
            Typed::Whole(id) => return Ok(id),
            Typed::Prefix(p) => p,
        };
        let recent = self.vault.list_reminders(None)?;
        if let Ok(id) = pick(&p, recent.iter().map(|r| r.id.as_str()), "reminder", flag) {
            return Ok(id);
        }
        let mut all = Vec::new();
        for a in self.appointments()? {
            all.extend(self.vault.list_reminders(Some(a.id.clone()))?.into_iter().map(|r| r.id));
        }
        pick(&p, all.iter().map(String::as_str), "reminder", flag)
    }

    /// Follow-ups: those of every note.
    pub fn follow_up(&self, raw: &str, flag: &str) -> Result<String, CliError> {
        let p = match typed(raw, flag)? {
            Typed::Whole(id) => return Ok(id),
            Typed::Prefix(p) => p,
        };
        let mut all = Vec::new();
        for note in self.all_note_ids()? {
            all.extend(self.vault.get_note(note)?.follow_ups.into_iter().map(|f| f.id));
        }
        pick(&p, all.iter().map(String::as_str), "follow-up", flag)
    }

    pub fn office_hours(&self, raw: &str, flag: &str) -> Result<String, CliError> {
        match typed(raw, flag)? {
            Typed::Whole(id) => Ok(id),
            Typed::Prefix(p) => {
                let all = self.vault.list_office_hours(None)?;
                pick(&p, all.iter().map(|h| h.id.as_str()), "office hours", flag)
            }
        }
    }

    pub fn absence(&self, raw: &str, flag: &str) -> Result<String, CliError> {
        match typed(raw, flag)? {
            Typed::Whole(id) => Ok(id),
            Typed::Prefix(p) => {
                let all = self.vault.list_absences()?;
                pick(&p, all.iter().map(|a| a.id.as_str()), "absence", flag)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_need_six_hex_digits_and_ignore_case() {
        assert!(matches!(typed("ABCDEF", "--citizen"), Ok(Typed::Prefix(p)) if p == "abcdef"));
        assert!(matches!(typed(&"A".repeat(32), "ID"), Ok(Typed::Whole(_))));
        for bad in ["abcde", "abcdeg", "", &"a".repeat(33)] {
            match typed(bad, "--citizen") {
                Err(CliError::Input { flag, .. }) => assert_eq!(flag, "--citizen"),
                _ => panic!("{bad} accepted"),
            }
        }
    }

    #[test]
    fn a_prefix_picks_one_or_says_why_not() {
        let ids = ["abcdef01", "abcdef02", "123456aa"];
        assert_eq!(pick("123456", ids.into_iter(), "note", "ID").unwrap(), "123456aa");
        match pick("abcdef", ids.into_iter(), "note", "ID") {
            Err(CliError::Lookup { code, message, .. }) => {
                assert_eq!(code, "ambiguous_id");
                assert!(message.starts_with("ID: abcdef is the start of 2 note ids"), "{message}");
            }
            _ => panic!("ambiguous prefix accepted"),
        }
        assert!(matches!(
            pick("ffffff", ids.into_iter(), "note", "ID"),
            Err(CliError::Lookup { code: "not_found", .. })
        ));
    }
}
