//! No-show figures.
