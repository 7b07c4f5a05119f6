import { describe, expect, it } from 'vitest';
import { toPhases } from '../../src/apply/batches.js';
import { groupLinkDeletes } from '../../src/plan/group-deletes.js';
import { createVeth, deleteLink, netnsAdd, netnsDel } from '../../src/plan/commands.js';
import type { Action } from '../../src/plan/types.js';

const act = (action: Action['action'], type: Action['type'], netns: string | null, object: string, commands: Action['commands']): Action =>
  ({ action, type, netns, object, reason: 'test', disruptive: false, commands });

describe('execution phases', () => {
  it('runs namespace creation, then the host, then containers, then deletions in reverse', () => {
    const veth = createVeth(
      { name: 've-a-eth0', kind: 'veth', alias: 'ctnet:container/a', up: true },
      { name: 'eth0', kind: 'veth', alias: 'ctnet:container/a', up: true },
      'a',
    );
    const phases = toPhases([
      act('create', 'netns', 'a', 'netns a', netnsAdd('a')),
      act('create', 'link', null, 'link ve-a-eth0', veth),
      act('delete', 'netns', 'b', 'netns b', [netnsDel('b')]),
    ]);
    expect(phases.map((p) => p.map((b) => `${b.ns}: ${'lines' in b ? b.lines.length : 0}`))).toEqual([
      ['root: 1'], ['null: 2'], ['a: 2'], ['root: 1'],
    ]);
    expect('lines' in phases[2][0] && phases[2][0].lines).toEqual(['link set dev lo up', 'link set dev eth0 alias ctnet:container/a up']);
  });

  it('deletes several links with one group, never link by link', () => {
    const out = groupLinkDeletes(
      [act('delete', 'link', null, 'link x', [deleteLink(null, 'x')]), act('delete', 'link', null, 'link y', [deleteLink(null, 'y')])],
      () => [{ name: 'z', kind: 'device', up: true, group: 4242 }],
    );
    const lines = out.flatMap((a) => a.commands.map((c) => ('ip' in c ? c.ip.join(' ') : '')));
    expect(lines).toEqual(['link set dev x group 4243', 'link set dev y group 4243', 'link del group 4243']);
  });
});
