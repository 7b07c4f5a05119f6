import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadState, recordsAlready, saveState } from '../../../src/state/store.js';
import type { Inventory } from '../../../src/model/inventory.js';

const root = mkdtempSync(join(tmpdir(), 'ctnet-state-memo-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const dir = (): string => join(root, String(n++));
const inv = (owner: string): Inventory => ({
  version: 2,
  instance: 'abcd1234',
  objects: { 'netns ct1': { owner }, 'link host ve-ct1-eth0': { owner } },
});

describe('the state this process wrote', () => {
  it('is read back without parsing while the file is the one written', () => {
    const d = dir();
    const written = inv('container/ct1');
    saveState(d, written);
    expect(loadState(d).inventory).toBe(written);
    // another state written since: this one is read from its file once, then remembered as read
    saveState(dir(), inv('container/a'));
    const first = loadState(d);
    expect(first.inventory).toStrictEqual(written);
    expect(loadState(d).inventory).toBe(first.inventory);
  });

  it('is read again from the file after anyone else writes it, even to the same size', () => {
    const d = dir();
    saveState(d, inv('container/ct1'));
    const file = join(d, 'state.json');
    // the same length, in place (same inode): only the times tell
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('container/ct1', 'container/ct2'));
    expect(loadState(d).inventory.objects['netns ct1'].owner).toBe('container/ct2');
  });

  it('is kept without its undefined top-level fields, as reading it back would give', () => {
    const d = dir();
    const written: Inventory = { ...inv('container/ct1'), lastApplied: undefined, overrides: undefined };
    saveState(d, written);
    const read = loadState(d).inventory;
    expect(Object.hasOwn(read, 'lastApplied')).toBe(false);
    expect(Object.hasOwn(read, 'overrides')).toBe(false);
    expect(read).toStrictEqual(JSON.parse(readFileSync(join(d, 'state.json'), 'utf8')));
    // remembered: the same object again, not a new parse of the file
    expect(loadState(d).inventory).toBe(read);
  });

  it('is not kept with an undefined field deeper: read back, the field is absent', () => {
    const d = dir();
    const written: Inventory = {
      ...inv('container/ct1'),
      objects: { 'netns ct1': { owner: 'container/ct1', original: undefined } },
    };
    saveState(d, written);
    const read = loadState(d).inventory;
    expect(read).not.toBe(written);
    expect(Object.hasOwn(read.objects['netns ct1'], 'original')).toBe(false);
  });

  it('records an inventory already when only the time it was applied differs, and only while the file is its own', () => {
    const d = dir();
    const at = (t: string): Inventory => ({
      ...inv('container/ct1'),
      lastApplied: { digest: 'abc', at: t, files: ['/m.yaml'] },
      overrides: undefined,
    });
    saveState(d, at('2026-12-06T10:00:00.000Z'));
    expect(recordsAlready(d, at('2026-12-06T11:00:00.000Z'))).toBe(true);
    expect(recordsAlready(d, { ...at('x'), lastApplied: { digest: 'def', at: 'x', files: ['/m.yaml'] } })).toBe(false);
    expect(recordsAlready(d, { ...at('x'), objects: { 'netns ct1': { owner: 'container/ct2' } } })).toBe(false);
    // someone else's write, even of the same bytes: not known any more, so written again
    const file = join(d, 'state.json');
    writeFileSync(file, readFileSync(file, 'utf8'));
    expect(recordsAlready(d, at('y'))).toBe(false);
  });
});
