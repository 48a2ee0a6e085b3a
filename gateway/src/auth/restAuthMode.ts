/**
 * How the REST shim treats tokens. `off`: not read at all, exactly as before authentication
 * existed (legacy clients never sent one); `verify`: a token, if sent, must be valid, and its
 * caller is forwarded; `required`: every /api call needs a valid token.
 */
export const REST_AUTH_MODES = ['off', 'verify', 'required'] as const;
export type RestAuthMode = (typeof REST_AUTH_MODES)[number];
