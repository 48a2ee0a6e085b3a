/*
 * The admin API's answers, as types: the one definition the gateway's stores, the CLI
 * (`npm run migration`) and the status page share. Types only and no imports, so the browser
 * bundle can read it too.
 */

/** The side a request left (old: the monolith) or moves to (new). */
export type Side = 'old' | 'new';
export type Surface = 'rest' | 'graphql';

/** One migration's setting: the share of users (0–100) its new backend serves. */
export interface MigrationSetting {
  name: string;
  percent: number;
  /** The share (0–100) of eligible requests also sent, for comparison, to the other side. */
  shadowPercent: number;
  /**
   * The share (0–100) of shadowed requests on which the serving side is also asked twice: where
   * its own two answers differ is noise, learned rather than counted as a mismatch.
   */
  noisePercent: number;
  /** Paths the shadow comparison leaves out, e.g. `/updated_at`, `/*\/rating`. */
  ignorePaths: string[];
  /** When the shadow settings last changed: shadow results are summed from then on. */
  shadowSince: string;
  updatedAt: string;
  updatedBy: string;
}

/** The settings an operator changes, each audited on its own row. */
export type ChangedField = 'percent' | 'shadowPercent' | 'noisePercent' | 'ignorePaths';

/** One change of a setting, as the append-only audit table keeps it. */
export interface MigrationChange {
  id: number;
  migration: string;
  actor: string;
  /** The client address the change came from; null for the seed. */
  address: string | null;
  /** The setting changed: `percent`, `shadowPercent`, `noisePercent` or `ignorePaths`. */
  field: ChangedField;
  /** The values as text (ignorePaths as a JSON array); old is null for the seed. */
  oldValue: string | null;
  newValue: string;
  /** For a percentage change (null otherwise); null for the seed: there was none before. */
  oldPercent: number | null;
  newPercent: number | null;
  changedAt: string;
  /** Why, when the gateway made the change itself (actor `rollout`); null otherwise. */
  reason: string | null;
}

/** A migration's shadow results, summed over the fleet since its shadow settings changed. */
export interface ShadowResults {
  /** matched + mismatched + noise. */
  compared: number;
  matched: number;
  mismatched: number;
  noise: number;
  skipped: number;
  errors: number;
  since: string;
}

/** One path learned as noise for a migration's route, as the operator reads it. */
export interface NoiseMark {
  route: string;
  path: string;
  /** The newest noisy pair seen there (ISO 8601): the mark expires some minutes after it. */
  lastSeen: string;
}

/** A place where two answers differ: a JSON Pointer-like path and each side's value. */
export interface Difference {
  path: string;
  /** JSON text, or `(absent)`; cut at 1 KiB. */
  served: string;
  shadow: string;
}

/** A REST request: its method and path (with the query). */
export interface RestMismatchRequest {
  method: string;
  path: string;
  userBucket: number | null;
  servedSide: Side;
}

/** A GraphQL request: the HTTP method (POST or GET), the operation and a hash of its variables. */
export interface GraphqlMismatchRequest {
  method: string;
  /** Null for an anonymous operation. */
  operationName: string | null;
  /** Tells requests of one operation apart without keeping their variables; null without any. */
  variablesHash: string | null;
  userBucket: number | null;
  servedSide: Side;
}

interface MismatchDetails {
  at: string;
  status: { served: number; shadow: number };
  latencyMs: { served: number; shadow: number };
  differences: Difference[];
}

export interface RestMismatch extends MismatchDetails {
  surface: 'rest';
  request: RestMismatchRequest;
}

export interface GraphqlMismatch extends MismatchDetails {
  surface: 'graphql';
  request: GraphqlMismatchRequest;
}

/** One request whose two answers differed, as the operator reads it; `surface` tells which. */
export type Mismatch = RestMismatch | GraphqlMismatch;

/** What one side served during a rollout step, summed over the fleet and both surfaces. */
export interface SideFigures {
  requests: number;
  failures: number;
  /** failures ÷ requests; null without requests. */
  failureRate: number | null;
  /** From the fleet's summed latency buckets, never averaged p99s; null without requests. */
  p99Ms: number | null;
}

export interface StepFigures {
  old: SideFigures;
  new: SideFigures;
  shadow: { compared: number; mismatched: number; mismatchRate: number | null };
}

/** What the analysis of a step decides. */
export type Verdict = 'promote' | 'rollback' | 'extend' | 'pause';
export type Check = 'traffic' | 'errorRate' | 'latencyRatio' | 'mismatchRate';

/** One analysis of a step, kept with the rollout. */
export interface StepAnalysis {
  /** The step's index and percentage. */
  step: number;
  percent: number;
  at: string;
  verdict: Verdict;
  check?: Check;
  reason: string;
  figures: StepFigures;
  /** Decided while the step ran (early failure), not at its end. */
  early?: boolean;
}

/** How a rollout judges and walks its steps. */
export interface RolloutSettings {
  /** How long each step serves before it is judged. */
  stepSeconds: number;
  /** Requests a side must serve in a step before its figures count. */
  minRequests: number;
  /** The new side's failure rate a step may have at most (0–1). */
  maxErrorRate: number;
  /** New p99 ÷ old p99 a step may have at most. */
  maxLatencyRatio: number;
  /** Shadow mismatches ÷ comparisons a step may have at most (0–1), when shadowing is on. */
  maxMismatchRate: number;
  /** How often a step short of traffic is extended before the rollout pauses. */
  maxExtensions: number;
  /** The percentage a rollback returns the dial to: below the first step. */
  rollbackTo: number;
}

export type RolloutState = 'running' | 'paused' | 'completed' | 'rolled_back' | 'aborted';

export interface Rollout {
  id: number;
  migration: string;
  state: RolloutState;
  /** The new side's percentages, strictly increasing. */
  steps: number[];
  /** The index in `steps` of the step being served (or last served). */
  step: number;
  /** Extensions the current step has had for want of traffic. */
  extensions: number;
  settings: RolloutSettings;
  stepStartedAt: string;
  startedAt: string;
  startedBy: string;
  reason: string | null;
  analyses: StepAnalysis[];
}

/** GET /admin/migrations/:name: the setting, its shadow results and noise, its newest rollout. */
export interface MigrationState extends MigrationSetting {
  shadow: ShadowResults;
  noise: NoiseMark[];
  rollout: Rollout | null;
}

/** What one side did in one window, as the status page draws it. */
export interface SeriesPoint {
  /** ISO 8601. */
  windowStart: string;
  requests: number;
  requestsPerSecond: number;
  /** failures ÷ requests; null when the side served nothing (it may still have been shadowed). */
  failureRate: number | null;
  /** From the window's histogram summed over the fleet; null when the side served nothing. */
  p99Ms: number | null;
  /** match ÷ (match + mismatch): noise proved nothing either way; null when neither happened. */
  shadowMatchRate: number | null;
}

export interface MigrationSeries {
  old: SeriesPoint[];
  new: SeriesPoint[];
}

/** GET /admin/migrations/:name/metrics. */
export interface MigrationMetrics {
  migration: string;
  minutes: number;
  windowSeconds: number;
  from: string;
  to: string;
  sides: MigrationSeries;
}
