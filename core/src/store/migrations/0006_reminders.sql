-- The reminder outbox (SPEC §5). The payload (number and text) is sealed under the outbox
-- key, which the platform key store unwraps without the PIN, so reminders go out at 17:00
-- with the phone locked in a pocket. Nothing else is readable without the PIN.
ALTER TABLE vault_meta ADD COLUMN outbox_key_wrapped BLOB;

CREATE TABLE reminders (
    id              TEXT    PRIMARY KEY,
    appointment_id  TEXT    NOT NULL REFERENCES appointments(id),
    kind            TEXT    NOT NULL CHECK (kind IN ('confirmation', 'day_before', 'hours_before')),
    send_at         INTEGER NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('planned', 'claimed', 'sent', 'delivered', 'failed', 'cancelled', 'unknown')),
    hold            TEXT    CHECK (hold IN ('lint', 'too_long')),
    payload         BLOB,
    attempts        INTEGER NOT NULL DEFAULT 0,
    claim_id        TEXT,
    claimed_at      INTEGER,
    lease_until     INTEGER,
    awaiting_user   INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    reason          TEXT,
    sent_at         INTEGER,
    delivered_at    INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX reminders_due ON reminders(state, send_at);
CREATE INDEX reminders_by_appointment ON reminders(appointment_id);
