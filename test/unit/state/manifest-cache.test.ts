import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readManifestCache, writeManifestCache } from '../../../src/state/manifest-cache.js';

const root = mkdtempSync(join(tmpdir(), 'ctnet-mcache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const stateDir = (): string => join(root, String(n++));
const ENTRIES = new Map([
  ['k1', { docs: [{ kind: 'Network' }, null] }],
  ['k2', { docs: [] }],
]);

describe('the manifest cache file', () => {
  it('reads back what was written, in <state-dir>/cache/manifests.json, with no temporary file left', () => {
    const d = stateDir();
    writeManifestCache(d, ENTRIES);
    expect(readManifestCache(d)).toEqual(ENTRIES);
    expect(readdirSync(join(d, 'cache'))).toEqual(['manifests.json']);
    expect(JSON.parse(readFileSync(join(d, 'cache', 'manifests.json'), 'utf8')).version).toBe(1);
  });

  it('is empty when missing, corrupt, of another version or of another shape', () => {
    expect(readManifestCache(stateDir()).size).toBe(0);
    for (const text of [
      '{"version": 1, "entries": {"k": {"docs": [',
      'null',
      '[]',
      '{"version": 2, "entries": {}}',
      '{"version": 1, "entries": []}',
      '{"version": 1, "entries": {"k": {"docs": 1}}}',
      '{"version": 1, "entries": {"k": null}}',
    ]) {
      const d = stateDir();
      mkdirSync(join(d, 'cache'), { recursive: true });
      writeFileSync(join(d, 'cache', 'manifests.json'), text);
      expect(readManifestCache(d).size).toBe(0);
    }
  });

  it('drops a write that cannot be made, without a word', () => {
    const file = join(root, 'not-a-dir');
    writeFileSync(file, 'x');
    expect(() => writeManifestCache(file, ENTRIES)).not.toThrow();
    expect(readManifestCache(file).size).toBe(0);
  });
});
