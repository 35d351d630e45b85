-- Contacts per account, kept by triggers, so the unfiltered list's total is one lookup
-- instead of a count over every contact of the account.
CREATE TABLE account_contact_counts (
    account_id  INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    contacts    INTEGER NOT NULL DEFAULT 0
);

INSERT INTO account_contact_counts (account_id, contacts)
    SELECT a.id, (SELECT count(*) FROM contacts c WHERE c.account_id = a.id) FROM accounts a;

CREATE TRIGGER accounts_count_row AFTER INSERT ON accounts BEGIN
    INSERT INTO account_contact_counts (account_id, contacts) VALUES (new.id, 0);
END;
CREATE TRIGGER contacts_count_insert AFTER INSERT ON contacts BEGIN
    UPDATE account_contact_counts SET contacts = contacts + 1 WHERE account_id = new.account_id;
END;
CREATE TRIGGER contacts_count_delete AFTER DELETE ON contacts BEGIN
    UPDATE account_contact_counts SET contacts = contacts - 1 WHERE account_id = old.account_id;
END;
