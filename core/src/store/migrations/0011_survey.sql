-- Migration 11: the satisfaction survey (SPEC §2 G), anonymous and unlinked.
--
-- One row per form a citizen filled in. Only the venue and the local date are plain (the
-- report selects by them); the five answers are sealed, under a key derived from the vault
-- key for survey answers alone (see survey/mod.rs). Nothing else is kept: no citizen, note
-- or appointment, no time of day, no creation time. The table has no rowid and is ordered
-- by its random id, so neither the file's order nor a counter tells in which order the
-- forms were filled in, and answers cannot be lined up with the day's conversations.
CREATE TABLE survey_answers (
    id       TEXT NOT NULL PRIMARY KEY,
    venue_id TEXT NOT NULL REFERENCES venues(id),
    on_date  TEXT NOT NULL CHECK (length(on_date) = 10),
    answers  BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX survey_answers_by_date ON survey_answers(on_date, venue_id);
