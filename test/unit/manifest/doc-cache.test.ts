import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readManifestFiles, type ReadResult } from '../../../src/manifest/load.js';
import { loadManifests } from '../../../src/manifest/index.js';
import { MemoryDocCache } from '../../../src/manifest/doc-cache.js';
import { chunkKey, isPlainJson } from '../../../src/manifest/chunk-key.js';
import { formatError } from '../../../src/model/errors.js';
import { doc, docs, Scratch } from './helpers.js';

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const NET = doc('Network', 'pub', '{type: routed, subnets: [10.0.0.0/24], uplink: eth9}');
const ct = (name: string, addr: string): string =>
  doc('Container', name, `{interfaces: [{name: venet0, network: pub, addresses: [${addr}]}]}`);
const FILE = `# manifests\n${docs(NET, ct('a', '10.0.0.2'), '# empty\n', ct('b', '10.0.0.3'))}---\n`;

/** What a read gives, positions included: the same with a cache as without. */
const view = (r: ReadResult) => ({
  files: r.files,
  errors: r.errors,
  broken: r.broken,
  docs: r.docs.map((d) => ({
    index: d.index,
    data: d.data,
    at: d.source.at(['spec', 'interfaces', 0, 'addresses', 0]),
    key: d.keyAt(['metadata', 'name']),
  })),
});

const errorsOf = async (d: string, cache?: MemoryDocCache): Promise<string[]> => {
  const r = await loadManifests([d], { cache });
  return r.ok ? [] : r.errors.map(formatError);
};

describe('the parse cache', () => {
  it('reads the same documents, indexes and positions as a whole-file parse, parsed or from the cache', () => {
    const d = scratch.dir({ 'all.yaml': FILE, 'one.yaml': ct('c', '10.0.0.4') });
    const plain = view(readManifestFiles([d]));
    const cache = new MemoryDocCache();
    expect(view(readManifestFiles([d], cache))).toEqual(plain);
    expect(view(readManifestFiles([d], cache))).toEqual(plain);
    expect(plain.docs.map((x) => x.index)).toEqual([0, 1, 3, 0]);
  });

  it('serves unchanged chunks without parsing them', () => {
    const d = scratch.dir({ 'all.yaml': FILE });
    const cache = new MemoryDocCache();
    readManifestFiles([d], cache);
    // the comment and the Network, a, the empty document, b, the trailing empty document
    expect(cache.stats).toEqual({ hits: 0, misses: 5, added: 5, marked: 0 });
    readManifestFiles([d], cache);
    expect(cache.stats).toEqual({ hits: 5, misses: 5, added: 5, marked: 0 });
    // proof that a hit is not parsed: an entry planted under the chunk's key is what comes back
    const planted = new MemoryDocCache([[chunkKey(ct('c', '10.0.0.4')), { docs: [{ planted: true }] }]]);
    const p = scratch.dir({ 'one.yaml': ct('c', '10.0.0.4') });
    expect(readManifestFiles([p], planted).docs.map((x) => x.data)).toEqual([{ planted: true }]);
  });

  it('parses again only the document that was edited, and keeps only what the files still use', () => {
    const d = scratch.dir({ 'all.yaml': FILE });
    const cache = new MemoryDocCache();
    readManifestFiles([d], cache);
    cache.sweep();
    writeFileSync(join(d, 'all.yaml'), FILE.replace('10.0.0.3', '10.0.0.9'));
    const r = readManifestFiles([d], cache);
    expect(cache.stats).toEqual({ hits: 4, misses: 6, added: 6, marked: 0 });
    expect(
      (r.docs[2].data as { spec: { interfaces: { addresses: string[] }[] } }).spec.interfaces[0].addresses,
    ).toEqual(['10.0.0.9']);
    cache.sweep();
    expect(cache.usedEntries().size).toBe(0);
    readManifestFiles([d], cache);
    expect(cache.usedEntries().size).toBe(5);
  });

  it('reports schema and rule errors at the same places from cached documents as from parsed ones', async () => {
    const bad = docs(
      NET,
      ct('a', '10.0.0.300'),
      doc('Container', 'b', '{interfaces: [{name: venet0, network: nope, adresses: []}]}'),
      ct('a', '10.0.0.2'),
    );
    const d = scratch.dir({ 'bad.yaml': `# x\n${bad}`, 'net.yaml': NET });
    const plain = await errorsOf(d);
    expect(plain.length).toBeGreaterThan(3);
    const cache = new MemoryDocCache();
    expect(await errorsOf(d, cache)).toEqual(plain);
    expect(await errorsOf(d, cache)).toEqual(plain);
    expect(cache.stats.hits).toBe(5);
  });

  it('leaves a file with YAML errors to the whole-file parse: the same errors, positions and recovered names', () => {
    const text = `${ct('ok', '10.0.0.2')}---\nkind: Network\nkind: Host\n---\napiVersion: ctnet/v1\nkind: Network: x\n---\n${doc('Network', 'n', '{type: [}')}`;
    const d = scratch.dir({ 'bad.yaml': text });
    const plain = view(readManifestFiles([d]));
    expect(plain.errors.length).toBeGreaterThan(2);
    const cache = new MemoryDocCache();
    expect(view(readManifestFiles([d], cache))).toEqual(plain);
    expect(view(readManifestFiles([d], cache))).toEqual(plain);
  });

  it('does not cache what JSON would not give back (NaN, infinities, -0, binary), nor a collection key (toJS warns about it)', () => {
    for (const text of [
      'a: .nan',
      'a: .inf',
      'a: -.inf',
      'a: -0',
      'a: !!binary aGVsbG8=',
      'a: !!set {x}',
      'a: {[k]: 1}',
      'a: &k x\nb: {*k : 1}',
    ]) {
      const d = scratch.dir({ 'x.yaml': `${text}\n` });
      const cache = new MemoryDocCache();
      const r = readManifestFiles([d], cache);
      expect(r.docs.map((x) => x.data)).toEqual(readManifestFiles([d]).docs.map((x) => x.data));
      expect(cache.stats.added).toBe(0);
    }
    expect(isPlainJson({ a: [1, 'x', true, null, { b: 0 }] })).toBe(true);
    expect(
      // eslint-disable-next-line no-sparse-arrays -- a hole is one of the values that are not plain JSON
      [NaN, Infinity, -0, undefined, [1, , 2], new Map(), new Date(0), Object.create(null)].some(isPlainJson),
    ).toBe(false);
  });
});
