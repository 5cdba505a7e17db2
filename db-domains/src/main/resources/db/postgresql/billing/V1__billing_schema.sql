-- Keyspace `billing` on PostgreSQL. Conventions: see global/V1__global_schema.sql (this folder).

CREATE TABLE billing_account (
    id              uuid         NOT NULL,
    org_id          uuid         NOT NULL,
    policy_id       uuid         NOT NULL,
    account_number  text         NOT NULL CHECK (char_length(account_number) <= 32),
    status          text         NOT NULL CHECK (char_length(status) <= 32),
    version         integer      NOT NULL DEFAULT 0,
    created_at      timestamp(6) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    updated_at      timestamp(6) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    CONSTRAINT billing_account_pkey PRIMARY KEY (id),
    CONSTRAINT uk_billing_account_number UNIQUE (account_number)
);
CREATE INDEX ix_billing_account_policy ON billing_account (policy_id);
CREATE INDEX ix_billing_account_org ON billing_account (org_id);
COMMENT ON TABLE billing_account IS 'Who is billed for a policy';

CREATE TABLE invoice (
    id                  uuid          NOT NULL,
    invoice_number      text          NOT NULL CHECK (char_length(invoice_number) <= 32),
    billing_account_id  uuid          NOT NULL,
    policy_id           uuid          NOT NULL,
    amount              numeric(19,4) NOT NULL,
    currency            text          NOT NULL CHECK (char_length(currency) <= 3),
    status              text          NOT NULL CHECK (char_length(status) <= 32),
    due_date            date          NOT NULL,
    issued_at           timestamp(6)  NULL,
    idempotency_key     text          NULL CHECK (char_length(idempotency_key) <= 128),
    version             integer       NOT NULL DEFAULT 0,
    created_at          timestamp(6)  NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    updated_at          timestamp(6)  NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    CONSTRAINT invoice_pkey PRIMARY KEY (id),
    CONSTRAINT uk_invoice_number UNIQUE (invoice_number),
    CONSTRAINT uk_invoice_idempotency_key UNIQUE (idempotency_key)
);
CREATE INDEX ix_invoice_billing_account ON invoice (billing_account_id);
CREATE INDEX ix_invoice_policy ON invoice (policy_id);
CREATE INDEX ix_invoice_status_due ON invoice (status, due_date);
COMMENT ON TABLE invoice IS 'An invoice; amount is the sum of its lines';

CREATE TABLE invoice_line (
    id           uuid          NOT NULL,
    invoice_id   uuid          NOT NULL,
    line_no      integer       NOT NULL,
    description  text          NOT NULL CHECK (char_length(description) <= 255),
    amount       numeric(19,4) NOT NULL,
    CONSTRAINT invoice_line_pkey PRIMARY KEY (id),
    CONSTRAINT uk_invoice_line_no UNIQUE (invoice_id, line_no)
);
COMMENT ON TABLE invoice_line IS 'A line of an invoice, in the currency of the invoice';

CREATE TABLE payment (
    id               uuid          NOT NULL,
    invoice_id       uuid          NOT NULL,
    amount           numeric(19,4) NOT NULL,
    currency         text          NOT NULL CHECK (char_length(currency) <= 3),
    method           text          NOT NULL CHECK (char_length(method) <= 32),
    received_at      timestamp(6)  NOT NULL,
    idempotency_key  text          NOT NULL CHECK (char_length(idempotency_key) <= 128),
    created_at       timestamp(6)  NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    CONSTRAINT payment_pkey PRIMARY KEY (id),
    CONSTRAINT uk_payment_idempotency_key UNIQUE (idempotency_key),
    CONSTRAINT ck_payment_amount CHECK (amount > 0)
);
CREATE INDEX ix_payment_invoice ON payment (invoice_id);
COMMENT ON TABLE payment IS 'A payment received against an invoice';

CREATE TABLE gl_journal (
    id               uuid         NOT NULL,
    journal_type     text         NOT NULL CHECK (char_length(journal_type) <= 32),
    reference_type   text         NOT NULL CHECK (char_length(reference_type) <= 32),
    reference_id     uuid         NOT NULL,
    currency         text         NOT NULL CHECK (char_length(currency) <= 3),
    posted_at        timestamp(6) NOT NULL,
    idempotency_key  text         NULL CHECK (char_length(idempotency_key) <= 128),
    CONSTRAINT gl_journal_pkey PRIMARY KEY (id),
    CONSTRAINT uk_gl_journal_idempotency_key UNIQUE (idempotency_key)
);
CREATE INDEX ix_gl_journal_reference ON gl_journal (reference_type, reference_id);
CREATE INDEX ix_gl_journal_posted ON gl_journal (posted_at);
COMMENT ON TABLE gl_journal IS 'A general-ledger journal: its entries balance (sum of debit = sum of credit), checked in application code';
COMMENT ON COLUMN gl_journal.reference_type IS 'what reference_id names, e.g. INVOICE, PAYMENT';

CREATE TABLE gl_entry (
    id            uuid          NOT NULL,
    journal_id    uuid          NOT NULL,
    account_code  text          NOT NULL CHECK (char_length(account_code) <= 32),
    debit         numeric(19,4) NOT NULL DEFAULT 0,
    credit        numeric(19,4) NOT NULL DEFAULT 0,
    CONSTRAINT gl_entry_pkey PRIMARY KEY (id),
    CONSTRAINT ck_gl_entry_amounts CHECK (debit >= 0 AND credit >= 0)
);
CREATE INDEX ix_gl_entry_journal ON gl_entry (journal_id);
CREATE INDEX ix_gl_entry_account ON gl_entry (account_code);
COMMENT ON TABLE gl_entry IS 'A line of a journal: a debit or a credit to one account, in the currency of the journal';
