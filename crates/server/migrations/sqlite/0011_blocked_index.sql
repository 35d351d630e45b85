-- The blocked contacts of an account, few among many: what a filter on "blocked is
-- true" reads first (contacts::filter::push_candidates).
CREATE INDEX contacts_blocked ON contacts(account_id) WHERE blocked = 1;
