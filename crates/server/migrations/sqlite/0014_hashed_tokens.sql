-- Tokens are stored as SHA-256 digests (hex), never in clear.
--
-- users.access_token (the personal access token, for integrations and the Dashboard App)
-- becomes access_token_digest. SQLite has no SHA-256, so the rows this migration finds
-- are marked access_token_hashed = 0 and the server hashes them right after migrating
-- (auth::hash_clear_tokens, run by db::open): their tokens keep working, and no clear
-- token stays in the database once the server has started.
ALTER TABLE users RENAME COLUMN access_token TO access_token_digest;
ALTER TABLE users ADD COLUMN access_token_hashed INTEGER NOT NULL DEFAULT 0;

-- One row per signed-in session: made by POST /auth/sign_in, deleted by
-- DELETE /auth/sign_out, refused once expires_at (unix seconds) has passed.
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_digest  TEXT NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id, expires_at);
