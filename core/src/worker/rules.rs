//! The worker's reminder rules: when texts may go (the planner in `reminders` applies them).

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

/// A worker's reminder settings (overridable per citizen). Times are local to the venue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderRules {
    /// Local time of the day-before reminder; `None` turns it off.
    pub day_before_at: Option<NaiveTime>,
    /// How long before the start the last reminder goes; `None` turns it off.
    pub hours_before_minutes: Option<u32>,
    /// A confirmation is sent at booking when the start is closer than this; `None` turns it off.
    pub confirmation_within_minutes: Option<u32>,
    pub quiet_start: NaiveTime,
    pub quiet_end: NaiveTime,
}

impl Default for ReminderRules {
    fn default() -> Self {
        ReminderRules {
            day_before_at: NaiveTime::from_hms_opt(17, 0, 0),
            hours_before_minutes: Some(120),
            confirmation_within_minutes: Some(24 * 60),
            quiet_start: NaiveTime::from_hms_opt(21, 0, 0).unwrap_or_default(),
            quiet_end: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
        }
    }
}
