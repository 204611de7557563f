// Decides about presented tokens: the static key of the configuration (DATA_REGISTRY_API_KEY,
// admin scope) and the managed keys of the database, whose answers are cached for a few seconds.
// Implements http/api-key-verifier.ts's ApiKeyVerifier structurally, without importing http/.

import { timingSafeEqual } from 'node:crypto';
import { hashApiKeyToken, type ApiKey, type ApiKeyScope } from './api-key.js';
import type { ApiKeyService } from './api-key-service.js';

export interface CachedApiKeyVerifierOptions {
  readonly service: ApiKeyService;
  /** The static key with admin scope; undefined when none is configured. */
  readonly staticKey?: string | undefined;
  /** Require a key even when none exists (prod); otherwise only once a key exists. */
  readonly alwaysRequireAuth: boolean;
  /**
   * How long an answer from the database is reused, in milliseconds (default 5000): a revoked
   * key stops working, and a first key starts being required, at most this long afterwards.
   */
  readonly cacheMs?: number;
  /** Least time between two writes of one key's last use, in milliseconds (default 60000). */
  readonly lastUseIntervalMs?: number;
  /** Called when recording a key's use fails; the request goes on. */
  readonly onRecordUseError?: (error: unknown) => void;
  /** The clock in milliseconds; default Date.now. */
  readonly now?: () => number;
}

interface CachedAnswer {
  readonly key: ApiKey | undefined;
  readonly expiresAt: number;
}

/** More distinct tokens than this in one cache period (a flood of made-up tokens) clear the cache. */
const maxCachedTokens = 10_000;

/**
 * `isAuthRequired()` is true when a static key is configured, when `alwaysRequireAuth`, or when
 * the database holds any managed key, even revoked: revoking the last key locks the API rather
 * than opening it. `verify()` compares with the static key in constant time (SHA-256 of both,
 * then timingSafeEqual) and looks managed keys up by the SHA-256 of the token.
 *
 * @example
 * const verifier = new CachedApiKeyVerifier({ service, staticKey: config.apiKey, alwaysRequireAuth: false });
 * await verifier.verify('drk_…'); // 'write', or undefined when unknown or revoked
 */
export class CachedApiKeyVerifier {
  readonly #service: ApiKeyService;
  readonly #staticKeyHash: Buffer | undefined;
  readonly #alwaysRequireAuth: boolean;
  readonly #cacheMs: number;
  readonly #lastUseIntervalMs: number;
  readonly #onRecordUseError: (error: unknown) => void;
  readonly #now: () => number;
  readonly #answers = new Map<string, CachedAnswer>();
  readonly #usesRecorded = new Map<string, number>();
  #keysExist: { readonly value: boolean; readonly expiresAt: number } | undefined;

  constructor(options: CachedApiKeyVerifierOptions) {
    this.#service = options.service;
    this.#staticKeyHash =
      options.staticKey === undefined
        ? undefined
        : Buffer.from(hashApiKeyToken(options.staticKey), 'hex');
    this.#alwaysRequireAuth = options.alwaysRequireAuth;
    this.#cacheMs = options.cacheMs ?? 5000;
    this.#lastUseIntervalMs = options.lastUseIntervalMs ?? 60_000;
    this.#onRecordUseError = options.onRecordUseError ?? (() => undefined);
    this.#now = options.now ?? Date.now;
  }

  async isAuthRequired(): Promise<boolean> {
    if (this.#staticKeyHash !== undefined || this.#alwaysRequireAuth) return true;
    const now = this.#now();
    if (this.#keysExist === undefined || this.#keysExist.expiresAt <= now) {
      const { all } = await this.#service.count();
      this.#keysExist = { value: all > 0, expiresAt: now + this.#cacheMs };
    }
    return this.#keysExist.value;
  }

  async verify(token: string): Promise<ApiKeyScope | undefined> {
    return (await this.verifyKey(token))?.scope;
  }

  /** The scope and name of the token's key; the static key has no name (null). */
  async verifyKey(token: string): Promise<{ scope: ApiKeyScope; name: string | null } | undefined> {
    const hash = hashApiKeyToken(token);
    if (this.#staticKeyHash !== undefined) {
      if (timingSafeEqual(Buffer.from(hash, 'hex'), this.#staticKeyHash)) {
        return { scope: 'admin', name: null };
      }
    }
    const key = await this.#lookUp(hash, token);
    if (key === undefined || key.revokedAt !== undefined) return undefined;
    await this.#recordUse(key);
    return { scope: key.scope, name: key.name };
  }

  async #lookUp(hash: string, token: string): Promise<ApiKey | undefined> {
    const now = this.#now();
    const cached = this.#answers.get(hash);
    if (cached !== undefined && cached.expiresAt > now) return cached.key;
    const key = await this.#service.findByToken(token);
    if (this.#answers.size >= maxCachedTokens) this.#answers.clear();
    this.#answers.set(hash, { key, expiresAt: now + this.#cacheMs });
    return key;
  }

  async #recordUse(key: ApiKey): Promise<void> {
    const now = this.#now();
    const last = this.#usesRecorded.get(key.id) ?? Date.parse(key.lastUsedAt ?? '');
    if (!Number.isNaN(last) && now - last < this.#lastUseIntervalMs) return;
    this.#usesRecorded.set(key.id, now);
    try {
      await this.#service.recordUse(key);
    } catch (error) {
      this.#onRecordUseError(error);
    }
  }
}
