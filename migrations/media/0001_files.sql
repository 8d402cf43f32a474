-- The media service's schema: uploaded files (metadata of the objects in S3),
-- where files are in use (projected from other services' events, for download
-- authorisation and clean-up), stickers, and chorus-events' processed-events table.

-- Event ids a consumer has applied, written in the same transaction as the effect.
CREATE TABLE IF NOT EXISTS processed_events (
    consumer     TEXT NOT NULL,
    event_id     UUID NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- One row per object. A row is written ('uploading') before its object and
-- marked 'ready' only once the object is complete, and marked 'deleting' before
-- its object is removed; only 'ready' rows are visible. The janitor settles rows
-- left in the other states by a crash, so no object outlives its row and no
-- visible row lacks its object.
CREATE TABLE files (
    id          BIGSERIAL PRIMARY KEY,
    uploader_id BIGINT NOT NULL,
    bucket      TEXT NOT NULL,
    object_key  TEXT NOT NULL,
    filename    TEXT NOT NULL,
    mime_type   TEXT,
    size_bytes  BIGINT,
    state       TEXT NOT NULL DEFAULT 'ready'
                CHECK (state IN ('uploading', 'ready', 'deleting')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT files_object_key_key UNIQUE (object_key)
);
CREATE INDEX files_uploader_id_idx ON files (uploader_id);
CREATE INDEX files_unsettled_idx ON files (created_at) WHERE state <> 'ready';

-- Where a file is in use: attached to a message of a chat ('chat', owner = chat
-- id), or the avatar of a user or chat (owner = user or chat id). Written by the
-- event consumer; a file in use as an avatar is visible to every user (D12).
CREATE TABLE file_uses (
    file_id  BIGINT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind IN ('chat', 'user_avatar', 'chat_avatar')),
    owner_id BIGINT NOT NULL,
    PRIMARY KEY (file_id, kind, owner_id)
);
CREATE INDEX file_uses_owner_idx ON file_uses (kind, owner_id);
-- A user or chat has at most one avatar.
CREATE UNIQUE INDEX file_uses_one_avatar_idx ON file_uses (kind, owner_id) WHERE kind <> 'chat';

CREATE TABLE sticker_packs (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE stickers (
    id      BIGSERIAL PRIMARY KEY,
    pack_id BIGINT NOT NULL REFERENCES sticker_packs (id) ON DELETE CASCADE,
    label   TEXT NOT NULL,
    file_id BIGINT NOT NULL REFERENCES files (id) ON DELETE CASCADE
);
CREATE INDEX stickers_pack_id_idx ON stickers (pack_id);

-- §19.0 product data: the "Emojis" pack. Its files belong to the support
-- account, which is user 1 on every installation (auth's first migration). The
-- objects themselves are written at start-up when missing.
INSERT INTO sticker_packs (name) VALUES ('Emojis');
INSERT INTO files (uploader_id, bucket, object_key, filename, mime_type, size_bytes)
SELECT 1, 'chorus-stickers', 'stickers/s0' || n || '.svg', label || '.svg', 'image/svg+xml', 0
FROM unnest(ARRAY['grin', 'lol', 'heart', 'like', 'party', 'cry', 'cool', 'fire'])
     WITH ORDINALITY AS t (label, n)
ORDER BY n;
INSERT INTO stickers (pack_id, label, file_id)
SELECT p.id, f.filename_label, f.id
FROM sticker_packs p,
     (SELECT id, left(filename, -4) AS filename_label FROM files ORDER BY id) f
WHERE p.name = 'Emojis'
ORDER BY f.id;
