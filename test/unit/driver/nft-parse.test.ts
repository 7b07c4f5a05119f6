import { describe, expect, it } from 'vitest';
import { parseNftTable } from '../../../src/driver/nft-parse.js';
import { nftScript } from '../../../src/driver/nft-render.js';
import { ctnetTable } from '../../../src/model/ctnet-table.js';
import { canonicalTable } from '../../../src/model/nft.js';

/** `nft -j list table` output of nftables 1.0.6 for a NAT chain as ctnet writes it. */
const META = { metainfo: { version: '1.0.6', release_name: 'Lester Gooch #5', json_schema_version: 1 } };
const TABLE = { table: { family: 'inet', name: 'ctnet_x', handle: 1 } };
const CHAIN = {
  chain: {
    family: 'inet',
    table: 'ctnet_x',
    name: 'postrouting',
    handle: 1,
    type: 'nat',
    hook: 'postrouting',
    prio: 100,
    policy: 'accept',
  },
};
const saddr = (addr: string, len: number) => ({
  match: { op: '==', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: { prefix: { addr, len } } },
});
const oifname = (op: string, name: string) => ({ match: { op, left: { meta: { key: 'oifname' } }, right: name } });
const rule = (handle: number, ...expr: unknown[]) => ({
  rule: { family: 'inet', table: 'ctnet_x', chain: 'postrouting', handle, expr },
});
const listing = (...rules: unknown[]): string => JSON.stringify({ nftables: [META, TABLE, CHAIN, ...rules] });

describe('nft -j parse of the NAT statements', () => {
  it('reads a nat base chain, an oifname match and masquerade', () => {
    const t = parseNftTable(listing(rule(2, saddr('10.30.0.0', 24), oifname('!=', 'br-lan'), { masquerade: null })));
    expect(t?.chains).toEqual([
      {
        name: 'postrouting',
        base: { type: 'nat', hook: 'postrouting', prio: 100, policy: 'accept' },
        rules: [
          [
            { match: ['ip saddr'], op: '==', value: { prefix: '10.30.0.0/24' } },
            { match: ['oifname'], op: '!=', value: { ifname: 'br-lan' } },
            { masquerade: true },
          ],
        ],
      },
    ]);
  });

  it('equals the desired table of one NAT network, which renders to the same rule text', () => {
    const desired = ctnetTable({ routed: [], nat: [{ bridge: 'br-lan', subnets: ['10.30.0.0/24'] }] })!;
    const observed = parseNftTable(
      listing(rule(2, saddr('10.30.0.0', 24), oifname('!=', 'br-lan'), { masquerade: null })),
    )!;
    expect(observed.family).toBe('inet');
    expect(canonicalTable({ ...observed, family: 'inet', name: 'ctnet' })).toEqual(canonicalTable(desired));
    expect(nftScript({ op: 'nft-table', ns: null, name: 'ctnet_x', table: desired })).toContain(
      '\tchain postrouting {\n\t\ttype nat hook postrouting priority 100; policy accept;\n\t\tip saddr 10.30.0.0/24 oifname != "br-lan" masquerade\n\t}',
    );
  });

  it('keeps what ctnet never writes as unknown: masquerade with options, an address compared with oifname', () => {
    const t = parseNftTable(
      listing(
        rule(2, saddr('10.30.0.0', 24), { masquerade: { flags: 'random' } }),
        rule(
          3,
          { match: { op: '==', left: { meta: { key: 'oifname' } }, right: { set: ['a', 'b'] } } },
          { masquerade: null },
        ),
      ),
    )!;
    const [r1, r2] = t.chains[0].rules;
    expect(r1[1]).toEqual({ unknown: '{"masquerade":{"flags":"random"}}' });
    expect(r2[0]).toHaveProperty('unknown');
    expect(r2[1]).toEqual({ masquerade: true });
  });

  it('an iifname compared with a plain string is a name; with a set, the set', () => {
    const iif = (right: string) => ({ match: { op: '==', left: { meta: { key: 'iifname' } }, right } });
    const t = parseNftTable(listing(rule(2, iif('ve-ct1-venet0'), iif('@routed'), { accept: null })))!;
    expect(t.chains[0].rules[0]).toEqual([
      { match: ['iifname'], op: '==', value: { ifname: 've-ct1-venet0' } },
      { match: ['iifname'], op: '==', value: { set: 'routed' } },
      { verdict: 'accept' },
    ]);
  });

  it('refuses to write an interface name nft would read as something else', () => {
    const bad = ctnetTable({ routed: [], nat: [{ bridge: 'br"; flush ruleset', subnets: ['10.30.0.0/24'] }] })!;
    expect(() => nftScript({ op: 'nft-table', ns: null, name: 'ctnet_x', table: bad })).toThrow(/refusing/);
  });
});
