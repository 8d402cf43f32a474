-- Chats per type for the admin dashboard (§14.1), kept exact by a statement-level
-- trigger in the same transaction as every insert and delete, so the stats
-- never count the chats table.
CREATE TABLE chat_type_counts (
    type   TEXT PRIMARY KEY,
    count  BIGINT NOT NULL
);
INSERT INTO chat_type_counts (type, count) SELECT type, count(*) FROM chats GROUP BY type;

CREATE FUNCTION count_chats_inserted() RETURNS trigger LANGUAGE plpgsql
    -- The tables are found whatever the calling session's search_path (psql, tools).
    SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO chat_type_counts (type, count)
    SELECT type, count(*) FROM new_chats GROUP BY type
    ON CONFLICT (type) DO UPDATE SET count = chat_type_counts.count + EXCLUDED.count;
    RETURN NULL;
END $$;
CREATE FUNCTION count_chats_deleted() RETURNS trigger LANGUAGE plpgsql
    -- The tables are found whatever the calling session's search_path (psql, tools).
    SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE chat_type_counts c SET count = c.count - d.n
    FROM (SELECT type, count(*) AS n FROM old_chats GROUP BY type) d
    WHERE c.type = d.type;
    RETURN NULL;
END $$;
CREATE TRIGGER chats_count_inserted AFTER INSERT ON chats
    REFERENCING NEW TABLE AS new_chats FOR EACH STATEMENT EXECUTE FUNCTION count_chats_inserted();
CREATE TRIGGER chats_count_deleted AFTER DELETE ON chats
    REFERENCING OLD TABLE AS old_chats FOR EACH STATEMENT EXECUTE FUNCTION count_chats_deleted();
