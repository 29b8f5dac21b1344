-- Privilege limitation (D3): a lower_limit restriction caps the account's daily money out at an
-- amount in a currency. 0 and NULL for every other kind.
ALTER TABLE account_restrictions ADD COLUMN daily_limit_minor BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE account_restrictions ADD COLUMN currency VARCHAR(3);
