-- Migration 9: the PIN's state sealed under a rotating platform key, more columns sealed,
-- reminder history behind the PIN, and appointment corrections.
--
-- Tables whose CHECK constraints change are rebuilt (new table, copy, drop, rename). Foreign
-- keys are checked at commit (defer_foreign_keys), when every reference resolves again.
PRAGMA defer_foreign_keys = ON;

-- The vault's own keys. Format 2 keeps the PIN wrap, the wrong-PIN count and the delays in
-- `state`, sealed under a secret that a platform key (`state_key`) wraps; the platform key
-- is replaced at every PIN attempt, unlock and lock, so an older copy of this file names a
-- key that no longer exists. Format 1 columns (prefixed legacy_) are read once, at the
-- first unlock after this migration, and then cleared.
CREATE TABLE vault_meta_v9 (
    id                           INTEGER PRIMARY KEY CHECK (id = 1),
    vault_id                     TEXT    NOT NULL,
    created_at                   INTEGER NOT NULL,
    format                       INTEGER NOT NULL CHECK (format IN (1, 2)),
    auto_lock_minutes            INTEGER NOT NULL DEFAULT 5,
    recovery_wrap                BLOB    NOT NULL,
    outbox_key_wrapped           BLOB,
    pin_factor_key               TEXT,
    state_key                    TEXT,
    state_secret                 BLOB,
    state                        BLOB,
    previous_state_key           TEXT,
    legacy_kdf_iterations        INTEGER,
    legacy_failed_pin_attempts   INTEGER,
    legacy_device_key_name       TEXT,
    legacy_device_secret_wrapped BLOB,
    legacy_pin_salt              BLOB,
    legacy_pin_wrap              BLOB,
    CHECK (format = 1 OR (pin_factor_key IS NOT NULL AND state_key IS NOT NULL
                          AND state_secret IS NOT NULL AND state IS NOT NULL))
);
INSERT INTO vault_meta_v9 (id, vault_id, created_at, format, auto_lock_minutes, recovery_wrap, outbox_key_wrapped,
        legacy_kdf_iterations, legacy_failed_pin_attempts, legacy_device_key_name, legacy_device_secret_wrapped,
        legacy_pin_salt, legacy_pin_wrap)
    SELECT id, vault_id, created_at, 1, auto_lock_minutes, recovery_wrap, outbox_key_wrapped,
        kdf_iterations, failed_pin_attempts, device_key_name, device_secret_wrapped, pin_salt, pin_wrap
    FROM vault_meta;
DROP TABLE vault_meta;
ALTER TABLE vault_meta_v9 RENAME TO vault_meta;

