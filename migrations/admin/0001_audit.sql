-- The admin service's own data: an audit log of every admin action and support
-- send (who, what, which target, when, from which address).
CREATE TABLE audit_log (
    id           BIGSERIAL PRIMARY KEY,
    admin_id     BIGINT NOT NULL,
    action       TEXT NOT NULL,
    target_type  TEXT NOT NULL CHECK (target_type IN ('user', 'chat', 'message')),
    target_id    BIGINT NOT NULL,
    detail       JSONB,
    ip           TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_admin_idx ON audit_log (admin_id, id DESC);
CREATE INDEX audit_log_target_idx ON audit_log (target_id, id DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, id DESC);
