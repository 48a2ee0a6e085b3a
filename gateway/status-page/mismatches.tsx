/** The newest shadow mismatches of a migration, each with a side-by-side diff of its answers. */
import type { Mismatch } from './api';
import { milliseconds, utcTime } from './format';

const ABSENT = '(absent)';

/** `GET /movies/7`, or `MovieById#1a2b3c4d` for a GraphQL operation. */
export function requestLabel(mismatch: Mismatch): string {
  if (mismatch.surface === 'rest') return `${mismatch.request.method} ${mismatch.request.path}`;
  const { operationName, variablesHash } = mismatch.request;
  const operation = operationName || '(anonymous operation)';
  return variablesHash ? `${operation}#${variablesHash.slice(0, 8)}` : operation;
}

function Value({ text }: { text: string }) {
  if (text === ABSENT) return <span className="absent">{ABSENT}</span>;
  return <code>{text}</code>;
}

function MismatchItem({ mismatch }: { mismatch: Mismatch }) {
  const { request, status, latencyMs } = mismatch;
  const shadowSide = request.servedSide === 'old' ? 'new' : 'old';
  return (
    <li className="mismatch" data-testid="mismatch">
      <p className="mismatch-head">
        <time dateTime={mismatch.at}>{utcTime(mismatch.at)}</time>{' '}
        <span className="badge surface">{mismatch.surface}</span>{' '}
        {mismatch.surface === 'graphql' && <span className="muted">{request.method} </span>}
        <code className="request" data-testid="mismatch-request">
          {requestLabel(mismatch)}
        </code>
      </p>
      <p className="mismatch-meta">
        served by{' '}
        <strong className={`side-${request.servedSide}`} data-testid="mismatch-served-side">
          {request.servedSide}
        </strong>{' '}
        <span data-testid="mismatch-status">
          status {status.served} (served) / {status.shadow} (shadow, {shadowSide})
        </span>
        , {milliseconds(latencyMs.served)} / {milliseconds(latencyMs.shadow)}
        {request.userBucket !== null && `, bucket ${request.userBucket}`}
      </p>
      <table className="diff" data-testid="mismatch-diff">
        <caption className="visually-hidden">
          Differences, served by {request.servedSide}, shadowed by {shadowSide}
        </caption>
        <thead>
          <tr>
            <th scope="col">Path</th>
            <th scope="col" className={`side-${request.servedSide}`}>
              Served
            </th>
            <th scope="col" className={`side-${shadowSide}`}>
              Shadow
            </th>
          </tr>
        </thead>
        <tbody>
          {mismatch.differences.length === 0 ? (
            <tr>
              <td colSpan={3} className="muted">
                The answers differed only in their status.
              </td>
            </tr>
          ) : (
            mismatch.differences.map((difference, i) => (
              <tr key={i}>
                <td data-testid="mismatch-path">
                  <code>{difference.path}</code>
                </td>
                <td>
                  <Value text={difference.served} />
                </td>
                <td>
                  <Value text={difference.shadow} />
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </li>
  );
}

export function MismatchList({ mismatches }: { mismatches: Mismatch[] | undefined }) {
  return (
    <div data-testid="mismatches">
      {!mismatches ? (
        <p className="muted">Loading…</p>
      ) : mismatches.length === 0 ? (
        <p className="muted">No mismatches</p>
      ) : (
        <ol className="mismatch-list">
          {mismatches.map((mismatch, i) => (
            <MismatchItem key={`${mismatch.at}-${i}`} mismatch={mismatch} />
          ))}
        </ol>
      )}
    </div>
  );
}
