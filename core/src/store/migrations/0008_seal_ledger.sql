-- The seal ledger: for every sealed column, which envelope it holds now, as an HMAC
-- (under a key derived from the vault key) of table, row, column and the envelope's
-- GCM tag. Reading a sealed column checks it, so an older copy of a row written back
-- (other envelopes) or an older ledger entry written back (another tag) is refused as
-- tampering. Entries go with their row, or their column when it is cleared.
CREATE TABLE seal_ledger (
    tbl    TEXT NOT NULL,
    row_id TEXT NOT NULL,
    col    TEXT NOT NULL,
    mac    BLOB NOT NULL,
    PRIMARY KEY (tbl, row_id, col)
) WITHOUT ROWID;

-- Envelopes sealed before this migration have no entry yet: the first unlock records them
-- (it has the key) and then sets `complete`.
CREATE TABLE seal_ledger_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    complete INTEGER NOT NULL
);
INSERT INTO seal_ledger_state (id, complete) VALUES (1, 0);

CREATE TRIGGER citizens_seal_ledger AFTER DELETE ON citizens BEGIN
    DELETE FROM seal_ledger WHERE tbl = 'citizens' AND row_id = OLD.id;
END;
CREATE TRIGGER notes_seal_ledger AFTER DELETE ON notes BEGIN
    DELETE FROM seal_ledger WHERE tbl = 'notes' AND row_id = OLD.id;
END;
CREATE TRIGGER note_amendments_seal_ledger AFTER DELETE ON note_amendments BEGIN
    DELETE FROM seal_ledger WHERE tbl = 'note_amendments' AND row_id = OLD.id;
END;
CREATE TRIGGER follow_ups_seal_ledger AFTER DELETE ON follow_ups BEGIN
    DELETE FROM seal_ledger WHERE tbl = 'follow_ups' AND row_id = OLD.id;
END;
CREATE TRIGGER appointments_seal_ledger AFTER DELETE ON appointments BEGIN
    DELETE FROM seal_ledger WHERE tbl = 'appointments' AND row_id = OLD.id;
END;

-- Optional sealed columns set to NULL lose their entry.
CREATE TRIGGER citizens_phone_cleared AFTER UPDATE OF phone ON citizens WHEN NEW.phone IS NULL BEGIN
    DELETE FROM seal_ledger WHERE tbl = 'citizens' AND row_id = OLD.id AND col = 'phone';
END;
CREATE TRIGGER citizens_case_ref_cleared AFTER UPDATE OF case_ref ON citizens WHEN NEW.case_ref IS NULL BEGIN
    DELETE FROM seal_ledger WHERE tbl = 'citizens' AND row_id = OLD.id AND col = 'case_ref';
END;
CREATE TRIGGER notes_journal_ref_cleared AFTER UPDATE OF journal_ref ON notes WHEN NEW.journal_ref IS NULL BEGIN
    DELETE FROM seal_ledger WHERE tbl = 'notes' AND row_id = OLD.id AND col = 'journal_ref';
END;
CREATE TRIGGER appointments_place_cleared AFTER UPDATE OF outside_place ON appointments
    WHEN NEW.outside_place IS NULL BEGIN
    DELETE FROM seal_ledger WHERE tbl = 'appointments' AND row_id = OLD.id AND col = 'outside_place';
END;
CREATE TRIGGER worker_profile_cleared AFTER UPDATE OF profile ON worker_settings WHEN NEW.profile IS NULL BEGIN
    DELETE FROM seal_ledger WHERE tbl = 'worker_settings' AND row_id = '1' AND col = 'profile';
END;
