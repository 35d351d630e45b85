-- Search also finds a contact by its company (additional_attributes.company_name), as
-- Chatwoot's search does (company_name ILIKE '%q%'): a substring of three characters or
-- more, case and accents ignored, from a trigram index like contacts_contact_fts.
-- An external-content FTS5 table reads its columns from contacts by name, so the company
-- is a VIRTUAL generated column (it stores nothing); json_valid keeps a malformed map
-- from failing the row's writes.
ALTER TABLE contacts ADD COLUMN company_search TEXT GENERATED ALWAYS AS (
    CASE WHEN json_valid(additional_attributes)
         THEN json_extract(additional_attributes, '$.company_name') END
) VIRTUAL;

CREATE VIRTUAL TABLE contacts_company_fts USING fts5(
    company_search, content='contacts', content_rowid='id',
    tokenize="trigram remove_diacritics 1"
);

CREATE TRIGGER contacts_company_fts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_company_fts(rowid, company_search) VALUES (new.id, new.company_search);
END;
CREATE TRIGGER contacts_company_fts_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_company_fts(contacts_company_fts, rowid, company_search)
        VALUES ('delete', old.id, old.company_search);
END;
CREATE TRIGGER contacts_company_fts_update AFTER UPDATE OF additional_attributes ON contacts BEGIN
    INSERT INTO contacts_company_fts(contacts_company_fts, rowid, company_search)
        VALUES ('delete', old.id, old.company_search);
    INSERT INTO contacts_company_fts(rowid, company_search) VALUES (new.id, new.company_search);
END;

INSERT INTO contacts_company_fts(contacts_company_fts) VALUES ('rebuild');
