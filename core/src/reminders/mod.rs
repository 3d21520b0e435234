//! SMS reminders: when they go (`planner`), and the outbox that hands them to the
//! platform's sender exactly once (`outbox`).

pub mod planner;
