-- Phone search and the phone filter read phone_digits. It stripped only '+', which is
-- all an E.164 number has; a number stored before numbers were normalised (imported,
-- "050 123-45-67", "(050) 123 45 67") was then found by none of its digit runs. Now the
-- punctuation people write numbers with goes too, and the trigram index is rebuilt.
-- SQLite cannot alter a generated column, and DROP COLUMN fails on this one (0001 has a
-- comment before it, which the drop leaves swallowing the closing parenthesis). So the
-- triggers that read it are dropped, the old column is renamed out of the way (VIRTUAL:
-- it stores nothing, and nothing reads it any more), a new one takes the name, and the
-- triggers are created again as they were.
DROP TRIGGER contacts_fts_insert;
DROP TRIGGER contacts_fts_delete;
DROP TRIGGER contacts_fts_update_contact;

ALTER TABLE contacts RENAME COLUMN phone_digits TO unused_phone_digits_0001;
ALTER TABLE contacts ADD COLUMN phone_digits TEXT GENERATED ALWAYS AS (
    replace(replace(replace(replace(replace(replace(
        phone_number, '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', '')
) VIRTUAL;

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
CREATE TRIGGER contacts_fts_update_contact AFTER UPDATE OF email, phone_number, identifier ON contacts BEGIN
    INSERT INTO contacts_contact_fts(contacts_contact_fts, rowid, email, phone_digits, identifier)
        VALUES ('delete', old.id, old.email, old.phone_digits, old.identifier);
    INSERT INTO contacts_contact_fts(rowid, email, phone_digits, identifier)
        VALUES (new.id, new.email, new.phone_digits, new.identifier);
END;

INSERT INTO contacts_contact_fts(contacts_contact_fts) VALUES ('rebuild');
