// `keys create | list | revoke`: managed API keys, in the database of the configuration.

import { loadConfig, requireDatabaseUrl, type ConfigFlags } from '../../config/config.js';
import { openDatabase, type SqliteOpenMode } from '../../db/connect.js';
import type { ApiKey } from '../../registry/api-keys/api-key.js';
import { ApiKeyService } from '../../registry/api-keys/api-key-service.js';
import { printInfo, printResult, printWarning } from '../output.js';

export interface KeysCreateFlags extends ConfigFlags {
  readonly name: string;
  readonly scope: string;
}

/** Prints the token alone on stdout (for scripts), once; the rest goes to stderr. */
export async function keysCreateCommand(flags: KeysCreateFlags): Promise<void> {
  const { key, token } = await withApiKeyService(flags, (service) =>
    service.create({ name: flags.name, scope: flags.scope }),
  );
  printInfo(
    `Created API key \`${key.name}\` (scope ${key.scope}). Store the token now: it is not kept and cannot be shown again.`,
  );
  printResult(token);
}

export async function keysListCommand(
  flags: ConfigFlags & { readonly json?: boolean },
): Promise<void> {
  const keys = await withApiKeyService(flags, (service) => service.list(), 'read-only');
  if (flags.json) {
    printResult(JSON.stringify(keys.map(toJson), null, 2));
    return;
  }
  if (keys.length === 0) {
    printInfo(
      'No API keys; create one with `dataregistry keys create --name NAME --scope read|write|admin`.',
    );
    return;
  }
  printResult(formatTable(keys));
}

export async function keysRevokeCommand(name: string, flags: ConfigFlags): Promise<void> {
  const { key, wasRevokedNow } = await withApiKeyService(flags, (service) => service.revoke(name));
  if (wasRevokedNow) {
    printInfo(`Revoked API key \`${key.name}\`; running servers refuse it within a few seconds.`);
  } else {
    printInfo(`API key \`${key.name}\` was already revoked (at ${key.revokedAt ?? '?'}).`);
  }
}

/** `mode`: `list` only reads; no command here creates a database, which has no api_keys table. */
async function withApiKeyService<T>(
  flags: ConfigFlags,
  work: (service: ApiKeyService) => Promise<T>,
  mode: SqliteOpenMode = 'existing',
): Promise<T> {
  const config = await loadConfig(flags);
  config.warnings.forEach(printWarning);
  const handle = await openDatabase(requireDatabaseUrl(config, 'server'), {
    mode,
    applicationName: 'dataregistry keys',
  });
  try {
    return await work(new ApiKeyService(handle));
  } finally {
    await handle.close();
  }
}

function toJson(key: ApiKey) {
  return {
    name: key.name,
    scope: key.scope,
    created_at: key.createdAt,
    last_used_at: key.lastUsedAt ?? null,
    revoked_at: key.revokedAt ?? null,
  };
}

function formatTable(keys: readonly ApiKey[]): string {
  const header = ['NAME', 'SCOPE', 'CREATED', 'LAST USED', 'REVOKED'];
  const rows = keys.map((key) => [
    key.name,
    key.scope,
    key.createdAt,
    key.lastUsedAt ?? '-',
    key.revokedAt ?? '-',
  ]);
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  return all
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
