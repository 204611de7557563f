// The SHA-256 a client declares for the file it uploads: `x-amz-checksum-sha256: <base64>` (as S3
// takes it) or `Repr-Digest: sha-256=:<base64>:` (RFC 9530), as lowercase hex. Pure.

import type { IncomingHttpHeaders } from 'node:http';
import { DataRegistryError } from '../shared/errors.js';

const base64Sha256 = /^[A-Za-z0-9+/]{43}=$/;

/**
 * The declared SHA-256, or undefined when neither header carries one (a Repr-Digest of other
 * algorithms only is ignored, as RFC 9530 allows).
 *
 * @throws DataRegistryError VALIDATION_FAILED for a value that is not a base64 SHA-256, or two
 *   headers that disagree.
 */
export function readDeclaredSha256(headers: IncomingHttpHeaders): string | undefined {
  const amz = single(headers['x-amz-checksum-sha256']);
  const fromAmz = amz === undefined ? undefined : decode(amz.trim(), 'x-amz-checksum-sha256');
  const repr = single(headers['repr-digest']);
  const fromRepr = repr === undefined ? undefined : sha256OfReprDigest(repr);
  if (fromAmz !== undefined && fromRepr !== undefined && fromAmz !== fromRepr) {
    throw invalidDigest('x-amz-checksum-sha256 and Repr-Digest declare different SHA-256s.');
  }
  return fromAmz ?? fromRepr;
}

/** The sha-256 member of a Repr-Digest dictionary (`sha-512=:…:, sha-256=:…:`), as hex. */
function sha256OfReprDigest(value: string): string | undefined {
  for (const member of value.split(',')) {
    const [key, ...rest] = member.trim().split('=');
    if (key?.trim().toLowerCase() !== 'sha-256') continue;
    const item = rest.join('=').trim();
    const match = /^:([^:]*):$/.exec(item);
    if (match?.[1] === undefined) {
      throw invalidDigest(
        `Repr-Digest's sha-256 must be a byte sequence, \`sha-256=:<base64>:\`, not \`${item}\`.`,
      );
    }
    return decode(match[1], 'Repr-Digest');
  }
  return undefined;
}

function decode(text: string, header: string): string {
  if (!base64Sha256.test(text)) {
    throw invalidDigest(
      `${header} must be the base64 of the file's 32-byte SHA-256 (44 characters), not \`${text}\`.`,
    );
  }
  return Buffer.from(text, 'base64').toString('hex');
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function invalidDigest(message: string): DataRegistryError {
  return new DataRegistryError('VALIDATION_FAILED', message, { field: 'headers' });
}
