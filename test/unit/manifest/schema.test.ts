import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifests } from '../../../src/manifest/index.js';
import { formatError } from '../../../src/model/errors.js';

const root = mkdtempSync(join(tmpdir(), 'ctnet-schema-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** Every error of these files, as the CLI prints them, with the directory cut off. */
async function errors(files: Record<string, string>): Promise<string[]> {
  const d = join(root, String(n++));
  mkdirSync(d);
  for (const [f, text] of Object.entries(files)) writeFileSync(join(d, f), text);
  const r = await loadManifests([d]);
  return r.ok ? [] : r.errors.map((e) => formatError(e).replace(`${d}/`, ''));
}
// what this version cannot build yet is the `implemented` rule's business, tested with the rules
const one = async (text: string): Promise<string[]> =>
  (await errors({ 'm.yaml': text }))
    .filter((e) => !e.endsWith('is not implemented in this version of ctnet'))
    .map((e) => e.replace(/^m\.yaml:/, ''));
const doc = (kind: string, name: string, spec: string): string =>
  `apiVersion: ctnet/v1\nkind: ${kind}\nmetadata: {name: ${name}}\nspec: ${spec}\n`;
/** The network "n" that fixtures attach to, after them: their line numbers stay. */
const withNet = (text: string): string => `${text}---\n${doc('Network', 'n', '{type: bridge}')}`;

describe('schema', () => {
  it('names an unknown field, at its key', async () => {
    expect(
      await one(
        'apiVersion: ctnet/v1\nkind: Network\nmetadata: {name: lan}\nspec:\n  type: bridge\n  colour:\n    shade: red\n',
      ),
    ).toEqual(['6:3: spec.colour: unknown field "colour"']);
  });

  it('lists the allowed values of an enum, and says what a pattern allows', async () => {
    expect(await one(doc('Network', 'Lan', '{type: routd}'))).toEqual([
      '3:18: metadata.name: "Lan" is not a valid name: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
      '4:14: spec.type: "routd" is not allowed; use one of "routed", "bridge", "loopback", "custom"',
    ]);
    expect(
      await one(
        withNet(doc('Container', 'c', '{interfaces: [{name: this-is-too-long0, network: n, mac: "02:00:00:00:00"}]}')),
      ),
    ).toEqual([
      '4:28: spec.interfaces[0].name: "this-is-too-long0" is not a valid interface name: 1 to 15 characters of A-Z, a-z, 0-9, "_", "." and "-", not "." or ".."',
      '4:64: spec.interfaces[0].mac: "02:00:00:00:00" is not a valid MAC address: six hexadecimal byte pairs separated by ":", e.g. 02:00:c0:a8:00:0b (unicast, not all-zero)',
    ]);
  });

  it('bounds MTUs and checks types', async () => {
    expect(await one(doc('Network', 'a', '{type: bridge, mtu: 70000, nat: "yes", subnets: 10.0.0.0/8}'))).toEqual([
      '4:27: spec.mtu: must be <= 65535 (an integer from 68 to 65535)',
      '4:39: spec.nat: must be true or false, not "yes"',
      '4:55: spec.subnets: must be a list, not "10.0.0.0/8"',
    ]);
    expect(await one(withNet(doc('Container', 'a', '{interfaces: [{network: n, mtu: 67}]}')))).toEqual([
      '4:39: spec.interfaces[0].mtu: must be >= 68 (an integer from 68 to 65535)',
    ]);
  });

  it('netns: a name, not "." or "..", or {path}', async () => {
    expect(await one(doc('Container', 'a', '{netns: ct-1.x_Y}'))).toEqual([]);
    expect(await one(doc('Container', 'a', '{netns: {path: /proc/1/ns/net}}'))).toEqual([]);
    expect(await one(doc('Container', 'a', '{netns: ".."}'))).toEqual([
      '4:15: spec.netns: ".." is not a valid namespace name: 1 to 63 characters of A-Z, a-z, 0-9, "_", "." and "-", not "." or ".."',
    ]);
    expect(await one(doc('Container', 'a', '{netns: {path: proc, pid: 1}}'))).toEqual([
      '4:22: spec.netns.path: "proc" is not a valid namespace path: an absolute path, e.g. /proc/4242/ns/net',
      '4:28: spec.netns.pid: unknown field "pid"',
    ]);
    expect(await one(doc('Container', 'a', '{netns: 7}'))).toEqual([
      '4:15: spec.netns: 7 is not a valid netns: a namespace name, or {path: /proc/PID/ns/net}',
    ]);
  });

  it('gateway: one address or a list, each an IP address', async () => {
    expect(
      await one(
        doc('Network', 'a', '{type: bridge, gateway: 10.0.0.1}') +
          '---\n' +
          doc('Network', 'b', '{type: bridge, gateway: [10.1.0.1, "fd00::1"]}'),
      ),
    ).toEqual([]);
    expect(
      await one(
        doc('Network', 'a', '{type: bridge, gateway: [10.1.0.1, 7, 10.1.0.300]}') +
          '---\n' +
          doc('Network', 'b', '{type: bridge, gateway: 10.2.0.256}'),
      ),
    ).toEqual([
      '4:42: spec.gateway[1]: 7 is not a valid IP address: an IPv4 or IPv6 address, optionally with /prefix, e.g. 10.0.0.5/24 or 2001:db8::5 (no %zone suffix)',
      '4:45: spec.gateway[2]: "10.1.0.300" is not an IP address',
      '9:31: spec.gateway: "10.2.0.256" is not an IP address',
    ]);
  });

  it('checks the envelope: apiVersion, kind, metadata, required fields, mapping documents', async () => {
    expect(
      await one(
        'apiVersion: ctnet/v2\nkind: Pod\nmetadata: {labels: {a: 1}}\nspec: {}\n---\n- a list\n---\napiVersion: ctnet/v1\nkind: Network\nmetadata: {name: n}\nspec: {}\n',
      ),
    ).toEqual([
      '1:13: apiVersion: must be "ctnet/v1"',
      '2:7: kind: "Pod" is not allowed; use one of "Network", "Container", "VirtualMachine", "Host", "Node"',
      '3:11: metadata: missing required field "name"',
      '3:24: metadata.labels.a: 1 is not a valid label value: a string',
      '6:1: (document): a manifest is a mapping (apiVersion, kind, metadata, spec), not ["a list"]',
      '11:7: spec: missing required field "type"',
    ]);
  });

  it('VM interfaces need a network and take only network, tap, mac, addresses', async () => {
    expect(await one(doc('VirtualMachine', 'vm', '{interfaces: [{tap: tap0, device: eth1}]}'))).toEqual([
      '4:21: spec.interfaces[0]: missing required field "network"',
      '4:33: spec.interfaces[0].device: unknown field "device"',
    ]);
  });

  it("reports every schema error of every file at once, with the rules' errors on documents of a sound shape", async () => {
    expect(
      await errors({
        'a.yaml': doc('Network', 'n', '{type: routed, bogus: 1}'),
        'b.yaml': `${doc('Container', 'c', '{interfaces: [{network: nope, addresses: [10.0.0.300]}]}')}---\n${doc('Container', 'd', '{driver: vm, interfaces: [{network: gone}]}')}`,
      }),
    ).toEqual([
      'a.yaml:4:22: spec.bogus: unknown field "bogus"',
      // the network n exists, if invalid: it is known
      'b.yaml:4:31: spec.interfaces[0].network: unknown network "nope" (known: n)',
      // the schema and the addresses rule say the same: once
      'b.yaml:4:49: spec.interfaces[0].addresses[0]: "10.0.0.300" is not an IP address',
      // an unknown driver: what d means is unclear, the rules skip it (no "unknown network gone")
      'b.yaml:9:16: spec.driver: "vm" is not allowed; use one of "vnet", "ipnet", "host", "disabled"',
    ]);
  });
});
