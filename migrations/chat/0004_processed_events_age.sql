-- The retention sweep deletes a consumer's old processed_events rows by age.
CREATE INDEX IF NOT EXISTS processed_events_age ON processed_events (consumer, processed_at);
