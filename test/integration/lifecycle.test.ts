import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { Sandbox, hostSnapshot, ping, sh } from './sandbox.js';
import { container, doc, docs } from '../fixtures.js';

const MANIFESTS = docs(
  doc('Network', 'lan', '{type: bridge, subnets: [10.50.0.0/24], gateway: 10.50.0.1}'),
  container('ct1', '{name: eth0, network: lan, addresses: [10.50.0.11/24]}'),
);

/** Plan views, offline plans, dry runs and a lost or corrupt state file. */
describe('plan views and state', () => {
  const sb = new Sandbox();
  beforeAll(() => {
    sb.write('m.yaml', MANIFESTS);
  });
  afterAll(() => sb.cleanup());

  it('--dry-run prints the plan and changes nothing', () => {
    const before = hostSnapshot(sb.host);
    const r = sb.ctnet('apply', '--dry-run', sb.manifestDir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Plan: \d+ to create, 0 to update, 0 to delete\./);
    expect(hostSnapshot(sb.host)).toEqual(before);
  });

  it('plan --snapshot offline equals the plan against the kernel', () => {
    const snap = join(sb.dir, 'snap.json');
    writeFileSync(snap, sb.ctnet('snapshot', sb.manifestDir).stdout);
    const online = sb.ctnet('plan', '-o', 'json', sb.manifestDir);
    const offline = sb.ctnet('--host-netns', 'no-such-ns', 'plan', '-o', 'json', '--snapshot', snap, sb.manifestDir);
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stdout).toBe(online.stdout);
    expect(JSON.parse(online.stdout).summary.create).toBeGreaterThan(0);
  });

  it('the script view, run by hand, builds what apply would', () => {
    const script = sb.ctnet('plan', '-o', 'script', sb.manifestDir).stdout;
    expect(script.startsWith('#!/bin/sh')).toBe(true);
    sh('sh', '-ec', script);
    expect(ping(sb.ns('ct1'), '10.50.0.1')).toBe(true);
    // no state file yet: ownership is rebuilt from the marks the script set
    expect(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir).code).toBe(0);
  });

  it('a lost or corrupt state file is rebuilt from the kernel marks', () => {
    expect(sb.ctnet('apply', '-q', sb.manifestDir).code).toBe(0);
    rmSync(join(sb.stateDir, 'state.json'));
    expect(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir).code).toBe(0);
    writeFileSync(join(sb.stateDir, 'state.json'), '{"version": 1, "namesp');
    const planned = sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir);
    expect(planned.code).toBe(0);
    expect(planned.stderr).toContain('corrupt');
    // plan changes nothing on disk; destroy sets it aside under the lock, kept for a person to read
    const setAside = (): boolean => readdirSync(sb.stateDir).some((f) => f.startsWith('state.json.corrupt-'));
    expect(setAside()).toBe(false);
    expect(sb.ctnet('destroy', '-q').code).toBe(0);
    expect(setAside()).toBe(true);
    expect(sh('ip', 'netns', 'list')).not.toContain(sb.ns('ct1'));
    expect(existsSync(join(sb.stateDir, 'state.json'))).toBe(true);
  });

  it('status lists what is owned and the drift from the last applied manifests', () => {
    expect(sb.ctnet('apply', '-q', sb.manifestDir).code).toBe(0);
    sh('ip', '-n', sb.host, 'link', 'set', 've-ct1-eth0', 'nomaster');
    const st = JSON.parse(sb.ctnet('--json', 'status').stdout);
    expect(st.namespaces).toEqual([{ name: sb.ns('ct1'), owner: 'container/ct1', present: true, interfaces: 1 }]);
    expect(st.hostLinks.map((l: { name: string }) => l.name).sort()).toEqual(['br-lan', 've-ct1-eth0']);
    expect(st.drift).toEqual(['update link ve-ct1-eth0: master none → br-lan']);
    expect(sb.ctnet('destroy', '-q').code).toBe(0);
  });

  it('refuses to create namespaces when run under ip netns exec, and names --host-netns', () => {
    const bin = resolve(import.meta.dirname, '../../bin/ctnet.js');
    const r = spawnSync(
      'ip',
      ['netns', 'exec', sb.host, 'node', bin, '--state-dir', sb.stateDir, 'apply', sb.manifestDir],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`--host-netns ${sb.host}`);
    expect(sh('ip', 'netns', 'list')).not.toContain(sb.ns('ct1'));
  });

  it('a vnet container without interfaces and a disabled one get a namespace with lo up, and go on destroy', () => {
    sb.write(
      'empty.yaml',
      docs(
        doc('Container', 'empty', '{netns: "@empty"}'),
        doc('Container', 'off', '{driver: disabled, netns: "@off"}'),
      ),
    );
    expect(sb.ctnet('apply', '-q', sb.manifestDir).code).toBe(0);
    for (const n of ['empty', 'off']) {
      const links = JSON.parse(sh('ip', '-n', sb.ns(n), '-j', 'link', 'show'));
      expect(links.map((l: { ifname: string; flags: string[] }) => [l.ifname, l.flags.includes('UP')])).toEqual([
        ['lo', true],
      ]);
    }
    expect(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir).code).toBe(0);
    expect(sb.ctnet('destroy', '-q').code).toBe(0);
    expect(sh('ip', 'netns', 'list')).not.toContain(sb.ns('empty'));
    sb.remove('empty.yaml');
  });
});
