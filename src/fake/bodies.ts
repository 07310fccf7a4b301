// The fake cloud's faulty bodies: an answer of any size streamed from one small chunk (a
// 300 MB answer costs the server 64 KB of memory) and an answer cut off half way.
import type { ServerResponse } from 'node:http';

const CHUNK = 64 * 1024;
const HEAD = '{"code":1,"message":"success","data":"';
const TAIL = '"}';

/** A JSON answer of exactly `bytes` bytes (at least its frame), written with back-pressure; stops when the client goes away. */
export async function sendOversized(res: ServerResponse, bytes: number, chunked: boolean): Promise<void> {
  const total = Math.max(bytes, HEAD.length + TAIL.length);
  res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', ...(chunked ? {} : { 'content-length': String(total) }) });
  const filler = Buffer.alloc(CHUNK, 'A');
  let left = total - HEAD.length - TAIL.length;
  res.write(HEAD);
  while (left > 0 && !res.destroyed) {
    const n = Math.min(left, CHUNK);
    left -= n;
    if (!res.write(n === CHUNK ? filler : filler.subarray(0, n))) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  if (!res.destroyed) res.end(TAIL);
}

/** Announce a body twice as long as what is sent, then close the connection. */
export function sendTruncated(res: ServerResponse): void {
  const part = '{"code":1,"message":"success","data":[{"uid":"cut off here';
  res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-length': String(part.length * 2) });
  res.write(part, () => res.socket?.destroy());
}
