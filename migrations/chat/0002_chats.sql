-- Chats, members and roles, invites and the per-user chat flags (CONTRACT §7, §8, §18).
-- User ids belong to the auth service, so they carry no foreign keys here.

CREATE TABLE chats (
    id              BIGSERIAL PRIMARY KEY,
    type            TEXT NOT NULL DEFAULT 'direct' CHECK (type IN ('direct', 'group', 'channel')),
    name            TEXT,
    title           TEXT,
    description     TEXT,
    public_name     CITEXT CONSTRAINT chats_public_name_key UNIQUE,
    owner_id        BIGINT NOT NULL,
    avatar_file_id  BIGINT,
    -- Created as a self-chat (saved messages): preferred by the self-chat lookup (§23 D17).
    is_self         BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX chats_owner_id_idx ON chats (owner_id);

CREATE TABLE chat_members (
    chat_id    BIGINT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL,
    role       TEXT NOT NULL DEFAULT 'member',
    joined_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (chat_id, user_id)
);
CREATE INDEX chat_members_user_id_idx ON chat_members (user_id);

CREATE TABLE chat_favorites (
    user_id     BIGINT NOT NULL,
    chat_id     BIGINT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, chat_id)
);

CREATE TABLE chat_mutes (
    user_id      BIGINT NOT NULL,
    chat_id      BIGINT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    -- NULL: muted indefinitely.
    muted_until  TIMESTAMPTZ,
    PRIMARY KEY (user_id, chat_id)
);

CREATE TABLE chat_pins (
    user_id     BIGINT NOT NULL,
    chat_id     BIGINT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, chat_id)
);

CREATE TABLE chat_archives (
    user_id     BIGINT NOT NULL,
    chat_id     BIGINT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, chat_id)
);

CREATE TABLE invites (
    id          BIGSERIAL PRIMARY KEY,
    chat_id     BIGINT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    token       TEXT NOT NULL CONSTRAINT invites_token_key UNIQUE,
    created_by  BIGINT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX invites_active_idx ON invites (chat_id, created_at DESC) WHERE revoked_at IS NULL;

-- One-off data loads already applied (the demo "Dev Team" group), so restarts skip them.
CREATE TABLE seeds (
    name        TEXT PRIMARY KEY,
    applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
