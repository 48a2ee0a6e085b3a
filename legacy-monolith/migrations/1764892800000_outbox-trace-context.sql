-- Up Migration
-- The W3C trace context of the transaction that wrote each event, so that the relay's publish
-- and the consumer's processing continue the writer's trace, even when the relay publishes the
-- row after a restart. Rows written before this, or with tracing off, hold none and relay as
-- before.
ALTER TABLE outbox ADD COLUMN traceparent text, ADD COLUMN tracestate text;
