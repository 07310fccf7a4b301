// Static check of the Grafana provisioning against how Grafana provisions (grafana/README.md,
// "One folder"): Grafana provisions alert rules before dashboards; a rule group names its
// folder by title and creates it with a generated uid, while a dashboard provider with a
// `folderUid` looks the folder up by that uid instead and creates a second folder of the same
// title. So: one reference style (title) everywhere, one title, no uid shared between
// folders, dashboards and the other provisioned objects, and a no-data behaviour on every rule.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { PROVISIONING_DIR, alertRules, loadDashboards, loadYaml, type Json } from '../support/grafana-files.js';

const rulesFile = loadYaml(join(PROVISIONING_DIR, 'alerting', 'rules.yaml'));
const providers = loadYaml(join(PROVISIONING_DIR, 'dashboards', 'mifit.yaml')).providers as Json[];
const datasources = loadYaml(join(PROVISIONING_DIR, 'datasources', 'influxdb.yaml')).datasources as Json[];
const groups = rulesFile.groups as Json[];
const dashboards = loadDashboards().map((d) => d.json);
const entrypoint = readFileSync(join(PROVISIONING_DIR, 'entrypoint.sh'), 'utf8');

/** Every folder reference: [kind, where, reference]. */
function folderRefs(): { where: string; title?: string; uid?: string }[] {
  return [
    ...providers.map((p) => ({ where: `dashboard provider ${p.name}`, title: p.folder as string | undefined, uid: p.folderUid as string | undefined })),
    ...groups.map((g) => ({ where: `rule group ${g.name}`, title: g.folder as string | undefined, uid: (g.folderUid ?? g.folderUID) as string | undefined })),
  ];
}

describe('grafana provisioning (static)', () => {
  it('references the folder one way only: by title, never by uid', () => {
    const refs = folderRefs();
    expect(refs.length).toBe(providers.length + groups.length);
    for (const r of refs) {
      expect(r.uid, `${r.where} sets a folder uid`).toBeUndefined();
      expect(r.title, `${r.where} has no folder title`).toBeTruthy();
    }
    expect(new Set(refs.map((r) => r.title))).toEqual(new Set(['mifit-sync']));
    // Nested paths would be split by Grafana into several folders.
    for (const r of refs) expect(r.title).not.toContain('/');
    expect(providers.every((p) => p.options?.foldersFromFilesStructure === false)).toBe(true);
  });

  it('gives every folder, dashboard, datasource, rule and receiver a uid of its own', () => {
    const folderUids = folderRefs().flatMap((r) => (r.uid ? [r.uid] : []));
    const receiverUids = [...entrypoint.matchAll(/uid: (mifit-[\w-]+)/g)].map((m) => m[1] as string);
    const all = [
      ...folderUids,
      ...dashboards.map((d) => d.uid as string),
      ...datasources.map((d) => d.uid as string),
      ...alertRules(rulesFile).map((r) => r.uid),
      ...new Set(receiverUids),
    ];
    expect(receiverUids).toEqual(expect.arrayContaining(['mifit-webhook', 'mifit-email']));
    expect(all.filter((u, i) => all.indexOf(u) !== i)).toEqual([]);
    // Folders and dashboards share one table with a unique (org_id, uid): no dashboard may take
    // the uid a folder has or could be given, i.e. its title either.
    const folderTitles = folderRefs().map((r) => r.title);
    for (const d of dashboards) expect(folderTitles, `dashboard ${d.uid}`).not.toContain(d.uid);
  });

  it('the duplicate check catches a dashboard uid equal to a folder uid', () => {
    const ids = ['mifit-sync', ...dashboards.map((d) => d.uid as string), 'mifit-sync'];
    expect(ids.filter((u, i) => ids.indexOf(u) !== i)).toEqual(['mifit-sync']);
  });

  it('sets noDataState, execErrState and for on every alert rule, in Grafana\'s vocabulary', () => {
    const raw = groups.flatMap((g) => g.rules as Json[]);
    expect(raw.length).toBeGreaterThanOrEqual(7);
    for (const r of raw) {
      expect(['OK', 'NoData', 'Alerting', 'KeepLast'], `${r.uid} noDataState`).toContain(r.noDataState);
      expect(['OK', 'Error', 'Alerting', 'KeepLast'], `${r.uid} execErrState`).toContain(r.execErrState);
      expect(String(r.for), `${r.uid} for`).toMatch(/^\d+[smh]$/);
    }
    // Nothing alerts merely because there is no data (a fresh install, a demo, a starting stack).
    expect(raw.filter((r) => r.noDataState !== 'OK').map((r) => r.uid)).toEqual([]);
  });

  it('links between dashboards point at dashboard uids, never at the folder', () => {
    const uids = new Set(dashboards.map((d) => d.uid as string));
    const urls = dashboards.flatMap((d) => [
      ...(d.links as Json[]).map((l) => l.url as string),
      ...(d.panels as Json[]).flatMap((p) => [...String(p.options?.content ?? '').matchAll(/\]\((\/d\/[^)]+)\)/g)].map((m) => m[1] as string)),
    ]);
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(uids, u).toContain(/^\/d\/([^/?]+)/.exec(u)?.[1]);
  });
});
