import { inject, describe, expect, it } from 'vitest';
import { createTestDatabase, influxQuery, rows } from '../support/influxd.js';

describe('test harness', () => {
  it('has a real InfluxDB 1.6.7 that stores and returns a point', async () => {
    const url = inject('influxUrl');
    const db = await createTestDatabase(url);
    const res = await fetch(`${url}/write?db=${db}&precision=s`, { method: 'POST', body: 'm,user=x v=1i 1700000000' });
    expect(res.status).toBe(204);
    const r = rows(await influxQuery(url, 'SELECT v FROM m', db));
    expect(r).toEqual([{ time: 1700000000, v: 1 }]);
  });
});
