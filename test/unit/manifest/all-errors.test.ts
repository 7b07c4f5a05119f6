import { afterAll, describe, expect, it } from 'vitest';
import { Scratch, built, doc, docs } from './helpers.js';

const s = new Scratch();
afterAll(() => s.cleanup());

const NET = doc('Network', 'pub', '{type: routed, subnets: [192.168.200.0/24], uplink: eth9}');

describe('every error at once', () => {
  it('lists YAML, schema and rule errors of all files together, in reading order', async () => {
    expect(
      built(
        await s.errors({
          'a-yaml.yaml': 'apiVersion: ctnet/v1\nkind: Container\nmetadata: {name: broken\nspec: {}\n',
          'b-schema.yaml': doc('Container', 'typo', '{interfaces: [{network: pub, adresses: [192.168.200.2]}]}'),
          'c-rules.yaml': docs(
            NET,
            doc('Container', 'ct1', '{interfaces: [{network: pub, addresses: [192.168.201.1]}]}'),
          ),
        }),
      ),
    ).toEqual([
      expect.stringMatching(/^a-yaml\.yaml:\d+:\d+: YAML: /),
      'b-schema.yaml:4:36: spec.interfaces[0].adresses: unknown field "adresses"',
      'c-rules.yaml:9:48: spec.interfaces[0].addresses[0]: 192.168.201.1 is outside the subnets of network "pub" (192.168.200.0/24)',
    ]);
  });

  it('runs the rules on documents whose only schema errors are bad values, and says each thing once', async () => {
    expect(
      await s.errors({
        'a.yaml': docs(
          NET,
          doc('Container', 'ct1', '{interfaces: [{network: pub, addresses: [10.0.0.300, 192.168.99.1], mtu: 20}]}'),
        ),
      }),
    ).toEqual([
      'a.yaml:9:48: spec.interfaces[0].addresses[0]: "10.0.0.300" is not an IP address',
      'a.yaml:9:60: spec.interfaces[0].addresses[1]: 192.168.99.1 is outside the subnets of network "pub" (192.168.200.0/24)',
      'a.yaml:9:80: spec.interfaces[0].mtu: must be >= 68 (an integer from 68 to 65535)',
    ]);
  });

  it('a network whose document failed the schema is not "unknown" to the containers using it', async () => {
    expect(
      await s.errors({
        'nets.yaml': doc('Network', 'pub', '{type: routed, colour: red}'),
        'cts.yaml': doc(
          'Container',
          'ct1',
          '{interfaces: [{network: pub, addresses: [192.168.200.2]}, {network: nope, addresses: [10.0.0.1]}]}',
        ),
      }),
    ).toEqual([
      'cts.yaml:4:75: spec.interfaces[1].network: unknown network "nope" (known: pub)',
      'nets.yaml:4:22: spec.colour: unknown field "colour"',
    ]);
  });

  it('nor one whose YAML is broken, when its kind and name can still be read', async () => {
    const e = await s.errors({
      'nets.yaml': 'apiVersion: ctnet/v1\nkind: Network\nmetadata: {name: lan}\nspec: {type: bridge}}\n',
      'cts.yaml': doc('Container', 'ct1', '{interfaces: [{network: lan, addresses: [10.0.0.2/24]}]}'),
    });
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(/^nets\.yaml:4:\d+: YAML: /);
  });

  it('a network with a field that does not apply is still read by the rules', async () => {
    expect(
      await s.errors({
        'a.yaml': docs(
          doc('Network', 'pub', '{type: routed, subnets: [10.0.0.0/24], gateway: 10.0.0.1}'),
          doc('Container', 'ct1', '{interfaces: [{network: pub, addresses: [10.0.1.5]}]}'),
        ),
      }),
    ).toEqual([
      'a.yaml:4:46: spec.gateway: field "gateway" does not apply to a routed network (it takes subnets, uplink and mtu)',
      'a.yaml:9:48: spec.interfaces[0].addresses[0]: 10.0.1.5 is outside the subnets of network "pub" (10.0.0.0/24)',
    ]);
  });

  it('keeps errors without a place (unreadable paths) first', async () => {
    const d = s.dir({ 'a.yaml': doc('Network', 'a', '{type: routed, bogus: 1}') });
    const { loadManifests } = await import('../../../src/manifest/index.js');
    const r = await loadManifests([`${d}/missing.yaml`, d]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((x) => x.message)).toEqual([
      `cannot read "${d}/missing.yaml": no such file or directory`,
      'unknown field "bogus"',
    ]);
  });
});
