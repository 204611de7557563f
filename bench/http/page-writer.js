// What writing a page of 100 records costs, in one process: the stored metadata text spliced in
// by the page's writer (src/http/json-text-serializer.ts), against the same metadata parsed and
// written from the response schema by fast-json-stringify (what Fastify does with an object).
// Cited by docs/benchmarks.md, "Notes behind the code: HTTP and storage".
//   npm run build && node bench/http/page-writer.js
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
// fast-json-stringify is Fastify's own dependency: take the copy Fastify uses.
const build = createRequire(`${root}node_modules/fastify/package.json`)('fast-json-stringify');
const records = await import(`${root}dist/http/schemas/record-schemas.js`);
const { toPageJson } = await import(`${root}dist/http/schemas/common-schemas.js`);
const { writerOf } = await import(`${root}dist/http/json-text-serializer.js`);

const writeWithSchema = build(JSON.parse(JSON.stringify(records.RecordPage)));
const writeWithText = writerOf(records.RecordPage);

function median(values) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** Microseconds per page, median of 7 rounds of 10,000 pages, the two ways taking turns. */
function measure(metadata) {
  const items = Array.from({ length: 100 }, (_, i) => ({
    id: String(i + 1),
    name: `bench-record-${i}`,
    description: 'benchmark record',
    metadata,
    storageId: `bench-record-${i}-20261125T093000123Z-a1b2c3`,
    createdAt: '2026-11-25T09:30:00.123Z',
    updatedAt: '2026-11-25T09:30:00.123Z',
    deletedAt: null,
  }));
  const page = { items, nextCursor: 'cmVjb3JkczoxMDA' };
  const ways = {
    text: () => writeWithText(toPageJson(page, records.toRecordJson)),
    schema: () =>
      writeWithSchema(
        toPageJson(page, (record) => ({
          ...records.toRecordJson(record),
          metadata: JSON.parse(record.metadata),
        })),
      ),
  };
  if (ways.text() !== ways.schema()) throw new Error('the two ways write different bytes');
  const times = { text: [], schema: [] };
  for (let round = 0; round < 7; round += 1) {
    for (const [way, write] of Object.entries(ways)) {
      for (let i = 0; i < 1000; i += 1) write();
      const start = process.hrtime.bigint();
      for (let i = 0; i < 10_000; i += 1) write();
      times[way].push(Number(process.hrtime.bigint() - start) / 10_000 / 1000);
    }
  }
  return { text: median(times.text), schema: median(times.schema) };
}

const small = JSON.stringify({ source: 'bench', n: 1 });
const large = JSON.stringify(
  Object.fromEntries(
    Array.from({ length: 20 }, (_, i) => [
      `key${i}`,
      { value: i, label: `label ${i}`, tags: ['a'] },
    ]),
  ),
);
for (const metadata of [small, large]) {
  const { text, schema } = measure(metadata);
  console.log(
    `metadata of ${metadata.length} B: JsonText ${text.toFixed(0)} µs, parsed + schema ${schema.toFixed(0)} µs per page of 100 (${(schema / text).toFixed(1)}×)`,
  );
}
