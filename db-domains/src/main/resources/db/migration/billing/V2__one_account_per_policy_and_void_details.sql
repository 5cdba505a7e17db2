-- Keyspace `billing`, second migration.
--
-- * One billing account per policy: BillingDb.openAccount is idempotent per policy, and two
--   concurrent calls must not both insert. The unique key makes the loser's insert fail, and it
--   re-reads the winner's row (the plain index it replaces becomes redundant).
-- * An invoice records when and why it was voided (BillingDb.voidInvoice).

ALTER TABLE billing_account
    DROP INDEX ix_billing_account_policy,
    ADD UNIQUE KEY uk_billing_account_policy (policy_id);

ALTER TABLE invoice
    ADD COLUMN voided_at   DATETIME(6)  NULL AFTER issued_at,
    ADD COLUMN void_reason VARCHAR(255) NULL AFTER voided_at;
