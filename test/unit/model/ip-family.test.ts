import { describe, expect, it } from 'vitest';
import { isIP } from 'node:net';
import { familyOf } from '../../../src/model/ip-family.js';

/** A small deterministic generator (mulberry32): the same texts on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '0',
  '1',
  '9',
  '00',
  '255',
  '256',
  '010',
  'a',
  'F',
  'ffff',
  'fffff',
  '1.2.3.4',
  '0.0.0.0',
  ':',
  '::',
  '.',
  'g',
  '',
];

/** Texts built from address-like pieces, so many of them are (almost) valid addresses of either family. */
function texts(n: number): string[] {
  const r = rng(24);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const len = 1 + Math.floor(r() * 12);
    let t = '';
    for (let j = 0; j < len; j++) t += PIECES[Math.floor(r() * PIECES.length)];
    out.push(t);
  }
  return out;
}

describe('familyOf', () => {
  it('says what net.isIP says, for addresses written every way', () => {
    const known = [
      '10.0.0.1',
      '255.255.255.255',
      '256.0.0.1',
      '1.2.3',
      '01.2.3.4',
      '::',
      '::1',
      '1::',
      'fe80::1',
      '2001:DB8::1',
      '1:2:3:4:5:6:7:8',
      '1:2:3:4:5:6:7:8:9',
      '1::2:3:4:5:6:7:8',
      '1:2:3:4:5:6:7::',
      '::ffff:10.0.0.1',
      '::10.0.0.1',
      '1:2:3:4:5:6:1.2.3.4',
      '1:2:3:4:5:6:7:1.2.3.4',
      '1::2::3',
      ':1::2',
      '1:::2',
      'fffff::1',
      '::ffff:1.2.3',
      '::1.2.3.4:5',
      '',
      '.',
      ':',
      'a:b:c:d:e:f:0:1',
    ];
    for (const t of [...known, ...texts(50_000)]) expect(familyOf(t), t).toBe(isIP(t));
  });

  it('takes no zone suffix', () => {
    expect(familyOf('fe80::1%eth0')).toBe(0);
  });
});
