import { describe, expect, it } from 'vitest';
import { nftScript } from '../../../src/driver/nft-render.js';
import type { NftTableObj, NftValue } from '../../../src/model/nft.js';

const table = (elements: string[][], value: NftValue): NftTableObj => ({
  family: 'inet',
  name: 'ctnet',
  sets: [{ name: 'allowed4', type: ['ipv4_addr', 'ifname'], elements }],
  chains: [{ name: 'fwd', rules: [[{ match: ['ip saddr'], op: '==', value }]] }],
});
const script = (t: NftTableObj): string => nftScript({ op: 'nft-table', ns: null, name: 'ctnet_ab12', table: t });

describe('what reaches nft', () => {
  it('takes addresses, prefixes and interface names that are what they say', () => {
    const out = script(table([['10.1.0.2', 've-c0-eth0']], { prefix: '224.0.0.0/4' }));
    expect(out).toContain('10.1.0.2');
    expect(script(table([], { addr: 'fe80::1' }))).toContain('fe80::1');
    expect(script(table([], { addr: '::ffff:10.0.0.1' }))).toContain('::ffff:10.0.0.1');
  });

  it.each([
    ['an element that is no IPv4 address', table([['10.1.0.2; flush ruleset', 'eth0']], { addr: '10.0.0.1' })],
    ['an IPv6 address where IPv4 is asked', table([['fe80::1', 'eth0']], { addr: '10.0.0.1' })],
    ['an address with a zone suffix', table([], { addr: 'fe80::1%eth0' })],
    ['a prefix with a statement after it', table([], { prefix: '10.0.0.0/8 accept' })],
    ['an address of five octets', table([], { addr: '10.0.0.0.1' })],
  ])('refuses %s', (_, t) => {
    expect(() => script(t)).toThrow(/refusing to write/);
  });
});
