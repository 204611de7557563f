// The OpenAPI 3.1 document (built by @fastify/swagger from the route schemas), served at
// /openapi.json, and Swagger UI at /docs. Must be registered before the routes it describes.

import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { ErrorResponse } from '../schemas/common-schemas.js';
import type { ApiServer } from '../server-types.js';

export async function registerOpenApi(app: ApiServer, version: string): Promise<void> {
  app.addSchema(ErrorResponse);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'dataregistry',
        version,
        description:
          'Records, their datasets and files. Ids are 64-bit integers written as decimal strings. ' +
          'Every error is `{"error": {"code", "message"}}`; the codes are listed in the ErrorResponse schema.',
      },
      components: {
        securitySchemes: {
          accessToken: { type: 'apiKey', in: 'header', name: 'access_token' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      // Either header carries the key; routes outside /api override this with `security: []`.
      security: [{ accessToken: [] }, { bearer: [] }],
      tags: [
        { name: 'records', description: 'Records: named, described collections of datasets.' },
        { name: 'datasets', description: 'Datasets of a record.' },
        { name: 'files', description: 'Files of a record or dataset: upload, download, delete.' },
        {
          name: 'uploads',
          description: 'Upload sessions (S3): clients send large files straight to the store.',
        },
        { name: 'status', description: 'Liveness, readiness and versions.' },
      ],
    },
    // Shared schemas keep their `$id` as their name in components.schemas.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
}
