import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatStorageLocation, parseStorageLocation } from '../../src/storage/storage-location.js';

test('reads folder paths as local locations, as given', () => {
  for (const folder of [
    './data/files',
    'data',
    '/srv/registry/files',
    '../shared files',
    'C:\\data',
  ])
    assert.deepEqual(parseStorageLocation(folder), { kind: 'local', folder });
});

test('reads s3:// URLs as bucket and prefix, without slashes at the ends of the prefix', () => {
  const cases: [string, string, string][] = [
    ['s3://my-bucket', 'my-bucket', ''],
    ['s3://my-bucket/', 'my-bucket', ''],
    ['s3://my-bucket/files', 'my-bucket', 'files'],
    ['s3://my.bucket/a/b/c/', 'my.bucket', 'a/b/c'],
    ['S3://data-registry-prod/registry', 'data-registry-prod', 'registry'],
  ];
  for (const [location, bucket, prefix] of cases)
    assert.deepEqual(parseStorageLocation(location), { kind: 's3', bucket, prefix }, location);
});

test('refuses other schemes, bad bucket names and unsafe prefixes with one readable line', () => {
  const cases: [string, RegExp][] = [
    ['', /is empty/],
    ['   ', /is empty/],
    ['gs://bucket/x', /gs:\/\/ is not supported/],
    ['https://bucket.s3.amazonaws.com/x', /https:\/\/ is not supported/],
    ['s3://', /"" is not a bucket name/],
    ['s3://ab', /"ab" is not a bucket name/],
    ['s3://My_Bucket', /"My_Bucket" is not a bucket name/],
    ['s3://bucket//x', /empty, "\." or "\.\." segment/],
    ['s3://bucket/a/../b', /empty, "\." or "\.\." segment/],
    ['s3://bucket/a\\b', /backslash/],
  ];
  for (const [location, message] of cases)
    assert.throws(
      () => parseStorageLocation(location),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'INVALID_CONFIG', location);
        assert.match(error.message, message, location);
        assert.match(error.message, /s3:\/\/bucket\/optional\/prefix/);
        assert.doesNotMatch(error.message, /\n/);
        return true;
      },
    );
});

test('formats a location back as logs show it', () => {
  assert.equal(formatStorageLocation(parseStorageLocation('./data/files')), './data/files');
  assert.equal(formatStorageLocation(parseStorageLocation('s3://b-1/x/y/')), 's3://b-1/x/y');
  assert.equal(formatStorageLocation(parseStorageLocation('s3://b-1')), 's3://b-1');
});
