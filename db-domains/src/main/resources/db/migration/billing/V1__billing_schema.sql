-- Keyspace `billing` (database oi_billing): billing accounts, invoices and their lines,
-- payments, and the general ledger (double entry).
-- Conventions: see global/V1__global_schema.sql. org_id points into keyspace `global`, policy_id
-- into `policies`; plain ids checked in application code.

CREATE TABLE billing_account (
    id              BINARY(16)   NOT NULL,
    org_id          BINARY(16)   NOT NULL,
    policy_id       BINARY(16)   NOT NULL,
    account_number  VARCHAR(32)  NOT NULL,
    status          VARCHAR(32)  NOT NULL,
    version         INT          NOT NULL DEFAULT 0,
    created_at      DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at      DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id),
    UNIQUE KEY uk_billing_account_number (account_number),
    KEY ix_billing_account_policy (policy_id),
    KEY ix_billing_account_org (org_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Who is billed for a policy';

CREATE TABLE invoice (
    id                  BINARY(16)    NOT NULL,
    invoice_number      VARCHAR(32)   NOT NULL,
    billing_account_id  BINARY(16)    NOT NULL,
    policy_id           BINARY(16)    NOT NULL,
    amount              DECIMAL(19,4) NOT NULL,
    currency            CHAR(3)       NOT NULL,
    status              VARCHAR(32)   NOT NULL,
    due_date            DATE          NOT NULL,
    issued_at           DATETIME(6)   NULL,
    idempotency_key     VARCHAR(128)  NULL,
    version             INT           NOT NULL DEFAULT 0,
    created_at          DATETIME(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at          DATETIME(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id),
    UNIQUE KEY uk_invoice_number (invoice_number),
    UNIQUE KEY uk_invoice_idempotency_key (idempotency_key),
    KEY ix_invoice_billing_account (billing_account_id),
    KEY ix_invoice_policy (policy_id),
    KEY ix_invoice_status_due (status, due_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='An invoice; amount is the sum of its lines';

CREATE TABLE invoice_line (
    id           BINARY(16)    NOT NULL,
    invoice_id   BINARY(16)    NOT NULL,
    line_no      INT           NOT NULL,
    description  VARCHAR(255)  NOT NULL,
    amount       DECIMAL(19,4) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_invoice_line_no (invoice_id, line_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='A line of an invoice, in the currency of the invoice';

CREATE TABLE payment (
    id               BINARY(16)    NOT NULL,
    invoice_id       BINARY(16)    NOT NULL,
    amount           DECIMAL(19,4) NOT NULL,
    currency         CHAR(3)       NOT NULL,
    method           VARCHAR(32)   NOT NULL,
    received_at      DATETIME(6)   NOT NULL,
    idempotency_key  VARCHAR(128)  NOT NULL,
    created_at       DATETIME(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id),
    UNIQUE KEY uk_payment_idempotency_key (idempotency_key),
    KEY ix_payment_invoice (invoice_id),
    CONSTRAINT ck_payment_amount CHECK (amount > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='A payment received against an invoice';

CREATE TABLE gl_journal (
    id               BINARY(16)   NOT NULL,
    journal_type     VARCHAR(32)  NOT NULL,
    reference_type   VARCHAR(32)  NOT NULL COMMENT 'what reference_id names, e.g. INVOICE, PAYMENT',
    reference_id     BINARY(16)   NOT NULL,
    currency         CHAR(3)      NOT NULL,
    posted_at        DATETIME(6)  NOT NULL,
    idempotency_key  VARCHAR(128) NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_gl_journal_idempotency_key (idempotency_key),
    KEY ix_gl_journal_reference (reference_type, reference_id),
    KEY ix_gl_journal_posted (posted_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='A general-ledger journal: its entries balance (sum of debit = sum of credit), checked in application code';

CREATE TABLE gl_entry (
    id            BINARY(16)    NOT NULL,
    journal_id    BINARY(16)    NOT NULL,
    account_code  VARCHAR(32)   NOT NULL,
    debit         DECIMAL(19,4) NOT NULL DEFAULT 0,
    credit        DECIMAL(19,4) NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    KEY ix_gl_entry_journal (journal_id),
    KEY ix_gl_entry_account (account_code),
    CONSTRAINT ck_gl_entry_amounts CHECK (debit >= 0 AND credit >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='A line of a journal: a debit or a credit to one account, in the currency of the journal';
