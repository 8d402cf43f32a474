-- Exact unread counts without relying on senders' positions: unread =
-- (chat_seq.last_seq - last_read_seq) - the reader's own messages after their
-- position (forwarded copies do not move the forwarder's position, §9.8). That
-- subtraction is an index range over the reader's own recent messages in the
-- chat, normally empty.
CREATE INDEX messages_chat_sender_seq_idx ON messages (chat_id, sender_id, seq);
