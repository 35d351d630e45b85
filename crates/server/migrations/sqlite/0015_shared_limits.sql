-- Rate limits and sign-in throttling kept in the database, as on PostgreSQL
-- (migrations/postgres/0003_shared_limits.sql says what each column is). A server on
-- SQLite keeps them in memory (src/rate_limit.rs, `Store`, says why and what was
-- measured); the table is here so the one set of SQL runs on both engines and is
-- tested on both (tests/shared_limits.rs).
CREATE TABLE limit_state (
    key             TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    tat_us          INTEGER NOT NULL DEFAULT 0,
    failures        INTEGER NOT NULL DEFAULT 0,
    in_flight       INTEGER NOT NULL DEFAULT 0,
    flight_at_us    INTEGER NOT NULL DEFAULT 0,
    last_failure_us INTEGER NOT NULL DEFAULT 0,
    locked_until_us INTEGER NOT NULL DEFAULT 0,
    wait_us         INTEGER NOT NULL DEFAULT 0,
    forget_at_us    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX limit_state_forget ON limit_state (kind, forget_at_us);
