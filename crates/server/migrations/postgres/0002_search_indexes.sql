-- Search's fragments on PostgreSQL, as SQLite's trigram index contacts_contact_fts
-- (tokenize "trigram remove_diacritics 1") finds them: an email or identifier holding
-- the typed text, case and accents ignored ("muller" finds JG@Müller.de, "CRM-88" finds
-- crm-8812). 0001's trigram indexes on fold(email) and identifier serve the filter's
-- folded email and exact identifier comparisons; search compares without accents, so
-- it has indexes of its own. contacts::search says which query each serves.

-- search_fragment(q): the LIKE pattern of "holds q": '%' || q folded, without
-- diacritics, with LIKE's \ % _ escaped || '%'. Made in SQL, so that both sides of the
-- comparison go through the same unaccent_fold().
CREATE FUNCTION search_fragment(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN '%' || replace(replace(replace(unaccent_fold($1), '\', '\\'), '%', '\%'), '_', '\_') || '%';

--   unaccent_fold(c.email) LIKE search_fragment($q)
CREATE INDEX contacts_email_unaccent_trgm ON contacts USING gin (unaccent_fold(email) gin_trgm_ops);
--   unaccent_fold(c.identifier) LIKE search_fragment($q)
CREATE INDEX contacts_identifier_unaccent_trgm ON contacts USING gin (unaccent_fold(identifier) gin_trgm_ops);
