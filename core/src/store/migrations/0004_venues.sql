-- Drop-in centres are public places: their data is not personal and stays in clear.
CREATE TABLE venues (
    id               TEXT    PRIMARY KEY,
    name             TEXT    NOT NULL,
    address          TEXT,
    kind             TEXT    NOT NULL CHECK (kind IN ('municipal', 'private')),
    has_private_room INTEGER NOT NULL DEFAULT 0,
    time_zone        TEXT    NOT NULL DEFAULT 'Europe/Copenhagen',
    created_at       INTEGER NOT NULL
);

-- The worker's fixed weekly hours at a venue (weekday 1 = Monday), local time in minutes.
CREATE TABLE office_hours (
    id           TEXT    PRIMARY KEY,
    venue_id     TEXT    NOT NULL REFERENCES venues(id) ON DELETE CASCADE,
    weekday      INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute   INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
    valid_from   TEXT,
    valid_until  TEXT,
    CHECK (start_minute < end_minute)
);
CREATE INDEX office_hours_by_venue ON office_hours(venue_id, weekday);

-- The worker's absences (whole days, inclusive), with a reason category only.
CREATE TABLE absences (
    id        TEXT PRIMARY KEY,
    from_date TEXT NOT NULL,
    to_date   TEXT NOT NULL,
    reason    TEXT NOT NULL CHECK (reason IN ('vacation', 'sick', 'course', 'other')),
    CHECK (from_date <= to_date)
);
