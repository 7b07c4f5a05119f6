import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as schema from '../../../src/manifest/schema.js';
import { loadManifests } from '../../../src/manifest/index.js';
import { MemoryDocCache } from '../../../src/manifest/doc-cache.js';
import { schemaFingerprint } from '../../../src/manifest/schema-options.js';
import { readManifestCache, writeManifestCache } from '../../../src/state/manifest-cache.js';
import { doc, docs, Scratch } from './helpers.js';

// every schema check of a document goes through checkSchema: counted here
vi.mock('../../../src/manifest/schema.js', async (original) => {
  const real = await original<typeof schema>();
  return { ...real, checkSchema: vi.fn(real.checkSchema) };
});

const scratch = new Scratch();
const state = mkdtempSync(join(tmpdir(), 'ctnet-cache-valid-'));
afterAll(() => {
  scratch.cleanup();
  rmSync(state, { recursive: true, force: true });
});

const NET = doc('Network', 'pub', '{type: routed, subnets: [10.0.0.0/24], uplink: eth9}');
const ct = (name: string, addr: string): string =>
  doc('Container', name, `{interfaces: [{name: venet0, network: pub, addresses: [${addr}]}]}`);
const checked = vi.mocked(schema.checkSchema);
/** What a load gave, without the closures that locate fields. */
const shown = (r: Awaited<ReturnType<typeof loadManifests>>): string =>
  JSON.stringify(r.ok ? [...r.value.networks, ...r.value.containers].map(({ source: _s, ...m }) => m) : r.errors);

describe('a chunk that passed the schema, served from the parse cache', () => {
  beforeEach(() => {
    checked.mockClear();
  });

  it('is not checked again while the schema is the same, in memory and through the cache file', async () => {
    const d = scratch.dir({ 'all.yaml': docs(NET, ct('a', '10.0.0.2'), ct('b', '10.0.0.3')) });
    const cache = new MemoryDocCache();
    const first = await loadManifests([d], { cache });
    expect(checked).toHaveBeenCalledTimes(3);
    expect(cache.stats.marked).toBe(3);
    checked.mockClear();
    const again = await loadManifests([d], { cache });
    expect(checked).not.toHaveBeenCalled();
    expect(shown(again)).toBe(shown(first));
    // a later process reads the mark from the state dir's cache file
    writeManifestCache(state, cache.usedEntries());
    const stored = [...readManifestCache(state).values()];
    expect(stored.every((c) => c.valid === schemaFingerprint())).toBe(true);
    const later = await loadManifests([d], { cache: new MemoryDocCache(readManifestCache(state)) });
    expect(checked).not.toHaveBeenCalled();
    expect(shown(later)).toBe(shown(first));
  });

  it('is checked again under another schema, and a failing one every time', async () => {
    const d = scratch.dir({ 'a.yaml': ct('a', '10.0.0.2'), 'b.yaml': ct('b', 'not-an-address'), 'n.yaml': NET });
    const cache = new MemoryDocCache();
    const first = await loadManifests([d], { cache });
    expect(first.ok).toBe(false);
    expect(cache.stats.marked).toBe(2);
    // marked under an older schema: the mark is worth nothing now
    const old = new MemoryDocCache([...cache.usedEntries()].map(([k, c]) => [k, { ...c, valid: 'older' }] as const));
    checked.mockClear();
    const again = await loadManifests([d], { cache: old });
    expect(checked).toHaveBeenCalledTimes(3);
    expect(shown(again)).toBe(shown(first));
    checked.mockClear();
    await loadManifests([d], { cache });
    // only the failing document is checked again, and it fails the same way
    expect(checked).toHaveBeenCalledTimes(1);
    expect(checked.mock.calls[0][0].data).toMatchObject({ metadata: { name: 'b' } });
  });
});
