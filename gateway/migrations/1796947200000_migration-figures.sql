-- Up Migration
-- What each replica served for each migration, per side, surface and time window: the figures
-- shadow comparison reports and a rollout judges, summed over the fleet by whoever reads them.
-- Each replica adds its window's counts to its own row every few seconds; rows older than the
-- retention are pruned.

CREATE TABLE gateway.migration_figures (
  replica text NOT NULL,
  migration text NOT NULL REFERENCES gateway.migrations (name),
  -- old: the side requests left (the monolith); new: the side they move to.
  side text NOT NULL CONSTRAINT migration_figures_side CHECK (side IN ('old', 'new')),
  surface text NOT NULL CONSTRAINT migration_figures_surface CHECK (surface IN ('rest', 'graphql')),
  window_start timestamptz NOT NULL,
  window_seconds integer NOT NULL CONSTRAINT migration_figures_window CHECK (window_seconds > 0),
  requests bigint NOT NULL DEFAULT 0,
  -- Answers of 5xx, timeouts and refused connections: the side failed, not the client.
  failures bigint NOT NULL DEFAULT 0,
  -- Counts per fixed latency bucket (upper bounds in the gateway's LATENCY_BUCKETS_MS, then one
  -- for slower): the same buckets everywhere, so the fleet's histograms add up.
  latency_counts bigint[] NOT NULL,
  shadow_match bigint NOT NULL DEFAULT 0,
  shadow_mismatch bigint NOT NULL DEFAULT 0,
  shadow_error bigint NOT NULL DEFAULT 0,
  shadow_skipped bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (migration, window_start, replica, side, surface)
);
-- Pruning goes by age alone.
CREATE INDEX migration_figures_window_idx ON gateway.migration_figures (window_start);
