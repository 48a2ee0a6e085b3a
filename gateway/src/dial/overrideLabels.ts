import { MIGRATION_NAME } from './migrationStore';
import { fineBucket, userBucket } from './userBucket';

/** `migration:<name>`: follows that migration's live percentage, as the REST shim does. */
const MIGRATION_LABEL = new RegExp(`^migration:(${MIGRATION_NAME.source.slice(1, -1)})$`);
/** `percent(N)`, Federation's progressive-override label: N % of users, 0 ≤ N ≤ 100. */
const PERCENT_LABEL = /^percent\((\d{1,3}(?:\.\d{1,8})?)\)$/;

export interface LabelContext {
  /** The caller's X-User-Id; undefined for an anonymous request. */
  userId: string | undefined;
  /** The live dial's percentage of a migration, undefined when no such migration exists. */
  migrationPercent(name: string): number | undefined;
  /** For anonymous requests. */
  random(): number;
}

/** The migration a `migration:<name>` label follows, else undefined. */
export function migrationOfLabel(label: string): string | undefined {
  return MIGRATION_LABEL.exec(label)?.[1];
}

/**
 * Whether an override label is active for this request: true plans the overriding subgraph.
 * A named user's answer is stable: `migration:<name>` uses the REST shim's bucket, so one user's
 * REST and GraphQL requests land on the same side, and `percent(N)` a bucket of the label and
 * the user (independent of other labels). Anonymous requests draw at random. Undefined for a
 * label this gateway does not know, which the caller treats as false.
 */
export function evaluateOverrideLabel(label: string, context: LabelContext): boolean | undefined {
  const migration = migrationOfLabel(label);
  if (migration !== undefined) {
    const percent = context.migrationPercent(migration);
    if (percent === undefined) return undefined;
    if (context.userId !== undefined) return userBucket(context.userId) < percent;
    return context.random() * 100 < percent;
  }
  const match = PERCENT_LABEL.exec(label);
  if (match) {
    const percent = Number(match[1]);
    if (percent > 100) return undefined;
    if (context.userId !== undefined)
      return fineBucket(`${label}\u0000${context.userId}`) < percent;
    return context.random() * 100 < percent;
  }
  return undefined;
}