-- Upgrades that need the vault key run at the first unlock after a migration; this counts
-- which have run (see vault::upgrade).
CREATE TABLE vault_upgrades (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO vault_upgrades (id, version) VALUES (1, 0);

-- The ledger's MACs bind the row's plaintext values from version 2 on.
ALTER TABLE seal_ledger_state ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Appointments: the kind moves into `sealed` (under the general key, so it outlives a
-- deleted citizen as an anonymous count); a correction of the outcome keeps its time;
-- a cancellation can say why with a fixed code.
CREATE TABLE appointments_v9 (
    id                   TEXT    PRIMARY KEY,
    citizen_id           TEXT    REFERENCES citizens(id),
    key_id               INTEGER REFERENCES data_keys(id),
    venue_id             TEXT    REFERENCES venues(id),
    kind                 TEXT    CHECK (kind IS NULL OR kind IN ('conversation', 'statutory_meeting', 'accompaniment', 'home_visit', 'group_activity')),
    sealed               BLOB,
    starts_at            INTEGER NOT NULL,
    ends_at              INTEGER NOT NULL,
    time_zone            TEXT    NOT NULL,
    status               TEXT    NOT NULL CHECK (status IN ('planned', 'confirmed', 'attended', 'no_show', 'cancelled_by_citizen', 'cancelled_by_worker', 'rescheduled')),
    rescheduled_from     TEXT    REFERENCES appointments(id),
    rescheduled_to       TEXT    REFERENCES appointments(id),
    outside_place        BLOB,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    outcome_at           INTEGER,
    outcome_corrected_at INTEGER,
    cancel_reason        TEXT    CHECK (cancel_reason IS NULL OR cancel_reason IN ('citizen_deleted')),
    CHECK (starts_at < ends_at),
    CHECK (kind IS NOT NULL OR sealed IS NOT NULL)
);
INSERT INTO appointments_v9 (id, citizen_id, key_id, venue_id, kind, starts_at, ends_at, time_zone, status,
        rescheduled_from, rescheduled_to, outside_place, created_at, updated_at, outcome_at)
    SELECT id, citizen_id, key_id, venue_id, kind, starts_at, ends_at, time_zone, status,
        rescheduled_from, rescheduled_to, outside_place, created_at, updated_at, outcome_at
    FROM appointments;
DROP TABLE appointments;
ALTER TABLE appointments_v9 RENAME TO appointments;
CREATE INDEX appointments_by_start ON appointments(starts_at);
CREATE INDEX appointments_by_citizen ON appointments(citizen_id, starts_at);
CREATE INDEX appointments_open ON appointments(ends_at) WHERE status IN ('planned', 'confirmed');
CREATE TRIGGER appointments_seal_ledger AFTER DELETE ON appointments BEGIN
    DELETE FROM seal_ledger WHERE tbl = 'appointments' AND row_id = OLD.id;
END;
CREATE TRIGGER appointments_place_cleared AFTER UPDATE OF outside_place ON appointments
    WHEN NEW.outside_place IS NULL BEGIN
    DELETE FROM seal_ledger WHERE tbl = 'appointments' AND row_id = OLD.id AND col = 'outside_place';
END;

-- Absences: the reason moves into `sealed` (under the general key).
CREATE TABLE absences_v9 (
    id        TEXT PRIMARY KEY,
    from_date TEXT NOT NULL,
    to_date   TEXT NOT NULL,
    reason    TEXT CHECK (reason IS NULL OR reason IN ('vacation', 'sick', 'course', 'other')),
    sealed    BLOB,
    CHECK (from_date <= to_date),
    CHECK (reason IS NOT NULL OR sealed IS NOT NULL)
);
INSERT INTO absences_v9 (id, from_date, to_date, reason) SELECT id, from_date, to_date, reason FROM absences;
DROP TABLE absences;
ALTER TABLE absences_v9 RENAME TO absences;
CREATE TRIGGER absences_seal_ledger AFTER DELETE ON absences BEGIN
    DELETE FROM seal_ledger WHERE tbl = 'absences' AND row_id = OLD.id;
END;

-- Venues: a private venue's address is sealed (under the general key), a municipal one's stays public.
ALTER TABLE venues ADD COLUMN sealed BLOB;
CREATE TRIGGER venues_seal_ledger AFTER DELETE ON venues BEGIN
    DELETE FROM seal_ledger WHERE tbl = 'venues' AND row_id = OLD.id;
END;
CREATE TRIGGER venues_sealed_cleared AFTER UPDATE OF sealed ON venues WHEN NEW.sealed IS NULL BEGIN
    DELETE FROM seal_ledger WHERE tbl = 'venues' AND row_id = OLD.id AND col = 'sealed';
END;

-- Reminders: what the worker sees of a reminder (its text, which words held it, why it was
-- cancelled) is sealed under the citizen's key and goes with the citizen; the outbox-key
-- payload is cleared once the reminder has ended.
ALTER TABLE reminders ADD COLUMN history BLOB;
CREATE TRIGGER reminders_seal_ledger AFTER DELETE ON reminders BEGIN
    DELETE FROM seal_ledger WHERE tbl = 'reminders' AND row_id = OLD.id;
END;
CREATE TRIGGER reminders_history_cleared AFTER UPDATE OF history ON reminders WHEN NEW.history IS NULL BEGIN
    DELETE FROM seal_ledger WHERE tbl = 'reminders' AND row_id = OLD.id AND col = 'history';
END;
CREATE INDEX reminders_held ON reminders(send_at) WHERE state = 'planned' AND hold IS NOT NULL;

-- The worker's rules and templates become sealed columns (under the general key).
CREATE TRIGGER worker_rules_cleared AFTER UPDATE OF rules ON worker_settings WHEN NEW.rules IS NULL BEGIN
    DELETE FROM seal_ledger WHERE tbl = 'worker_settings' AND row_id = '1' AND col = 'rules';
END;
CREATE TRIGGER worker_templates_cleared AFTER UPDATE OF templates ON worker_settings WHEN NEW.templates IS NULL BEGIN
    DELETE FROM seal_ledger WHERE tbl = 'worker_settings' AND row_id = '1' AND col = 'templates';
END;
