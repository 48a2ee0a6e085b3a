/**
 * One migration's section: the dial, the live chart, the controls, the rollout, the shadow
 * results, the newest mismatches and the audit log. Its writes report into one alert.
 */
import { useCallback, useState } from 'react';
import type {
  AuditEntry,
  MigrationDetail,
  MigrationSetting,
  Metrics,
  Mismatch,
  NoiseMark,
  ShadowResults,
  StatusPageApi,
} from './api';
import { ApiError, actorProblem, session } from './api';
import { MigrationChart } from './chart';
import { PercentControl, RolloutButtons, RolloutForm, ShadowControl } from './controls';
import type { Run } from './controls';
import { count, percent, rate, utcTime } from './format';
import { MismatchList } from './mismatches';
import { RolloutView } from './rollout';

/** What the page knows of one migration; the parts not loaded yet are undefined. */
export interface MigrationData {
  setting: MigrationSetting;
  detail?: MigrationDetail;
  metrics?: Metrics;
  mismatches?: Mismatch[];
  audit?: AuditEntry[];
}

function Dial({ setting }: { setting: MigrationSetting }) {
  return (
    <>
      <p className="dial-figure">
        <span className="side-new" data-testid="percent">
          {percent(setting.percent)}
        </span>{' '}
        <span className="muted">of users on the new side</span>
      </p>
      <div
        className="dial-bar"
        role="img"
        aria-label={`new side ${setting.percent} %, old side ${100 - setting.percent} %`}
      >
        <div className="dial-new" style={{ width: `${setting.percent}%` }} />
      </div>
      <p className="dial-sides">
        <span className="side-new">new {percent(setting.percent)}</span>
        <span className="side-old">old {percent(100 - setting.percent)}</span>
      </p>
      <dl className="facts">
        <dt>Shadowed</dt>
        <dd>
          <span data-testid="shadow-percent">{percent(setting.shadowPercent)}</span>
          <span className="muted"> of requests, also sent to the other side</span>
        </dd>
        <dt>Noise check</dt>
        <dd>
          <span data-testid="noise-percent">{percent(setting.noisePercent)}</span>
          <span className="muted"> of shadowed requests</span>
        </dd>
        <dt>Ignored paths</dt>
        <dd data-testid="ignore-paths">
          {setting.ignorePaths.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            setting.ignorePaths.map((path) => (
              <code key={path} className="tag">
                {path}
              </code>
            ))
          )}
        </dd>
        <dt>Last changed</dt>
        <dd data-testid="updated">
          by {setting.updatedBy}, {utcTime(setting.updatedAt)}
        </dd>
      </dl>
    </>
  );
}

