import { describe, expect, it } from 'vitest';
import { ctnetTable, partsOfTable } from '../../../src/model/ctnet-table.js';
import { ruleText } from '../../../src/model/nft-text.js';

const PORT = { dev: 've-ct1-venet0', v4: ['192.168.230.11'], v6: [] };
const LAN = { bridge: 'br-lan', subnets: ['10.30.0.0/24'] };
const DMZ = { bridge: 'br-dmz', subnets: ['10.41.0.0/24', '10.40.0.0/24'] };

describe("ctnet's table: anti-spoofing part + NAT part", () => {
  it('no routed interface and no NAT network: no table', () => {
    expect(ctnetTable({ routed: [], nat: [] })).toBeUndefined();
    // a NAT network without IPv4 subnets has nothing to masquerade
    expect(ctnetTable({ routed: [], nat: [{ bridge: 'br-v6', subnets: [] }] })).toBeUndefined();
  });

  it('routed interfaces alone: the anti-spoofing sets and chains, nothing else', () => {
    const t = ctnetTable({ routed: [PORT], nat: [] })!;
    expect(t.sets.map((s) => s.name)).toEqual(['allowed4', 'allowed6', 'routed']);
    expect(t.chains.map((c) => c.name)).toEqual(['forward', 'input']);
  });

  it('NAT networks alone: one postrouting nat chain, a rule per subnet, by bridge then subnet', () => {
    const t = ctnetTable({ routed: [], nat: [LAN, DMZ] })!;
    expect(t.sets).toEqual([]);
    expect(t.chains.map((c) => [c.name, c.base])).toEqual([
      ['postrouting', { type: 'nat', hook: 'postrouting', prio: 100, policy: 'accept' }],
    ]);
    expect(t.chains[0].rules.map(ruleText)).toEqual([
      'ip saddr 10.40.0.0/24 oifname != "br-dmz" masquerade',
      'ip saddr 10.41.0.0/24 oifname != "br-dmz" masquerade',
      'ip saddr 10.30.0.0/24 oifname != "br-lan" masquerade',
    ]);
    // manifest order does not matter
    expect(ctnetTable({ routed: [], nat: [DMZ, LAN] })).toEqual(t);
  });

  it('both: the parts side by side, and read back part by part', () => {
    const t = ctnetTable({ routed: [PORT], nat: [LAN, DMZ] })!;
    expect(t.chains.map((c) => c.name)).toEqual(['forward', 'input', 'postrouting']);
    const parts = partsOfTable(t);
    expect(parts.routed).toEqual([PORT]);
    expect(parts.nat).toEqual([{ bridge: 'br-dmz', subnets: ['10.40.0.0/24', '10.41.0.0/24'] }, LAN]);
    expect(ctnetTable(parts)).toEqual(t);
    // what a partial destroy of network dmz leaves
    expect(
      ctnetTable({ ...parts, nat: parts.nat.filter((n) => n.bridge !== 'br-dmz') })!.chains[2].rules.map(ruleText),
    ).toEqual(['ip saddr 10.30.0.0/24 oifname != "br-lan" masquerade']);
  });
});
