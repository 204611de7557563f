import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeValidationError } from '../../src/http/plugins/validation-message.js';
import { idPattern } from '../../src/http/schemas/common-schemas.js';

test('names the field at fault for each kind of schema failure', () => {
  const cases: [Parameters<typeof describeValidationError>, string][] = [
    [
      [
        [
          {
            keyword: 'type',
            instancePath: '/name',
            params: { type: 'string' },
            message: 'must be string',
          },
        ],
        'body',
      ],
      'Invalid body field `name`: must be string.',
    ],
    [
      [
        [{ keyword: 'required', instancePath: '', params: { requiredProperties: ['name'] } }],
        'body',
      ],
      'Missing body field `name`.',
    ],
    [
      [
        [
          { keyword: 'boolean', instancePath: '/nmae', params: {}, message: 'schema is false' },
          {
            keyword: 'additionalProperties',
            instancePath: '',
            params: { additionalProperties: ['nmae'] },
          },
        ],
        'body',
      ],
      'Unknown body field `nmae`; the accepted fields are listed in /openapi.json.',
    ],
    [
      [
        [
          { keyword: 'type', instancePath: '/description', params: { type: 'string' } },
          { keyword: 'type', instancePath: '/description', params: { type: 'null' } },
          {
            keyword: 'anyOf',
            instancePath: '/description',
            params: {},
            message: 'must match a schema in anyOf',
          },
        ],
        'body',
      ],
      'Invalid body field `description`: must be string or null.',
    ],
    [
      [
        [
          {
            keyword: 'maxLength',
            instancePath: '/description',
            params: { limit: 3 },
            message: 'must not have more than 3 characters',
          },
          { keyword: 'type', instancePath: '/description', params: { type: 'null' } },
          { keyword: 'anyOf', instancePath: '/description', params: {} },
        ],
        'body',
      ],
      'Invalid body field `description`: must not have more than 3 characters.',
    ],
    [
      [[{ keyword: 'pattern', instancePath: '/id', params: { pattern: idPattern } }], 'params'],
      'Invalid path parameter `id`: must be a positive integer id, such as 42.',
    ],
    [
      [
        [{ keyword: 'minimum', instancePath: '/limit', params: {}, message: 'must be >= 1' }],
        'querystring',
      ],
      'Invalid query parameter `limit`: must be >= 1.',
    ],
    [
      [
        [
          {
            keyword: 'type',
            instancePath: '',
            params: { type: 'object' },
            message: 'must be object',
          },
        ],
        'body',
      ],
      'Invalid request body: must be object.',
    ],
    [
      [
        [
          {
            keyword: 'type',
            instancePath: '/tags/0/a~1b',
            params: { type: 'string' },
            message: 'must be string',
          },
        ],
        'body',
      ],
      'Invalid body field `tags[0].a/b`: must be string.',
    ],
  ];
  for (const [args, expected] of cases) {
    assert.equal(describeValidationError(...args), expected);
  }
});
