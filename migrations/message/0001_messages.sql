-- The message service's schema: messages with a gapless per-chat seq, the side
-- tables that hang off them, read positions, and the outbox/processed-events
-- tables of chorus-events.

-- Events written in the same transaction as the change they describe; the relay
-- publishes and deletes them.
CREATE TABLE IF NOT EXISTS outbox (
    id          BIGSERIAL PRIMARY KEY,
    event_id    UUID NOT NULL UNIQUE,
    event_type  TEXT NOT NULL,
    envelope    BYTEA NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Event ids a consumer has applied, written in the same transaction as the effect.
CREATE TABLE IF NOT EXISTS processed_events (
    consumer     TEXT NOT NULL,
    event_id     UUID NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- The last seq handed out per chat. The send transaction bumps it with
-- INSERT … ON CONFLICT DO UPDATE, whose row lock serialises senders of one chat
-- until commit, so a rolled-back send leaves no hole.
CREATE TABLE chat_seq (
    chat_id  BIGINT PRIMARY KEY,
    last_seq BIGINT NOT NULL
);

CREATE TABLE messages (
    id                          BIGSERIAL PRIMARY KEY,
    chat_id                     BIGINT NOT NULL,
    seq                         BIGINT NOT NULL,
    sender_id                   BIGINT NOT NULL,
    content                     TEXT NOT NULL DEFAULT '',
    message_type                TEXT NOT NULL DEFAULT 'text',
    file_id                     BIGINT,
    sticker_id                  BIGINT,
    duration_seconds            INTEGER,
    reply_to_message_id         BIGINT,
    forwarded_from_chat_id      BIGINT,
    forwarded_from_message_id   BIGINT,
    forwarded_from_user_id      BIGINT,
    forwarded_from_display_name TEXT,
    is_deleted                  BOOLEAN NOT NULL DEFAULT FALSE,
    is_edited                   BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at                  TIMESTAMPTZ,
    created_at                  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    client_msg_id               TEXT,
    CONSTRAINT messages_chat_seq_key UNIQUE (chat_id, seq),
    CONSTRAINT messages_client_msg_id_key UNIQUE (chat_id, sender_id, client_msg_id)
);

-- History pages (newest/oldest N of a chat), ties broken by id.
CREATE INDEX messages_chat_created_idx ON messages (chat_id, created_at, id);
-- Unread counts (id > read position) and the highest id of a chat.
CREATE INDEX messages_chat_id_idx ON messages (chat_id, id);
-- Substring search (ILIKE '%q%') over text messages.
CREATE INDEX messages_content_trgm_idx ON messages
    USING gin (content public.gin_trgm_ops) WHERE message_type = 'text';

CREATE TABLE message_reactions (
    message_id BIGINT NOT NULL,
    user_id    BIGINT NOT NULL,
    emoji      TEXT NOT NULL,
    chat_id    BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (message_id, user_id, emoji)
);
CREATE INDEX message_reactions_chat_idx ON message_reactions (chat_id, message_id);

-- Delete-for-me marks.
CREATE TABLE deleted_messages (
    user_id    BIGINT NOT NULL,
    message_id BIGINT NOT NULL,
    chat_id    BIGINT NOT NULL,
    deleted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, message_id)
);
CREATE INDEX deleted_messages_chat_idx ON deleted_messages (chat_id);

-- Pin history; at most one active (unpinned_at IS NULL) pin per chat.
CREATE TABLE pinned_messages (
    id          BIGSERIAL PRIMARY KEY,
    chat_id     BIGINT NOT NULL,
    message_id  BIGINT NOT NULL,
    pinned_by   BIGINT NOT NULL,
    pinned_at   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    unpinned_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX pinned_messages_active_key ON pinned_messages (chat_id) WHERE unpinned_at IS NULL;

-- Read positions (CONTRACT §11).
CREATE TABLE chat_last_read (
    user_id          BIGINT NOT NULL,
    chat_id          BIGINT NOT NULL,
    last_read_msg_id BIGINT NOT NULL DEFAULT 0,
    read_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, chat_id)
);
CREATE INDEX chat_last_read_chat_idx ON chat_last_read (chat_id);
