-- Up Migration
-- Shadow comparison: each migration's share of eligible requests also sent to the side that did
-- not serve them, the paths its comparison ignores, and the mismatches kept for the operator.

ALTER TABLE gateway.migrations
  ADD COLUMN shadow_percent integer NOT NULL DEFAULT 0
    CONSTRAINT migrations_shadow_percent_range CHECK (shadow_percent BETWEEN 0 AND 100),
  ADD COLUMN ignore_paths text[] NOT NULL DEFAULT '{}';

CREATE TABLE gateway.migration_mismatches (
  id bigserial PRIMARY KEY,
  migration text NOT NULL REFERENCES gateway.migrations (name),
  at timestamptz NOT NULL DEFAULT now(),
  surface text NOT NULL CONSTRAINT migration_mismatches_surface CHECK (surface IN ('rest', 'graphql')),
  method text NOT NULL,
  path text NOT NULL,
  -- The user's bucket (0–99), never the user id; null for an anonymous request.
  user_bucket integer,
  served_side text NOT NULL CONSTRAINT migration_mismatches_side CHECK (served_side IN ('old', 'new')),
  served_status integer NOT NULL,
  served_ms double precision NOT NULL,
  shadow_status integer NOT NULL,
  shadow_ms double precision NOT NULL,
  -- [{"path", "served", "shadow"}], each value cut at 1 KiB.
  differences jsonb NOT NULL
);
-- The newest first, per migration; only the newest 1,000 per migration are kept.
CREATE INDEX migration_mismatches_latest_idx ON gateway.migration_mismatches (migration, id DESC);
