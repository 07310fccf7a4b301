// The stack files checked without a Docker engine:
// both Compose implementations, yamllint, dockerfilelint, and what the files promise.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SECRET_KEYS, schema } from '../../src/config/schema.js';
import { COMPOSE_PATH, interpolate, loadCompose, reference } from '../support/daemon-compose.js';

const root = new URL('../../', import.meta.url).pathname;
const COMPOSE_V2 = `${root}tools/compose-v2/usr/libexec/docker/cli-plugins/docker-compose`;
const compose = loadCompose();
const sync = compose.services['mifit-sync']!;

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, error: r.error };
}

describe('docker-compose.yml is valid', () => {
  it('passes `docker-compose config -q` (Compose 1.29, no newer keys)', () => {
    const r = run('docker-compose', ['-f', COMPOSE_PATH.pathname, 'config', '-q']);
    expect(r.error, 'docker-compose 1.29 must be installed (apt-get install --no-install-recommends docker-compose)').toBeUndefined();
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  it.skipIf(!existsSync(COMPOSE_V2))('passes Compose v2 `config -q` (skipped only when scripts/install-compose-v2.sh has not been run)', () => {
    const r = run(COMPOSE_V2, ['-f', COMPOSE_PATH.pathname, 'config', '-q']);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });
  if (!existsSync(COMPOSE_V2)) console.warn(`Compose v2 check SKIPPED: ${COMPOSE_V2} is absent; run scripts/install-compose-v2.sh`);

  it('passes yamllint (default rules, lines up to 100)', () => {
    const r = run('yamllint', ['-f', 'parsable', '-d', '{extends: default, rules: {line-length: {max: 100}}}', 'docker-compose.yml']);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(`${root}Dockerfile`, 'utf8');

  it('passes dockerfilelint', () => {
    const r = run(`${root}node_modules/.bin/dockerfilelint`, ['Dockerfile']);
    expect(r.out).toContain('Issues: None found');
    expect(r.code).toBe(0);
  });

  it('uses the Node major of package.json engines and of the node devDependency the tests run on', () => {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { engines: { node: string }; devDependencies: Record<string, string> };
    const majors = [...dockerfile.matchAll(/^FROM node:(\d+)-/gm)].map((m) => Number(m[1]));
    expect(majors.length).toBeGreaterThanOrEqual(2);
    const engines = Number(/>=\s*(\d+)/.exec(pkg.engines.node)?.[1]);
    const dev = Number(/(\d+)/.exec(pkg.devDependencies.node ?? '')?.[1]);
    expect(new Set([...majors, engines, dev])).toEqual(new Set([engines]));
    expect(Number(process.versions.node.split('.')[0])).toBe(engines);
  });

  it('is multi-stage with production dependencies only, a non-root user, an init, a healthcheck and the daemon as default command', () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/tini/);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--", "node", "dist\/cli\.js"\]$/m);
    expect(dockerfile).toMatch(/^CMD \["daemon"\]$/m);
    expect(dockerfile).toMatch(/STATE_DIR=\/data/);
  });
});

describe('the stack in docker-compose.yml', () => {
  it('pins InfluxDB 2.7.x and Grafana 12.x', () => {
    expect(compose.services.influxdb?.image).toMatch(/^influxdb:2\.7\.\d+$/);
    expect(compose.services.grafana?.image).toMatch(/^grafana\/grafana:12\.\d+\.\d+$/);
  });

  it('has a healthcheck and a restart policy on every service', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      expect(s.healthcheck?.test, name).toBeDefined();
      expect(s.restart, name).toBe('unless-stopped');
    }
  });

  it('starts mifit-sync (built here) after InfluxDB is healthy, with a named volume for STATE_DIR', () => {
    expect(sync.build).toBe('.');
    expect(sync.depends_on?.influxdb?.condition).toBe('service_healthy');
    expect(sync.environment?.STATE_DIR).toBe('/data');
    const vol = sync.volumes?.find((v) => v.endsWith(':/data'))?.split(':')[0];
    expect(vol && compose.volumes && vol in compose.volumes).toBe(true);
  });

  it('lets the daemon listen on every interface of the container (the image and compose set HTTP_HOST=0.0.0.0)', () => {
    expect(sync.environment?.HTTP_HOST).toBe('0.0.0.0');
    expect(readFileSync(`${root}Dockerfile`, 'utf8')).toMatch(/^\s+HTTP_HOST=0\.0\.0\.0 \\$/m);
  });

  it('gives mifit-sync a stop grace period longer than the daemon\'s 20 s shutdown wait', () => {
    expect(Number(/^(\d+)s$/.exec(sync.stop_grace_period ?? '')?.[1])).toBeGreaterThan(20);
  });

  it('mounts the Grafana provisioning read-only', () => {
    expect(compose.services.grafana?.volumes).toEqual(
      expect.arrayContaining(['./grafana/provisioning:/etc/grafana/provisioning:ro', './grafana/dashboards:/var/lib/grafana/dashboards:ro']),
    );
  });

  it('starts Grafana through an entrypoint script that the provisioning mount really provides', () => {
    const ep = compose.services.grafana?.entrypoint;
    const script = Array.isArray(ep) ? ep.find((a) => a.startsWith('/etc/grafana/provisioning/')) : undefined;
    if (!script) return expect(ep).toBeUndefined();
    expect(existsSync(`${root}grafana/provisioning/${script.slice('/etc/grafana/provisioning/'.length)}`)).toBe(true);
  });

  it('publishes Grafana on the LAN but never with a default admin password (the entrypoint generates one)', () => {
    const g = compose.services.grafana;
    expect(interpolate(String(g?.environment?.GF_SECURITY_ADMIN_PASSWORD), {})).toBe('');
    expect(interpolate(String(g?.environment?.GF_SECURITY_ADMIN_PASSWORD), { GRAFANA_ADMIN_PASSWORD: 'mine' })).toBe('mine');
    expect(g?.ports?.map((p) => interpolate(String(p), {}))).toEqual(['3000:3000']);
    expect(readFileSync(`${root}grafana/provisioning/entrypoint.sh`, 'utf8')).toContain('mifit-admin-password');
  });

  it('initialises InfluxDB in setup mode from the same org, bucket and token the daemon and Grafana use', () => {
    const env = {}; // a fresh clone: no .env
    const i = (s: string, k: string): string => interpolate(String(compose.services[s]?.environment?.[k]), env);
    expect(i('influxdb', 'DOCKER_INFLUXDB_INIT_MODE')).toBe('setup');
    for (const svc of ['mifit-sync', 'grafana']) {
      expect(i(svc, 'INFLUX_ORG')).toBe(i('influxdb', 'DOCKER_INFLUXDB_INIT_ORG'));
      expect(i(svc, 'INFLUX_BUCKET')).toBe(i('influxdb', 'DOCKER_INFLUXDB_INIT_BUCKET'));
      expect(i(svc, 'INFLUX_TOKEN')).toBe(i('influxdb', 'DOCKER_INFLUXDB_INIT_ADMIN_TOKEN'));
    }
    // ...and follows .env when it sets them.
    const mine = { INFLUX_TOKEN: 'from-dot-env' };
    expect(interpolate(String(sync.environment?.INFLUX_TOKEN), mine)).toBe('from-dot-env');
    expect(interpolate(String(compose.services.influxdb?.environment?.DOCKER_INFLUXDB_INIT_ADMIN_TOKEN), mine)).toBe('from-dot-env');
  });

  it('never writes a secret inline: secrets come from .env, and only clearly marked demo defaults exist', () => {
    const secretNames = new Set<string>([...SECRET_KEYS, 'DOCKER_INFLUXDB_INIT_PASSWORD', 'DOCKER_INFLUXDB_INIT_ADMIN_TOKEN', 'GF_SMTP_PASSWORD']);
    for (const [svc, s] of Object.entries(compose.services)) {
      for (const [k, v] of Object.entries(s.environment ?? {})) {
        if (!secretNames.has(k)) continue;
        const ref = reference(String(v));
        expect(ref, `${svc}.${k} must be \${VAR:-...}`).toBeDefined();
        if (ref?.def) expect(ref.def, `${svc}.${k}`).toMatch(/^demo-.*change-me$/);
      }
    }
  });

  it('passes only schema variables to the daemon, with the schema defaults unless a stack value is intended', () => {
    const stackValues = new Set(['INFLUX_URL', 'INFLUX_API_VERSION', 'INFLUX_ORG', 'INFLUX_BUCKET', 'INFLUX_TOKEN', 'STATE_DIR', 'HTTP_HOST']);
    const keys = schema as Record<string, { default: unknown }>;
    for (const [k, v] of Object.entries(sync.environment ?? {})) {
      const fileOf = k.endsWith('_FILE') && (SECRET_KEYS as readonly string[]).includes(k.slice(0, -5));
      expect(keys[fileOf ? k.slice(0, -5) : k], `${k} is not in src/config/schema.ts`).toBeDefined();
      if (stackValues.has(k) || fileOf) continue;
      expect(interpolate(String(v), {}), k).toBe(String(keys[k]!.default));
    }
  });
});
