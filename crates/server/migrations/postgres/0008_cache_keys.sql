-- Chatwoot's cache keys (GET /cache_keys): per account and kind of list ('label',
-- 'inbox'), a value that grows whenever one of its rows is created, changed or deleted,
-- so a dashboard that keeps the list knows when to read it again. The value is the time
-- of the change in Unix milliseconds, or one more than the previous value when that is
-- not later. Triggers keep it, so every writer moves it: the API, the import, the seed,
-- an UPDATE made by hand.
CREATE TABLE account_cache_keys (
    account_id BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    value      BIGINT NOT NULL,
    PRIMARY KEY (account_id, kind)
);

CREATE FUNCTION bump_account_cache_key() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    account BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        account := OLD.account_id;
    ELSE
        account := NEW.account_id;
    END IF;
    INSERT INTO account_cache_keys AS k (account_id, kind, value)
    VALUES (account, TG_ARGV[0], (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT)
    ON CONFLICT (account_id, kind) DO UPDATE SET value = greatest(k.value + 1, excluded.value);
    RETURN NULL;
END
$$;

CREATE TRIGGER labels_cache_key AFTER INSERT OR UPDATE OR DELETE ON labels
    FOR EACH ROW EXECUTE FUNCTION bump_account_cache_key('label');
CREATE TRIGGER inboxes_cache_key AFTER INSERT OR UPDATE OR DELETE ON inboxes
    FOR EACH ROW EXECUTE FUNCTION bump_account_cache_key('inbox');

-- Accounts that already have labels or inboxes start from the upgrade's time.
INSERT INTO account_cache_keys (account_id, kind, value)
SELECT DISTINCT account_id, 'label', (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT FROM labels;
INSERT INTO account_cache_keys (account_id, kind, value)
SELECT DISTINCT account_id, 'inbox', (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT FROM inboxes;
