-- One contact's writes.

-- The region national phone numbers are read in when a contact's
-- additional_attributes.country_code does not say ("050 123 45 67" is +380501234567 in UA).
ALTER TABLE accounts ADD COLUMN default_country_code TEXT NOT NULL DEFAULT 'UA';

-- Deleting a contact drops the merge records that point to it, and a merge re-points the
-- records that pointed to the merged-away contact: both look merges up by their base.
CREATE INDEX contact_merges_base ON contact_merges(base_contact_id);
