// Reads one secret's string from AWS Secrets Manager (GetSecretValue) and turns the SDK's
// failures into one readable error. The SDK is loaded only when a secret is asked for.

import { DataRegistryError } from '../shared/errors.js';

export interface SecretsManagerSettings {
  /** Undefined: the SDK's own resolution (AWS_REGION, the shared config file…). */
  readonly region?: string | undefined;
  /** A custom endpoint (a test server, a VPC endpoint); undefined: the region's. */
  readonly endpoint?: string | undefined;
}

/** Errors with which Secrets Manager says no to this request; anything else may pass if retried. */
const refusals = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'AccessDeniedError',
  'DecryptionFailure',
  'InvalidParameterException',
  'InvalidRequestException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignature',
  'ExpiredTokenException',
  'CredentialsProviderError',
]);

/**
 * The `SecretString` of the current version of `secretId`. Credentials come from the SDK's
 * default chain (AWS_ACCESS_KEY_ID…, the shared files, the instance or task role).
 *
 * @throws DataRegistryError SECRET_UNREADABLE when Secrets Manager refuses (unknown id, access
 *   denied, no credentials, a binary secret); SECRETS_MANAGER_UNAVAILABLE when it cannot be
 *   reached, times out or fails on its side (after the SDK's retries); MISSING_CONFIG when no
 *   region is known.
 */
export async function readSecretString(
  secretId: string,
  settings: SecretsManagerSettings,
): Promise<string> {
  // The SDK's notice that its releases after January 2027 need Node 22 is ten lines on stderr,
  // which would bury the one-line errors and JSON logs; package.json's `engines` tracks Node
  // support. Its documented switch is this variable; one set by the user is left alone.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { SecretsManagerClient, GetSecretValueCommand } =
    await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({
    ...(settings.region === undefined ? {} : { region: settings.region }),
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    maxAttempts: 3,
    // Without timeouts an endpoint that drops packets would hang the start for minutes.
    requestHandler: { connectionTimeout: 3000, requestTimeout: 10000, throwOnRequestTimeout: true },
  });
  const where =
    settings.endpoint === undefined ? 'Secrets Manager' : `Secrets Manager at ${settings.endpoint}`;
  try {
    const response = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (response.SecretString === undefined) {
      throw new DataRegistryError(
        'SECRET_UNREADABLE',
        `Secret ${secretId} has no SecretString (binary secrets are not supported); store the database settings as JSON text.`,
        { secretId },
      );
    }
    return response.SecretString;
  } catch (error) {
    throw translateSdkError(error, secretId, where);
  } finally {
    client.destroy();
  }
}

function translateSdkError(error: unknown, secretId: string, where: string): unknown {
  if (error instanceof DataRegistryError) return error;
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? firstLine(error.message) : String(error);
  const details = { secretId, awsError: name };
  if (/region is missing|region not accepted/i.test(message)) {
    return new DataRegistryError(
      'MISSING_CONFIG',
      `Reading secret ${secretId} needs an AWS region: set DATA_REGISTRY_AWS_REGION (or --aws-region, or AWS_REGION).`,
      details,
      { cause: error },
    );
  }
  if (name === 'CredentialsProviderError') {
    return new DataRegistryError(
      'SECRET_UNREADABLE',
      `Reading secret ${secretId} needs AWS credentials and none were found (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws, or an instance or task role).`,
      details,
      { cause: error },
    );
  }
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const isRefusal =
    refusals.has(name) ||
    (status !== undefined && status >= 400 && status < 500 && name !== 'ThrottlingException');
  if (isRefusal) {
    return new DataRegistryError(
      'SECRET_UNREADABLE',
      `${where} refused secret ${secretId}: ${name}: ${message}. Check DATA_REGISTRY_SECRET_ID, the region and the permission secretsmanager:GetSecretValue.`,
      details,
      { cause: error },
    );
  }
  const reason = networkReason(error) ?? `${name}: ${message}`;
  return new DataRegistryError(
    'SECRETS_MANAGER_UNAVAILABLE',
    `${where} cannot be reached for secret ${secretId} (${reason}); check the network, DATA_REGISTRY_AWS_REGION and DATA_REGISTRY_AWS_ENDPOINT, then try again.`,
    details,
    { cause: error },
  );
}

/** `ECONNREFUSED 127.0.0.1:9`, from the error or its cause. */
function networkReason(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return firstLine(current.message);
    if (current instanceof AggregateError && current.errors[0] instanceof Error) {
      current = current.errors[0];
      continue;
    }
    current = current.cause;
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.replace(/\.$/, '');
}
