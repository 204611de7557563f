// Signed download links: issues, for a caller already let in by its API key, a short-lived token
// bound to one version of one file, and checks such tokens when a download presents one instead
// of a key. Lets a browser stream a download to disk through a plain link. Never sees HTTP.

import { DataRegistryError } from '../../shared/errors.js';
import { hashApiKeyToken } from '../api-keys/api-key.js';
import type { ApiKeyService } from '../api-keys/api-key-service.js';
import {
  deriveSigningKey,
  isSignatureValid,
  parseDownloadToken,
  signDownloadToken,
  type DownloadIssuer,
  type DownloadTarget,
} from './download-token.js';
import type { FileService } from './file-service.js';
import type { FileOwnerRef } from './stored-file.js';

/** How long a link stays valid by default: long enough to click, short enough not to linger. */
export const defaultDownloadLinkSeconds = 5 * 60;

export interface DownloadLinkServiceOptions {
  readonly files: FileService;
  readonly keys: ApiKeyService;
  /** The static key (DATA_REGISTRY_API_KEY); undefined when none is configured. */
  readonly staticKey?: string | undefined;
  /** Default {@link defaultDownloadLinkSeconds}. */
  readonly lifetimeSeconds?: number | undefined;
  /** The clock in milliseconds; default Date.now. */
  readonly now?: (() => number) | undefined;
}

export interface IssuedDownloadLink {
  /** The version the link downloads: the one asked for, else the latest when it was issued. */
  readonly version: number;
  /** Undefined when the API needs no key: the plain download URL then does. */
  readonly token: string | undefined;
  /** ISO-8601 UTC; undefined with the token. */
  readonly expiresAt: string | undefined;
}

/**
 * The signing key of a token is derived from its issuer's stored token hash (the static key's is
 * computed from the configuration): nothing to configure, the same on every server sharing the
 * database and configuration, and void once the key is revoked (or the static key changed).
 *
 * @example
 * const link = await links.issue({ kind: 'record', id: '42' }, 'runs.csv', undefined, 'ci');
 * // later, on any server: resolves, or throws UNAUTHENTICATED / FORBIDDEN
 * await links.verify(link.token, { ref: { kind: 'record', id: '42' }, name: 'runs.csv', version: link.version });
 */
export class DownloadLinkService {
  readonly #files: FileService;
  readonly #keys: ApiKeyService;
  readonly #staticKeyHash: string | undefined;
  readonly #lifetimeSeconds: number;
  readonly #now: () => number;

  constructor(options: DownloadLinkServiceOptions) {
    this.#files = options.files;
    this.#keys = options.keys;
    this.#staticKeyHash =
      options.staticKey === undefined ? undefined : hashApiKeyToken(options.staticKey);
    this.#lifetimeSeconds = options.lifetimeSeconds ?? defaultDownloadLinkSeconds;
    this.#now = options.now ?? Date.now;
  }

  /**
   * A link to `version` (default the latest) of the file, for `issuer`: the key the caller was
   * let in with (null for the static key), or undefined when the API needs no key.
   *
   * @throws DataRegistryError the FileService's find errors (FILE_NOT_FOUND,
   *   FILE_VERSION_NOT_FOUND, RECORD_NOT_FOUND…); UNAUTHENTICATED when the issuer's key was
   *   revoked meanwhile.
   */
  async issue(
    ref: FileOwnerRef,
    name: string,
    version: number | undefined,
    issuer: DownloadIssuer | undefined,
  ): Promise<IssuedDownloadLink> {
    const file = await this.#files.find(ref, name, version);
    if (issuer === undefined) {
      return { version: file.version, token: undefined, expiresAt: undefined };
    }
    const signingKey = await this.#signingKeyOf(issuer);
    if (signingKey === undefined) {
      throw new DataRegistryError(
        'UNAUTHENTICATED',
        'The API key this request came with can no longer sign download links (revoked, or not one this server knows); sign in again.',
      );
    }
    const expiresAt = Math.floor(this.#now() / 1000) + this.#lifetimeSeconds;
    const target = { ref, name: file.name, version: file.version };
    return {
      version: file.version,
      token: signDownloadToken(signingKey, target, issuer, expiresAt),
      expiresAt: new Date(expiresAt * 1000).toISOString(),
    };
  }

  /**
   * Resolves when `token` was issued for exactly this version of this file, by a key still live,
   * and has not expired.
   *
   * @throws DataRegistryError UNAUTHENTICATED for a malformed or expired token or one whose key
   *   was revoked; FORBIDDEN for a token of another file or version, or altered.
   */
  async verify(token: string, target: Omit<DownloadTarget, 'version'> & { version?: number }) {
    const parsed = parseDownloadToken(token);
    if (parsed === undefined) {
      throw new DataRegistryError(
        'UNAUTHENTICATED',
        '`download_token` is not a download token; ask for a new link (POST …/files/{filename}/download-link).',
      );
    }
    const signingKey = await this.#signingKeyOf(parsed.issuer);
    if (signingKey === undefined) {
      throw new DataRegistryError(
        'UNAUTHENTICATED',
        'The API key that issued this download link is revoked or unknown; ask for a new link.',
      );
    }
    const { version } = target;
    if (version === undefined || !isSignatureValid(signingKey, parsed, { ...target, version })) {
      throw new DataRegistryError(
        'FORBIDDEN',
        'This download token was issued for another file or version (or altered); ask for a link to this one.',
      );
    }
    if (parsed.expiresAt * 1000 <= this.#now()) {
      throw new DataRegistryError(
        'UNAUTHENTICATED',
        `This download link expired at ${new Date(parsed.expiresAt * 1000).toISOString()}; ask for a new one.`,
      );
    }
  }

  async #signingKeyOf(issuer: DownloadIssuer): Promise<Buffer | undefined> {
    const tokenHash =
      issuer === null ? this.#staticKeyHash : await this.#keys.findLiveTokenHash(issuer);
    return tokenHash === undefined ? undefined : deriveSigningKey(tokenHash);
  }
}
