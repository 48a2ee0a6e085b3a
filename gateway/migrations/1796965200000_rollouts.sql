-- Up Migration
-- Automated rollouts: the gateway walks a migration's dial through steps on its own, judging
-- each on the fleet figures, and rolls back by itself. The state machine lives here, so any
-- replica can take over driving it from the stored step.

CREATE TABLE gateway.migration_rollouts (
  id bigserial PRIMARY KEY,
  migration text NOT NULL REFERENCES gateway.migrations (name),
  state text NOT NULL CONSTRAINT migration_rollouts_state
    CHECK (state IN ('running', 'paused', 'completed', 'rolled_back', 'aborted')),
  -- The new side's percentages, strictly increasing; `step` indexes the one being served.
  steps integer[] NOT NULL,
  step integer NOT NULL DEFAULT 0,
  -- Extensions the current step has had for want of traffic.
  extensions integer NOT NULL DEFAULT 0,
  -- stepSeconds, minRequests, maxErrorRate, maxLatencyRatio, maxMismatchRate, maxExtensions,
  -- rollbackTo, as the operator asked (defaults filled in).
  settings jsonb NOT NULL,
  step_started_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz NOT NULL DEFAULT now(),
  started_by text NOT NULL,
  -- Why it stopped or paused, in plain words with the figures that decided it.
  reason text,
  -- Every analysis of a step: its figures and verdict, oldest first.
  analyses jsonb NOT NULL DEFAULT '[]',
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- At most one rollout of a migration is running or paused.
CREATE UNIQUE INDEX migration_rollouts_one_active ON gateway.migration_rollouts (migration)
  WHERE state IN ('running', 'paused');
CREATE INDEX migration_rollouts_latest_idx ON gateway.migration_rollouts (migration, id DESC);

-- Why a change was made, for the changes a rollout makes on its own.
ALTER TABLE gateway.migration_audit ADD COLUMN reason text;
