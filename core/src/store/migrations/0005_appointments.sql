-- Appointments. Times and states are not personal; the outside place is sealed under the
-- citizen's key. When a citizen is deleted, their appointments lose the link, the key and
-- the place, and stay only as anonymous counts for the no-show figures.
CREATE TABLE appointments (
    id               TEXT    PRIMARY KEY,
    citizen_id       TEXT    REFERENCES citizens(id),
    key_id           INTEGER REFERENCES data_keys(id),
    venue_id         TEXT    REFERENCES venues(id),
    kind             TEXT    NOT NULL CHECK (kind IN ('conversation', 'statutory_meeting', 'accompaniment', 'home_visit', 'group_activity')),
    starts_at        INTEGER NOT NULL,
    ends_at          INTEGER NOT NULL,
    time_zone        TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('planned', 'confirmed', 'attended', 'no_show', 'cancelled_by_citizen', 'cancelled_by_worker', 'rescheduled')),
    rescheduled_from TEXT    REFERENCES appointments(id),
    rescheduled_to   TEXT    REFERENCES appointments(id),
    outside_place    BLOB,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    outcome_at       INTEGER,
    CHECK (starts_at < ends_at)
);
CREATE INDEX appointments_by_start ON appointments(starts_at);
CREATE INDEX appointments_by_citizen ON appointments(citizen_id, starts_at);

-- The worker's own settings: profile (sealed, it names the worker), reminder rules and
-- SMS templates (not personal).
CREATE TABLE worker_settings (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    profile   BLOB,
    rules     TEXT,
    templates TEXT
);
