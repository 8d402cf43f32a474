-- Messages per UTC day for the admin dashboard (§14.1: total, today, the 14-day
-- trend), kept exact by statement-level triggers in the same transaction as
-- every insert and delete, so the stats never count the messages table.
-- Concurrent sends on different connections update different shards (the
-- backend pid picks one), so the counter rows do not serialise senders.
CREATE TABLE message_day_counts (
    day    DATE NOT NULL,
    shard  SMALLINT NOT NULL,
    count  BIGINT NOT NULL,
    PRIMARY KEY (day, shard)
);
INSERT INTO message_day_counts (day, shard, count)
SELECT (created_at AT TIME ZONE 'UTC')::date, 0, count(*) FROM messages GROUP BY 1;

CREATE FUNCTION count_messages_inserted() RETURNS trigger LANGUAGE plpgsql
    -- The tables are found whatever the calling session's search_path (psql, tools).
    SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO message_day_counts (day, shard, count)
    SELECT (created_at AT TIME ZONE 'UTC')::date, pg_backend_pid() % 16, count(*)
    FROM new_messages GROUP BY 1
    ON CONFLICT (day, shard) DO UPDATE SET count = message_day_counts.count + EXCLUDED.count;
    RETURN NULL;
END $$;
CREATE FUNCTION count_messages_deleted() RETURNS trigger LANGUAGE plpgsql
    -- The tables are found whatever the calling session's search_path (psql, tools).
    SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO message_day_counts (day, shard, count)
    SELECT (created_at AT TIME ZONE 'UTC')::date, pg_backend_pid() % 16, -count(*)
    FROM old_messages GROUP BY 1
    ON CONFLICT (day, shard) DO UPDATE SET count = message_day_counts.count + EXCLUDED.count;
    RETURN NULL;
END $$;
CREATE TRIGGER messages_count_inserted AFTER INSERT ON messages
    REFERENCING NEW TABLE AS new_messages FOR EACH STATEMENT EXECUTE FUNCTION count_messages_inserted();
CREATE TRIGGER messages_count_deleted AFTER DELETE ON messages
    REFERENCING OLD TABLE AS old_messages FOR EACH STATEMENT EXECUTE FUNCTION count_messages_deleted();

-- The admin panel's per-user views (§14.3: the 50 newest and the count).
CREATE INDEX messages_sender_id_idx ON messages (sender_id, id);
