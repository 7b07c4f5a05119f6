import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, expectExit, hostSnapshot, ipj, ping, sh } from './sandbox.js';
import { container, doc, docs } from '../fixtures.js';

/** Bridge uplinks are enslaved and released with their earlier state; other ports are left alone. */

const link = (ns: string, name: string): { master?: string; up: boolean } => {
  const l = ipj(ns, 'link', 'show', 'dev', name)[0];
  return { master: l.master, up: l.flags.includes('UP') };
};

describe('bridge uplinks', () => {
  const sb = new Sandbox();
  let extLan = '';
  let extDmz = '';
  beforeAll(() => {
    extLan = sb.external('lan', 'enp1s0', undefined, '10.40.0.254/24');
    extDmz = sb.external('dmz', 'enp2s0', undefined, '10.41.0.254/24');
    sh('ip', '-n', sb.host, 'link', 'set', 'enp1s0', 'down');
    sb.write(
      'lan.yaml',
      docs(
        doc('Network', 'lan', '{type: bridge, subnets: [10.40.0.0/24], gateway: 10.40.0.1, uplink: enp1s0}'),
        container('ct1', '{name: eth0, network: lan, addresses: [10.40.0.11/24]}'),
      ),
    );
    sb.write(
      'dmz.yaml',
      docs(
        doc('Network', 'dmz', '{type: bridge, subnets: [10.41.0.0/24], gateway: 10.41.0.1, uplink: enp2s0}'),
        container('ct2', '{name: eth0, network: dmz, addresses: [10.41.0.11/24]}'),
      ),
    );
  });
  afterAll(() => sb.cleanup());

  it('an uplink that was down is enslaved and brought up; the LAN and the container reach each other', () => {
    expect(link(sb.host, 'enp1s0')).toEqual({ master: undefined, up: false });
    expect(link(sb.host, 'enp2s0')).toEqual({ master: undefined, up: true });
    const r = sb.ctnet('apply', '-q', sb.manifestDir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(link(sb.host, 'enp1s0')).toEqual({ master: 'br-lan', up: true });
    expect(link(sb.host, 'enp2s0')).toEqual({ master: 'br-dmz', up: true });
    expect(ping(extLan, '10.40.0.11')).toBe(true);
    expect(ping(sb.ns('ct1'), '10.40.0.254')).toBe(true);
    expect(ping(extDmz, '10.41.0.11')).toBe(true);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  it('removing a network releases its uplink, which was up before and stays up', () => {
    sb.remove('dmz.yaml');
    const r = sb.ctnet('apply', '-q', sb.manifestDir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(ipj(sb.host, 'link', 'show').map((l) => l.ifname)).not.toContain('br-dmz');
    expect(link(sb.host, 'enp2s0')).toEqual({ master: undefined, up: true });
    expect(link(sb.host, 'enp1s0')).toEqual({ master: 'br-lan', up: true });
    expect(ping(extLan, '10.40.0.11')).toBe(true);
  });

  it('destroy releases the uplink that was down, and it is down again', () => {
    // ctnet enslaved it and brought it up: destroy has something to undo
    expect(link(sb.host, 'enp1s0')).toEqual({ master: 'br-lan', up: true });
    const r = sb.ctnet('destroy', '-q');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(sb.namespaces().filter((n) => n.endsWith('-ct1') || n.endsWith('-ct2'))).toEqual([]);
    expect(link(sb.host, 'enp1s0')).toEqual({ master: undefined, up: false });
    expect(link(sb.host, 'enp2s0')).toEqual({ master: undefined, up: true });
  });
});

describe('foreign bridge ports', () => {
  const sb = new Sandbox();
  const net = (uplink: string): string =>
    doc('Network', 'lan', `{type: bridge, subnets: [10.40.0.0/24], gateway: 10.40.0.1${uplink}}`);
  const ct1 = container('ct1', '{name: eth0, network: lan, addresses: [10.40.0.11/24]}');
  beforeAll(() => {
    sb.external('lan', 'enp1s0', undefined, '10.40.0.254/24');
    sb.write('m.yaml', docs(net(', uplink: enp1s0'), ct1));
  });
  afterAll(() => sb.cleanup());

  it("a veth and a tap enslaved by hand to ctnet's bridge are not drift and stay ports", () => {
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    sh('ip', '-n', sb.host, 'link', 'add', 'userv0', 'type', 'veth', 'peer', 'name', 'userv1');
    sh('ip', '-n', sb.host, 'link', 'set', 'userv0', 'master', 'br-lan', 'up');
    sh('ip', '-n', sb.host, 'tuntap', 'add', 'dev', 'usertap0', 'mode', 'tap');
    sh('ip', '-n', sb.host, 'link', 'set', 'usertap0', 'master', 'br-lan', 'up');
    expect(link(sb.host, 'userv0').master).toBe('br-lan');
    expect(link(sb.host, 'usertap0').master).toBe('br-lan');
    const p = sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir);
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(link(sb.host, 'userv0')).toEqual({ master: 'br-lan', up: true });
    expect(link(sb.host, 'usertap0')).toEqual({ master: 'br-lan', up: true });
  });

  it('removing uplink from the manifest detaches the uplink, not the hand-made ports', () => {
    sb.write('m.yaml', docs(net(''), ct1));
    const r = sb.ctnet('apply', '-q', sb.manifestDir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(link(sb.host, 'enp1s0').master).toBeUndefined();
    expect(link(sb.host, 'userv0').master).toBe('br-lan');
    expect(link(sb.host, 'usertap0').master).toBe('br-lan');
    expect(ping(sb.ns('ct1'), '10.40.0.1')).toBe(true);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  it('destroy leaves the hand-made links in place', () => {
    expect(link(sb.host, 'userv0').master).toBe('br-lan');
    expect(link(sb.host, 'usertap0').master).toBe('br-lan');
    const r = sb.ctnet('destroy', '-q');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const names = ipj(sb.host, 'link', 'show').map((l) => l.ifname);
    expect(names).not.toContain('br-lan');
    expect(names).toEqual(expect.arrayContaining(['userv0', 'userv1', 'usertap0', 'enp1s0']));
  });
});

describe('the interfaces of the default routes are protected', () => {
  const sb = new Sandbox();
  const mine = (): string[] => sb.namespaces();
  beforeAll(() => {
    sb.external('lan', 'enp1s0', undefined, '10.40.0.254/24');
    sb.external('wan', 'enp2s0', '10.99.0.1/24', '10.99.0.254/24');
    sh('ip', '-n', sb.host, '-6', 'route', 'add', 'default', 'via', 'fe80::99', 'dev', 'enp1s0');
    sh('ip', '-n', sb.host, 'route', 'add', 'default', 'via', '10.99.0.254', 'dev', 'enp2s0');
  });
  afterAll(() => sb.cleanup());

  for (const [family, dev] of [
    ['IPv6', 'enp1s0'],
    ['IPv4', 'enp2s0'],
  ] as const) {
    it(`a bridge uplink on the ${family} default route's interface: exit 3 naming it protected`, () => {
      const flag = family === 'IPv6' ? '-6' : '-4';
      expect(ipj(sb.host, flag, 'route', 'show', 'default').map((r) => r.dev)).toEqual([dev]);
      sb.write(
        'm.yaml',
        docs(
          doc('Network', 'lan', `{type: bridge, subnets: [10.40.0.0/24], gateway: 10.40.0.1, uplink: ${dev}}`),
          container('ct1', '{name: eth0, network: lan, addresses: [10.40.0.11/24]}'),
        ),
      );
      const before = hostSnapshot(sb.host);
      const nsBefore = mine();
      const r = sb.ctnet('apply', sb.manifestDir);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(new RegExp(`protected[^\\n]*${dev}|${dev}[^\\n]*protected`));
      expect(hostSnapshot(sb.host)).toEqual(before);
      expect(mine()).toEqual(nsBefore);
      expect(link(sb.host, dev).master).toBeUndefined();
    });
  }
});
