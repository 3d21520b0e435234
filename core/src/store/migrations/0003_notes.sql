-- Notes from conversations. Text, topics, help given, follow-up texts and journal
-- references are envelopes under the citizen's key (or the general key when anonymous).
CREATE TABLE notes (
    id             TEXT    PRIMARY KEY,
    citizen_id     TEXT    REFERENCES citizens(id) ON DELETE CASCADE,
    key_id         INTEGER NOT NULL REFERENCES data_keys(id),
    state          TEXT    NOT NULL CHECK (state IN ('draft', 'final', 'journalised')),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    finalized_at   INTEGER,
    journalised_at INTEGER,
    body           BLOB    NOT NULL,  -- the text
    details        BLOB    NOT NULL,  -- JSON {topics, help_given}
    journal_ref    BLOB
);
CREATE INDEX notes_recent ON notes(updated_at DESC);
CREATE INDEX notes_by_citizen ON notes(citizen_id, updated_at DESC);

-- Amendments to a final note: appended, never edited.
CREATE TABLE note_amendments (
    id         TEXT    PRIMARY KEY,
    note_id    TEXT    NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    body       BLOB    NOT NULL
);
CREATE INDEX note_amendments_by_note ON note_amendments(note_id, created_at);

-- Follow-up tasks. The due date, owning role and done time are not personal.
CREATE TABLE follow_ups (
    id         TEXT    PRIMARY KEY,
    note_id    TEXT    NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    due_date   TEXT,
    owner_role TEXT    NOT NULL CHECK (owner_role IN ('caseworker', 'substance_abuse_worker', 'support_contact_person')),
    done_at    INTEGER,
    body       BLOB    NOT NULL
);
CREATE INDEX follow_ups_by_note ON follow_ups(note_id, created_at);
