// Test-side readers of the workout wire format, written from docs/huami-api.md "Workouts"
// independently of src/decode: the delta strings summed by hand, so expectations never come
// from the decoder under test.

/** `a,b;c,d;` → [[a, b], [c, d]] as numbers (empty component → NaN). */
export function parseRecords(s: string): number[][] {
  return s.split(';').filter((r) => r !== '').map((r) => r.split(',').map((c) => (c === '' ? NaN : Number(c))));
}

/** Cumulative sums of column `col` (the sentinel -2000000 leaves the sum unchanged). */
export function cumulative(rows: number[][], col: number, start = 0): number[] {
  let acc = start;
  return rows.map((r) => {
    const v = r[col] ?? NaN;
    if (v !== -2_000_000) acc += v;
    return acc;
  });
}
