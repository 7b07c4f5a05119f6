import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, expectExit, hostSnapshot, ipj, ping, sh } from './sandbox.js';
import { doc, docs } from '../fixtures.js';

const ct = (ifaces: string): string => doc('Container', 'ct1', `{netns: "@ct1", interfaces: [${ifaces}]}`);
const NIC = '{name: eth2, device: nic0, addresses: [10.1.1.5/24]}';

/**
 * Device passthrough (OpenVZ "real network device"): a veth end whose peer sits in an external
 * namespace plays the host's NIC, so traffic through it is real.
 */
describe('device passthrough', () => {
  const sb = new Sandbox();
  let ext = '';
  let before: ReturnType<typeof hostSnapshot>;
  const nic = () => ipj(sb.host, 'link', 'show').find((l) => l.ifname === 'nic0');
  beforeAll(() => {
    ext = sb.external('lan', 'nic0', undefined, '10.1.1.254/24');
    sh('ip', '-n', sb.host, 'link', 'set', 'nic0', 'mtu', '1400', 'address', '02:00:00:00:aa:01', 'down');
    before = hostSnapshot(sb.host);
  });
  afterAll(() => sb.cleanup());

  it('moves the NIC in, renamed, with its addresses: the LAN reaches the container through it', () => {
    sb.write('m.yaml', ct(`${NIC.replace('}', ', mtu: 1500, mac: "02:00:00:00:bb:02"}')}`));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(nic()).toBeUndefined();
    const inside = ipj(sb.ns('ct1'), 'link', 'show', 'eth2')[0];
    expect([inside.mtu, inside.address, inside.flags.includes('UP')]).toEqual([1500, '02:00:00:00:bb:02', true]);
    expect(ping(ext, '10.1.1.5')).toBe(true);
    expect(ping(sb.ns('ct1'), '10.1.1.254')).toBe(true);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  it('repairs drift on the device inside the container', () => {
    sh('ip', '-n', sb.ns('ct1'), 'addr', 'flush', 'dev', 'eth2');
    sh('ip', '-n', sb.ns('ct1'), 'link', 'set', 'eth2', 'down');
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(ping(ext, '10.1.1.5')).toBe(true);
  });

  it('removed from the manifest, it goes back under its original name, MAC, MTU and admin state, without the addresses', () => {
    sb.write('m.yaml', ct(''));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(ipj(sb.ns('ct1'), 'link', 'show').map((l) => l.ifname)).toEqual(['lo']);
    expect(hostSnapshot(sb.host)).toEqual(before);
  });

  it('destroy moves it out before deleting the namespace: never destroyed', () => {
    sb.write('m.yaml', ct(NIC));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(nic()).toBeUndefined();
    const ids = JSON.parse(expectExit(sb.ctnet('--json', 'destroy', '--dry-run'), 0).stdout).plan.changes.map(
      (c: { id: string }) => c.id,
    );
    expect(ids.indexOf(`device netns:${sb.ns('ct1')} eth2`)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(`device netns:${sb.ns('ct1')} eth2`)).toBeLessThan(ids.indexOf(`netns ${sb.ns('ct1')}`));
    expectExit(sb.ctnet('destroy', '-q'), 0);
    expect(sb.namespaces()).toEqual([]);
    expect(hostSnapshot(sb.host)).toEqual(before);
    // its peer outside still sees it: the same device came back
    expect(ipj(ext, 'link', 'show', 'lan0')[0].link_netnsid).toBeDefined();
  });

  it('a missing device, or a protected one, is rejected before any change', () => {
    sb.write('m.yaml', ct('{name: eth2, device: nosuch0}'));
    expect(expectExit(sb.ctnet('apply', sb.manifestDir), 3).stderr).toContain(
      'device "nosuch0" does not exist on the host',
    );
    sb.write('m.yaml', docs(ct(NIC), doc('Host', 'default', '{protectedInterfaces: [nic0]}')));
    expect(expectExit(sb.ctnet('apply', sb.manifestDir), 3).stderr).toContain('nic0');
    expect(sb.namespaces()).toEqual([]);
    expect(hostSnapshot(sb.host)).toEqual(before);
  });
});
