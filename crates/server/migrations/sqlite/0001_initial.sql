-- NovaTalks Contacts: the whole schema. Times are Unix epoch seconds.

CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    email           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash   TEXT NOT NULL,
    access_token    TEXT NOT NULL UNIQUE,
    created_at      INTEGER NOT NULL
);

CREATE TABLE account_users (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role        TEXT NOT NULL DEFAULT 'agent',
    PRIMARY KEY (account_id, user_id)
);

CREATE TABLE contacts (
    id                      INTEGER PRIMARY KEY,
    account_id              INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name                    TEXT,
    email                   TEXT,
    phone_number            TEXT,
    identifier              TEXT,
    thumbnail               TEXT NOT NULL DEFAULT '',
    additional_attributes   TEXT NOT NULL DEFAULT '{}',
    custom_attributes       TEXT NOT NULL DEFAULT '{}',
    blocked                 INTEGER NOT NULL DEFAULT 0,
    blocked_until           INTEGER,
    block_reason            TEXT,
    last_activity_at        INTEGER,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL,
    -- Digits of the E.164 number, for phone-fragment search.
    phone_digits            TEXT GENERATED ALWAYS AS (replace(phone_number, '+', '')) VIRTUAL
);

-- Uniqueness per account, enforced by the database (email case-insensitively).
CREATE UNIQUE INDEX contacts_account_email ON contacts(account_id, email COLLATE NOCASE) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX contacts_account_phone ON contacts(account_id, phone_number) WHERE phone_number IS NOT NULL;
CREATE UNIQUE INDEX contacts_account_identifier ON contacts(account_id, identifier) WHERE identifier IS NOT NULL;

-- Sorted listing, nulls last in both directions: one index per column and direction,
-- matching the ORDER BY that contacts::list builds, so a page never sorts the table.
CREATE INDEX contacts_sort_last_activity ON contacts(account_id, last_activity_at IS NULL, last_activity_at, id);
CREATE INDEX contacts_sort_last_activity_desc ON contacts(account_id, last_activity_at IS NULL, last_activity_at DESC, id DESC);
CREATE INDEX contacts_sort_created ON contacts(account_id, created_at, id);
CREATE INDEX contacts_sort_name ON contacts(account_id, name IS NULL, name COLLATE NOCASE, id);
CREATE INDEX contacts_sort_name_desc ON contacts(account_id, name IS NULL, name COLLATE NOCASE DESC, id DESC);
CREATE INDEX contacts_sort_email ON contacts(account_id, email IS NULL, email COLLATE NOCASE, id);
CREATE INDEX contacts_sort_email_desc ON contacts(account_id, email IS NULL, email COLLATE NOCASE DESC, id DESC);
CREATE INDEX contacts_sort_phone ON contacts(account_id, phone_number IS NULL, phone_number, id);
CREATE INDEX contacts_sort_phone_desc ON contacts(account_id, phone_number IS NULL, phone_number DESC, id DESC);

-- Full-text search, kept in step with contacts by the triggers below.
-- Names: word prefixes, case- and accent-insensitive.
CREATE VIRTUAL TABLE contacts_name_fts USING fts5(
    name, content='contacts', content_rowid='id',
    tokenize="unicode61 remove_diacritics 2", prefix='1 2 3'
);
-- Email, phone digits and identifier: substrings of three characters or more.
CREATE VIRTUAL TABLE contacts_contact_fts USING fts5(
    email, phone_digits, identifier, content='contacts', content_rowid='id',
    tokenize="trigram remove_diacritics 1"
);

CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_name_fts(rowid, name) VALUES (new.id, new.name);
    INSERT INTO contacts_contact_fts(rowid, email, phone_digits, identifier)
        VALUES (new.id, new.email, new.phone_digits, new.identifier);
END;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_name_fts(contacts_name_fts, rowid, name) VALUES ('delete', old.id, old.name);
    INSERT INTO contacts_contact_fts(contacts_contact_fts, rowid, email, phone_digits, identifier)
        VALUES ('delete', old.id, old.email, old.phone_digits, old.identifier);
