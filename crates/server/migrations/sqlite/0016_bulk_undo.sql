-- The undo of a bulk delete (src/bulk/undo.rs; docs/ARCHITECTURE.md, "Bulk actions and export"): the delete copies every
-- row it removes into the trashed_* tables below, in the same transaction, under one
-- bulk_undos row; `restore` puts the rows back with the same ids and drops the copy. A copy
-- is kept until expires_at (ten minutes), then dropped by the next bulk delete's or restore's clean-up
-- (ON DELETE CASCADE from bulk_undos). Each trashed_* table has the columns of its table
-- (generated columns are computed again on restore) and the undo's id first in its key.
CREATE TABLE bulk_undos (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    -- Random (hex, 144 bits): what the delete answered and restore sends back.
    token       TEXT NOT NULL UNIQUE,
    contacts    INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    -- Set by restore (the copies are dropped then): a second restore is told so.
    restored_at INTEGER
);
CREATE INDEX bulk_undos_expiry ON bulk_undos(expires_at);

CREATE TABLE trashed_contacts (
    undo_id                 INTEGER NOT NULL REFERENCES bulk_undos(id) ON DELETE CASCADE,
    id                      INTEGER NOT NULL,
    account_id              INTEGER NOT NULL,
    name                    TEXT,
    email                   TEXT,
    phone_number            TEXT,
    identifier              TEXT,
    thumbnail               TEXT NOT NULL,
    additional_attributes   TEXT NOT NULL,
    custom_attributes       TEXT NOT NULL,
    blocked                 INTEGER NOT NULL,
    blocked_until           INTEGER,
    block_reason            TEXT,
    last_activity_at        INTEGER,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL,
    PRIMARY KEY (undo_id, id)
) WITHOUT ROWID;

CREATE TABLE trashed_contact_labels (
    undo_id     INTEGER NOT NULL REFERENCES bulk_undos(id) ON DELETE CASCADE,
    contact_id  INTEGER NOT NULL,
    account_id  INTEGER NOT NULL,
    title       TEXT NOT NULL,
    PRIMARY KEY (undo_id, contact_id, title)
) WITHOUT ROWID;

CREATE TABLE trashed_contact_inboxes (
    undo_id       INTEGER NOT NULL REFERENCES bulk_undos(id) ON DELETE CASCADE,
    id            INTEGER NOT NULL,
    contact_id    INTEGER NOT NULL,
    inbox_id      INTEGER NOT NULL,
    source_id     TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    pubsub_token  TEXT,
    PRIMARY KEY (undo_id, id)
) WITHOUT ROWID;

CREATE TABLE trashed_conversations (
    undo_id           INTEGER NOT NULL REFERENCES bulk_undos(id) ON DELETE CASCADE,
    id                INTEGER NOT NULL,
    account_id        INTEGER NOT NULL,
    inbox_id          INTEGER NOT NULL,
    contact_id        INTEGER NOT NULL,
    contact_inbox_id  INTEGER,
    status            TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    last_activity_at  INTEGER NOT NULL,
    PRIMARY KEY (undo_id, id)
) WITHOUT ROWID;

CREATE TABLE trashed_messages (
    undo_id          INTEGER NOT NULL REFERENCES bulk_undos(id) ON DELETE CASCADE,
    id               INTEGER NOT NULL,
    account_id       INTEGER NOT NULL,
    conversation_id  INTEGER NOT NULL,
    content          TEXT NOT NULL,
    message_type     INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    PRIMARY KEY (undo_id, id)
) WITHOUT ROWID;

CREATE TABLE trashed_notes (
    undo_id     INTEGER NOT NULL REFERENCES bulk_undos(id) ON DELETE CASCADE,
    id          INTEGER NOT NULL,
    account_id  INTEGER NOT NULL,
    contact_id  INTEGER NOT NULL,
    user_id     INTEGER,
    content     TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (undo_id, id)
) WITHOUT ROWID;

CREATE TABLE trashed_contact_merges (
    undo_id            INTEGER NOT NULL REFERENCES bulk_undos(id) ON DELETE CASCADE,
    account_id         INTEGER NOT NULL,
    mergee_contact_id  INTEGER NOT NULL,
    base_contact_id    INTEGER NOT NULL,
    merged_at          INTEGER NOT NULL,
    PRIMARY KEY (undo_id, mergee_contact_id)
) WITHOUT ROWID;
