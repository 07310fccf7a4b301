// The value formats of the configuration schema. Each format says what it accepts in
// words (`allowed`), gives an example and checks a value, so that a wrong setting is
// refused when the configuration loads with one line naming the variable, the value,
// what is allowed and an example (src/config/load.ts). The README's "Type" column comes
// from `type` (src/config/docs.ts).
import { isIP } from 'node:net';
import convict from 'convict';
import { DateTime } from 'luxon';
import cron from 'node-cron';

export interface Format {
  /** Registered convict format name, used in src/config/schema.ts. */
  name: string;
  /** Short type for the README table. */
  type: string;
  /** What is accepted, in words. */
  allowed: string;
  /** A valid value, for the error message. */
  example: string;
  /** Why `v` (already coerced) is not accepted; undefined when it is. */
  problem(v: unknown): string | undefined;
  /** From the environment's string to the configuration's type; returns the input when it cannot. */
  coerce(v: unknown): unknown;
}

const keep = (v: unknown): unknown => v;

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

const bool: Format = {
  name: 'strict-boolean',
  type: 'boolean',
  allowed: 'true, false, 1, 0, yes, no, on or off',
  example: 'false',
  problem: (v) => (typeof v === 'boolean' ? undefined : 'is not a yes/no value'),
  coerce(v) {
    if (typeof v !== 'string') return v;
    const s = v.trim().toLowerCase();
    if (TRUE.has(s)) return true;
    if (FALSE.has(s)) return false;
    return v;
  },
};

/** A whole number from `min` to `max`. */
function intRange(min: number, max: number, example: number, name = `int:${min}:${max}`): Format {
  return {
    name,
    type: `integer ${min}–${max}`,
    allowed: `a whole number from ${min} to ${max}`,
    example: String(example),
    problem(v) {
      if (typeof v !== 'number' || !Number.isInteger(v)) return 'is not a whole number';
      if (v < min) return `is below ${min}`;
      if (v > max) return `is above ${max}`;
      return undefined;
    },
    coerce: (v) => (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : v),
  };
}

/** A URL with an http(s) scheme and a host; `optional` also accepts the empty string. */
function httpUrl(optional: boolean, example: string): Format {
  return {
    name: optional ? 'http-url-or-empty' : 'http-url',
    type: optional ? 'URL or empty' : 'URL',
    allowed: `an http:// or https:// URL with a host${optional ? ', or empty' : ''}`,
    example,
    problem(v) {
      if (optional && v === '') return undefined;
      let url: URL;
      try {
        url = new URL(String(v));
      } catch {
        return 'is not a URL';
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'has no http:// or https:// scheme';
      if (!url.hostname) return 'has no host';
      return undefined;
    },
    coerce: (v) => (typeof v === 'string' ? v.trim() : v),
  };
}

/** The newest calendar day anywhere on earth right now (UTC+14). */
const latestDayOnEarth = (nowMs: number): string => DateTime.fromMillis(nowMs, { zone: 'UTC+14' }).toISODate()!;

const isoDateOrEmpty: Format = {
  name: 'iso-date-or-empty',
  type: 'YYYY-MM-DD',
  allowed: 'a calendar day YYYY-MM-DD that is not in the future, or empty (one year back)',
  example: '2024-01-01',
  problem(v) {
    if (v === '') return undefined;
    if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return 'is not a date YYYY-MM-DD';
    if (!DateTime.fromISO(v, { zone: 'UTC' }).isValid) return 'is not a calendar day';
    if (v > latestDayOnEarth(Date.now())) return 'is in the future';
    return undefined;
  },
  coerce: (v) => (typeof v === 'string' ? v.trim() : v),
};

const ianaZone: Format = {
  name: 'iana-zone',
  type: 'IANA zone',
  allowed: 'an IANA time zone name',
  example: 'Europe/Berlin',
  problem(v) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: String(v) });
      return undefined;
    } catch {
      return 'is not an IANA time zone';
    }
  },
  coerce: keep,
};

/** True when node-cron (the scheduler) accepts the expression. */
export const isCronExpression = (expr: string): boolean => cron.validate(expr);

const cronFormat: Format = {
  name: 'cron',
  type: 'cron expression',
  allowed: 'a cron expression of 5 fields (minute hour day month weekday) or 6 (with seconds first)',
  example: '*/30 * * * *',
  problem: (v) => (typeof v === 'string' && isCronExpression(v) ? undefined : 'is not a valid cron expression'),
  coerce: (v) => (typeof v === 'string' ? v.trim() : v),
};

/**
 * Account names become a folder under STATE_DIR and the `user` tag: letters, digits, `_`,
 * `-` and `.`, not starting with a dot (so never `.`, `..` or a hidden folder), at most 64.
 */
export const ACCOUNT_NAME_RE = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$/;
export const ACCOUNT_NAME_ALLOWED = 'letters, digits, _ - and . (not first), at most 64 characters';

const accountNameOrEmpty: Format = {
  name: 'account-name-or-empty',
  type: 'name',
  allowed: `${ACCOUNT_NAME_ALLOWED}, or empty (the Huami user id)`,
  example: 'anna',
  problem: (v) => (v === '' || (typeof v === 'string' && ACCOUNT_NAME_RE.test(v)) ? undefined : 'is not a safe account name'),
  coerce: keep,
};

const HOSTNAME_RE = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

const bindHost: Format = {
  name: 'bind-host',
  type: 'address',
  allowed: 'an IP address (0.0.0.0 = every interface, 127.0.0.1 = this machine only, :: for IPv6) or a host name',
  example: '0.0.0.0',
  problem: (v) => (typeof v === 'string' && (isIP(v) !== 0 || HOSTNAME_RE.test(v)) ? undefined : 'is not an IP address or host name'),
  coerce: (v) => (typeof v === 'string' ? v.trim() : v),
};

/** One of a fixed list of words. */
export function oneOf<const T extends string>(values: readonly T[]): Format {
  return {
    name: `one-of:${values.join('|')}`,
    type: values.join(' \\| '),
    allowed: `one of ${values.join(', ')}`,
    example: values[0] ?? '',
    problem: (v) => (values.includes(v as T) ? undefined : 'is not one of the choices'),
    coerce: (v) => (typeof v === 'string' ? v.trim() : v),
  };
}

const registry = new Map<string, Format>();

/** Register a format with convict (once) and return its name for a schema entry. */
export function use(f: Format): string {
  if (!registry.has(f.name)) {
    registry.set(f.name, f);
    convict.addFormat({
      name: f.name,
      validate(v: unknown) {
        const p = f.problem(v);
        if (p) throw new Error(`${p}; allowed: ${f.allowed}`);
      },
      coerce: f.coerce,
    });
  }
  return f.name;
}

/** The format registered under `name`, if it is one of ours. */
export const formatNamed = (name: unknown): Format | undefined => (typeof name === 'string' ? registry.get(name) : undefined);

export const formats = {
  bool,
  intRange,
  httpUrl,
  isoDateOrEmpty,
  ianaZone,
  cron: cronFormat,
  accountNameOrEmpty,
  bindHost,
  oneOf,
};
