// A local stand-in for AWS Secrets Manager: a node:http server on 127.0.0.1 answering
// GetSecretValue in AWS's JSON 1.1 protocol, so the real SDK is exercised end to end.
// Point the SDK at `url` (DATA_REGISTRY_AWS_ENDPOINT) with `dummyAwsEnv` for credentials.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Credentials and region the SDK needs to sign requests; the endpoint does not check them. */
export const dummyAwsEnv: Readonly<Record<string, string>> = {
  AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST',
  AWS_SECRET_ACCESS_KEY: 'test-secret-access-key',
  AWS_REGION: 'us-east-1',
  // Keeps the SDK away from ~/.aws and the instance metadata service.
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
};

export interface SecretsManagerEndpoint {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The SecretIds asked for, in order. */
  readonly requests: readonly string[];
  /** Sets a secret's string; an object is stored as its JSON. */
  setSecret(id: string, value: string | object): void;
  close(): Promise<void>;
}

const jsonType = 'application/x-amz-json-1.1';

export async function startSecretsManagerEndpoint(
  secrets: Readonly<Record<string, string | object>> = {},
): Promise<SecretsManagerEndpoint> {
  const stored = new Map<string, string>();
  const requests: string[] = [];
  const setSecret = (id: string, value: string | object) =>
    stored.set(id, typeof value === 'string' ? value : JSON.stringify(value));
  for (const [id, value] of Object.entries(secrets)) setSecret(id, value);

  const server = createServer((request, response) => {
    void handle(request, response, stored, requests);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setSecret,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  stored: ReadonlyMap<string, string>,
  requests: string[],
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const reply = (status: number, body: object) => {
    response.writeHead(status, { 'content-type': jsonType, 'x-amzn-requestid': 'test-request' });
    response.end(JSON.stringify(body));
  };
  const fail = (type: string, message: string) => reply(400, { __type: type, message });

  if (request.method !== 'POST' || request.url !== '/') {
    return fail(
      'UnknownOperationException',
      `${request.method} ${request.url} is not an operation`,
    );
  }
  if (!/^AWS4-HMAC-SHA256 /.test(request.headers.authorization ?? '')) {
    return fail('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
  }
  if (request.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
    return fail('UnknownOperationException', 'Only GetSecretValue is implemented here');
  }
  let secretId: unknown;
  try {
    secretId = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SecretId?: unknown })
      .SecretId;
  } catch {
    return fail('SerializationException', 'The body is not JSON');
  }
  if (typeof secretId !== 'string')
    return fail('InvalidParameterException', 'SecretId is required');
  requests.push(secretId);
  const value = stored.get(secretId);
  if (value === undefined) {
    return fail('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  }
  reply(200, {
    ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${secretId}-AbCdEf`,
    Name: secretId,
    SecretString: value,
    VersionId: '00000000-0000-4000-8000-000000000001',
    VersionStages: ['AWSCURRENT'],
    CreatedDate: 1_700_000_000,
  });
}
