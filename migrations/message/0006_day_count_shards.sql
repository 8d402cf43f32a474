-- The day counters' shard is now the backend itself, not its pid modulo 16.
-- Two of a pool's connections often shared a shard: each send's trigger then
-- waited for the other's transaction, commit and fsync included, to release
-- the counter row (in the pipeline bench the counter's statement averaged
-- 0.086 ms against 0.02 uncontended). A live backend's pid is unique, so
-- concurrent sends never share a row; a day has one row per backend that sent.
ALTER TABLE message_day_counts ALTER COLUMN shard TYPE INTEGER;

CREATE OR REPLACE FUNCTION count_messages_inserted() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO message_day_counts (day, shard, count)
    SELECT (created_at AT TIME ZONE 'UTC')::date, pg_backend_pid(), count(*)
    FROM new_messages GROUP BY 1
    ON CONFLICT (day, shard) DO UPDATE SET count = message_day_counts.count + EXCLUDED.count;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION count_messages_deleted() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO message_day_counts (day, shard, count)
    SELECT (created_at AT TIME ZONE 'UTC')::date, pg_backend_pid(), -count(*)
    FROM old_messages GROUP BY 1
    ON CONFLICT (day, shard) DO UPDATE SET count = message_day_counts.count + EXCLUDED.count;
    RETURN NULL;
END $$;
