// Bodies of /health, /ready, /api/version and /api/session.

import { Type } from 'typebox';

export const HealthResponse = Type.Object(
  { status: Type.Literal('ok') },
  { additionalProperties: false, description: 'The process is alive.' },
);

export const SchemaStatus = Type.Object(
  {
    database_heads: Type.Array(Type.String(), {
      description: 'The revisions the database is at (its version table).',
    }),
    code_heads: Type.Array(Type.String(), {
      description: 'The head revisions of the versions folder this server ships with.',
    }),
    is_current: Type.Boolean({ description: 'True when both lists are the same.' }),
  },
  { additionalProperties: false },
);

export const ReadyResponse = Type.Object(
  { status: Type.Literal('ready'), schema: SchemaStatus },
  { additionalProperties: false },
);

export const VersionResponse = Type.Object(
  {
    version: Type.String({ description: 'The package version of the server.' }),
    schema: SchemaStatus,
  },
  { additionalProperties: false },
);

export const SessionResponse = Type.Object(
  {
    is_auth_required: Type.Boolean({
      description: 'False when no API key is configured: /api is open to everyone.',
    }),
    scope: Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('admin')], {
      description:
        "The presented key's scope; `admin` when no key is required. Clients offer only what it allows.",
    }),
  },
  { additionalProperties: false },
);
