//! One call per screen: what the Today screen and a citizen's overview show, gathered in
//! the core so Android, iOS and the CLI show the same thing and each screen costs one FFI
//! call. Read-only; the actions the screens offer are in `flows`.

pub mod overview;
pub mod today;

pub use overview::CitizenOverview;
pub use today::{AgendaItem, AttentionItem, DayNote, ReminderSummary, Today};
