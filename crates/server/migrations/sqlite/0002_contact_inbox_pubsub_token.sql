-- The token a channel's client subscribes with (Chatwoot's contact_inboxes.pubsub_token),
-- handed out by the public API when it creates the identity. Identities made elsewhere
-- (the seed, agents' new dialogs) have none.
ALTER TABLE contact_inboxes ADD COLUMN pubsub_token TEXT;
CREATE UNIQUE INDEX contact_inboxes_pubsub_token ON contact_inboxes(pubsub_token) WHERE pubsub_token IS NOT NULL;
