-- Up Migration
-- The audit trail records a change of any setting of a migration (its percentage, shadow share,
-- ignored paths) as field, old and new value. Percentage rows keep old_percent/new_percent, so
-- today's rows read as before; they are given field 'percent' and their values as text.

ALTER TABLE gateway.migration_audit
  ADD COLUMN field text NOT NULL DEFAULT 'percent',
  ADD COLUMN old_value text,
  ADD COLUMN new_value text;
ALTER TABLE gateway.migration_audit ALTER COLUMN new_percent DROP NOT NULL;

-- The one rewrite the append-only trail ever gets: filling the new columns of existing rows.
ALTER TABLE gateway.migration_audit DISABLE TRIGGER migration_audit_append_only;
UPDATE gateway.migration_audit
   SET old_value = old_percent::text, new_value = new_percent::text
 WHERE field = 'percent';
ALTER TABLE gateway.migration_audit ENABLE TRIGGER migration_audit_append_only;
ALTER TABLE gateway.migration_audit ALTER COLUMN new_value SET NOT NULL;
ALTER TABLE gateway.migration_audit ALTER COLUMN field DROP DEFAULT;

-- Shadow results are summed since the shadow settings last changed.
ALTER TABLE gateway.migrations ADD COLUMN shadow_since timestamptz NOT NULL DEFAULT now();
