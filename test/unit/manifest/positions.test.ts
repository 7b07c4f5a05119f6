import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifests } from '../../../src/manifest/index.js';
import { formatError } from '../../../src/model/errors.js';

const root = mkdtempSync(join(tmpdir(), 'ctnet-pos-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

async function errors(files: Record<string, string>): Promise<string[]> {
  const d = join(root, String(n++));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(d, f, '..'), { recursive: true });
    writeFileSync(join(d, f), text);
  }
  const r = await loadManifests([d]);
  return r.ok ? [] : r.errors.map((e) => formatError(e).replace(`${d}/`, ''));
}

const NET =
  'apiVersion: ctnet/v1\nkind: Network\nmetadata: {name: pub}\nspec: {type: routed, subnets: [192.168.200.0/24], uplink: eth9}\n';

describe('error positions', () => {
  it('points at a bad address in a nested block list, in the second document of a file', async () => {
    const ct = [
      '---',
      'apiVersion: ctnet/v1',
      'kind: Container',
      'metadata:',
      '  name: ct1',
      'spec:',
      '  interfaces:',
      '    - name: venet0',
      '      network: pub',
      '      addresses:',
      '        - 192.168.200.5',
      '        - 10.0.0.300',
    ].join('\n');
    expect(await errors({ 'manifests/ct.yaml': NET + ct + '\n' })).toEqual([
      'manifests/ct.yaml:16:11: spec.interfaces[0].addresses[1]: "10.0.0.300" is not an IP address',
    ]);
  });

  it('points into flow collections too', async () => {
    const ct =
      '---\napiVersion: ctnet/v1\nkind: Container\nmetadata: {name: ct1}\nspec: {interfaces: [{network: pub, addresses: [192.168.200.5, 10.0.0.300]}]}\n';
    const e = await errors({ 'ct.yaml': NET + ct });
    expect(e).toEqual(['ct.yaml:9:63: spec.interfaces[0].addresses[1]: "10.0.0.300" is not an IP address']);
  });

  it('lists every error of every file and every rule at once, in reading order', async () => {
    const e = await errors({
      'a/nets.yaml': `${NET}---\napiVersion: ctnet/v1\nkind: Network\nmetadata: {name: pub}\nspec: {type: bridge, gateway: 10.1.1.1}\n`,
      'b/cts.yaml': [
        'apiVersion: ctnet/v1',
        'kind: Container',
        'metadata: {name: ct1}',
        'spec:',
        '  interfaces:',
        '    - {name: venet0, network: pub, addresses: [192.168.200.1, 10.1.1.1]}',
        '    - {name: venet0, network: nowhere, mac: "01:00:00:00:00:01"}',
        '---',
        'apiVersion: ctnet/v1',
        'kind: Container',
        'metadata: {name: ct2}',
        'spec: {netns: ct1, interfaces: [{network: pub, addresses: [192.168.200.1]}]}',
      ].join('\n'),
    });
    expect(e).toEqual([
      'a/nets.yaml:8:18: metadata.name: duplicate Network "pub" (first defined in ' +
        e[0].split('first defined in ')[1],
      'b/cts.yaml:6:63: spec.interfaces[0].addresses[1]: 10.1.1.1 is outside the subnets of network "pub" (192.168.200.0/24)',
      'b/cts.yaml:6:63: spec.interfaces[0].addresses[1]: duplicate address 10.1.1.1: already used by the gateway of network "pub" (nets.yaml:9:31)',
      'b/cts.yaml:7:14: spec.interfaces[1].name: duplicate interface name "venet0" in Container "ct1"',
      'b/cts.yaml:7:31: spec.interfaces[1].network: unknown network "nowhere" (known: pub)',
      'b/cts.yaml:7:45: spec.interfaces[1].mac: "01:00:00:00:00:01" is a multicast MAC address (the first byte must be even)',
      'b/cts.yaml:12:15: spec.netns: network namespace "ct1" is already used by container "ct1"',
      'b/cts.yaml:12:60: spec.interfaces[0].addresses[0]: duplicate address 192.168.200.1: already used by Container "ct1" (cts.yaml:6:48)',
    ]);
  });
});
