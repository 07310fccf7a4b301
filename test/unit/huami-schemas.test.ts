// The band_data boundary: tolerant of the uncertain variants (docs/huami-api.md "Response envelope"), precise on a mismatch.
import { describe, expect, it } from 'vitest';
import { chunkRange } from '../../src/fetch/band-data.js';
import { HuamiError } from '../../src/fetch/errors.js';
import { hostUrl, pickHost } from '../../src/auth/hosts.js';
import { parseBandData } from '../../src/fetch/schemas.js';

const item = (over: Record<string, unknown> = {}) => ({
  uid: '1000000001',
  data_type: 0,
  date_time: '2026-02-06',
  source: 10289411,
  summary: 'eyJ2Ijo2fQ==',
  device_id: 'FAKEDEVICEID01',
  uuid: '00000000-0000-0000-0000-000000000000',
  ...over,
});

function mismatch(body: unknown): HuamiError {
  try {
    parseBandData(body);
  } catch (err) {
    return err as HuamiError;
  }
  throw new Error('expected a schema mismatch');
}

describe('parseBandData', () => {
  it('keeps remote names and passes unknown members through', () => {
    const [d] = parseBandData({ code: 1, message: 'success', data: [item({ data: 'AAAA', data_hr: '//8=', extra: 7 })] });
    expect(d).toMatchObject({ date_time: '2026-02-06', summary: 'eyJ2Ijo2fQ==', data: 'AAAA', data_hr: '//8=', extra: 7 });
  });

  it('accepts uid and source as numbers or strings (both seen)', () => {
    const [d] = parseBandData({ code: 1, data: [item({ uid: 1000000001, source: '24' })] });
    expect(d?.uid).toBe('1000000001');
    expect(d?.source).toBe('24');
  });

  it('tolerates the synthetic-fixture variants: data keyed by date, `sum` for summary, `date` for date_time', () => {
    const days = parseBandData({ code: 1, data: { '2026-02-07': { sum: 'e30=' }, x: { date: '2026-02-08', summary: 'e30=' } } });
    expect(days.map((d) => [d.date_time, d.summary])).toEqual([
      ['2026-02-07', 'e30='],
      ['2026-02-08', 'e30='],
    ]);
  });

  it('an empty range is an empty list (days without data are omitted)', () => {
    expect(parseBandData({ code: 1, message: 'success', data: [] })).toEqual([]);
  });

  it('a wrong field names the day and the field path', () => {
    const err = mismatch({ code: 1, data: [item(), item({ date_time: '2026-02-07', summary: 42 })] });
    expect(err).toBeInstanceOf(HuamiError);
    expect(err.code).toBe('HUAMI_SCHEMA_MISMATCH');
    expect(err.message).toContain('day 2026-02-07');
    expect(err.message).toContain('data[1].summary');
  });

  it('a day without date_time is named by its index', () => {
    expect(mismatch({ code: 1, data: [{ summary: 'e30=' }] }).message).toContain('data[0] (no date_time).date_time');
  });

  it('a non-success envelope code is a remote error, not a mismatch', () => {
    expect(mismatch({ code: -50000, message: 'boom' }).code).toBe('HUAMI_REMOTE_ERROR');
  });
});

describe('chunkRange', () => {
  it.each([
    ['2026-01-01', '2026-01-01', 30, [['2026-01-01', '2026-01-01']]],
    ['2026-01-01', '2026-01-10', 4, [['2026-01-01', '2026-01-04'], ['2026-01-05', '2026-01-08'], ['2026-01-09', '2026-01-10']]],
    ['2026-02-27', '2026-03-02', 2, [['2026-02-27', '2026-02-28'], ['2026-03-01', '2026-03-02']]],
    ['2026-03-28', '2026-03-30', 30, [['2026-03-28', '2026-03-30']]], // across the EU DST switch: calendar days, no drift
    ['2026-01-05', '2026-01-01', 30, []],
  ])('%s..%s by %i', (from, to, days, expected) => {
    expect(chunkRange(from, to, days).map((c) => [c.from, c.to])).toEqual(expected);
  });
});

describe('hosts', () => {
  it('picks the regional cname of the generic host from domains, else the generic host', () => {
    const domains = [{ host: 'api-mifit.huami.com', cnames: ['api-mifit-de2.huami.com'] }];
    expect(pickHost(domains, 'api-mifit.huami.com')).toBe('api-mifit-de2.huami.com');
    expect(pickHost(domains, 'account.huami.com')).toBe('account.huami.com');
    expect(pickHost(undefined, 'api-mifit.huami.com')).toBe('api-mifit.huami.com');
  });
  it('routes every host to the base URL when one is set, keeping its path prefix', () => {
    expect(hostUrl('api-mifit-de2.huami.com', '/v1/data/band_data.json').href).toBe('https://api-mifit-de2.huami.com/v1/data/band_data.json');
    expect(hostUrl('api-mifit-de2.huami.com', '/v1/data/band_data.json', 'http://127.0.0.1:9/huami/').href).toBe('http://127.0.0.1:9/huami/v1/data/band_data.json');
  });
});
