-- The public API of API inboxes, safe to expose.
--
-- Identity validation (Chatwoot's): a per-inbox secret with which the channel signs the
-- customer's identifier (identifier_hash = hex HMAC-SHA256), and the option that requires it.
ALTER TABLE inboxes ADD COLUMN hmac_token TEXT;
ALTER TABLE inboxes ADD COLUMN hmac_mandatory INTEGER NOT NULL DEFAULT 0;

UPDATE inboxes SET hmac_token = lower(hex(randomblob(32)))
WHERE channel_type = 'Channel::Api' AND hmac_token IS NULL;

-- The identifier is the key of the public API: the seeded ones ('api-inbox-1') were
-- guessable. Every API inbox whose identifier is missing or short gets a random one
-- (144 bits, 36 characters); randomblob() is drawn anew for each row.
UPDATE inboxes SET inbox_identifier = lower(hex(randomblob(18)))
WHERE channel_type = 'Channel::Api'
  AND (inbox_identifier IS NULL OR length(inbox_identifier) < 24
       OR inbox_identifier LIKE 'api-inbox-%');
