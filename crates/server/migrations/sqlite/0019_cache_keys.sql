-- Chatwoot's cache keys (GET /cache_keys): per account and kind of list ('label',
-- 'inbox'), a value that grows whenever one of its rows is created, changed or deleted,
-- so a dashboard that keeps the list knows when to read it again. The value is the time
-- of the change in Unix milliseconds, or one more than the previous value when that is
-- not later. Triggers keep it, so every writer moves it: the API, the import, the seed,
-- an UPDATE made by hand.
CREATE TABLE account_cache_keys (
    account_id INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    value      INTEGER NOT NULL,
    PRIMARY KEY (account_id, kind)
);

CREATE TRIGGER labels_cache_key_insert AFTER INSERT ON labels BEGIN
    INSERT OR IGNORE INTO account_cache_keys (account_id, kind, value) VALUES (NEW.account_id, 'label', 0);
    UPDATE account_cache_keys
       SET value = max(value + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
     WHERE account_id = NEW.account_id AND kind = 'label';
END;
CREATE TRIGGER labels_cache_key_update AFTER UPDATE ON labels BEGIN
    INSERT OR IGNORE INTO account_cache_keys (account_id, kind, value) VALUES (NEW.account_id, 'label', 0);
    UPDATE account_cache_keys
       SET value = max(value + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
     WHERE account_id = NEW.account_id AND kind = 'label';
END;
CREATE TRIGGER labels_cache_key_delete AFTER DELETE ON labels BEGIN
    INSERT OR IGNORE INTO account_cache_keys (account_id, kind, value) VALUES (OLD.account_id, 'label', 0);
    UPDATE account_cache_keys
       SET value = max(value + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
     WHERE account_id = OLD.account_id AND kind = 'label';
END;

CREATE TRIGGER inboxes_cache_key_insert AFTER INSERT ON inboxes BEGIN
    INSERT OR IGNORE INTO account_cache_keys (account_id, kind, value) VALUES (NEW.account_id, 'inbox', 0);
    UPDATE account_cache_keys
       SET value = max(value + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
     WHERE account_id = NEW.account_id AND kind = 'inbox';
END;
CREATE TRIGGER inboxes_cache_key_update AFTER UPDATE ON inboxes BEGIN
    INSERT OR IGNORE INTO account_cache_keys (account_id, kind, value) VALUES (NEW.account_id, 'inbox', 0);
    UPDATE account_cache_keys
       SET value = max(value + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
     WHERE account_id = NEW.account_id AND kind = 'inbox';
END;
CREATE TRIGGER inboxes_cache_key_delete AFTER DELETE ON inboxes BEGIN
    INSERT OR IGNORE INTO account_cache_keys (account_id, kind, value) VALUES (OLD.account_id, 'inbox', 0);
    UPDATE account_cache_keys
       SET value = max(value + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
     WHERE account_id = OLD.account_id AND kind = 'inbox';
END;

-- Accounts that already have labels or inboxes start from the upgrade's time.
INSERT INTO account_cache_keys (account_id, kind, value)
SELECT DISTINCT account_id, 'label', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) FROM labels;
INSERT INTO account_cache_keys (account_id, kind, value)
SELECT DISTINCT account_id, 'inbox', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) FROM inboxes;
