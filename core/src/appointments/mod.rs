//! Appointments with citizens at venues or outside places.

pub mod localtime;
