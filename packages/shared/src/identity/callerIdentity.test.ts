import {
  AUTH_SCOPES_HEADER,
  AUTH_SUBJECT_HEADER,
  callerFromHeaders,
  callerHeaders,
  mayActFor,
  stripCallerHeaders,
} from './callerIdentity';

describe('the caller identity headers', () => {
  it('round-trip: what the gateway sends is what a subgraph reads', () => {
    const caller = { subject: '7', scopes: ['payments:read', 'users:read'] };
    expect(callerFromHeaders(callerHeaders(caller))).toEqual(caller);
    expect(callerFromHeaders(callerHeaders(undefined))).toBeUndefined();
  });

  it('reads a blank subject as anonymous, and no scopes header as none', () => {
    expect(callerFromHeaders({ [AUTH_SUBJECT_HEADER]: '  ' })).toBeUndefined();
    expect(callerFromHeaders({ [AUTH_SUBJECT_HEADER]: '3' })).toEqual({ subject: '3', scopes: [] });
  });

  it('strips client copies in place', () => {
    const headers = { [AUTH_SUBJECT_HEADER]: 'admin', [AUTH_SCOPES_HEADER]: 'x', accept: '*/*' };
    expect(stripCallerHeaders(headers)).toEqual({ accept: '*/*' });
  });
});

describe('mayActFor', () => {
  it('lets a user act on their own, others only with the scope, anonymous callers never', () => {
    expect(mayActFor({ subject: '1', scopes: [] }, 1, 'payments:read')).toBe(true);
    expect(mayActFor({ subject: '1', scopes: [] }, 2, 'payments:read')).toBe(false);
    expect(mayActFor({ subject: '1', scopes: ['payments:read'] }, 2, 'payments:read')).toBe(true);
    expect(mayActFor(undefined, 1, 'payments:read')).toBe(false);
  });
});