function ShadowSummary({ shadow, noise }: { shadow?: ShadowResults; noise?: NoiseMark[] }) {
  if (!shadow || !noise) return <p className="muted">Loading…</p>;
  const judged = shadow.matched + shadow.mismatched;
  return (
    <>
      <dl className="counts" data-testid="shadow-results">
        <div>
          <dt>Compared</dt>
          <dd data-testid="shadow-compared">{count(shadow.compared)}</dd>
        </div>
        <div>
          <dt>Matched</dt>
          <dd data-testid="shadow-matched">{count(shadow.matched)}</dd>
        </div>
        <div>
          <dt>Mismatched</dt>
          <dd data-testid="shadow-mismatched" className={shadow.mismatched ? 'bad' : undefined}>
            {count(shadow.mismatched)}
          </dd>
        </div>
        <div>
          <dt>Noise</dt>
          <dd data-testid="shadow-noise">{count(shadow.noise)}</dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd data-testid="shadow-skipped">{count(shadow.skipped)}</dd>
        </div>
        <div>
          <dt>Errors</dt>
          <dd data-testid="shadow-errors">{count(shadow.errors)}</dd>
        </div>
      </dl>
      <p className="muted">
        Match rate {rate(judged > 0 ? shadow.matched / judged : null)} since {utcTime(shadow.since)}
      </p>
      <h4>Noise marks</h4>
      <div data-testid="noise">
        {noise.length === 0 ? (
          <p className="muted">No noise marks</p>
        ) : (
          <ul className="noise-list">
            {noise.map((mark) => (
              <li key={`${mark.route} ${mark.path}`}>
                <code>{mark.path}</code> <span className="muted">on</span> <code>{mark.route}</code>{' '}
                <span className="muted">last seen {utcTime(mark.lastSeen)}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </>
  );
}

function AuditLog({ entries }: { entries: AuditEntry[] | undefined }) {
  return (
    <div data-testid="audit" className="table-scroll">
      {!entries ? (
        <p className="muted">Loading…</p>
      ) : entries.length === 0 ? (
        <p className="muted">No changes yet</p>
      ) : (
        <table className="audit">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Field</th>
              <th scope="col">Change</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} data-testid="audit-entry">
                <td>
                  <time dateTime={entry.changedAt}>{utcTime(entry.changedAt)}</time>
                </td>
                <td title={entry.address ?? undefined}>{entry.actor}</td>
                <td>{entry.field}</td>
                <td>
                  <code>{entry.oldValue ?? '—'}</code> → <code>{entry.newValue}</code>
                </td>
                <td>{entry.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export interface MigrationSectionProps {
  data: MigrationData;
  api: StatusPageApi;
  /** Polls at once (after the one under way, if any). */
  refresh(): void;
  /** The token was refused: back to signing in. */
  onRefused(): void;
}

export function MigrationSection({ data, api, refresh, onRefused }: MigrationSectionProps) {
  const { setting, detail } = data;
  const { name } = setting;
  const [alert, setAlert] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const fail = useCallback((message: string) => {
    setNotice(null);
    setAlert(message);
  }, []);
  const checkActor = useCallback(() => {
    const problem = actorProblem(session.actor());
    if (problem) fail(problem);
    return problem === null;
  }, [fail]);
  const run: Run = useCallback(
    async (action, done) => {
      if (!checkActor()) return false;
      setBusy(true);
      setAlert(null);
      setNotice(null);
      try {
        await action();
        setNotice(done);
        refresh();
        return true;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) {
          onRefused();
          return false;
        }
        setAlert(err instanceof ApiError ? err.message : 'The request failed.');
        // The refusal may mean the page is behind (a rollout started elsewhere).
        refresh();
        return false;
      } finally {
        setBusy(false);
      }
    },
    [checkActor, refresh, onRefused],
  );

  const controls = { name, api, run, fail, checkActor, busy };
  const rollout = detail?.rollout;

  return (
    <section
      className="migration"
      data-testid={`migration-${name}`}
      aria-label={`Migration ${name}`}
    >
      <header className="migration-head">
        <h2>{name}</h2>
      </header>
      {(alert || notice) && (
        <div className="messages">
          {alert && (
            <p role="alert" className="alert">
              {alert}
            </p>
          )}
          {notice && (
            <p role="status" className="notice">
              {notice}
            </p>
          )}
        </div>
      )}
      <div className="migration-grid">
        <div className="panel">
          <h3>Dial</h3>
          <Dial setting={setting} />
        </div>
        <div className="panel">
          <h3>Traffic</h3>
          <MigrationChart name={name} metrics={data.metrics} />
        </div>
        <div className="panel">
          <h3>Controls</h3>
          <PercentControl {...controls} current={setting.percent} />
          <ShadowControl {...controls} current={setting.shadowPercent} />
          <RolloutForm {...controls} />
        </div>
        <div className="panel">
          <h3>Rollout</h3>
          {detail ? <RolloutView rollout={rollout} /> : <p className="muted">Loading…</p>}
          <RolloutButtons name={name} api={api} run={run} busy={busy} state={rollout?.state} />
        </div>
        <div className="panel">
          <h3>Shadow results</h3>
          <ShadowSummary shadow={detail?.shadow} noise={detail?.noise} />
        </div>
        <div className="panel">
          <h3>Newest mismatches</h3>
          <MismatchList mismatches={data.mismatches} />
        </div>
        <div className="panel panel-full">
          <h3>Audit log</h3>
          <AuditLog entries={data.audit} />
        </div>
      </div>
    </section>
  );
}
