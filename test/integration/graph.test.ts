import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox, expectExit, hostSnapshot, sh } from './sandbox.js';
import { container, doc, docs, routedNet } from '../fixtures.js';
import { svgNodes } from '../unit/graph/fixtures.js';

/**
 * `ctnet graph --observed` and `--plan` on a real kernel: a routed network with two containers
 * and a VM, a NAT bridge with one. The statuses are read off the mermaid output (`class … created`),
 * the nodes off the SVG, parsed.
 */
const NETWORKS = docs(
  routedNet('public', '192.168.230.0/24', ', uplink: enp0s5'),
  doc('Network', 'lan', '{type: bridge, subnets: [10.32.0.0/24], gateway: 10.32.0.1, nat: true}'),
);
const GUESTS = docs(
  container('ct1', '{name: venet0, network: public, addresses: [192.168.230.11]}'),
  container('ct2', '{name: venet0, network: public, addresses: [192.168.230.12]}'),
  container('ct3', '{name: eth0, network: lan, addresses: [10.32.0.13/24]}'),
  doc(
    'VirtualMachine',
    'vm1',
    '{interfaces: [{network: public, mac: "02:00:c0:a8:e6:32", addresses: [192.168.230.50]}]}',
  ),
);

/** Node id → status, from `class a,b STATUS` lines of a mermaid chart (mermaid ids: `-` is `_`). */
function statuses(mermaid: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [, ids, s] of mermaid.matchAll(/^ {2}class (\S+) (same|created|updated|deleted)$/gm))
    for (const id of ids.split(',')) out[id] = s;
  return out;
}

describe('ctnet graph on a real kernel', () => {
  const sb = new Sandbox();
  beforeAll(() => {
    sb.external('lan', 'enp0s5', '192.168.230.1/24', '192.168.230.254/24');
    sb.write('networks.yaml', NETWORKS);
    sb.write('guests.yaml', GUESTS);
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
  });
  afterAll(() => {
    sb.ctnet('destroy', '-q');
    sb.cleanup();
  });

  it('--observed -o svg: a node for every container, the VM and its tap, the bridge; the NAT read back from nftables', () => {
    const svg = expectExit(sb.ctnet('graph', '--observed', '-o', 'svg'), 0).stdout;
    const nodes = new Map(svgNodes(svg).map((n) => [n.id, n.texts.join(' ')]));
    for (const id of ['container-ct1', 'container-ct2', 'container-ct3', 'vm-vm1', 'link-tap-vm1-0', 'nic-enp0s5'])
      expect(nodes.has(id), id).toBe(true);
    expect(nodes.get('container-ct1')).toContain(`netns ${sb.ns('ct1')}`);
    expect(nodes.get('container-ct1')).toContain('192.168.230.11/32');
    expect(nodes.get('network-lan')).toContain('10.32.0.1/24');
    expect(nodes.get('network-lan')).toContain('NAT: masquerade 10.32.0.0/24');
    expect(nodes.get('vm-vm1')).toContain('192.168.230.50/32');
    // the kernel alone does not name a routed network: its guests hang off the uplink that answers for them
    expect(nodes.has('network-public')).toBe(false);
    const dot = expectExit(sb.ctnet('graph', '--observed'), 0).stdout;
    expect(dot).toContain('"nic-enp0s5" -> "link-ve-ct1-venet0"');
    expect(dot).not.toMatch(/#2e7d32|#e65100|#c62828/);
  });

  it('--plan: nothing to do draws nothing coloured', () => {
    const m = expectExit(sb.ctnet('graph', '--plan', '-o', 'mermaid', sb.manifestDir), 0).stdout;
    expect(new Set(Object.values(statuses(m)))).toEqual(new Set(['same']));
    expect(m).toContain('subgraph legend');
  });

  it('--plan colours drift, a new container and a removed one, and changes nothing', () => {
    sh('ip', '-n', sb.host, 'link', 'set', 've-ct1-venet0', 'down');
    sb.write(
      'guests.yaml',
      GUESTS.replace(/apiVersion: ctnet\/v1\nkind: Container\nmetadata: \{name: ct2\}[^]*?---\n/, '') +
        `---\n${container('ct4', '{name: eth0, network: lan, addresses: [10.32.0.14/24]}')}`,
    );
    const before = hostSnapshot(sb.host);
    const namespaces = sb.namespaces();
    const m = expectExit(sb.ctnet('graph', '--plan', '-o', 'mermaid', sb.manifestDir), 0).stdout;
    expect(statuses(m)).toMatchObject({
      link_ve_ct1_venet0: 'updated',
      container_ct4: 'created',
      link_ve_ct4_eth0: 'created',
      container_ct2: 'deleted',
      link_ve_ct2_venet0: 'deleted',
      container_ct3: 'same',
      vm_vm1: 'same',
    });
    expect(m).toContain('~ up false → true');
    // a namespace deleted whole is not read: its host end still leads to it
    expect(m).toContain('link_ve_ct2_venet0 --- container_ct2');
    expect(m).toContain('goes whole, with all in it');
    // the same plan as an SVG, for a review: every container there, the one going too
    const svg = expectExit(sb.ctnet('graph', '--plan', '-o', 'svg', sb.manifestDir), 0).stdout;
    const ids = svgNodes(svg).map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining(['container-ct1', 'container-ct2', 'container-ct4', 'legend']));
    expect(hostSnapshot(sb.host)).toEqual(before);
    expect(sb.namespaces()).toEqual(namespaces);
    // what the picture showed is what apply does
    const plan = expectExit(sb.ctnet('plan', sb.manifestDir), 0).stdout;
    expect(plan).toMatch(/~ link ve-ct1-venet0 \(host\) will be updated in place/);
    expect(plan).toContain(`- netns ${sb.ns('ct2')} will be deleted`);
    expect(plan).toContain(`+ netns ${sb.ns('ct4')} will be created`);
  });

  it('refuses flags that do not go together, and an unknown format', () => {
    expect(expectExit(sb.ctnet('graph', '--observed', sb.manifestDir), 3).stderr).toMatch(/takes no PATH/);
    expect(expectExit(sb.ctnet('graph', '--observed', '--plan'), 3).stderr).toMatch(/give one/);
    expect(expectExit(sb.ctnet('graph'), 3).stderr).toMatch(/needs the manifests/);
    expect(expectExit(sb.ctnet('graph', '-o', 'png', sb.manifestDir), 3).stderr).toMatch(/dot, mermaid or svg/);
  });

  it('--observed --snapshot and --plan --snapshot draw a saved kernel, offline', () => {
    const snap = join(sb.dir, 'host.json');
    writeFileSync(snap, expectExit(sb.ctnet('snapshot'), 0).stdout);
    const live = expectExit(sb.ctnet('graph', '--observed', '-o', 'mermaid'), 0).stdout;
    expect(expectExit(sb.ctnet('graph', '--observed', '--snapshot', snap, '-o', 'mermaid'), 0).stdout).toBe(live);
    const planned = expectExit(sb.ctnet('graph', '--plan', '--snapshot', snap, '-o', 'mermaid', sb.manifestDir), 0);
    expect(statuses(planned.stdout)).toMatchObject({ container_ct4: 'created', container_ct2: 'deleted' });
  });
});
