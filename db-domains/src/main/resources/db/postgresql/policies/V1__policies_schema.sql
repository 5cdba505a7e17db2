-- Keyspace `policies` on PostgreSQL. Conventions: see global/V1__global_schema.sql (this folder).

CREATE TABLE policy (
    id                    uuid          NOT NULL,
    policy_number         text          NOT NULL CHECK (char_length(policy_number) <= 32),
    org_id                uuid          NOT NULL,
    program_id            uuid          NOT NULL,
    insured_name          text          NOT NULL CHECK (char_length(insured_name) <= 255),
    status                text          NOT NULL CHECK (char_length(status) <= 32),
    effective_date        date          NOT NULL,
    expiration_date       date          NOT NULL,
    premium               numeric(19,4) NOT NULL,
    currency              text          NOT NULL CHECK (char_length(currency) <= 3),
    submission_id         uuid          NULL,
    quote_id              uuid          NULL,
    renewal_of_policy_id  uuid          NULL,
    cancellation_date     date          NULL,
    cancellation_reason   text          NULL CHECK (char_length(cancellation_reason) <= 255),
    idempotency_key       text          NULL CHECK (char_length(idempotency_key) <= 128),
    version               integer       NOT NULL DEFAULT 0,
    created_at            timestamp(6)  NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    updated_at            timestamp(6)  NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    CONSTRAINT policy_pkey PRIMARY KEY (id),
    CONSTRAINT uk_policy_number UNIQUE (policy_number),
    CONSTRAINT uk_policy_quote UNIQUE (quote_id),
    CONSTRAINT uk_policy_idempotency_key UNIQUE (idempotency_key),
    CONSTRAINT ck_policy_term CHECK (expiration_date > effective_date),
    CONSTRAINT ck_policy_premium CHECK (premium >= 0)
);
CREATE INDEX ix_policy_org_status ON policy (org_id, status);
CREATE INDEX ix_policy_program ON policy (program_id);
CREATE INDEX ix_policy_submission ON policy (submission_id);
CREATE INDEX ix_policy_renewal_of ON policy (renewal_of_policy_id);
COMMENT ON TABLE policy IS 'An issued policy; renewal_of_policy_id points at the policy it renews';
COMMENT ON COLUMN policy.submission_id IS 'null for a renewal or an imported policy';
COMMENT ON COLUMN policy.quote_id IS 'the bound quote; one policy per quote';

CREATE TABLE coverage (
    id             uuid          NOT NULL,
    policy_id      uuid          NOT NULL,
    coverage_type  text          NOT NULL CHECK (char_length(coverage_type) <= 64),
    limit_amount   numeric(19,4) NOT NULL,
    deductible     numeric(19,4) NOT NULL DEFAULT 0,
    premium        numeric(19,4) NOT NULL,
    created_at     timestamp(6)  NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    updated_at     timestamp(6)  NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    CONSTRAINT coverage_pkey PRIMARY KEY (id),
    CONSTRAINT uk_coverage_policy_type UNIQUE (policy_id, coverage_type),
    CONSTRAINT ck_coverage_amounts CHECK (limit_amount >= 0 AND deductible >= 0 AND premium >= 0)
);
COMMENT ON TABLE coverage IS 'A coverage of a policy; amounts are in the currency of the policy';
COMMENT ON COLUMN coverage.coverage_type IS 'coverage_type.code in keyspace global';

CREATE TABLE endorsement (
    id                  uuid          NOT NULL,
    policy_id           uuid          NOT NULL,
    endorsement_number  integer       NOT NULL,
    effective_date      date          NOT NULL,
    premium_change      numeric(19,4) NOT NULL DEFAULT 0,
    description         text          NOT NULL CHECK (char_length(description) <= 65535),
    created_at          timestamp(6)  NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    CONSTRAINT endorsement_pkey PRIMARY KEY (id),
    CONSTRAINT uk_endorsement_policy_number UNIQUE (policy_id, endorsement_number)
);
COMMENT ON TABLE endorsement IS 'A mid-term change to a policy; premium_change is in the currency of the policy';
COMMENT ON COLUMN endorsement.endorsement_number IS '1, 2, 3 ... per policy';

CREATE TABLE policy_event (
    id           uuid         NOT NULL,
    policy_id    uuid         NOT NULL,
    event_type   text         NOT NULL CHECK (char_length(event_type) <= 64),
    payload      jsonb        NULL,
    occurred_at  timestamp(6) NOT NULL,
    CONSTRAINT policy_event_pkey PRIMARY KEY (id)
);
CREATE INDEX ix_policy_event_policy_time ON policy_event (policy_id, occurred_at);
COMMENT ON TABLE policy_event IS 'Append-only history of a policy: rows are inserted, never updated or deleted';
