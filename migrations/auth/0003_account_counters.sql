-- Counters for the admin dashboard (§14.1), kept exact by statement-level
-- triggers in the same transaction as every change, so the stats never scan
-- the users table:
--   account_counts:     'active' (is_active) and 'blocked' (is_blocked)
--   account_day_counts: active users per UTC creation day
-- Statement-level with transition tables, not per row: a bulk insert or update
-- touches each counter row once, not once per user (a row updated N times in
-- one transaction leaves a chain of N versions to walk).
CREATE TABLE account_counts (
    key    TEXT PRIMARY KEY,
    count  BIGINT NOT NULL
);
CREATE TABLE account_day_counts (
    day    DATE PRIMARY KEY,
    count  BIGINT NOT NULL
);

INSERT INTO account_counts (key, count)
VALUES ('active', (SELECT count(*) FROM users WHERE is_active)),
       ('blocked', (SELECT count(*) FROM users WHERE is_blocked));
INSERT INTO account_day_counts (day, count)
SELECT (created_at AT TIME ZONE 'UTC')::date, count(*) FROM users WHERE is_active GROUP BY 1;

-- Applies the difference between the rows before and after a statement.
CREATE FUNCTION apply_account_counts(d_active BIGINT, d_blocked BIGINT) RETURNS void
    LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF d_active <> 0 THEN
        UPDATE account_counts SET count = count + d_active WHERE key = 'active';
    END IF;
    IF d_blocked <> 0 THEN
        UPDATE account_counts SET count = count + d_blocked WHERE key = 'blocked';
    END IF;
END $$;

CREATE FUNCTION count_accounts_inserted() RETURNS trigger LANGUAGE plpgsql
    -- The tables are found whatever the calling session's search_path (psql, tools).
    SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM apply_account_counts(
        (SELECT count(*) FROM new_users WHERE is_active),
        (SELECT count(*) FROM new_users WHERE is_blocked));
    INSERT INTO account_day_counts (day, count)
    SELECT (created_at AT TIME ZONE 'UTC')::date, count(*) FROM new_users WHERE is_active GROUP BY 1
    ON CONFLICT (day) DO UPDATE SET count = account_day_counts.count + EXCLUDED.count;
    RETURN NULL;
END $$;

CREATE FUNCTION count_accounts_updated() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
BEGIN
    -- Most updates (activity, profile) change no flag: nothing to write then.
    IF NOT EXISTS (
        SELECT 1 FROM old_users o JOIN new_users n ON n.id = o.id
        WHERE o.is_active <> n.is_active OR o.is_blocked <> n.is_blocked
           OR o.created_at <> n.created_at
    ) THEN
        RETURN NULL;
    END IF;
    PERFORM apply_account_counts(
        (SELECT count(*) FROM new_users WHERE is_active) - (SELECT count(*) FROM old_users WHERE is_active),
        (SELECT count(*) FROM new_users WHERE is_blocked) - (SELECT count(*) FROM old_users WHERE is_blocked));
    INSERT INTO account_day_counts (day, count)
    SELECT day, sum(n) FROM (
        SELECT (created_at AT TIME ZONE 'UTC')::date AS day, 1 AS n FROM new_users WHERE is_active
        UNION ALL
        SELECT (created_at AT TIME ZONE 'UTC')::date, -1 FROM old_users WHERE is_active
    ) d GROUP BY day HAVING sum(n) <> 0
    ON CONFLICT (day) DO UPDATE SET count = account_day_counts.count + EXCLUDED.count;
    RETURN NULL;
END $$;

CREATE FUNCTION count_accounts_deleted() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM apply_account_counts(
        -(SELECT count(*) FROM old_users WHERE is_active),
        -(SELECT count(*) FROM old_users WHERE is_blocked));
    INSERT INTO account_day_counts (day, count)
    SELECT (created_at AT TIME ZONE 'UTC')::date, -count(*) FROM old_users WHERE is_active GROUP BY 1
    ON CONFLICT (day) DO UPDATE SET count = account_day_counts.count + EXCLUDED.count;
    RETURN NULL;
END $$;

CREATE TRIGGER users_count_inserted AFTER INSERT ON users
    REFERENCING NEW TABLE AS new_users FOR EACH STATEMENT EXECUTE FUNCTION count_accounts_inserted();
CREATE TRIGGER users_count_updated AFTER UPDATE ON users
    REFERENCING OLD TABLE AS old_users NEW TABLE AS new_users
    FOR EACH STATEMENT EXECUTE FUNCTION count_accounts_updated();
CREATE TRIGGER users_count_deleted AFTER DELETE ON users
    REFERENCING OLD TABLE AS old_users FOR EACH STATEMENT EXECUTE FUNCTION count_accounts_deleted();

-- DAU/WAU (§14.1) are sliding windows over last_activity: an index range of the
-- active users seen in the last 7 days.
CREATE INDEX users_active_last_activity_idx ON users (last_activity) WHERE is_active;
