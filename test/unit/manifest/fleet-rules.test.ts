import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifests } from '../../../src/manifest/index.js';

const root = mkdtempSync(join(tmpdir(), 'ctnet-fleet-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

async function load(text: string, node?: string) {
  const f = join(root, `${n++}.yaml`);
  writeFileSync(f, text);
  return loadManifests([f], { node });
}
const errors = async (text: string): Promise<string[]> => {
  const r = await load(text);
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
};

const doc = (kind: string, name: string, spec: string, labels = ''): string =>
  `---\napiVersion: ctnet/v1\nkind: ${kind}\nmetadata: {name: ${name}${labels}}\nspec: ${spec}\n`;
const NODES =
  doc('Node', 'h1', '{address: 192.0.2.1, blocks: {ov: 10.50.1.0/24}}', ', labels: {zone: a}') +
  doc('Node', 'h2', '{address: 192.0.2.2, blocks: {ov: 10.50.2.0/24}}', ', labels: {zone: b}');
const OV = doc(
  'Network',
  'ov',
  '{type: bridge, subnets: [10.50.0.0/16], gateway: 10.50.0.1, vxlan: {vni: 7, gatewayNode: h1}}',
);
const on = (name: string, node: string, net = 'ov', addr = '') =>
  doc('Container', name, `{node: ${node}, interfaces: [{network: ${net}${addr ? `, addresses: [${addr}]` : ''}}]}`);

describe('a fleet validated as a whole', () => {
  it('accepts a valid fleet and gives each node its slice', async () => {
    const text =
      NODES +
      OV +
      on('a', 'h1') +
      on('b', 'h2') +
      doc('Host', 'z', '{nodeSelector: {zone: b}, sysctls: {net.ipv4.ip_forward: "1"}}');
    expect(await errors(text)).toEqual([]);
    const h2 = await load(text, 'h2');
    expect(h2.ok && h2.value.containers.map((c) => c.metadata.name)).toEqual(['b']);
    expect(h2.ok && h2.value.hosts.length).toBe(1);
    expect(h2.ok && h2.value.fleet?.networkNodes.get('ov')).toEqual(['h1', 'h2']);
    const h1 = await load(text, 'h1');
    expect(h1.ok && h1.value.hosts.length).toBe(0);
  });

  it('refuses a node no Node manifest declares', async () => {
    const r = await load(NODES + OV + on('a', 'h1'), 'h9');
    expect(!r.ok && r.errors[0].message).toMatch(/node "h9".*the nodes are h1, h2/);
  });

  it('lists every fleet mistake at once', async () => {
    const text =
      NODES +
      doc('Node', 'h3', '{address: 192.0.2.1, blocks: {ov: 10.50.2.128/25, nope: 10.0.0.0/8}}') +
      OV +
      doc(
        'Network',
        'ov2',
        '{type: bridge, subnets: [10.60.0.0/16], gateway: 10.60.0.1, vxlan: {vni: 7}, nodeSelector: {zone: a}}',
      ) +
      doc('Network', 'idle', '{type: bridge, subnets: [10.70.0.0/16], nodeSelector: {zone: x}}') +
      on('a', 'h1') +
      on('b', 'h2', 'ov2') +
      on('c', 'h9') +
      doc('Container', 'd', '{interfaces: [{network: ov}]}') +
      doc('Network', 'r', '{type: routed, subnets: [192.0.2.0/24], uplink: eth0, nodeSelector: {}}') +
      on('e', 'h3', 'r');
    expect((await errors(text)).sort()).toEqual(
      [
        'spec.address: duplicate node address 192.0.2.1: Node "h1" (%) has it',
        'spec.blocks.ov: block 10.50.2.128/25 overlaps Node "h2"\'s block of network "ov"',
        'spec.blocks.nope: unknown network "nope"',
        'spec.vxlan.vni: VXLAN id 7 is already network "ov"\'s',
        "spec.vxlan: a spanning network's gateway is held by one node: name it in spec.vxlan.gatewayNode (one of h1)",
        'spec.nodeSelector: network "idle" is on no node: its nodeSelector matches no node',
        'spec.interfaces[0].network: network "ov2" is not on node "h2": its nodeSelector picks h1',
        'spec.node: unknown node "h9" (the nodes are h1, h2, h3)',
        'spec: spec.node is required: the manifests declare nodes (h1, h2, h3)',
        'spec.interfaces[0]: network "r" spans several nodes: an automatic address needs a block for it on node "h3" (spec.blocks), or give the address here',
      ]
        .map((e) => e.replace('%', `${n - 1}.yaml:${5}`))
        .sort(),
    );
  });

  it('refuses node names and tunnels without Node manifests', async () => {
    expect(await errors(OV + doc('Container', 'a', '{node: h1}'))).toEqual([
      'spec.vxlan: a spanning network needs Node manifests: each node is an end of its tunnel',
      'spec.node: unknown node "h1": the manifests declare no Node',
    ]);
  });
});
