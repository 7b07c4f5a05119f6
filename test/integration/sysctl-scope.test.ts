import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox, expectExit, hostSnapshot, sysctl } from './sandbox.js';
import { doc, docs } from '../fixtures.js';

/**
 * Issue 19 §1.2: a sysctl is set only where the kernel keeps it per network namespace. The
 * kernel decides (a fresh namespace's writable keys, capabilities.ts), live and from a snapshot.
 */
const HOST = doc('Host', 'default', '{sysctls: {net.core.rmem_max: "1000000"}}');
const CT = (key: string): string => doc('Container', 'c1', `{netns: "@c1", sysctls: {${key}: "2048"}}`);
const refused = (key: string): string =>
  `spec.sysctls["${key}"]: "${key}" is not a sysctl the kernel keeps per network namespace`;
const RMEM = refused('net.core.rmem_max');
const BACKLOG = refused('net.core.netdev_max_backlog');

describe('sysctls confined to their network namespace', () => {
  const sb = new Sandbox();
  beforeAll(() => sb.write('m.yaml', docs(HOST, CT('net.core.netdev_max_backlog'))));
  afterAll(() => sb.cleanup());

  it('apply refuses machine-wide net.* keys at the key, exit 3, nothing changed', () => {
    const before = hostSnapshot(sb.host);
    const rmem = sysctl(sb.host, 'net.core.rmem_max');
    const r = expectExit(sb.ctnet('apply', sb.manifestDir), 3);
    expect(r.stderr).toMatch(new RegExp(`m\\.yaml:4:\\d+: ${RMEM.replace(/[.[\]"()]/g, '\\$&')}`));
    expect(r.stderr).toMatch(new RegExp(`m\\.yaml:9:\\d+: ${BACKLOG.replace(/[.[\]"()]/g, '\\$&')}`));
    expect(hostSnapshot(sb.host)).toEqual(before);
    expect(sysctl(sb.host, 'net.core.rmem_max')).toBe(rmem);
    expect(sb.namespaces()).toEqual([]);
  });

  it('plan --snapshot refuses them offline: the snapshot carries what the kernel keeps per namespace', () => {
    const snap = expectExit(sb.ctnet('snapshot'), 0).stdout;
    expect(JSON.parse(snap).observed.capabilities.netnsSysctls).toContain('net/core/somaxconn');
    const file = join(sb.dir, 'snap.json');
    writeFileSync(file, snap);
    const r = expectExit(sb.ctnet('plan', '--snapshot', file, sb.manifestDir), 3);
    expect(r.stderr).toContain(RMEM);
    expect(r.stderr).toContain(BACKLOG);
  });

  it('a key kept per namespace (net.core.somaxconn) is set inside the container', () => {
    sb.write('m.yaml', CT('net.core.somaxconn'));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(sysctl(sb.ns('c1'), 'net.core.somaxconn')).toBe('2048');
    expectExit(sb.ctnet('destroy', '-q'), 0);
  });
});
