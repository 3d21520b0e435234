-- Partial indexes for the today screen's attention list: reminders whose fate is unknown and
-- those that failed for good. Without them each opening of the screen walked every reminder
-- ever sent; with them it reads only the rows it shows and counts the rest in the index.
CREATE INDEX reminders_unknown ON reminders(send_at, id) WHERE state = 'unknown';
CREATE INDEX reminders_failed_final ON reminders(updated_at, id) WHERE state = 'failed' AND next_attempt_at IS NULL;
