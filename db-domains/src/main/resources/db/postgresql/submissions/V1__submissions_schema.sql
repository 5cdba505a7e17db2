-- Keyspace `submissions` on PostgreSQL. Conventions: see global/V1__global_schema.sql (this folder).

CREATE TABLE submission (
    id                 uuid         NOT NULL,
    org_id             uuid         NOT NULL,
    program_id         uuid         NOT NULL,
    submission_number  text         NOT NULL CHECK (char_length(submission_number) <= 32),
    insured_name       text         NOT NULL CHECK (char_length(insured_name) <= 255),
    insured_state      text         NOT NULL CHECK (char_length(insured_state) <= 2),
    line_of_business   text         NOT NULL CHECK (char_length(line_of_business) <= 32),
    status             text         NOT NULL CHECK (char_length(status) <= 32),
    idempotency_key    text         NULL CHECK (char_length(idempotency_key) <= 128),
    version            integer      NOT NULL DEFAULT 0,
    created_at         timestamp(6) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    updated_at         timestamp(6) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    CONSTRAINT submission_pkey PRIMARY KEY (id),
    CONSTRAINT uk_submission_number UNIQUE (submission_number),
    CONSTRAINT uk_submission_idempotency_key UNIQUE (idempotency_key)
);
CREATE INDEX ix_submission_org_status ON submission (org_id, status);
CREATE INDEX ix_submission_program ON submission (program_id);
COMMENT ON TABLE submission IS 'A request to insure: who, where, which program';

CREATE TABLE quote (
    id             uuid          NOT NULL,
    submission_id  uuid          NOT NULL,
    quote_number   text          NOT NULL CHECK (char_length(quote_number) <= 32),
    premium        numeric(19,4) NOT NULL,
    currency       text          NOT NULL CHECK (char_length(currency) <= 3),
    rating_inputs  jsonb         NULL,
    status         text          NOT NULL CHECK (char_length(status) <= 32),
    expires_at     timestamp(6)  NOT NULL,
    version        integer       NOT NULL DEFAULT 0,
    created_at     timestamp(6)  NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    updated_at     timestamp(6)  NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    CONSTRAINT quote_pkey PRIMARY KEY (id),
    CONSTRAINT uk_quote_number UNIQUE (quote_number),
    CONSTRAINT ck_quote_premium CHECK (premium >= 0)
);
CREATE INDEX ix_quote_submission ON quote (submission_id);
COMMENT ON TABLE quote IS 'A priced offer for a submission, valid until expires_at (UTC)';

CREATE TABLE bind_request (
    id               uuid         NOT NULL,
    quote_id         uuid         NOT NULL,
    submission_id    uuid         NOT NULL,
    status           text         NOT NULL CHECK (char_length(status) <= 32),
    requested_by     uuid         NOT NULL,
    bound_at         timestamp(6) NULL,
    idempotency_key  text         NOT NULL CHECK (char_length(idempotency_key) <= 128),
    version          integer      NOT NULL DEFAULT 0,
    created_at       timestamp(6) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    updated_at       timestamp(6) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    CONSTRAINT bind_request_pkey PRIMARY KEY (id),
    CONSTRAINT uk_bind_request_idempotency_key UNIQUE (idempotency_key)
);
CREATE INDEX ix_bind_request_quote ON bind_request (quote_id);
CREATE INDEX ix_bind_request_submission ON bind_request (submission_id);
COMMENT ON TABLE bind_request IS 'A request to bind a quote; bound_at is set when the bind succeeds';
COMMENT ON COLUMN bind_request.requested_by IS 'app_user.id in keyspace global';
