import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { Sandbox, hostSnapshot, sh, waitUntil } from './sandbox.js';
import { container, docs, routedNet } from '../fixtures.js';

/** Manifests that cannot hold on this host: exit 3, every error listed, the kernel untouched. */
const CT1 = container('ct1', '{name: venet0, network: public, addresses: [192.168.200.11]}');
const net = (uplink: string): string => docs(routedNet('public', '192.168.200.0/24', `, uplink: ${uplink}`), CT1);

describe('rejections before any change', () => {
  const sb = new Sandbox();
  beforeAll(() => {
    sb.external('lan', 'enp0s5', '192.168.200.1/24', '192.168.200.254/24');
  });
  afterAll(() => sb.cleanup());

  const untouched = (fn: () => void): void => {
    const before = hostSnapshot(sb.host);
    const mine = (): string[] =>
      sh('ip', 'netns', 'list')
        .split('\n')
        .filter((l) => l.startsWith(sb.prefix));
    const nsBefore = mine();
    fn();
    expect(hostSnapshot(sb.host)).toEqual(before);
    expect(mine()).toEqual(nsBefore);
  };

  it('a missing uplink', () => {
    sb.write('a.yaml', net('enp9s9'));
    untouched(() => {
      const r = sb.ctnet('apply', sb.manifestDir);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/a\.yaml:\d+:\d+: spec\.uplink: interface "enp9s9" does not exist/);
    });
  });

  it('a foreign link with the name ctnet needs, and a foreign route to the same address', () => {
    sb.write('a.yaml', net('enp0s5'));
    sh('ip', '-n', sb.host, 'link', 'add', 've-ct1-venet0', 'type', 'bridge');
    sh('ip', '-n', sb.host, 'route', 'add', '192.168.200.11/32', 'dev', 'enp0s5', 'proto', 'static');
    untouched(() => {
      const r = sb.ctnet('apply', sb.manifestDir);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('link "ve-ct1-venet0" exists and is not owned by ctnet');
      expect(r.stderr).toContain('route 192.168.200.11/32 dev enp0s5 exists and is not owned by ctnet');
    });
    sh('ip', '-n', sb.host, 'link', 'del', 've-ct1-venet0');
    sh('ip', '-n', sb.host, 'route', 'del', '192.168.200.11/32');
  });

  it('a namespace ctnet did not create, unless --adopt', () => {
    sh('ip', 'netns', 'add', sb.ns('ct1'));
    untouched(() => {
      const r = sb.ctnet('apply', sb.manifestDir);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`network namespace "${sb.ns('ct1')}" exists and was not created by ctnet`);
    });
    const ad = sb.ctnet('apply', '--adopt', '-q', sb.manifestDir);
    expect(ad.stderr).toBe('');
    expect(ad.code).toBe(0);
    expect(sb.ctnet('destroy', '-q').code).toBe(0);
    expect(sh('ip', 'netns', 'list')).not.toContain(sb.ns('ct1'));
  });

  it('a protected interface as a bridge uplink', () => {
    sb.write(
      'a.yaml',
      `apiVersion: ctnet/v1
kind: Network
metadata: {name: lan}
spec: {type: bridge, uplink: enp0s5}
---
apiVersion: ctnet/v1
kind: Host
metadata: {name: default}
spec: {protectedInterfaces: [enp0s5]}
`,
    );
    untouched(() => {
      const r = sb.ctnet('apply', sb.manifestDir);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(
        /a\.yaml:\d+:\d+: spec\.protectedInterfaces\[0\]: protected interface "enp0s5" is claimed by network "lan"/,
      );
    });
  });

  it('another ctnet holding the lock: exit 4', () => {
    sb.write('a.yaml', net('enp0s5'));
    mkdirSync(sb.stateDir, { recursive: true });
    // a lock file left by a dead process is no lock: flock holds only while its holder lives
    writeFileSync(join(sb.stateDir, 'lock'), '999999999');
    expect(sb.ctnet('apply', '-q', '--dry-run', sb.manifestDir).code).toBe(0);
    writeFileSync(join(sb.stateDir, 'lock'), '4242');
    const holder = spawn('flock', ['-x', '-o', join(sb.stateDir, 'lock'), 'sleep', '30'], { stdio: 'ignore' });
    try {
      waitUntil(() => spawnSync('flock', ['-n', join(sb.stateDir, 'lock'), 'true']).status !== 0);
      untouched(() => {
        const r = sb.ctnet('apply', sb.manifestDir);
        expect(r.code).toBe(4);
        expect(r.stderr).toContain('pid 4242');
      });
    } finally {
      holder.kill('SIGKILL');
    }
    waitUntil(() => spawnSync('flock', ['-n', join(sb.stateDir, 'lock'), 'true']).status === 0);
    expect(sb.ctnet('apply', '-q', sb.manifestDir).code).toBe(0);
    expect(sb.ctnet('destroy', '-q').code).toBe(0);
  });

  it('a kernel refusal names the failing command and the kernel message, exit 1', () => {
    // IPv6 is off on links under 1280 bytes: the kernel refuses the address, validation cannot know
    sb.write(
      'a.yaml',
      docs(
        routedNet('public', '"2001:db8:9::/64"', ', mtu: 1000'),
        container('ct1', '{name: venet0, network: public, addresses: ["2001:db8:9::5"]}'),
      ),
    );
    const r = sb.ctnet('apply', '-q', sb.manifestDir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /ip -n \S+ address add (fe80::1\/64|2001:db8:9::5\/128) dev \S+ nodad: RTNETLINK answers: Invalid argument/,
    );
    expect(sb.ctnet('destroy', '-q').code).toBe(0);
    expect(sh('ip', 'netns', 'list')).not.toContain(sb.ns('ct1'));
  });

  it('invalid manifests: every error listed with its place, exit 3, --json objects, kernel untouched', () => {
    sb.write(
      'a.yaml',
      net('enp0s5')
        .replace('192.168.200.11]', '192.168.200.11, 10.0.0.300, 192.168.99.1]')
        .replace('venet0', 'venet0-much-too-long'),
    );
    sb.write(
      'b.yaml',
      'apiVersion: ctnet/v1\nkind: Network\nmetadata: {name: lan}\nspec: {type: bridge, mtu: 70000, bogus: 1}\n',
    );
    untouched(() => {
      const r = sb.ctnet('apply', sb.manifestDir);
      expect(r.code).toBe(3);
      const lines = r.stderr.trim().split('\n');
      // schema and semantic errors together (issue 11): the rules read a.yaml, whose shape is sound
      expect(lines).toHaveLength(5);
      expect(lines[0]).toMatch(/a\.yaml:9:\d+: spec\.interfaces\[0\]\.name: /);
      expect(lines[1]).toMatch(
        /a\.yaml:9:\d+: spec\.interfaces\[0\]\.addresses\[1\]: "10\.0\.0\.300" is not an IP address/,
      );
      expect(lines[2]).toMatch(
        /a\.yaml:9:\d+: spec\.interfaces\[0\]\.addresses\[2\]: 192\.168\.99\.1 is outside the subnets of network "public"/,
      );
      expect(lines[3]).toMatch(/b\.yaml:4:\d+: spec\.mtu: must be <= 65535/);
      expect(lines[4]).toMatch(/b\.yaml:4:\d+: spec\.bogus: unknown field "bogus"/);
      const j = sb.ctnet('--json', 'validate', sb.manifestDir);
      expect(j.code).toBe(3);
      const first = JSON.parse(j.stdout).errors[0];
      expect(Object.keys(first)).toEqual(expect.arrayContaining(['file', 'line', 'column', 'path', 'message']));
      sb.remove('b.yaml');
      sb.write('a.yaml', net('enp0s5').replace('192.168.200.11]', '192.168.200.11, 10.0.0.300, 192.168.99.1]'));
      const r2 = sb.ctnet('plan', sb.manifestDir);
      expect(r2.code).toBe(3);
      expect(r2.stderr).toContain('spec.interfaces[0].addresses[1]: "10.0.0.300" is not an IP address');
      expect(r2.stderr).toContain(
        'spec.interfaces[0].addresses[2]: 192.168.99.1 is outside the subnets of network "public"',
      );
    });
  });
});
