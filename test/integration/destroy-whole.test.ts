import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, expectExit, hostSnapshot, ipj, ping, sh, sysctl } from './sandbox.js';
import { container, doc, docs, routedNet } from '../fixtures.js';

const ROUTED = [1, 2, 3, 4, 5, 6];
const BRIDGED = [1, 2, 3, 4, 5, 6];
const routed = (n: number): string =>
  container(
    `r${n}`,
    `{name: venet0, network: public, addresses: [192.168.230.${n}${n === 1 ? ', "2001:db8:30::1"' : ''}]}`,
  );
const bridged = (n: number): string =>
  container(`b${n}`, `{name: eth0, network: lan, addresses: [10.80.0.${10 + n}/24]}`);
// one container on both networks: a routed and a bridged veth in one namespace
const both = container(
  'rb',
  '{name: venet0, network: public, addresses: [192.168.230.99]}, {name: eth1, network: lan, addresses: [10.80.0.99/24]}',
);
const NETWORKS = docs(
  routedNet('public', '192.168.230.0/24, "2001:db8:30::/64"', ', uplink: enp0s5'),
  doc('Network', 'lan', '{type: bridge, subnets: [10.80.0.0/24], gateway: 10.80.0.1, uplink: enp1s0}'),
);

/** Which kinds of object a plan's actions are about, counted. */
function kindsOf(planJson: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of JSON.parse(planJson).changes as { type: string; action: string }[])
    out[`${c.action} ${c.type}`] = (out[`${c.action} ${c.type}`] ?? 0) + 1;
  return out;
}

/**
 * Namespaces deleted whole: their veths (both ends), the host ends' addresses and routes go with
 * them, so a plan deletes one namespace per container plus what stays in the host (proxy entries
 * on the uplink, the bridge, the released uplink, the nft table, sysctls). Whatever the driver,
 * nothing ctnet made is left and nothing it did not make is touched.
 */
describe('destroy and prune delete namespaces whole', () => {
  const sb = new Sandbox();
  let ext = '';
  let before: ReturnType<typeof hostSnapshot>;

  beforeAll(() => {
    ext = sb.external('lan', 'enp0s5', '192.168.230.254/24', '192.168.230.253/24');
    sb.external('lan2', 'enp1s0', undefined, '10.80.0.254/24');
    // someone else's objects in the host: a proxy entry on the same uplink, a route, a link
    sh('ip', '-n', sb.host, 'neigh', 'add', 'proxy', '192.168.230.200', 'dev', 'enp0s5');
    sh('ip', '-n', sb.host, 'link', 'add', 'keep0', 'up', 'type', 'bridge');
    sh('ip', '-n', sb.host, 'route', 'add', '192.168.231.0/24', 'dev', 'keep0');
    sh('ip', '-n', sb.host, 'addr', 'add', '2001:db8:30::fe/64', 'dev', 'enp0s5', 'nodad');
    sb.write('net.yaml', NETWORKS);
    sb.write('routed.yaml', docs(...ROUTED.map(routed)));
    sb.write('bridged.yaml', docs(...BRIDGED.map(bridged)));
    sb.write('both.yaml', both);
    before = hostSnapshot(sb.host);
  });
  afterAll(() => sb.cleanup());

  it('apply, then an apply without half the containers prunes them whole', () => {
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(ping(ext, '192.168.230.4')).toBe(true);
    sb.write('routed.yaml', docs(...ROUTED.slice(0, 3).map(routed)));
    sb.write('bridged.yaml', docs(...BRIDGED.slice(0, 3).map(bridged)));
    const plan = expectExit(sb.ctnet('plan', '-o', 'json', sb.manifestDir), 0).stdout;
    expect(kindsOf(plan)).toEqual({ 'delete netns': 6, 'delete neighbor': 3, 'update nftable': 1 });
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(sb.namespaces()).toEqual(['b1', 'b2', 'b3', 'r1', 'r2', 'r3', 'rb'].map((n) => sb.ns(n)));
    expect(
      ipj(sb.host, 'neigh', 'show', 'proxy')
        .map((n) => n.dst)
        .sort(),
    ).toEqual([
      '192.168.230.1',
      '192.168.230.2',
      '192.168.230.200',
      '192.168.230.3',
      '192.168.230.99',
      '2001:db8:30::1',
    ]);
    expect(ipj(sb.host, 'link', 'show', 'type', 'veth').filter((l) => /^ve-/.test(l.ifname))).toHaveLength(8);
    expect(ping(ext, '192.168.230.3')).toBe(true);
    expect(ping(ext, '192.168.230.4')).toBe(false);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  it('destroy plans one deletion per namespace and what stays in the host', () => {
    const plan = expectExit(sb.ctnet('destroy', '--dry-run', '--json'), 0).stdout;
    const kinds = kindsOf(JSON.stringify(JSON.parse(plan).plan));
    // 7 namespaces, 5 proxy entries (rb's, r1-r3's, r1's IPv6), the bridge, the uplink released, the table, sysctls
    expect(kinds['delete netns']).toBe(7);
    expect(kinds['delete neighbor']).toBe(5);
    expect(kinds['delete link']).toBe(1);
    expect(Object.keys(kinds).filter((k) => /route|address/.test(k))).toEqual([]);
  });

  it('destroy leaves the host as it was: nothing of ctnet, everything of others', () => {
    expectExit(sb.ctnet('destroy', '-q'), 0);
    expect(sb.namespaces()).toEqual([]);
    expect(hostSnapshot(sb.host)).toEqual(before);
    expect(sysctl(sb.host, 'net.ipv4.ip_forward')).toBe('0');
    expect(ping(ext, '192.168.230.254')).toBe(true);
  });

  it('the script of a plan that removes everything, run by hand, converges', () => {
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    const empty = sb.write('empty/README', 'no manifests here\n').replace(/README$/, '');
    sh('sh', '-ec', expectExit(sb.ctnet('plan', '-o', 'script', '--allow-empty', empty), 0).stdout);
    expect(sb.namespaces()).toEqual([]);
    expect(hostSnapshot(sb.host)).toEqual(before);
    // the state file still records what the script removed: a destroy only forgets it
    expectExit(sb.ctnet('destroy', '-q'), 0);
    expect(hostSnapshot(sb.host)).toEqual(before);
  });
});
