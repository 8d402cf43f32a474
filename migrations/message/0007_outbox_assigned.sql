-- Values the database assigns to the change an outbox row describes, for the
-- relay to write into the event before publishing. A send stores its message
-- and its message.created event in one statement (one round trip, no explicit
-- transaction), so the event is rendered before the message's id, seq and
-- created_at exist: the statement records them here as [id, seq, created_at
-- in microseconds since the epoch], and the message service's relay finishes
-- the envelope with them. NULL for events rendered complete.
ALTER TABLE outbox ADD COLUMN assigned BIGINT[];
