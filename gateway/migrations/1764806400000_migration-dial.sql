-- Up Migration
-- The live migration dial, owned by the gateway in its own schema: one row per migration with
-- the share of users it sends to the new backend, and an append-only record of every change.

CREATE TABLE gateway.migrations (
  name text PRIMARY KEY CONSTRAINT migrations_name_format CHECK (name ~ '^[a-z][a-z0-9-]{0,62}$'),
  percent integer NOT NULL CONSTRAINT migrations_percent_range CHECK (percent BETWEEN 0 AND 100),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL
);

CREATE TABLE gateway.migration_audit (
  id bigserial PRIMARY KEY,
  migration text NOT NULL REFERENCES gateway.migrations (name),
  actor text NOT NULL,
  -- The client address the change came from; null for the seed written at first start.
  address text,
  -- Null for the seed: there was no setting before it.
  old_percent integer,
  new_percent integer NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX migration_audit_latest_idx ON gateway.migration_audit (migration, id DESC);

-- Append-only: what was done stays on record, whoever holds the gateway's credentials.
CREATE FUNCTION gateway.refuse_audit_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'gateway.migration_audit is append-only';
END;
$$;
CREATE TRIGGER migration_audit_append_only BEFORE UPDATE OR DELETE ON gateway.migration_audit
  FOR EACH ROW EXECUTE FUNCTION gateway.refuse_audit_rewrite();

-- Every replica LISTENs here and re-reads the dial when a change commits.
CREATE FUNCTION gateway.notify_migration_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gateway_migrations', NEW.name);
  RETURN NULL;
END;
$$;
CREATE TRIGGER migrations_notify AFTER INSERT OR UPDATE ON gateway.migrations
  FOR EACH ROW EXECUTE FUNCTION gateway.notify_migration_change();
