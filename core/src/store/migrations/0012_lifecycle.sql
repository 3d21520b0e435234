-- Migration 12: the lifecycle of the data (SPEC §2 F, H, I).
--
-- The audit log: append-only and hash-chained, with no personal data (a kind, a time, the kind
-- of object and a count; never a name, number, text or id). Each entry's hash covers the one
-- before it; the head (sequence and hash) is kept in the sealed vault state, which the
-- platform key store anchors, so an entry edited, deleted or cut off shows (see audit/).
CREATE TABLE audit_log (
    seq    INTEGER PRIMARY KEY CHECK (seq > 0),
    at     INTEGER NOT NULL,
    kind   TEXT    NOT NULL,
    object TEXT,
    count  INTEGER NOT NULL DEFAULT 0 CHECK (count >= 0),
    hash   BLOB    NOT NULL CHECK (length(hash) = 32)
);
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- What stays of notes purged after the retention period: per local date, the number of
-- conversations, their topics and the help given, sealed under the general key (with a
-- seal-ledger entry). No citizen, no text, no note id, no time of day.
CREATE TABLE note_tallies (
    on_date TEXT NOT NULL PRIMARY KEY CHECK (length(on_date) = 10),
    counts  BLOB NOT NULL
) WITHOUT ROWID;

-- Retention runs at every unlock: it finds the journalised notes and the appointments still
-- linked to a citizen by the time that decides, without reading every row.
CREATE INDEX notes_journalised ON notes(journalised_at) WHERE state = 'journalised';
CREATE INDEX appointments_linked_by_end ON appointments(ends_at) WHERE citizen_id IS NOT NULL;
