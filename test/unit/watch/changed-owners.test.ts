import { afterAll, describe, expect, it } from 'vitest';
import { loadDesired } from '../../../src/engine/load.js';
import { indexDesired, namespacesOfChanges } from '../../../src/watch/changed-owners.js';
import { incremental } from '../../../src/watch/cycle.js';
import type { ObservedState } from '../../../src/model/kernel.js';
import { doc, docs, Scratch } from '../manifest/helpers.js';

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const NET = doc('Network', 'pub', '{type: routed, subnets: [10.0.0.0/24], uplink: eth9}');
const LAN = doc('Network', 'lan', '{type: bridge, subnets: [10.1.0.0/24], gateway: 10.1.0.1, bridge: br0}');
const ct = (name: string, net: string, addr: string): string =>
  doc('Container', name, `{netns: x-${name}, interfaces: [{name: eth0, network: ${net}, addresses: [${addr}]}]}`);

async function indexOf(files: Record<string, string>) {
  const r = await loadDesired([scratch.dir(files)], { allowEmpty: true });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return indexDesired(r.value.desired);
}

describe('a file-triggered watch run reads the namespaces of the owners that changed', () => {
  it('names the namespaces of added, removed and changed owners, not of the others', async () => {
    const before = await indexOf({
      'n.yaml': docs(NET, LAN),
      'a.yaml': ct('a', 'pub', '10.0.0.2'),
      'b.yaml': ct('b', 'pub', '10.0.0.3'),
      'd.yaml': ct('d', 'lan', '10.1.0.4/24'),
      'e.yaml': ct('e', 'lan', '10.1.0.5/24'),
    });
    const after = await indexOf({
      'n.yaml': docs(NET, LAN),
      'a.yaml': ct('a', 'pub', '10.0.0.9'),
      'b.yaml': ct('b', 'pub', '10.0.0.3'),
      'c.yaml': ct('c', 'lan', '10.1.0.6/24'),
      'e.yaml': ct('e', 'lan', '10.1.0.5/24'),
    });
    expect(namespacesOfChanges(before, before)).toEqual([]);
    expect(namespacesOfChanges(before, after)).toEqual(['x-a', 'x-c', 'x-d']);
  });

  it('reuses the last observation for a file event only while kernel events are known', async () => {
    const index = await indexOf({ 'n.yaml': NET, 'a.yaml': ct('a', 'pub', '10.0.0.2') });
    const next = await indexOf({ 'n.yaml': NET, 'a.yaml': ct('a', 'pub', '10.0.0.7') });
    const previous = { netnsIds: { 'x-a': 3, other: 4 } } as unknown as ObservedState;
    const last = { observed: previous, digest: 'd1', index };
    const file = new Set(['file'] as const);
    expect(incremental(last, file, { nsids: [] }, 'd2', () => next)).toEqual({ namespaces: ['x-a'], previous });
    expect(incremental(last, new Set(['file', 'kernel'] as const), { nsids: [4] }, 'd2', () => next)).toEqual({
      namespaces: ['other', 'x-a'],
      previous,
    });
    expect(incremental(last, file, undefined, 'd2', () => next)).toBeUndefined();
    expect(incremental({ observed: previous, digest: 'd1' }, file, { nsids: [] }, 'd2', () => next)).toBeUndefined();
    expect(incremental(last, new Set(['file', 'resync'] as const), { nsids: [] }, 'd2', () => next)).toBeUndefined();
    expect(incremental(last, new Set(['sighup'] as const), { nsids: [] }, 'd2', () => next)).toBeUndefined();
  });
});
