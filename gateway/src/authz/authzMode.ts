/** `filter`: unauthorized fields are null with an error each; `reject`: the operation is a 403. */
export const AUTHZ_MODES = ['filter', 'reject'] as const;
export type AuthzMode = (typeof AUTHZ_MODES)[number];
