-- Contact imports and their undo (src/import/; docs/ARCHITECTURE.md, "Import"): one
-- contact_imports row per import that ran (a dry run keeps nothing), with what it did,
-- the refused rows as CSV, and, until expires_at (24 hours), what undoing it needs: the
-- contacts it created, the values before it of those it updated, and the labels it added
-- to them. Undo deletes the created contacts and restores the updated ones, except those
-- changed since (updated_at later than the import's created_at). The undo rows of an
-- import past its time are dropped by the next import; its contact_imports row stays,
-- for the list.
CREATE TABLE contact_imports (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    -- Who ran it (kept when the user is removed: the name stays).
    user_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    user_name     TEXT,
    file_name     TEXT,
    on_match      TEXT NOT NULL,
    row_count     INTEGER NOT NULL,
    created       INTEGER NOT NULL,
    updated       INTEGER NOT NULL,
    skipped       INTEGER NOT NULL,
    failed        INTEGER NOT NULL,
    -- The refused rows with an `errors` column, as GET …/imports/{id}/refused.csv answers.
    refused_csv   TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    undone_at     INTEGER
);
CREATE INDEX contact_imports_account ON contact_imports(account_id, id);
CREATE INDEX contact_imports_expiry ON contact_imports(expires_at);

CREATE TABLE contact_import_created (
    import_id   INTEGER NOT NULL REFERENCES contact_imports(id) ON DELETE CASCADE,
    contact_id  INTEGER NOT NULL,
    PRIMARY KEY (import_id, contact_id)
) WITHOUT ROWID;

-- An updated contact's writable columns as they were before the import.
CREATE TABLE contact_import_updated (
    import_id              INTEGER NOT NULL REFERENCES contact_imports(id) ON DELETE CASCADE,
    contact_id             INTEGER NOT NULL,
    name                   TEXT,
    email                  TEXT,
    phone_number           TEXT,
    identifier             TEXT,
    additional_attributes  TEXT NOT NULL,
    custom_attributes      TEXT NOT NULL,
    updated_at             INTEGER NOT NULL,
    PRIMARY KEY (import_id, contact_id)
) WITHOUT ROWID;

-- Labels the import gave an updated contact that it did not have.
CREATE TABLE contact_import_labels (
    import_id   INTEGER NOT NULL REFERENCES contact_imports(id) ON DELETE CASCADE,
    contact_id  INTEGER NOT NULL,
    title       TEXT NOT NULL,
    PRIMARY KEY (import_id, contact_id, title)
) WITHOUT ROWID;
