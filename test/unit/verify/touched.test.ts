import { describe, expect, it } from 'vitest';
import { emptyNs, type LinkObj, type ObservedState } from '../../../src/model/kernel.js';
import type { Op } from '../../../src/model/ops.js';
import type { Action } from '../../../src/plan/types.js';
import { touchedNamespaces } from '../../../src/verify/touched.js';

const act = (netns: string | null, ops: Op[]): Action => ({
  id: `x ${Math.random()}`,
  action: 'create',
  key: { kind: 'netns', ns: null, name: 'x' },
  type: 'netns',
  netns,
  object: 'x',
  reason: '',
  disruptive: false,
  ops,
  deps: [],
});
const veth = (name: string, peerNetnsId: number | undefined, group?: number): LinkObj => ({
  name,
  kind: 'veth',
  peerNetnsId,
  group,
});
const observed = (links: LinkObj[]): ObservedState => ({
  host: { ...emptyNs(), links },
  netnsNames: ['a', 'b', 'c', 'd'],
  namespaces: {},
  netnsIds: { a: 1, b: 2, c: 3, d: 4 },
});

describe('the namespaces a run touched (verify reads these again)', () => {
  it('names where operations ran, where a veth peer was made, and namespaces made or deleted', () => {
    const t = touchedNamespaces(
      [
        act('a', [{ op: 'netns-add', name: 'a' }]),
        act(null, [
          { op: 'link-add', ns: null, link: { name: 've-b', kind: 'veth', peer: { name: 'eth0', ns: 'b' } } },
        ]),
        act('c', [{ op: 'addr-add', ns: 'c', address: { dev: 'eth0', family: 4, cidr: '10.0.0.2/24' } }]),
      ],
      observed([]),
    );
    expect([...t].sort()).toEqual(['a', 'b', 'c']);
  });

  it('follows a host veth that was changed or deleted to its peer namespace, by the host nsid', () => {
    const obs = observed([veth('ve-c', 3), veth('ve-d', 4, 77), veth('ve-a', 1, 77), veth('lonely', undefined)]);
    expect([...touchedNamespaces([act(null, [{ op: 'link-del', ns: null, name: 've-c' }])], obs)]).toEqual(['c']);
    expect([...touchedNamespaces([act(null, [{ op: 'link-del-group', ns: null, group: 77 }])], obs)].sort()).toEqual([
      'a',
      'd',
    ]);
    expect([
      ...touchedNamespaces([act(null, [{ op: 'link-set', ns: null, name: 'lonely', set: { up: true } }])], obs),
    ]).toEqual([]);
  });

  it('leaves out the host: it is always read again', () => {
    expect([
      ...touchedNamespaces(
        [act(null, [{ op: 'route-add', ns: null, route: { family: 4, dst: '10.0.0.2/32', dev: 've-c' } }])],
        observed([]),
      ),
    ]).toEqual([]);
  });
});
