import { describe, expect, it } from 'vitest';
import { claimed } from '../../../src/engine/claimed.js';
import type { ExecResult } from '../../../src/apply/execute.js';
import type { Inventory } from '../../../src/model/inventory.js';
import type { Op } from '../../../src/model/ops.js';
import type { Action } from '../../../src/plan/types.js';

const action = (id: string, ops: Op[]): Action => ({ id, action: 'create', ops, deps: [] }) as unknown as Action;
const add: Op = { op: 'link-add', ns: null, link: { name: 've-ct2-venet0', kind: 'veth' } };
const set: Op = { op: 'link-set', ns: 'ct2', name: 'venet0', set: { up: true } };
const addr: Op = { op: 'addr-add', ns: 'ct2', address: { dev: 'venet0', family: 4, cidr: '10.0.0.2/32' } };
const inv = (...ids: string[]): Inventory => ({
  version: 2,
  instance: 'i',
  objects: Object.fromEntries(ids.map((id) => [id, { owner: 'container/ct2' }])),
});
const failure = { index: 0, command: 'ip link add ...', message: 'RTNETLINK answers: File exists' };

describe('what a failed run may have made', () => {
  const intended = inv('netns ct2', 'link host ve-ct2-venet0', 'link netns:ct2 venet0', 'address netns:ct2 venet0 x');
  const hostEnd = action('link host ve-ct2-venet0', [add, set]);

  it('not a new object whose making was refused at once, nor one never run: someone else may have it', () => {
    const res: ExecResult = {
      failed: [{ action: hostEnd, failure, ran: 0 }],
      skipped: [action('address netns:ct2 venet0 x', [addr])],
      commands: 1,
    };
    expect(Object.keys(claimed(intended, inv(), res).objects)).toEqual(['netns ct2', 'link netns:ct2 venet0']);
  });

  it('what came with another object, what was owned before, and what got its first operation through', () => {
    const res: ExecResult = {
      failed: [
        { action: hostEnd, failure, ran: 1 },
        { action: action('link netns:ct2 venet0', [set]), failure, ran: 0 },
      ],
      skipped: [action('address netns:ct2 venet0 x', [addr])],
      commands: 1,
    };
    const before = inv('address netns:ct2 venet0 x');
    expect(claimed(intended, before, res)).toEqual(intended);
  });
});
