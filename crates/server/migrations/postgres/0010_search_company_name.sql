-- Search also finds a contact by its company (additional_attributes.company_name), as
-- Chatwoot's search does (company_name ILIKE '%q%'): the same fragment comparison as
-- email and identifier (0002), from its own trigram index.
--   unaccent_fold(c.additional_attributes ->> 'company_name') LIKE search_fragment($q)
CREATE INDEX contacts_company_unaccent_trgm
    ON contacts USING gin (unaccent_fold(additional_attributes ->> 'company_name') gin_trgm_ops);