END;
CREATE TRIGGER contacts_fts_update_name AFTER UPDATE OF name ON contacts BEGIN
    INSERT INTO contacts_name_fts(contacts_name_fts, rowid, name) VALUES ('delete', old.id, old.name);
    INSERT INTO contacts_name_fts(rowid, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER contacts_fts_update_contact AFTER UPDATE OF email, phone_number, identifier ON contacts BEGIN
    INSERT INTO contacts_contact_fts(contacts_contact_fts, rowid, email, phone_digits, identifier)
        VALUES ('delete', old.id, old.email, old.phone_digits, old.identifier);
    INSERT INTO contacts_contact_fts(rowid, email, phone_digits, identifier)
        VALUES (new.id, new.email, new.phone_digits, new.identifier);
END;

CREATE TABLE labels (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    title           TEXT NOT NULL,
    description     TEXT,
    color           TEXT NOT NULL DEFAULT '#1f93ff',
    show_on_sidebar INTEGER NOT NULL DEFAULT 1,
    UNIQUE (account_id, title)
);

-- A contact's labels, by title as in Chatwoot's taggings.
CREATE TABLE contact_labels (
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL,
    title       TEXT NOT NULL,
    PRIMARY KEY (contact_id, title)
) WITHOUT ROWID;
CREATE INDEX contact_labels_by_title ON contact_labels(account_id, title, contact_id);

CREATE TABLE custom_attribute_definitions (
    id                      INTEGER PRIMARY KEY,
    account_id              INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    attribute_key           TEXT NOT NULL,
    attribute_display_name  TEXT NOT NULL,
    attribute_display_type  TEXT NOT NULL,
    attribute_description   TEXT,
    attribute_values        TEXT NOT NULL DEFAULT '[]',
    attribute_model         TEXT NOT NULL DEFAULT 'contact_attribute',
    regex_pattern           TEXT,
    regex_cue               TEXT,
    created_at              INTEGER NOT NULL,
    UNIQUE (account_id, attribute_model, attribute_key)
);

CREATE TABLE inboxes (
    id                  INTEGER PRIMARY KEY,
    account_id          INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name                TEXT NOT NULL,
    channel_type        TEXT NOT NULL,
    can_write_first     INTEGER NOT NULL DEFAULT 0,
    inbox_identifier    TEXT UNIQUE
);

-- A contact's identity in one inbox (Chatwoot's contact_inboxes).
CREATE TABLE contact_inboxes (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    inbox_id    INTEGER NOT NULL REFERENCES inboxes(id) ON DELETE CASCADE,
    source_id   TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (inbox_id, source_id)
);
CREATE INDEX contact_inboxes_contact ON contact_inboxes(contact_id);

CREATE TABLE conversations (
    id                  INTEGER PRIMARY KEY,
    account_id          INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    inbox_id            INTEGER NOT NULL REFERENCES inboxes(id) ON DELETE CASCADE,
    contact_id          INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    contact_inbox_id    INTEGER REFERENCES contact_inboxes(id) ON DELETE SET NULL,
    status              TEXT NOT NULL DEFAULT 'open',
    created_at          INTEGER NOT NULL,
    last_activity_at    INTEGER NOT NULL
);
CREATE INDEX conversations_contact ON conversations(contact_id, last_activity_at);

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    content         TEXT NOT NULL,
    -- 0 incoming (from the contact), 1 outgoing (from an agent), as Chatwoot
    message_type    INTEGER NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX messages_conversation ON messages(conversation_id, created_at);

CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    content     TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX notes_contact ON notes(contact_id, created_at);

CREATE TABLE custom_filters (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    filter_type TEXT NOT NULL,
    query       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX custom_filters_owner ON custom_filters(account_id, user_id, filter_type);

-- Where a merged-away contact went, so its old URL can say so.
CREATE TABLE contact_merges (
    account_id          INTEGER NOT NULL,
    mergee_contact_id   INTEGER PRIMARY KEY,
    base_contact_id     INTEGER NOT NULL,
    merged_at           INTEGER NOT NULL
);
