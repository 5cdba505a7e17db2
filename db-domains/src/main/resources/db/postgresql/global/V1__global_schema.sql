-- Keyspace `global` on PostgreSQL: the same tables, columns, nullability and key names as
-- db/migration/global (MySQL dialect); the build checks that the two agree (PostgresSchemaAgreementTest).
--
-- Conventions for every keyspace on PostgreSQL:
--   * ids are application-generated UUIDv7 values in native `uuid` (io.openinsure.db.domains.Ids);
--   * no FK constraints, within or across keyspaces (the same rule as on Vitess);
--   * money is numeric(19,4) next to a three-letter ISO 4217 currency code;
--   * times are `timestamp(6)` (without time zone) holding UTC, as DATETIME(6) does on MySQL: both map to
--     java.time.LocalDateTime, so one set of typed tables serves both dialects. Defaults are
--     now() AT TIME ZONE 'UTC', independent of the session's TimeZone;
--   * strings are `text` with CHECK constraints carrying the MySQL column's length limit;
--   * JSON is `jsonb`;
--   * unique keys are constraints with the MySQL key's name (uk_…), so a duplicate names the same key.

CREATE TABLE organization (
    id          uuid         NOT NULL,
    slug        text         NOT NULL CHECK (char_length(slug) <= 63),
    name        text         NOT NULL CHECK (char_length(name) <= 255),
    status      text         NOT NULL DEFAULT 'ACTIVE' CHECK (char_length(status) <= 32),
    version     integer      NOT NULL DEFAULT 0,
    created_at  timestamp(6) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    updated_at  timestamp(6) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    CONSTRAINT organization_pkey PRIMARY KEY (id),
    CONSTRAINT uk_organization_slug UNIQUE (slug)
);
COMMENT ON TABLE organization IS 'A customer organization (carrier, MGA, agency) that owns programs and users';

CREATE TABLE app_user (
    id            uuid         NOT NULL,
    org_id        uuid         NOT NULL,
    email         text         NOT NULL CHECK (char_length(email) <= 320),
    display_name  text         NOT NULL CHECK (char_length(display_name) <= 255),
    role          text         NOT NULL DEFAULT 'MEMBER' CHECK (char_length(role) <= 32),
    status        text         NOT NULL DEFAULT 'ACTIVE' CHECK (char_length(status) <= 32),
    version       integer      NOT NULL DEFAULT 0,
    created_at    timestamp(6) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    updated_at    timestamp(6) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    CONSTRAINT app_user_pkey PRIMARY KEY (id),
    CONSTRAINT uk_app_user_org_email UNIQUE (org_id, email)
);
COMMENT ON TABLE app_user IS 'A person who signs in; email is unique per organization';

CREATE TABLE program (
    id                uuid         NOT NULL,
    org_id            uuid         NOT NULL,
    code              text         NOT NULL CHECK (char_length(code) <= 64),
    name              text         NOT NULL CHECK (char_length(name) <= 255),
    line_of_business  text         NOT NULL CHECK (char_length(line_of_business) <= 32),
    states            jsonb        NOT NULL,
    status            text         NOT NULL DEFAULT 'ACTIVE' CHECK (char_length(status) <= 32),
    version           integer      NOT NULL DEFAULT 0,
    created_at        timestamp(6) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    updated_at        timestamp(6) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    CONSTRAINT program_pkey PRIMARY KEY (id),
    CONSTRAINT uk_program_org_code UNIQUE (org_id, code)
);
CREATE INDEX ix_program_line_of_business ON program (line_of_business);
COMMENT ON TABLE program IS 'An insurance program of an organization: one line of business, written in the states listed (JSON array of us_state codes)';

CREATE TABLE line_of_business (
    code  text NOT NULL CHECK (char_length(code) <= 32),
    name  text NOT NULL CHECK (char_length(name) <= 128),
    CONSTRAINT line_of_business_pkey PRIMARY KEY (code)
);
COMMENT ON TABLE line_of_business IS 'Reference data: lines of business';

CREATE TABLE us_state (
    code  text NOT NULL CHECK (char_length(code) <= 2),
    name  text NOT NULL CHECK (char_length(name) <= 64),
    CONSTRAINT us_state_pkey PRIMARY KEY (code)
);
COMMENT ON TABLE us_state IS 'Reference data: US states and DC (USPS codes)';

CREATE TABLE coverage_type (
    code              text NOT NULL CHECK (char_length(code) <= 64),
    line_of_business  text NOT NULL CHECK (char_length(line_of_business) <= 32),
    name              text NOT NULL CHECK (char_length(name) <= 128),
    CONSTRAINT coverage_type_pkey PRIMARY KEY (code)
);
CREATE INDEX ix_coverage_type_line_of_business ON coverage_type (line_of_business);
COMMENT ON TABLE coverage_type IS 'Reference data: coverage types, each belonging to one line of business';
