-- Migration 10: notes get the time of the conversation (distinct from the last edit), the
-- number of amendments (bound into the body's ledger entry, so a deleted amendment shows),
-- and the indexes that let lists and searches return a page without reading every note.
ALTER TABLE notes ADD COLUMN occurred_at INTEGER NOT NULL DEFAULT 0;
UPDATE notes SET occurred_at = created_at;
ALTER TABLE notes ADD COLUMN amendment_count INTEGER NOT NULL DEFAULT 0;
UPDATE notes SET amendment_count = (SELECT count(*) FROM note_amendments a WHERE a.note_id = notes.id);

DROP INDEX notes_recent;
DROP INDEX notes_by_citizen;
CREATE INDEX notes_by_occurred ON notes(occurred_at DESC, id DESC);
CREATE INDEX notes_by_citizen ON notes(citizen_id, occurred_at DESC, id DESC);
-- Drafts and final notes not yet journalised, for Today's attention list.
CREATE INDEX notes_open ON notes(state, updated_at) WHERE state IN ('draft', 'final');
-- Follow-ups not done, by due date, for Today and a citizen's overview.
CREATE INDEX follow_ups_open ON follow_ups(due_date) WHERE done_at IS NULL;
