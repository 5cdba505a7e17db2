-- Keyspace `billing` on PostgreSQL, second migration (see db/migration/billing/V2 for why).

DROP INDEX ix_billing_account_policy;
ALTER TABLE billing_account ADD CONSTRAINT uk_billing_account_policy UNIQUE (policy_id);

ALTER TABLE invoice
    ADD COLUMN voided_at   timestamp(6) NULL,
    ADD COLUMN void_reason text         NULL CHECK (char_length(void_reason) <= 255);
