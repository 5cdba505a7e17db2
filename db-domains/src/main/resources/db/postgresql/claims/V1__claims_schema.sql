-- Keyspace `claims` on PostgreSQL. Conventions: see global/V1__global_schema.sql (this folder).

CREATE TABLE claim (
    id               uuid         NOT NULL,
    claim_number     text         NOT NULL CHECK (char_length(claim_number) <= 32),
    policy_id        uuid         NOT NULL,
    org_id           uuid         NOT NULL,
    loss_date        date         NOT NULL,
    reported_at      timestamp(6) NOT NULL,
    status           text         NOT NULL CHECK (char_length(status) <= 32),
    description      text         NOT NULL CHECK (char_length(description) <= 65535),
    closed_at        timestamp(6) NULL,
    idempotency_key  text         NULL CHECK (char_length(idempotency_key) <= 128),
    version          integer      NOT NULL DEFAULT 0,
    created_at       timestamp(6) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    updated_at       timestamp(6) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    CONSTRAINT claim_pkey PRIMARY KEY (id),
    CONSTRAINT uk_claim_number UNIQUE (claim_number),
    CONSTRAINT uk_claim_idempotency_key UNIQUE (idempotency_key)
);
CREATE INDEX ix_claim_policy ON claim (policy_id);
CREATE INDEX ix_claim_org_status ON claim (org_id, status);
COMMENT ON TABLE claim IS 'A claim against a policy, opened by a first notice of loss';

CREATE TABLE reserve (
    id        uuid          NOT NULL,
    claim_id  uuid          NOT NULL,
    amount    numeric(19,4) NOT NULL,
    currency  text          NOT NULL CHECK (char_length(currency) <= 3),
    set_at    timestamp(6)  NOT NULL,
    reason    text          NOT NULL CHECK (char_length(reason) <= 255),
    CONSTRAINT reserve_pkey PRIMARY KEY (id),
    CONSTRAINT ck_reserve_amount CHECK (amount >= 0)
);
CREATE INDEX ix_reserve_claim_time ON reserve (claim_id, set_at);
COMMENT ON TABLE reserve IS 'Reserve history of a claim: each row sets a new amount; the latest set_at is current';

CREATE TABLE claim_payment (
    id               uuid          NOT NULL,
    claim_id         uuid          NOT NULL,
    amount           numeric(19,4) NOT NULL,
    currency         text          NOT NULL CHECK (char_length(currency) <= 3),
    payee            text          NOT NULL CHECK (char_length(payee) <= 255),
    paid_at          timestamp(6)  NOT NULL,
    idempotency_key  text          NOT NULL CHECK (char_length(idempotency_key) <= 128),
    created_at       timestamp(6)  NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    CONSTRAINT claim_payment_pkey PRIMARY KEY (id),
    CONSTRAINT uk_claim_payment_idempotency_key UNIQUE (idempotency_key),
    CONSTRAINT ck_claim_payment_amount CHECK (amount > 0)
);
CREATE INDEX ix_claim_payment_claim ON claim_payment (claim_id);
COMMENT ON TABLE claim_payment IS 'A payment made on a claim';

CREATE TABLE claim_event (
    id           uuid         NOT NULL,
    claim_id     uuid         NOT NULL,
    event_type   text         NOT NULL CHECK (char_length(event_type) <= 64),
    payload      jsonb        NULL,
    occurred_at  timestamp(6) NOT NULL,
    CONSTRAINT claim_event_pkey PRIMARY KEY (id)
);
CREATE INDEX ix_claim_event_claim_time ON claim_event (claim_id, occurred_at);
COMMENT ON TABLE claim_event IS 'Append-only history of a claim: rows are inserted, never updated or deleted';
