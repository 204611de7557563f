// The settings of file storage: where files go (a folder or S3), how uploads reach it and how
// large they may be, and what purge aborts or keeps. One part of the catalogue that
// setting-definitions.ts assembles; pure, like the rest of it.

import { parseStorageLocation } from '../storage/storage-location.js';
import * as defaults from './config-defaults.js';
import { defineSetting } from './define-setting.js';
import { formatByteSize, formatDuration, parseByteSize, parseDuration } from './quantities.js';
import {
  parseBoolean,
  parseCheckedText,
  parseHttpUrl,
  parseQuantity,
  parseRegion,
  parseWholeNumber,
} from './setting-parsers.js';

export const storageSettings = {
  storage: defineSetting<string>({
    variable: 'DATA_REGISTRY_STORAGE',
    flag: '--storage',
    valueName: '<location>',
    isSecret: false,
    description: 'where files are stored: a folder or s3://bucket/optional/prefix',
    defaultText: defaults.defaultStorageLocation,
    // parseStorageLocation throws INVALID_CONFIG, which names the accepted forms.
    parse: parseCheckedText(parseStorageLocation),
  }),
  s3Endpoint: defineSetting<string>({
    variable: 'DATA_REGISTRY_S3_ENDPOINT',
    flag: '--s3-endpoint',
    valueName: '<url>',
    isSecret: false,
    description: 'S3-compatible endpoint URL: MinIO, Ceph, R2…',
    defaultText: 'AWS S3',
    parse: parseHttpUrl,
  }),
  s3Region: defineSetting<string>({
    variable: 'DATA_REGISTRY_S3_REGION',
    flag: '--s3-region',
    valueName: '<region>',
    isSecret: false,
    description: 'region of the bucket',
    defaultText: "the AWS SDK's, e.g. AWS_REGION",
    parse: parseRegion,
  }),
  s3ForcePathStyle: defineSetting<boolean>({
    variable: 'DATA_REGISTRY_S3_FORCE_PATH_STYLE',
    flag: '--s3-force-path-style',
    valueName: '[bool]',
    preset: 'true',
    isSecret: false,
    description: 'address buckets as endpoint/bucket/key (most S3-compatible stores need it)',
    defaultText: 'false',
    parse: parseBoolean,
  }),
  s3PartSize: defineSetting<number>({
    variable: 'DATA_REGISTRY_S3_PART_SIZE',
    flag: '--s3-part-size',
    valueName: '<size>',
    isSecret: false,
    description:
      'part size of uploads streamed through the server to S3 (5MiB to 5GiB; three parts per upload are in memory)',
    defaultText: '8MiB',
    parse: parseQuantity((text) => {
      const bytes = parseByteSize(text);
      return bytes !== undefined && bytes >= 5 * 2 ** 20 && bytes <= 5 * 2 ** 30
        ? bytes
        : undefined;
    }, 'a size from 5MiB to 5GiB, such as 8MiB or 64MiB'),
  }),
  maxUploadBytes: defineSetting<number>({
    variable: 'DATA_REGISTRY_MAX_UPLOAD_BYTES',
    flag: '--max-upload-bytes',
    valueName: '<size>',
    isSecret: false,
    description: 'largest file accepted: bytes, or 500MB, 10GiB…',
    defaultText: formatByteSize(defaults.defaultMaxUploadBytes),
    parse: parseQuantity(parseByteSize, 'a size in bytes, or with a unit such as 500MB or 10GiB'),
  }),
  uploadSessionMaxAge: defineSetting<number>({
    variable: 'DATA_REGISTRY_UPLOAD_SESSION_MAX_AGE',
    flag: '--upload-session-max-age',
    valueName: '<duration>',
    isSecret: false,
    description: 'idle time after which purge aborts an upload session: 30m, 12h, 7d…',
    defaultText: formatDuration(defaults.defaultUploadSessionMaxAgeMs),
    parse: parseQuantity(parseDuration, 'a duration such as 90m, 12h, 7d or 2w'),
  }),
  keepVersions: defineSetting<number>({
    variable: 'DATA_REGISTRY_KEEP_VERSIONS',
    flag: '--keep-versions',
    valueName: '<n>',
    isSecret: false,
    description:
      'purge keeps the n newest versions of each live file, however old (superseded versions past --older-than go otherwise)',
    defaultText: 'none: the latest only',
    parse: parseWholeNumber(1, 1_000_000),
  }),
} as const;
