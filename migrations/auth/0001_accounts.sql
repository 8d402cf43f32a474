-- Accounts, sessions (refresh-token families) and settings of the auth service.
-- The schema (search_path) is the service's own: `auth`.

CREATE TABLE users (
    id              BIGSERIAL PRIMARY KEY,
    username        CITEXT NOT NULL CONSTRAINT users_username_key UNIQUE,
    email           CITEXT NOT NULL CONSTRAINT users_email_key UNIQUE,
    password_hash   TEXT NOT NULL,
    display_name    TEXT,
    bio             TEXT,
    -- A file of the media service; no foreign key across service boundaries.
    avatar_file_id  BIGINT,
    is_active       BOOLEAN NOT NULL DEFAULT TRUE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    is_admin        BOOLEAN NOT NULL DEFAULT FALSE,
    is_blocked      BOOLEAN NOT NULL DEFAULT FALSE,
    last_activity   TIMESTAMPTZ
);
CREATE INDEX users_is_admin_idx ON users (is_admin) WHERE is_admin;
CREATE INDEX users_last_activity_idx ON users (last_activity) WHERE last_activity IS NOT NULL;
CREATE INDEX users_created_at_idx ON users (created_at);
-- Substring search on username / display name (ILIKE '%q%') without a sequential scan.
CREATE INDEX users_username_trgm_idx ON users USING gin ((username::text) gin_trgm_ops);
CREATE INDEX users_display_name_trgm_idx ON users USING gin (display_name gin_trgm_ops);

CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at = now();
    RETURN NEW;
END $$;
CREATE TRIGGER users_touch_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE refresh_tokens (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   TEXT NOT NULL,
    token_hash  TEXT NOT NULL CONSTRAINT refresh_tokens_token_hash_key UNIQUE,
    expires_at  TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    rotated_at  TIMESTAMPTZ,
    revoked     BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_family_id_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_live_expiry_idx ON refresh_tokens (expires_at) WHERE revoked = FALSE;

CREATE TABLE user_settings (
    user_id                BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    theme                  TEXT NOT NULL DEFAULT 'light',
    notifications_enabled  BOOLEAN NOT NULL DEFAULT TRUE,
    language               TEXT NOT NULL DEFAULT 'en',
    last_seen_visibility   TEXT NOT NULL DEFAULT 'everyone'
        CHECK (last_seen_visibility IN ('everyone', 'nobody', 'approx_only')),
    read_receipts_enabled  BOOLEAN NOT NULL DEFAULT TRUE
);

-- Product data (CONTRACT §19.0): the support account is user 1 on a fresh
-- database and can never log in (the hash is not a PHC string). Its e-mail
-- domain is set from configuration at start.
INSERT INTO users (username, email, password_hash, display_name, bio, is_admin)
VALUES ('chorus_support', 'support@localhost', 'SYSTEM_ACCOUNT_NO_LOGIN', 'Chorus Support',
        'Official Chorus support: write here if something does not work.', TRUE);
