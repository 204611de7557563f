// Download tokens: what a signed download URL carries so that a browser can stream one version of
// one file without an Authorization header. Pure apart from the HMAC: no database, no clock.
//
// A token is `<expires>.<issuer>.<signature>`: the Unix second it expires, who issued it (`_`
// for the static key, else the managed key's name in base64url) and the base64url HMAC-SHA256
// of the file it is bound to, its expiry and its issuer. The HMAC key is derived from the issuing
// key's stored token hash, so every server on the same database and configuration verifies what
// any of them issued, and revoking the key voids its links.

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FileOwnerRef } from './stored-file.js';

/** One version of one file: what a token is bound to. */
export interface DownloadTarget {
  readonly ref: FileOwnerRef;
  readonly name: string;
  readonly version: number;
}

/** The key that issued a token: null for the static key, else a managed key's name. */
export type DownloadIssuer = string | null;

export interface ParsedDownloadToken {
  readonly expiresAt: number;
  readonly issuer: DownloadIssuer;
  readonly signature: Buffer;
}

const staticIssuer = '_';
// A version tag in what is signed: a change of format voids old tokens instead of misreading them.
const signedPrefix = 'dataregistry download v1';
const keyDerivationLabel = 'dataregistry download links';

/** The HMAC key of an issuer, from the hex SHA-256 of its token (what the database stores). */
export function deriveSigningKey(tokenHashHex: string): Buffer {
  return createHmac('sha256', Buffer.from(tokenHashHex, 'hex')).update(keyDerivationLabel).digest();
}

/** A token for `target`, valid until `expiresAt` (Unix seconds). */
export function signDownloadToken(
  signingKey: Buffer,
  target: DownloadTarget,
  issuer: DownloadIssuer,
  expiresAt: number,
): string {
  const issuerPart = formatIssuer(issuer);
  const signature = signatureOf(signingKey, target, issuerPart, expiresAt);
  return `${expiresAt}.${issuerPart}.${signature.toString('base64url')}`;
}

/** The token's parts, or undefined when it is not a token at all. */
export function parseDownloadToken(token: string): ParsedDownloadToken | undefined {
  const match = /^([1-9][0-9]{0,11})\.(_|[A-Za-z0-9_-]{2,600})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (match === null) return undefined;
  const [, expires = '', issuerPart = '', signature = ''] = match;
  return {
    expiresAt: Number(expires),
    issuer: issuerPart === staticIssuer ? null : Buffer.from(issuerPart, 'base64url').toString(),
    signature: Buffer.from(signature, 'base64url'),
  };
}

/** Whether the parsed token was signed with `signingKey` for exactly `target` (constant time). */
export function isSignatureValid(
  signingKey: Buffer,
  token: ParsedDownloadToken,
  target: DownloadTarget,
): boolean {
  const expected = signatureOf(signingKey, target, formatIssuer(token.issuer), token.expiresAt);
  return expected.length === token.signature.length && timingSafeEqual(expected, token.signature);
}

function formatIssuer(issuer: DownloadIssuer): string {
  return issuer === null ? staticIssuer : Buffer.from(issuer).toString('base64url');
}

function signatureOf(
  signingKey: Buffer,
  target: DownloadTarget,
  issuerPart: string,
  expiresAt: number,
): Buffer {
  // Newline-separated: names and ids hold no control characters, so no two targets read alike.
  const signed = [
    signedPrefix,
    target.ref.kind,
    target.ref.id,
    target.name,
    String(target.version),
    String(expiresAt),
    issuerPart,
  ].join('\n');
  return createHmac('sha256', signingKey).update(signed).digest();
}
