import { describe, expect, it } from 'vitest';
import { execute } from '../../../src/apply/execute.js';
import { schedule, steps } from '../../../src/apply/schedule.js';
import { plan } from '../../../src/plan/plan.js';
import { buildDesired } from '../../../src/desired/build.js';
import { emptyInventory } from '../../../src/model/inventory.js';
import { emptyNs, type ObservedState } from '../../../src/model/kernel.js';
import type { ManifestSet } from '../../../src/manifest/types.js';
import type { Progress } from '../../../src/model/progress.js';
import { progressText, progressView } from '../../../src/cli/progress.js';
import { FakeDriver } from './fake-driver.js';

const src = { file: 'm.yaml', at: () => ({ file: 'm.yaml', line: 1, column: 1 }) };
const set: ManifestSet = {
  networks: [],
  containers: ['a', 'b', 'c'].map((name) => ({
    apiVersion: 'ctnet/v1' as const,
    kind: 'Container' as const,
    metadata: { name },
    source: src,
    spec: {},
  })),
  vms: [],
  hosts: [],
  nodes: [],
  files: ['m.yaml'],
};
const host: ObservedState = { host: emptyNs(), netnsNames: [], namespaces: {} };

describe('progress', () => {
  it('execute reports done/total after each step, ending at total', async () => {
    const actions = plan(buildDesired(set), host, emptyInventory('test0001')).actions;
    const seen: Progress[] = [];
    await execute(new FakeDriver(), actions, (p) => seen.push(p));
    expect(seen.length).toBe(steps(schedule(actions)).length + 1);
    expect(seen.every((p) => p.phase === 'apply' && p.total === actions.length)).toBe(true);
    expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((a, b) => a - b));
    expect(seen[0].done).toBe(0);
    expect(seen.at(-1)!.done).toBe(actions.length);
  });

  it('reads as the phase, done/total and the elapsed time', () => {
    expect(progressText({ phase: 'apply', done: 3, total: 40 }, 3421)).toBe('apply 3/40 actions, 3.4s');
    expect(progressText({ phase: 'observe', done: 0, total: 0 }, 1000)).toBe('observe, 1.0s');
  });

  it('shows nothing when stderr is no terminal, or with --json or -q', () => {
    const g = { json: false, quiet: false } as Parameters<typeof progressView>[0];
    const tty = { isTTY: true } as NodeJS.WriteStream;
    expect(progressView(g, { isTTY: false } as NodeJS.WriteStream)).toBeUndefined();
    expect(progressView({ ...g, json: true }, tty)).toBeUndefined();
    expect(progressView({ ...g, quiet: true }, tty)).toBeUndefined();
    const v = progressView(g, tty);
    expect(v).toBeDefined();
    v!.stop();
  });
});
