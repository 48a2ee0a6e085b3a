-- Up Migration
-- Events: every write records its event in `outbox` in the same transaction, and a relay
-- publishes it to Kafka afterwards, so no event is lost when Kafka is down. The events service
-- records each event it has processed in `processed_events`, so a redelivered one is skipped.

CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  event_id uuid NOT NULL CONSTRAINT outbox_event_id_key UNIQUE,
  topic text NOT NULL,
  -- The Kafka key: the id of the entity the event is about, which orders its events.
  key text NOT NULL,
  -- The whole event envelope {id, type, action, timestamp, payload}, published as is.
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
-- The relay only ever reads unpublished rows in id order; published ones stay out of its way.
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_published_at_idx ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Wakes a LISTENing relay when a transaction that wrote events commits (once per statement;
-- PostgreSQL folds identical notifications of one transaction into one).
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox_events', '');
  RETURN NULL;
END;
$$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
  FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

CREATE TABLE processed_events (
  event_id uuid PRIMARY KEY,
  type text NOT NULL,
  action text NOT NULL,
  event_timestamp timestamptz NOT NULL,
  payload jsonb NOT NULL,
  -- Where the processed copy was read from, for operators tracing a record.
  topic text NOT NULL,
  kafka_partition integer NOT NULL,
  kafka_offset bigint NOT NULL,
  kafka_key text,
  processed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX processed_events_processed_at_idx ON processed_events (processed_at DESC);
CREATE INDEX processed_events_type_processed_at_idx ON processed_events (type, processed_at DESC);
