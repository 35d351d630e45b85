-- Rate limits and sign-in throttling shared by every server of the database
-- (src/rate_limit.rs, src/auth/throttle.rs say how each row is read and written).
--
-- One row per limited key: 'inbox:12', 'identity:12:<source_id>', 'signin-email:<email>',
-- 'signin-addr:<address>'. Each check is ONE upsert (INSERT … ON CONFLICT (key) DO UPDATE
-- … RETURNING wait_us) whose SET reads the row as the last check left it: two servers
-- checking one key at once take turns on the row, so they never both pass the last token.
-- Times are Unix epoch MICROseconds (BIGINT), as the server's clock gives them.
--
-- UNLOGGED: no WAL for these rows (each public API call writes one or two), so a check
-- costs what an in-memory update of a shared buffer does. The price: after a crash of the
-- database (not of a server) the table starts empty, every key with its full allowance,
-- as a restart of a single server always did; and standbys do not have it (nothing reads
-- it there; a promoted standby starts with an empty table).
CREATE UNLOGGED TABLE limit_state (
    key             TEXT PRIMARY KEY,
    -- The limiter: 'inbox', 'identity', 'signin-email', 'signin-addr' (each kind is
    -- capped apart, so a flood of one cannot push the others out).
    kind            TEXT NOT NULL,
    -- Token buckets (GCRA): the theoretical arrival time of the next call.
    tat_us          BIGINT NOT NULL DEFAULT 0,
    -- Sign-in throttle: failures counted, attempts running (and when the last began),
    -- the last failure, the lockout's end.
    failures        BIGINT NOT NULL DEFAULT 0,
    in_flight       BIGINT NOT NULL DEFAULT 0,
    flight_at_us    BIGINT NOT NULL DEFAULT 0,
    last_failure_us BIGINT NOT NULL DEFAULT 0,
    locked_until_us BIGINT NOT NULL DEFAULT 0,
    -- The answer of the last check: 0 allowed, else how long until one would be.
    wait_us         BIGINT NOT NULL DEFAULT 0,
    -- From then on the row says no more than no row: the purge deletes it.
    forget_at_us    BIGINT NOT NULL
);
-- The purge: stale rows of a kind, and a kind's stalest rows when it is over its cap.
CREATE INDEX limit_state_forget ON limit_state (kind, forget_at_us);
