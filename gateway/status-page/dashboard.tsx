/**
 * The signed-in page: a header (freshness, the actor, sign out) and one section per migration,
 * refreshed every 2 s by one poll at a time.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { ApiError, session } from './api';
import type { StatusPageApi } from './api';
import { clockTime } from './format';
import { MigrationSection } from './migrationView';
import type { MigrationData } from './migrationView';

const POLL_MS = 2_000;
/** A last successful refresh older than this is stale. */
const STALE_MS = 6_000;

/** Why the last refresh failed: the gateway (or a call) failed, or its database did. */
type Problem = 'unreachable' | 'database' | null;

function problemOf(errors: unknown[]): Problem | 'refused' {
  const statuses = errors.map((err) => (err instanceof ApiError ? err.status : 0));
  if (statuses.includes(401)) return 'refused';
  if (statuses.includes(503)) return 'database';
  return errors.length > 0 ? 'unreachable' : null;
}

function Freshness({ lastSuccess, problem }: { lastSuccess: Date | null; problem: Problem }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1_000);
    return () => window.clearInterval(timer);
  }, []);

  let text: string;
  let tone: 'fresh' | 'stale' | 'down';
  if (problem === 'database') {
    text = 'The settings database is unreachable';
    tone = 'down';
  } else if (!lastSuccess) {
    text = problem ? 'Data is stale: the gateway cannot be reached' : 'Loading…';
    tone = problem ? 'stale' : 'fresh';
  } else if (problem || Math.max(now, Date.now()) - lastSuccess.getTime() > STALE_MS) {
    text = `Data is stale: last updated ${clockTime(lastSuccess)}`;
    tone = 'stale';
  } else {
    text = `Updated ${clockTime(lastSuccess)}`;
    tone = 'fresh';
  }
  return (
    <p className={`freshness freshness-${tone}`}>
      <span data-testid="freshness">{text}</span>
      {problem === 'database' && lastSuccess && (
        <span className="muted"> (last updated {clockTime(lastSuccess)})</span>
      )}
    </p>
  );
}

function ActorField() {
  const id = useId();
  const [actor, setActor] = useState(() => session.actor());
  return (
    <div className="actor">
      <label htmlFor={id}>Your name (for the audit log)</label>
      <input
        id={id}
        type="text"
        autoComplete="name"
        maxLength={100}
        value={actor}
        onChange={(event) => {
          setActor(event.target.value);
          session.setActor(event.target.value);
        }}
      />
    </div>
  );
}

export function Dashboard({
  api,
  onRefused,
  onSignOut,
}: {
  api: StatusPageApi;
  onRefused(): void;
  onSignOut(): void;
}) {
  const [migrations, setMigrations] = useState<MigrationData[] | null>(null);
  const [lastSuccess, setLastSuccess] = useState<Date | null>(null);
  const [problem, setProblem] = useState<Problem>(null);
  const refreshNow = useRef<() => void>(() => {});

  useEffect(() => {
    let stopped = false;
    let running = false;
    let again = false;
    let timer: number | undefined;

    /** One refresh: the list, then each migration's detail, figures, mismatches and audit. */
    async function poll(): Promise<void> {
      let settings;
      try {
        settings = await api.list();
      } catch (err) {
        if (stopped) return;
        const verdict = problemOf([err]);
        if (verdict === 'refused') return onRefused();
        setProblem(verdict);
        return;
      }
      const loaded = await Promise.all(
        settings.map(async (setting) => {
          const [detail, metrics, mismatches, audit] = await Promise.allSettled([
            api.detail(setting.name),
            api.metrics(setting.name, 15),
            api.mismatches(setting.name, 10),
            api.audit(setting.name, 20),
          ]);
          return { setting, detail, metrics, mismatches, audit };
        }),
      );
      if (stopped) return;
      const errors = loaded.flatMap((parts) =>
        [parts.detail, parts.metrics, parts.mismatches, parts.audit].flatMap((part) =>
          part.status === 'rejected' ? [part.reason as unknown] : [],
        ),
      );
      const verdict = problemOf(errors);
      if (verdict === 'refused') return onRefused();
      // A part that failed keeps what the page last had of it.
      setMigrations((previous) =>
        loaded.map(({ setting, detail, metrics, mismatches, audit }) => {
          const before = previous?.find((data) => data.setting.name === setting.name);
          const pick = <T,>(result: PromiseSettledResult<T>, fallback: T | undefined) =>
            result.status === 'fulfilled' ? result.value : fallback;
          return {
            setting,
            detail: pick(detail, before?.detail),
            metrics: pick(metrics, before?.metrics),
            mismatches: pick(mismatches, before?.mismatches),
            audit: pick(audit, before?.audit),
          };
        }),
      );
      setProblem(verdict);
      if (verdict === null) setLastSuccess(new Date());
    }

    async function run(): Promise<void> {
      running = true;
      window.clearTimeout(timer);
      const started = Date.now();
      try {
        await poll();
      } finally {
        running = false;
        if (!stopped) {
          if (again) {
            again = false;
            void run();
          } else {
            timer = window.setTimeout(run, Math.max(200, POLL_MS - (Date.now() - started)));
          }
        }
      }
    }

    refreshNow.current = () => {
      if (stopped) return;
      if (running) again = true;
      else void run();
    };
    void run();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      refreshNow.current = () => {};
    };
  }, [api, onRefused]);

  const refresh = useCallback(() => refreshNow.current(), []);

  return (
    <>
      <header className="page-head">
        <h1>Migration status</h1>
        <Freshness lastSuccess={lastSuccess} problem={problem} />
        <ActorField />
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main className="migrations">
        {migrations === null ? (
          <p className="muted">Loading the migrations…</p>
        ) : migrations.length === 0 ? (
          <p className="muted">No migrations are configured.</p>
        ) : (
          migrations.map((data) => (
            <MigrationSection
              key={data.setting.name}
              data={data}
              api={api}
              refresh={refresh}
              onRefused={onRefused}
            />
          ))
        )}
      </main>
    </>
  );
}
