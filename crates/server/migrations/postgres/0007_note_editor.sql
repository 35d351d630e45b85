-- Any agent of the account may change a note, as in Chatwoot; the note remembers who
-- changed it last (NULL: never changed, or that agent was removed).
ALTER TABLE notes ADD COLUMN editor_id BIGINT REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE trashed_notes ADD COLUMN editor_id BIGINT;
