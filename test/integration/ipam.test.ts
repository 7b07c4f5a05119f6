import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox, expectExit, ipj, ping } from './sandbox.js';
import { doc, docs, routedNet } from '../fixtures.js';

const LAN = (subnet = '10.30.0.0/24', gw = '10.30.0.1'): string =>
  doc('Network', 'lan', `{type: bridge, subnets: [${subnet}], gateway: ${gw}}`);
const auto = (name: string, net = 'lan'): string =>
  doc('Container', name, `{netns: "@${name}", interfaces: [{name: eth0, network: ${net}}]}`);
const fixed = (name: string, addr: string): string =>
  doc('Container', name, `{netns: "@${name}", interfaces: [{name: eth0, network: lan, addresses: [${addr}]}]}`);

/** Automatic addresses: lowest free, stable, released and reused, never a duplicate. */
describe('address allocation (IPAM)', () => {
  const sb = new Sandbox();
  const addrOf = (ct: string): string[] =>
    ipj(sb.ns(ct), 'addr', 'show', 'dev', 'eth0').flatMap((l) =>
      l.addr_info.filter((a: any) => !a.local.startsWith('fe80')).map((a: any) => `${a.local}/${a.prefixlen}`),
    );
  const apply = (...files: string[]): void => {
    sb.write('m.yaml', docs(...files));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  };
  afterAll(() => sb.cleanup());

  it('hands out the lowest free addresses, skipping the network address, the gateway and declared ones', () => {
    apply(LAN(), auto('ctb'), auto('ctc'), fixed('ctf', '10.30.0.3/24'), auto('cta'));
    expect([addrOf('cta'), addrOf('ctb'), addrOf('ctc')]).toEqual([
      ['10.30.0.2/24'],
      ['10.30.0.4/24'],
      ['10.30.0.5/24'],
    ]);
    expect(ping(sb.ns('cta'), '10.30.0.5')).toBe(true);
  });

  it('is stable: a new container that sorts first never moves an existing allocation', () => {
    apply(LAN(), auto('ctb'), auto('ctc'), fixed('ctf', '10.30.0.3/24'), auto('cta'), auto('ct0'));
    expect([addrOf('ct0'), addrOf('cta'), addrOf('ctb'), addrOf('ctc')]).toEqual([
      ['10.30.0.6/24'],
      ['10.30.0.2/24'],
      ['10.30.0.4/24'],
      ['10.30.0.5/24'],
    ]);
    const st = JSON.parse(expectExit(sb.ctnet('--json', 'status'), 0).stdout);
    expect(st.allocations['container/ct0/eth0']).toEqual(['10.30.0.6/24']);
    expect(Object.keys(st.allocations).sort()).toEqual([
      'container/ct0/eth0',
      'container/cta/eth0',
      'container/ctb/eth0',
      'container/ctc/eth0',
    ]);
  });

  it("releases a pruned interface's addresses and reuses them", () => {
    apply(LAN(), auto('ctc'), fixed('ctf', '10.30.0.3/24'), auto('cta'), auto('ct0'));
    apply(LAN(), auto('ctc'), fixed('ctf', '10.30.0.3/24'), auto('cta'), auto('ct0'), auto('ctd'));
    expect(addrOf('ctd')).toEqual(['10.30.0.4/24']);
  });

  it('an offline plan from a snapshot uses the same allocations', () => {
    const snap = join(sb.dir, 'snap.json');
    writeFileSync(snap, expectExit(sb.ctnet('snapshot'), 0).stdout);
    sb.write(
      'm.yaml',
      docs(LAN(), auto('ctc'), fixed('ctf', '10.30.0.3/24'), auto('cta'), auto('ct0'), auto('ctd'), auto('cte')),
    );
    const live = expectExit(sb.ctnet('plan', '-o', 'json', sb.manifestDir), 0).stdout;
    expect(expectExit(sb.ctnet('plan', '-o', 'json', '--snapshot', snap, sb.manifestDir), 0).stdout).toBe(live);
    expect(live).toContain('address add 10.30.0.7/24');
  });

  it('an exhausted pool is exit 3 naming the network and the manifest, with no duplicate', () => {
    expectExit(sb.ctnet('destroy', '-q'), 0);
    // a /29 holds .1-.6; .1 is the gateway: five addresses
    sb.write(
      'm.yaml',
      docs(LAN('10.30.0.0/29', '10.30.0.1'), ...['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((n) => auto(n))),
    );
    const r = expectExit(sb.ctnet('apply', sb.manifestDir), 3);
    expect(r.stderr).toMatch(
      /m\.yaml:\d+:\d+: spec\.interfaces\[0\]: network "lan" has no free IPv4 address left for interface eth0/,
    );
    expect(sb.namespaces()).toEqual([]);
  });

  it('routed networks get /32 and /128 of each family, and the LAN reaches them', () => {
    const ext = sb.external('lan', 'up0', '192.168.210.1/24', '192.168.210.254/24');
    apply(routedNet('pub', '192.168.210.0/24, "2001:db8:21::/64"', ', uplink: up0'), auto('r1', 'pub'));
    expect(addrOf('r1').sort()).toEqual(['192.168.210.2/32', '2001:db8:21::1/128']);
    expect(ping(ext, '192.168.210.2')).toBe(true);
    expectExit(sb.ctnet('destroy', '-q'), 0);
  });
});
