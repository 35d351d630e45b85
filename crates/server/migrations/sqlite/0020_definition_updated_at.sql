-- When a custom attribute definition was last changed (Chatwoot's `updated_at`, issue #16).
-- Null for definitions made before, and for those an import makes: read as `created_at`.
ALTER TABLE custom_attribute_definitions ADD COLUMN updated_at INTEGER;
UPDATE custom_attribute_definitions SET updated_at = created_at;
