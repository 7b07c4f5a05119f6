import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { Sandbox, expectExit, hostSnapshot, ipj, ping, sh } from './sandbox.js';
import { writeExamples } from './example-world.js';
import { buildDemoLans, lansOf } from '../../src/demo/host.js';

/**
 * Every example in manifests/, applied as one world on the machine they are written for (the
 * demo's host: routed LAN on enp0s5, bridged DMZ on enp1s0, a NIC nic0 to pass through), with the
 * containers' namespaces given this sandbox's prefix. Each model carries traffic, and destroy
 * leaves the host as it found it, nftables included.
 */
describe('the examples in manifests/', () => {
  const sb = new Sandbox();
  const lans = lansOf(`${sb.prefix}-`);
  let before: ReturnType<typeof hostSnapshot>;
  let ruleset = '';
  let sysctls = '';
  // every net.* value of the host namespace, but the per-interface ones of links that come and go
  const netSysctls = (): string =>
    spawnSync(
      'ip',
      [
        'netns',
        'exec',
        sb.host,
        'grep',
        '-rs',
        '',
        '/proc/sys/net/ipv4/ip_forward',
        '/proc/sys/net/ipv4/conf/all',
        '/proc/sys/net/ipv4/conf/default',
        '/proc/sys/net/ipv6/conf/all',
        '/proc/sys/net/ipv6/conf/default',
        '/proc/sys/net/ipv4/conf/enp0s5',
        '/proc/sys/net/ipv6/conf/enp0s5',
      ],
      { encoding: 'utf8' },
    )
      .stdout.split('\n')
      .filter((l) => !/stable_secret/.test(l))
      .sort()
      .join('\n');
  const ct = (name: string): string => sb.ns(name);
  beforeAll(() => {
    buildDemoLans(sb.host, lans);
    before = hostSnapshot(sb.host);
    ruleset = sh('ip', 'netns', 'exec', sb.host, 'nft', 'list', 'ruleset');
    sysctls = netSysctls();
    writeExamples(sb);
  });
  afterAll(() => sb.cleanup());

  it('validate and apply them, then nothing is left to do', () => {
    expectExit(sb.ctnet('validate', sb.manifestDir), 0);
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  it('every model carries traffic', () => {
    const [lan, dmz, nic] = lans.map((l) => l.ns);
    expect(ping(lan, '192.168.200.101')).toBe(true); // routed (venet, host-routed)
    expect(ping(lan, '2001:db8:1::103')).toBe(true); // routed IPv6
    expect(ping(ct('ct201'), '10.30.0.12')).toBe(true); // bridged (veth)
    expect(ping(dmz, '10.40.0.11')).toBe(true); // bridged, through the enslaved uplink
    expect(ping(nic, '10.1.1.5')).toBe(true); // passthrough (real network device)
    expect(ipj(ct('ct202'), 'route', 'show', '10.60.0.0/16')).toHaveLength(1); // the container's own route
    expect(ping(ct('ct401'), '192.168.200.254')).toBe(true); // NAT: the LAN has no route back
    expect(ping(lan, '10.9.0.2')).toBe(true); // Kleene: ipnet address on a loopback network
    expect(ping(lan, '192.168.200.60')).toBe(true); // Kleene: ipnet address on a custom network
    expect(ping(ct('quiet'), '127.0.0.1')).toBe(true); // Kleene: a disabled container's lo
    const taps = ipj(sb.host, 'link', 'show', 'type', 'tun')
      .map((l) => l.ifname)
      .sort();
    expect(taps.length).toBe(3); // bridged and routed VMs' taps, waiting for a hypervisor
    // allocation: the lowest free addresses, a bridged container's with the subnet's prefix, a
    // routed VM's as host routes through its tap
    expect(
      ipj(ct('ct204'), 'addr', 'show', 'dev', 'eth0').flatMap((l) =>
        l.addr_info.map((a: any) => `${a.local}/${a.prefixlen}`),
      ),
    ).toContain('10.30.0.2/24');
    expect(ipj(sb.host, 'route', 'show', 'proto', '241').map((r) => `${r.dst} ${r.dev}`)).toContain(
      '192.168.200.2 tap-app1-0',
    );
  });

  it('destroy leaves the host as it was, nftables and sysctls included', () => {
    expect(netSysctls()).not.toBe(sysctls); // apply did change them (forwarding, proxy_ndp)
    expectExit(sb.ctnet('destroy', '-q'), 0);
    expect(sb.namespaces().filter((n) => !lans.some((l) => l.ns === n))).toEqual([]);
    expect(hostSnapshot(sb.host)).toEqual(before);
    expect(sh('ip', 'netns', 'exec', sb.host, 'nft', 'list', 'ruleset')).toBe(ruleset);
    expect(netSysctls()).toBe(sysctls);
  });
});
