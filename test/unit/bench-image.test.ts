import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IMAGE_MALLOC_ENV, IMAGE_V8_FLAGS } from '../../src/bench/image.js';

// npm run bench measures "the image's configuration": it must be the Dockerfile's.
describe("the bench's image settings", () => {
  const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
  it('uses the NODE_OPTIONS of the Dockerfile', () => {
    expect(/NODE_OPTIONS="([^"]*)"/.exec(dockerfile)?.[1]).toBe(IMAGE_V8_FLAGS);
  });
  it('uses the allocator settings of the Dockerfile', () => {
    for (const [k, v] of Object.entries(IMAGE_MALLOC_ENV)) expect(new RegExp(`^\\s*(?:ENV\\s+)?${k}=([^\\s\\\\]+)`, 'm').exec(dockerfile)?.[1]).toBe(v);
  });
});
