import { afterAll, describe, expect, it, vi } from 'vitest';
import * as yaml from 'yaml';
import { loadManifests } from '../../../src/manifest/index.js';
import { MemoryDocCache } from '../../../src/manifest/doc-cache.js';
import { doc, docs, Scratch } from './helpers.js';

// every parse of manifest text goes through yaml's parseAllDocuments: counted here
vi.mock('yaml', async (original) => {
  const real = await original<typeof yaml>();
  return { ...real, parseAllDocuments: vi.fn(real.parseAllDocuments) };
});

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const NET = doc('Network', 'pub', '{type: routed, subnets: [10.0.0.0/24], uplink: eth9}');
const ct = (name: string, addr: string): string =>
  doc('Container', name, `{interfaces: [{name: venet0, network: pub, addresses: [${addr}]}]}`);

describe('a valid set served from the parse cache', () => {
  it('is never parsed again, by the loader or by a rule wanting positions', async () => {
    const d = scratch.dir({ 'all.yaml': docs(NET, ct('a', '10.0.0.2'), ct('b', '10.0.0.3')) });
    const cache = new MemoryDocCache();
    expect((await loadManifests([d], { cache })).ok).toBe(true);
    const parse = vi.mocked(yaml.parseAllDocuments);
    parse.mockClear();
    expect((await loadManifests([d], { cache })).ok).toBe(true);
    expect(cache.stats.hits).toBeGreaterThan(0);
    expect(parse).not.toHaveBeenCalled();
  });

  it('is parsed for positions when a rule names two places', async () => {
    const d = scratch.dir({ 'all.yaml': docs(NET, ct('a', '10.0.0.2'), ct('b', '10.0.0.2')) });
    const cache = new MemoryDocCache();
    await loadManifests([d], { cache });
    const r = await loadManifests([d], { cache });
    expect(r.ok ? [] : r.errors.map((e) => `${e.line}:${e.message}`)).toEqual([
      expect.stringMatching(/duplicate address 10\.0\.0\.2: already used by Container "a" \(all\.yaml:\d+:\d+\)/),
    ]);
  });
});
