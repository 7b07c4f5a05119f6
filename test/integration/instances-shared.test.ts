import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox, expectExit, ping, sh, sysctl } from './sandbox.js';
import { container, doc, docs, routedNet } from '../fixtures.js';

/**
 * Two instances (state dirs) on one host share its sysctls: neither's destroy puts back a value
 * the other's containers still need, and the last one to let go puts back the host's true
 * original (per-interface forwarding included), also after its state file was lost.
 */
describe('two instances sharing host sysctls', () => {
  const sb = new Sandbox();
  const stateB = join(sb.dir, 'state-b');
  const dirA = join(sb.manifestDir, 'a');
  const dirB = join(sb.manifestDir, 'b');
  let ext = '';
  const a = (...args: string[]) => sb.ctnet(...args);
  const b = (...args: string[]) => sb.ctnet('--state-dir', stateB, ...args);
  const write = (key: string, value: string) =>
    sh('ip', 'netns', 'exec', sb.host, 'sh', '-c', `echo ${value} > /proc/sys/${key.replaceAll('.', '/')}`);
  const forwarding = () => [sysctl(sb.host, 'net.ipv4.ip_forward'), sysctl(sb.host, 'net.ipv4.conf.enp0s5.forwarding')];
  const manifests = (x: string, n: number) =>
    docs(
      routedNet(`public-${x}`, `192.168.22${n}.0/24`, ', uplink: enp0s5'),
      doc('Network', `lan-${x}`, `{type: bridge, subnets: [10.7${n}.0.0/24], gateway: 10.7${n}.0.1}`),
      container(`ct${x}r`, `{name: venet0, network: public-${x}, addresses: [192.168.22${n}.11]}`),
      container(`ct${x}b`, `{name: eth0, network: lan-${x}, addresses: [10.7${n}.0.11]}`),
    );
  /** The LAN reaches both containers (the host forwards), the bridged one reaches the routed one. */
  const reachable = (x: string, n: number) => [
    ping(ext, `192.168.22${n}.11`),
    ping(ext, `10.7${n}.0.11`),
    ping(sb.ns(`ct${x}b`), `192.168.22${n}.11`),
  ];

  beforeAll(() => {
    ext = sb.external('lan', 'enp0s5', '192.168.221.1/24', '192.168.221.254/24');
    sh('ip', '-n', sb.host, 'addr', 'add', '192.168.222.1/24', 'dev', 'enp0s5');
    sh('ip', '-n', ext, 'addr', 'add', '192.168.222.254/24', 'dev', 'lan0');
    // the LAN routes the bridged subnets through the host
    sh('ip', '-n', ext, 'route', 'add', '10.71.0.0/24', 'via', '192.168.221.1');
    sh('ip', '-n', ext, 'route', 'add', '10.72.0.0/24', 'via', '192.168.222.1');
    // the host's own values: forwarding off, but on for the uplink (the switch first: it rewrites the other)
    write('net.ipv4.ip_forward', '0');
    write('net.ipv4.conf.enp0s5.forwarding', '1');
    sb.write('a/m.yaml', manifests('a', 1));
    sb.write('b/m.yaml', manifests('b', 2));
  });
  afterAll(() => {
    a('destroy', '-q');
    b('destroy', '-q');
    sb.cleanup();
  });

  it('A then B apply: both reachable, forwarding on', () => {
    expectExit(a('apply', '-q', dirA), 0);
    expectExit(b('apply', '-q', dirB), 0);
    expect(reachable('a', 1)).toEqual([true, true, true]);
    expect(reachable('b', 2)).toEqual([true, true, true]);
  });

  it("A's destroy leaves B's containers reachable and forwarding on", () => {
    expectExit(a('destroy', '-q'), 0);
    expect(sysctl(sb.host, 'net.ipv4.ip_forward')).toBe('1');
    expect(reachable('b', 2)).toEqual([true, true, true]);
    expectExit(b('plan', '--detailed-exitcode', dirB), 0);
  });

  it("A comes back (seeing forwarding on); B's destroy leaves A reachable", () => {
    expectExit(a('apply', '-q', dirA), 0);
    expectExit(b('destroy', '-q'), 0);
    expect(sysctl(sb.host, 'net.ipv4.ip_forward')).toBe('1');
    expect(reachable('a', 1)).toEqual([true, true, true]);
    expectExit(a('plan', '--detailed-exitcode', dirA), 0);
  });

  it('the last one to let go puts back the true originals, though it found forwarding on', () => {
    expectExit(a('destroy', '-q'), 0);
    expect(forwarding()).toEqual(['0', '1']);
  });

  it('holds survive lost state files: the last instance, its state lost, still restores', () => {
    expectExit(a('apply', '-q', dirA), 0);
    expectExit(b('apply', '-q', dirB), 0);
    rmSync(join(sb.stateDir, 'state.json'));
    expectExit(a('destroy', '-q'), 0);
    expect(sysctl(sb.host, 'net.ipv4.ip_forward')).toBe('1');
    expect(reachable('b', 2)).toEqual([true, true, true]);
    rmSync(join(stateB, 'state.json'));
    expectExit(b('destroy', '-q'), 0);
    expect(forwarding()).toEqual(['0', '1']);
  });

  it('a dead instance (state dir and objects gone) pins nothing', () => {
    expectExit(b('apply', '-q', dirB), 0);
    expectExit(a('apply', '-q', dirA), 0);
    // B dies: its state dir is removed and its objects go with its namespaces and bridge
    rmSync(stateB, { recursive: true, force: true });
    for (const n of ['ctbr', 'ctbb']) sh('ip', 'netns', 'del', sb.ns(n));
    for (const l of JSON.parse(sh('ip', '-n', sb.host, '-json', 'link', 'show'))) {
      // the containers' host ends go with their namespaces; B's bridge is left
      if (String(l.ifalias ?? '').startsWith('ctnet:network/lan-b@')) sh('ip', '-n', sb.host, 'link', 'del', l.ifname);
    }
    expectExit(a('destroy', '-q'), 0);
    expect(forwarding()).toEqual(['0', '1']);
  });
});
