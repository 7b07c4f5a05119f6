import { afterAll, describe, expect, it } from 'vitest';
import { isIP } from 'node:net';
import { readSchemaText } from '../../../src/manifest/schema-options.js';
import { IP_WORDS } from '../../../src/manifest/rules/ip-text.js';
import { Scratch, built, doc, docs } from './helpers.js';

const s = new Scratch();
afterAll(() => s.cleanup());

const schema = JSON.parse(readSchemaText()) as {
  $defs: Record<string, { allOf: { pattern: string; patternErrorMessage: string }[]; pattern?: string }>;
};
/** The pattern of a def, as editors run it: a JavaScript RegExp with the u flag. */
const pattern = (def: string): RegExp => new RegExp(schema.$defs[def].allOf[1].pattern, 'u');
const matches = (def: string, text: string): boolean =>
  pattern(def).test(text) && new RegExp(schema.$defs.noZone.pattern!, 'u').test(text);

const V4 = ['0.0.0.0', '10.0.0.1', '192.168.200.255', '255.255.255.255'];
const V6 = [
  '::',
  '::1',
  'fe80::1',
  '2001:db8::5',
  '2001:DB8:0:0:0:0:0:5',
  '1:2:3:4:5:6:7:8',
  '::ffff:10.0.0.1',
  '64:ff9b::192.0.2.33',
  '1::',
  '1:2:3:4:5:6:7::',
];
const NOT_IP = [
  '',
  '10.0.0.300',
  '10.0.0',
  '10.0.0.1.2',
  '010.0.0.1',
  ' 10.0.0.1',
  '1:2:3:4:5:6:7:8:9',
  '1::2::3',
  'g::1',
  '12345::',
  'default',
  'fe80::1%eth0',
  '10.0.0.1%x',
];

describe('address patterns of the schema (what editors flag)', () => {
  it("agree with Node's isIP on addresses, and refuse zone suffixes", () => {
    for (const a of [...V4, ...V6])
      expect([a, matches('hostAddress', a), matches('address', a)]).toEqual([a, true, true]);
    for (const a of NOT_IP) expect([a, matches('hostAddress', a), matches('address', a)]).toEqual([a, false, false]);
    for (const a of NOT_IP.filter((x) => !x.includes('%'))) expect(isIP(a)).toBe(0);
  });

  it('bound prefixes by family: /0-/32 and /0-/128', () => {
    expect(
      ['10.0.0.0/0', '10.0.0.0/32', '2001:db8::/128', '::/0', '10.1.2.3/24'].map((x) => matches('subnet', x)),
    ).toEqual([true, true, true, true, true]);
    expect(
      ['10.0.0.0/33', '2001:db8::/129', '10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/024', '10.0.0.0', '10.0.0.0/8/8'].map(
        (x) => matches('subnet', x),
      ),
    ).toEqual([false, false, false, false, false, false, false]);
    expect(['default', '10.40.0.0/16', '10.0.0.1'].map((x) => matches('routeTo', x))).toEqual([true, true, true]);
    expect(matches('address', '10.0.0.5/24') && !matches('hostAddress', '10.0.0.5/24')).toBe(true);
  });

  it("speak the rules' words, so one bad value is one line", () => {
    const words = (def: string): string => schema.$defs[def].allOf[1].patternErrorMessage;
    expect([
      words('address'),
      words('hostAddress'),
      words('subnet'),
      words('routeTo'),
      (schema.$defs.noZone as unknown as { patternErrorMessage: string }).patternErrorMessage,
    ]).toEqual([IP_WORDS.address, IP_WORDS.address, IP_WORDS.subnet, IP_WORDS.route, IP_WORDS.zone]);
  });
});

describe('address fields', () => {
  it('a subnet with host bits set is an error with the likely meaning', async () => {
    expect(
      built(
        await s.errors({
          'n.yaml': docs(
            doc('Network', 'a', '{type: bridge, subnets: [10.0.0.7/24, "2001:db8::1/64", 10.1.0.0/16]}'),
            doc(
              'Container',
              'c',
              '{interfaces: [{network: a}], routes: [{to: 10.40.0.5/16, via: 10.0.0.1}, {to: 10.50.0.5, via: 10.0.0.1}]}',
            ),
          ),
        }),
      ),
    ).toEqual([
      'n.yaml:4:32: spec.subnets[0]: "10.0.0.7/24" has host bits set: did you mean 10.0.0.0/24?',
      'n.yaml:4:45: spec.subnets[1]: "2001:db8::1/64" has host bits set: did you mean 2001:db8::/64?',
      'n.yaml:9:50: spec.routes[0].to: "10.40.0.5/16" has host bits set: did you mean 10.40.0.0/16?',
    ]);
  });

  it('a zone suffix is an error in every address field, said once', async () => {
    const Z = (v: string): string => `${JSON.stringify(v)} ${IP_WORDS.zone}`;
    const e = built(
      await s.errors({
        'a.yaml': docs(
          doc('Network', 'lan', '{type: bridge, subnets: ["fe80::%br0/64"], gateway: "fe80::1%br0"}'),
          doc('Network', 'dmz', '{type: bridge, gateway: ["fd00::1%eth0/64"]}'),
          doc(
            'Container',
            'c',
            '{interfaces: [{network: lan, addresses: ["fe80::5%eth0"]}], routes: [{to: "fd00::%eth0/8", via: "fe80::1%eth0"}]}',
          ),
          doc('VirtualMachine', 'v', '{interfaces: [{network: lan, addresses: ["10.0.0.1%tap0"]}]}'),
        ),
      }),
    ).map((l) => l.replace(/^a\.yaml:\d+:\d+: /, ''));
    expect(e).toEqual([
      `spec.subnets[0]: ${Z('fe80::%br0/64')}`,
      `spec.gateway: ${Z('fe80::1%br0')}`,
      `spec.gateway[0]: ${Z('fd00::1%eth0/64')}`,
      `spec.interfaces[0].addresses[0]: ${Z('fe80::5%eth0')}`,
      `spec.routes[0].to: ${Z('fd00::%eth0/8')}`,
      `spec.routes[0].via: ${Z('fe80::1%eth0')}`,
      `spec.interfaces[0].addresses[0]: ${Z('10.0.0.1%tap0')}`,
    ]);
  });

  it('the schema flags 10.0.0.300 and 10.0.0.0/33 by itself, in every field', async () => {
    const e = built(
      await s.errors({
        'a.yaml': docs(
          doc('Network', 'lan', '{type: bridge, subnets: [10.0.0.0/33], gateway: 10.0.0.300}'),
          doc(
            'Container',
            'c',
            '{interfaces: [{network: lan, addresses: [10.0.0.300/24]}], routes: [{to: 10.0.0.0/33, via: 10.0.0.1/24}]}',
          ),
        ),
      }),
    ).map((l) => l.replace(/^a\.yaml:\d+:\d+: /, ''));
    expect(e).toEqual([
      'spec.subnets[0]: "10.0.0.0/33" is not a subnet (address/prefix)',
      'spec.gateway: "10.0.0.300" is not an IP address',
      'spec.interfaces[0].addresses[0]: "10.0.0.300/24" is not an IP address',
      'spec.routes[0].to: "10.0.0.0/33" is not a subnet or "default"',
      'spec.routes[0].via: "10.0.0.1/24" is not an IP address',
    ]);
  });
});
