-- Up Migration
-- Noise learning: for a share of shadowed requests the serving side answers twice, and a path
-- where its own two answers differ (a timestamp, a random order) is noise for that migration and
-- route, not a mismatch, until it expires (by default 10 minutes after it was last seen noisy).
-- GraphQL becomes a shadow surface too: its mismatches name the operation and a hash of its
-- variables instead of a path.

ALTER TABLE gateway.migrations
  ADD COLUMN noise_percent integer NOT NULL DEFAULT 10
    CONSTRAINT migrations_noise_percent_range CHECK (noise_percent BETWEEN 0 AND 100);

CREATE TABLE gateway.migration_noise (
  migration text NOT NULL REFERENCES gateway.migrations (name),
  -- What the comparison keys noise by: a REST route or a GraphQL operation.
  route text NOT NULL,
  -- A response path with array indices written * (/data/movies/*/rating).
  path text NOT NULL,
  -- The newest noisy pair any replica saw here: the mark expires some time after it (10 minutes
  -- by default).
  last_seen timestamptz NOT NULL,
  PRIMARY KEY (migration, route, path)
);
-- Replicas re-read the unexpired marks and prune the expired ones by age alone.
CREATE INDEX migration_noise_last_seen_idx ON gateway.migration_noise (last_seen);

ALTER TABLE gateway.migration_figures ADD COLUMN shadow_noise bigint NOT NULL DEFAULT 0;

-- A GraphQL mismatch has no path; every REST one keeps its path.
ALTER TABLE gateway.migration_mismatches
  ADD COLUMN operation_name text,
  ADD COLUMN variables_hash text,
  ALTER COLUMN path DROP NOT NULL,
  ADD CONSTRAINT migration_mismatches_rest_path CHECK (surface <> 'rest' OR path IS NOT NULL);
