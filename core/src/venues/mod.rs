//! Drop-in centres, the worker's office hours there, absences and public holidays.

pub mod holidays;
