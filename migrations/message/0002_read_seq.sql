-- Unread counts in O(1): a read position also records the seq of the message it
-- points at, so unread = chat_seq.last_seq - last_read_seq. Sending (and
-- forwarding) advances the sender's position in the same transaction, so a
-- user's own messages are never after their position and the "sender ≠ reader"
-- rule of CONTRACT §11.3 holds without scanning the chat.
ALTER TABLE chat_last_read ADD COLUMN last_read_seq BIGINT NOT NULL DEFAULT 0;

UPDATE chat_last_read r
SET last_read_seq = COALESCE(
    (SELECT max(m.seq) FROM messages m
     WHERE m.chat_id = r.chat_id AND m.id <= r.last_read_msg_id), 0);
