// What the HTTP layer needs to know about API keys. Key management (creating, storing, revoking)
// lives elsewhere and implements this interface; http/plugins/auth.ts only asks it.

/** What a key may do: `read` GET and HEAD; `write` also creates, changes and deletes; `admin` everything. */
export type Scope = 'read' | 'write' | 'admin';

export const scopes: readonly Scope[] = ['read', 'write', 'admin'];

/**
 * Decides about the tokens presented to `/api`. Both methods may be called on every request:
 * cache in the implementation when asking is costly. A rejection (the database unreachable)
 * fails the request with 503 DATABASE_UNAVAILABLE when the dialect classifies the error as a
 * connection error, else with 500.
 *
 * @example
 * const open: ApiKeyVerifier = {
 *   isAuthRequired: () => Promise.resolve(false),
 *   verify: () => Promise.resolve(undefined),
 * };
 */
export interface ApiKeyVerifier {
  /** False when no key is configured at all: /api is then open to everyone. */
  isAuthRequired(): Promise<boolean>;
  /** The scope of a presented token, or undefined when unknown or revoked. Constant-time compare is the verifier's job. */
  verify(token: string): Promise<Scope | undefined>;
  /**
   * As `verify`, with the key's name (null for a key without one, such as a static key); when
   * present it is asked instead of `verify`, and the name is recorded as who uploaded a file.
   */
  verifyKey?(token: string): Promise<VerifiedKey | undefined>;
}

export interface VerifiedKey {
  readonly scope: Scope;
  readonly name: string | null;
}

/** True when a key of scope `held` may do what `needed` requires (read < write < admin). */
export function isScopeSufficient(held: Scope, needed: Scope): boolean {
  return scopes.indexOf(held) >= scopes.indexOf(needed);
}
