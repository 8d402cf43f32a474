-- Counters for the admin dashboard (§14.1), kept exact by a trigger in the same
-- transaction as every change, so the stats never scan the users table.
--   account_counts:     'active' (is_active) and 'blocked' (is_blocked)
--   account_day_counts: active users per UTC creation day
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

CREATE FUNCTION count_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d_active  BIGINT := 0;
    d_blocked BIGINT := 0;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF OLD.is_active THEN
            d_active := d_active - 1;
            UPDATE account_day_counts SET count = count - 1
            WHERE day = (OLD.created_at AT TIME ZONE 'UTC')::date;
        END IF;
        IF OLD.is_blocked THEN d_blocked := d_blocked - 1; END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        IF NEW.is_active THEN
            d_active := d_active + 1;
            INSERT INTO account_day_counts (day, count)
            VALUES ((NEW.created_at AT TIME ZONE 'UTC')::date, 1)
            ON CONFLICT (day) DO UPDATE SET count = account_day_counts.count + 1;
        END IF;
        IF NEW.is_blocked THEN d_blocked := d_blocked + 1; END IF;
    END IF;
    IF d_active <> 0 THEN
        UPDATE account_counts SET count = count + d_active WHERE key = 'active';
    END IF;
    IF d_blocked <> 0 THEN
        UPDATE account_counts SET count = count + d_blocked WHERE key = 'blocked';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER users_count_accounts
    AFTER INSERT OR DELETE OR UPDATE OF is_active, is_blocked, created_at ON users
    FOR EACH ROW EXECUTE FUNCTION count_accounts();

-- DAU/WAU (§14.1) are sliding windows over last_activity: an index range of the
-- active users seen in the last 7 days, read from the index alone.
CREATE INDEX users_active_last_activity_idx ON users (last_activity) WHERE is_active;
