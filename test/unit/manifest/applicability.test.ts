import { afterAll, describe, expect, it } from 'vitest';
import { Scratch, built, doc } from './helpers.js';

const s = new Scratch();
afterAll(() => s.cleanup());

/** `path: message` of one document's errors; positions: the key of the field (tested once below). */
async function fields(kind: string, spec: string): Promise<string[]> {
  return built(await s.errors({ 'm.yaml': doc(kind, 'x', spec) })).map((e) => e.replace(/^m\.yaml:\d+:\d+: /, ''));
}

const NOT = (field: string, what: string): string => `spec.${field}: field "${field}" does not apply to ${what}`;
const ROUTED = 'a routed network (it takes subnets, uplink and mtu)';
const LOOPBACK = 'a loopback network (it takes subnets, mtu and interface)';
const CUSTOM = 'a custom network (it takes subnets and interface: ctnet never changes that interface)';

describe('fields that do not apply are errors, each naming the field', () => {
  it('routed: no gateway, bridge, nat or interface', async () => {
    expect(
      await fields(
        'Network',
        '{type: routed, uplink: eth0, gateway: 10.0.0.1, bridge: br0, nat: true, interface: eth1}',
      ),
    ).toEqual([NOT('gateway', ROUTED), NOT('bridge', ROUTED), NOT('nat', ROUTED), NOT('interface', ROUTED)]);
  });

  it('bridge: no interface; everything else of its own applies', async () => {
    expect(
      await fields(
        'Network',
        '{type: bridge, subnets: [10.0.0.0/24], uplink: eth0, gateway: 10.0.0.1, mtu: 1400, bridge: br0, nat: true, interface: eth1}',
      ),
    ).toEqual([NOT('interface', 'a bridge network (it takes subnets, uplink, gateway, mtu, bridge and nat)')]);
  });

  it('loopback and custom: no uplink, gateway, bridge or nat; interface applies; a custom network takes no mtu and needs its interface', async () => {
    const extra = 'uplink: eth0, gateway: 10.0.0.1, bridge: br0, nat: false, interface: lo9';
    expect(await fields('Network', `{type: loopback, ${extra}, mtu: 1400}`)).toEqual([
      NOT('uplink', LOOPBACK),
      NOT('gateway', LOOPBACK),
      NOT('bridge', LOOPBACK),
      NOT('nat', LOOPBACK),
    ]);
    expect(await fields('Network', `{type: custom, ${extra}, mtu: 1400}`)).toEqual([
      NOT('uplink', CUSTOM),
      NOT('gateway', CUSTOM),
      NOT('bridge', CUSTOM),
      NOT('nat', CUSTOM),
      NOT('mtu', CUSTOM),
    ]);
    expect(await fields('Network', '{type: custom}')).toEqual(['spec: missing required field "interface"']);
  });

  it('a host container: no netns, interfaces, routes or sysctls', async () => {
    const host =
      'driver "host": the container uses the host\'s network stack as it is (driver ipnet adds addresses to loopback, bridge or custom networks; vnet gives a stack of its own)';
    expect(
      await fields(
        'Container',
        '{driver: host, netns: x, interfaces: [], routes: [{to: default, via: 10.0.0.1}], sysctls: {net.ipv4.ip_forward: 1}}',
      ),
    ).toEqual([NOT('netns', host), NOT('interfaces', host), NOT('routes', host), NOT('sysctls', host)]);
  });

  it('a disabled container: no interfaces or routes; its own netns and sysctls apply', async () => {
    const off = 'driver "disabled": its namespace has only lo (driver vnet takes interfaces and routes)';
    expect(
      await fields(
        'Container',
        '{driver: disabled, netns: x, interfaces: [{device: eth5}], routes: [], sysctls: {net.ipv6.conf.all.disable_ipv6: 1}}',
      ),
    ).toEqual([NOT('interfaces', off), NOT('routes', off)]);
  });

  it('an ipnet container: no netns, routes or sysctls, and its interfaces take no device, mac or mtu', async () => {
    const ipnet =
      'driver "ipnet": the container uses the host\'s network stack (an interface takes network, addresses and name)';
    const e = await fields(
      'Container',
      '{driver: ipnet, netns: x, routes: [], interfaces: [{name: a, device: eth5, mac: "02:00:00:00:00:01", mtu: 1400, addresses: [10.0.0.1]}]}',
    );
    expect(e).toEqual([
      NOT('netns', ipnet),
      NOT('routes', ipnet),
      `spec.interfaces[0].device: field "device" does not apply to ${ipnet}`,
      `spec.interfaces[0].mac: field "mac" does not apply to ${ipnet}`,
      `spec.interfaces[0].mtu: field "mtu" does not apply to ${ipnet}`,
    ]);
  });

  it('vnet (the default driver) takes them all', async () => {
    expect(
      await fields(
        'Container',
        '{netns: x, interfaces: [{device: eth5, mtu: 1400, addresses: [10.0.0.5/24]}], routes: [{to: default, via: 10.0.0.1}], sysctls: {net.ipv4.ip_forward: 1}}',
      ),
    ).toEqual([]);
  });

  it('points at the key of the field that does not apply', async () => {
    expect(
      await s.errors({
        'n.yaml':
          'apiVersion: ctnet/v1\nkind: Network\nmetadata: {name: pub}\nspec:\n  type: routed\n  gateway:\n    - 10.0.0.1\n',
      }),
    ).toEqual([`n.yaml:6:3: ${NOT('gateway', ROUTED)}`]);
  });
});
