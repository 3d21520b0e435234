//! Everything about texting citizens. For now: phone numbers.

pub mod phone;
