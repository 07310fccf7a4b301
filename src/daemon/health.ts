// What /healthz answers, as a pure function of the daemon's state and the clock.
//
// Before the first run has finished the answer is 503 "starting", not 200: the container
// healthcheck has a start period (Dockerfile, docker-compose.yml) during which failures
// do not count, and `docker compose up --wait` then returns only once data has actually
// landed. A first backfill that outlasts the start period shows as unhealthy, which is
// the truth: nothing is in InfluxDB yet.
import type { DaemonSnapshot } from './status.js';

export interface HealthReport {
  httpStatus: 200 | 503;
  body: { status: 'ok' | 'starting' | 'failing'; reasons: string[] };
}

const minutes = (ms: number): number => Math.round(ms / 60_000);

/** 200 while every account's last sync succeeded within maxAgeMinutes and its credentials are valid. */
export function evaluateHealth(s: DaemonSnapshot, now: number, maxAgeMinutes: number): HealthReport {
  const anyFinished = s.accounts.some((a) => a.lastRun !== undefined || a.lastError !== undefined);
  if (!anyFinished && s.runCount === 0) {
    return { httpStatus: 503, body: { status: 'starting', reasons: ['the first sync has not finished yet'] } };
  }
  const reasons: string[] = [];
  if (s.accounts.length === 0) reasons.push('no account has reported a sync result');
  const maxAgeMs = maxAgeMinutes * 60_000;
  for (const a of s.accounts) {
    const name = `account "${a.account}"`;
    const failedLast = a.lastError !== undefined && (a.lastSuccessAt === undefined || a.lastError.at >= a.lastSuccessAt);
    if (failedLast && a.lastError) reasons.push(`${name}: last sync failed (${a.lastError.code}): ${a.lastError.message}`);
    else if (a.lastSuccessAt === undefined) reasons.push(`${name}: no successful sync yet`);
    else if (now - a.lastSuccessAt > maxAgeMs)
      reasons.push(`${name}: last successful sync ${minutes(now - a.lastSuccessAt)} min ago (HEALTH_MAX_AGE_MINUTES=${maxAgeMinutes})`);
    if (a.credentialsError) reasons.push(`${name}: credentials check failed (${a.credentialsError.code}): ${a.credentialsError.message}`);
    else if (a.tokenExpiresAt !== undefined && a.tokenExpiresAt <= now) reasons.push(`${name}: the app token has expired`);
  }
  return reasons.length
    ? { httpStatus: 503, body: { status: 'failing', reasons } }
    : { httpStatus: 200, body: { status: 'ok', reasons: [] } };
}
