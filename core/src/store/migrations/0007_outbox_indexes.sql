-- Partial indexes so the outbox finds what is due, waiting or leased in O(log n),
-- however many reminders were sent before (SPEC §6: due query < 1 ms). They replace the
-- general (state, send_at) index, which made SQLite walk every failed or claimed row.
DROP INDEX reminders_due;
CREATE INDEX reminders_planned ON reminders(send_at) WHERE state = 'planned';
CREATE INDEX reminders_retry ON reminders(next_attempt_at) WHERE state = 'failed' AND next_attempt_at IS NOT NULL;
CREATE INDEX reminders_leased ON reminders(lease_until) WHERE state = 'claimed';
