import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, ipj, ping, sh } from './sandbox.js';

/** SPEC acceptance 2, 4 (bridge objects), 5 (prune) and 6 (foreign objects left alone). */
const NETWORKS = `apiVersion: ctnet/v1
kind: Network
metadata: {name: lan}
spec: {type: bridge, subnets: [10.30.0.0/24], gateway: 10.30.0.1, mtu: 1500}
---
apiVersion: ctnet/v1
kind: Network
metadata: {name: dmz}
spec: {type: bridge, bridge: br-dmz, subnets: [10.40.0.0/24], uplink: enp1s0}
`;
const CT201 = `apiVersion: ctnet/v1
kind: Container
metadata: {name: ct201}
spec:
  netns: "@ct201"
  interfaces:
    - {name: eth0, network: lan, addresses: [10.30.0.11/24]}
    - {name: eth1, network: dmz, mac: "02:00:0a:28:00:0b", addresses: [10.40.0.11/24]}
`;
const CT202 = `apiVersion: ctnet/v1
kind: Container
metadata: {name: ct202}
spec:
  netns: "@ct202"
  interfaces:
    - {name: eth0, network: lan, addresses: [10.30.0.12/24]}
`;

describe('bridge network (veth / bridged)', () => {
  const sb = new Sandbox();
  let ext = '';

  beforeAll(() => {
    ext = sb.external('lan', 'enp1s0', undefined, '10.40.0.254/24');
    sb.write('nets.yaml', NETWORKS);
    sb.write('ct201.yaml', CT201);
    sb.write('ct202.yaml', CT202);
    // the user's own objects, which ctnet must never touch
    sh('ip', '-n', sb.host, 'link', 'add', 'userbr0', 'type', 'bridge');
    sh('ip', '-n', sb.host, 'addr', 'add', '198.51.100.1/24', 'dev', 'userbr0');
    sh('ip', '-n', sb.host, 'link', 'set', 'userbr0', 'up');
    sh('ip', '-n', sb.host, 'route', 'add', '203.0.113.0/24', 'dev', 'userbr0');
    sh('ip', '-n', sb.host, 'neigh', 'add', 'proxy', '198.51.100.7', 'dev', 'userbr0');
    sh('ip', '-n', sb.host, 'addr', 'add', '192.0.2.9/32', 'dev', 'enp1s0');
    sh('ip', 'netns', 'add', sb.ns('userns'));
  });
  afterAll(() => sb.cleanup());

  const userObjects = () => ({
    link: ipj(sb.host, 'link', 'show', 'userbr0').map((l) => [l.ifname, l.flags.includes('UP')]),
    addrs: ipj(sb.host, 'addr', 'show')
      .flatMap((l) =>
        l.addr_info.filter((a: any) => !a.local.startsWith('fe80')).map((a: any) => `${l.ifname} ${a.local}`),
      )
      .filter((a) => /userbr0|enp1s0/.test(a)),
    route: ipj(sb.host, 'route', 'show', '203.0.113.0/24').length,
    proxy: ipj(sb.host, 'neigh', 'show', 'proxy').filter((n) => n.dst === '198.51.100.7').length,
    ns: sh('ip', 'netns', 'list').includes(sb.ns('userns')),
  });
  let user: ReturnType<typeof userObjects>;

  it('applies: containers reach each other and the gateway at layer 2, and the uplink LAN both ways', () => {
    user = userObjects();
    const r = sb.ctnet('apply', sb.manifestDir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(ping(sb.ns('ct201'), '10.30.0.12')).toBe(true);
    expect(ping(sb.ns('ct202'), '10.30.0.11')).toBe(true);
    expect(ping(sb.ns('ct202'), '10.30.0.1')).toBe(true);
    expect(ping(sb.ns('ct201'), '10.40.0.254')).toBe(true);
    expect(ping(ext, '10.40.0.11')).toBe(true);
    // each container keeps its own ARP table: ct201 learned ct202's MAC directly
    const mac202 = ipj(sb.ns('ct202'), 'link', 'show', 'eth0')[0].address;
    expect(ipj(sb.ns('ct201'), 'neigh', 'show', '10.30.0.12')[0].lladdr).toBe(mac202);
    expect(ipj(sb.ns('ct201'), 'link', 'show', 'eth1')[0].address).toBe('02:00:0a:28:00:0b');
    expect(ipj(sb.host, 'link', 'show', 'enp1s0')[0].master).toBe('br-dmz');
    expect(userObjects()).toEqual(user);
  });

  it('is idempotent', () => {
    expect(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir).code).toBe(0);
    expect(sb.ctnet('apply', sb.manifestDir).stdout).toContain('No changes.');
  });

  const drifts: [string, string[], string, string][] = [
    [
      'port detached',
      ['ip', '-n', '@host', 'link', 'set', 've-ct202-eth0', 'nomaster'],
      'link ve-ct202-eth0',
      'update',
    ],
    ['uplink detached', ['ip', '-n', '@host', 'link', 'set', 'enp1s0', 'nomaster'], 'port enp1s0', 'update'],
    ['MTU changed', ['ip', '-n', '@ct201', 'link', 'set', 'eth0', 'mtu', '1400'], 'link eth0', 'update'],
    [
      'MAC changed',
      ['ip', '-n', '@ct201', 'link', 'set', 'eth1', 'address', '02:00:00:00:00:99'],
      'link eth1',
      'update',
    ],
    [
      'gateway address deleted',
      ['ip', '-n', '@host', 'addr', 'del', '10.30.0.1/24', 'dev', 'br-lan'],
      'address 10.30.0.1/24 dev br-lan',
      'create',
    ],
    ['container route deleted', ['ip', '-n', '@ct202', 'route', 'del', 'default'], 'route default', 'create'],
    ['veth deleted', ['ip', '-n', '@host', 'link', 'del', 've-ct201-eth0'], 'link ve-ct201-eth0', 'create'],
  ];
  for (const [name, cmd, object, action] of drifts) {
    it(`repairs drift: ${name}`, () => {
      sh(cmd[0], ...cmd.slice(1).map((a) => a.replace('@host', sb.host).replace('@', `${sb.prefix}-`)));
      const p = sb.ctnet('plan', '--detailed-exitcode', '-o', 'json', sb.manifestDir);
      expect(p.code).toBe(2);
      const changes = JSON.parse(p.stdout).changes.map((c: any) => `${c.action} ${c.object}`);
      expect(changes).toContain(`${action} ${object}`);
      expect(sb.ctnet('apply', '-q', sb.manifestDir).code).toBe(0);
      expect(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir).code).toBe(0);
      expect(ping(sb.ns('ct201'), '10.30.0.12')).toBe(true);
      expect(ping(ext, '10.40.0.11')).toBe(true);
    });
  }

  it('prunes exactly a removed container; the others keep their traffic', () => {
    sb.remove('ct202.yaml');
    const p = JSON.parse(sb.ctnet('plan', '-o', 'json', sb.manifestDir).stdout);
    expect(p.changes.map((c: any) => `${c.action} ${c.object}`)).toEqual([`delete netns ${sb.ns('ct202')}`]);
    expect(sb.ctnet('apply', '-q', sb.manifestDir).code).toBe(0);
    expect(sh('ip', 'netns', 'list')).not.toContain(sb.ns('ct202'));
    expect(ipj(sb.host, 'link', 'show').map((l) => l.ifname)).not.toContain('ve-ct202-eth0');
    expect(ping(sb.ns('ct201'), '10.30.0.1')).toBe(true);
    expect(ping(ext, '10.40.0.11')).toBe(true);
    expect(userObjects()).toEqual(user);
  });

  it('destroy removes what ctnet owns and nothing the user made', () => {
    expect(sb.ctnet('destroy').code).toBe(0);
    const names = ipj(sb.host, 'link', 'show').map((l) => l.ifname);
    expect(names.filter((n) => n.startsWith('br-') || n.startsWith('ve-'))).toEqual([]);
    expect(ipj(sb.host, 'link', 'show', 'enp1s0')[0].master).toBeUndefined();
    expect(userObjects()).toEqual(user);
  });
});
