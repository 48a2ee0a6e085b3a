/** A migration's newest rollout: where it stands, its plan, and the timeline of its analyses. */
import type { Check, Rollout, RolloutState, SideFigures, StepAnalysis, Verdict } from './api';
import { count, milliseconds, percent, rate, utcTime } from './format';

const STATE_LABELS: Record<RolloutState, string> = {
  running: 'Running: the dial moves step by step',
  paused: 'Paused: waiting for an operator',
  completed: 'Completed',
  rolled_back: 'Rolled back',
  aborted: 'Aborted by an operator',
};

const VERDICT_LABELS: Record<Verdict, string> = {
  promote: 'promote',
  rollback: 'rollback',
  extend: 'extend',
  pause: 'pause',
};

const CHECK_LABELS: Record<Check, string> = {
  traffic: 'traffic',
  errorRate: 'error rate',
  latencyRatio: 'latency ratio',
  mismatchRate: 'mismatch rate',
};

function StateBadge({ state }: { state: RolloutState }) {
  return (
    <span
      className={`badge state-${state}`}
      data-testid="rollout-state"
      title={STATE_LABELS[state]}
    >
      {state}
    </span>
  );
}

function SideRow({ side, figures }: { side: 'old' | 'new'; figures: SideFigures }) {
  return (
    <tr className={`side-${side}`}>
      <th scope="row">{side}</th>
      <td>{count(figures.requests)}</td>
      <td>{count(figures.failures)}</td>
      <td>{rate(figures.failureRate)}</td>
      <td>{milliseconds(figures.p99Ms)}</td>
    </tr>
  );
}

function AnalysisItem({ analysis, total }: { analysis: StepAnalysis; total: number }) {
  const { figures } = analysis;
  return (
    <li className="analysis" data-testid="analysis">
      <p className="analysis-head">
        <span className="analysis-step">
          Step {analysis.step + 1} of {total} ({percent(analysis.percent)})
        </span>{' '}
        <span className={`badge verdict-${analysis.verdict}`} data-testid="analysis-verdict">
          {VERDICT_LABELS[analysis.verdict]}
        </span>
        {analysis.check && (
          <span className="badge check" data-testid="analysis-check">
            {CHECK_LABELS[analysis.check]}
          </span>
        )}
        {analysis.early && <span className="badge early">early</span>}{' '}
        <time className="muted" dateTime={analysis.at}>
          {utcTime(analysis.at)}
        </time>
      </p>
      <p className="analysis-reason" data-testid="analysis-reason">
        {analysis.reason}
      </p>
      <table className="figures">
        <thead>
          <tr>
            <th scope="col">Side</th>
            <th scope="col">Requests</th>
            <th scope="col">Failures</th>
            <th scope="col">Failure rate</th>
            <th scope="col">p99</th>
          </tr>
        </thead>
        <tbody>
          <SideRow side="new" figures={figures.new} />
          <SideRow side="old" figures={figures.old} />
        </tbody>
      </table>
      <p className="shadow-figures">
        Shadow: {count(figures.shadow.mismatched)} mismatched of {count(figures.shadow.compared)}{' '}
        compared, mismatch rate {rate(figures.shadow.mismatchRate)}
      </p>
    </li>
  );
}

export function RolloutView({ rollout }: { rollout: Rollout | null | undefined }) {
  if (!rollout) {
    return (
      <div data-testid="rollout">
        <p className="muted">No rollout yet</p>
      </div>
    );
  }
  const { settings } = rollout;
  const current = rollout.steps[rollout.step];
  return (
    <div data-testid="rollout">
      <p className="rollout-head">
        <StateBadge state={rollout.state} />{' '}
        <span className="muted">{STATE_LABELS[rollout.state]}</span>
      </p>
      <dl className="facts">
        <dt>Progress</dt>
        <dd data-testid="rollout-step">
          step {rollout.step + 1} of {rollout.steps.length} ({current ?? '?'} %)
        </dd>
        <dt>Steps</dt>
        <dd data-testid="rollout-steps">
          <ol className="steps">
            {rollout.steps.map((step, i) => (
              <li
                key={step}
                className={i < rollout.step ? 'done' : i === rollout.step ? 'current' : undefined}
                aria-current={i === rollout.step ? 'step' : undefined}
              >
                {percent(step)}
              </li>
            ))}
          </ol>
        </dd>
        <dt>Started</dt>
        <dd data-testid="rollout-started">
          by {rollout.startedBy}, {utcTime(rollout.startedAt)}
        </dd>
        <dt>This step since</dt>
        <dd>
          {utcTime(rollout.stepStartedAt)}
          {rollout.extensions > 0 &&
            ` (extended ${rollout.extensions} of ${settings.maxExtensions} times)`}
        </dd>
        <dt>Checks</dt>
        <dd className="settings">
          {settings.stepSeconds} s a step, at least {count(settings.minRequests)} requests; error
          rate ≤ {rate(settings.maxErrorRate)}, latency ≤ {settings.maxLatencyRatio}× old, mismatch
          rate ≤ {rate(settings.maxMismatchRate)}; up to {settings.maxExtensions} extensions;
          rollback to {percent(settings.rollbackTo)}
        </dd>
        {rollout.reason && (
          <>
            <dt>Reason</dt>
            <dd data-testid="rollout-reason">{rollout.reason}</dd>
          </>
        )}
      </dl>
      <h4>Analyses</h4>
      {rollout.analyses.length === 0 ? (
        <p className="muted">No step has been judged yet.</p>
      ) : (
        <ol className="timeline" data-testid="rollout-timeline">
          {rollout.analyses.map((analysis, i) => (
            <AnalysisItem key={i} analysis={analysis} total={rollout.steps.length} />
          ))}
        </ol>
      )}
    </div>
  );
}
