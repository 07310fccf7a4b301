// Builds a golden case's response.json (a band_data.json response as the API returns it:
// base64 summary and blobs, docs/huami-api.md "Response envelope") from its readable input.json, so the inputs can
// be read and edited. Run `node test/golden/make.ts` to rebuild every response.json; the
// golden test checks that response.json and input.json agree.
//
// input.json: { "items": [ItemInput...], "envelope"?: {code, message} }
// ItemInput keys (all others are copied verbatim):
//   summary      object → base64(JSON); a string is copied verbatim (e.g. not base64)
//   summaryText  text → base64(text) into `summary` (e.g. broken JSON)
//   data_hr      { fill, runs?: [[from, toInclusive, bpm]], set?: {minute: bpm}, length? } → base64
//   data         { width?: 3, fill: [bytes], runs?: [[from, toInclusive, [bytes]]], length? } → base64
//   bare         true: do not add the default uid/data_type/source/device_id/uuid keys
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

type BlobSpec = { fill: number | number[]; width?: number; length?: number; runs?: [number, number, number | number[]][]; set?: Record<string, number | number[]> };
type ItemInput = Record<string, unknown> & { summary?: unknown; summaryText?: string; data?: unknown; data_hr?: unknown; bare?: boolean };
export interface GoldenInput {
  items: ItemInput[];
  envelope?: Record<string, unknown>;
}

const b64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64');

/** A minute blob (1 byte per minute for data_hr, `width` bytes for data) from a readable spec. */
export function buildBlob(spec: BlobSpec, defaultWidth: number): string {
  const width = spec.width ?? (Array.isArray(spec.fill) ? spec.fill.length : defaultWidth);
  const minutes = spec.length ?? 1440;
  const bytes = new Uint8Array(minutes * width);
  const put = (m: number, v: number | number[]): void => {
    const rec = Array.isArray(v) ? v : [v];
    for (let k = 0; k < width; k++) bytes[m * width + k] = rec[k] ?? 0;
  };
  for (let m = 0; m < minutes; m++) put(m, spec.fill);
  for (const [from, to, v] of spec.runs ?? []) for (let m = from; m <= to; m++) put(m, v);
  for (const [m, v] of Object.entries(spec.set ?? {})) put(Number(m), v);
  return b64(bytes);
}

function buildItem(input: ItemInput): Record<string, unknown> {
  const { summary, summaryText, data, data_hr, bare, ...rest } = input;
  const item: Record<string, unknown> = bare ? {} : { uid: '1000000001', data_type: 0 };
  Object.assign(item, rest);
  if (summaryText !== undefined) item.summary = b64(summaryText);
  else if (summary !== undefined) item.summary = typeof summary === 'string' ? summary : b64(JSON.stringify(summary));
  if (!bare) Object.assign(item, { source: item.source ?? 10289411, device_id: item.device_id ?? 'FAKEDEVICEID01', uuid: item.uuid ?? '00000000-0000-0000-0000-000000000000' });
  if (data !== undefined) item.data = typeof data === 'object' && data !== null ? buildBlob(data as BlobSpec, 3) : data;
  if (data_hr !== undefined) item.data_hr = typeof data_hr === 'object' && data_hr !== null ? buildBlob(data_hr as BlobSpec, 1) : data_hr;
  return item;
}

/** input.json → the response body the API would send. */
export function buildResponse(input: GoldenInput): unknown {
  return { code: 1, message: 'success', ...input.envelope, data: input.items.map(buildItem) };
}

/** The case folders under test/golden. */
export function goldenCases(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'input.json'))) // events/ holds the health-event cases
    .map((e) => e.name)
    .sort();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  for (const name of goldenCases(dir)) {
    const input = JSON.parse(readFileSync(join(dir, name, 'input.json'), 'utf8')) as GoldenInput;
    writeFileSync(join(dir, name, 'response.json'), `${JSON.stringify(buildResponse(input), null, 2)}\n`);
    process.stdout.write(`${name}/response.json\n`);
  }
}
