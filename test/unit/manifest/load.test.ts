import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readManifestFiles } from '../../../src/manifest/load.js';
import { loadManifests } from '../../../src/manifest/index.js';

const root = mkdtempSync(join(tmpdir(), 'ctnet-load-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A fresh directory holding `files` (relative path → text). */
function dir(files: Record<string, string>): string {
  const d = join(root, String(n++));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(d, f, '..'), { recursive: true });
    writeFileSync(join(d, f), text);
  }
  return d;
}

const doc = (kind: string, name: string, spec = '{}'): string =>
  `apiVersion: ctnet/v1\nkind: ${kind}\nmetadata: {name: ${name}}\nspec: ${spec}\n`;
const rel = (d: string, files: readonly string[]): string[] => files.map((f) => f.slice(d.length + 1));

describe('readManifestFiles', () => {
  it('reads every document of a file, skipping empty ones, with its index', () => {
    const d = dir({
      'all.yaml': `${doc('Network', 'a', '{type: routed}')}---\n# only a comment\n---\n${doc('Container', 'b')}---\n`,
    });
    const r = readManifestFiles([d]);
    expect(r.errors).toEqual([]);
    expect(r.docs.map((x) => [x.index, (x.data as { kind: string }).kind])).toEqual([
      [0, 'Network'],
      [2, 'Container'],
    ]);
    expect(r.docs[1].source.at(['kind'])).toEqual({ file: join(d, 'all.yaml'), line: 9, column: 7 });
  });

  it('walks directories recursively, sorted, skipping hidden files and folders and non-YAML names', () => {
    const d = dir({
      'b.yml': doc('Container', 'b'),
      'a.yaml': doc('Container', 'a'),
      'sub/deeper/c.yaml': doc('Container', 'c'),
      '.hidden/x.yaml': 'garbage: [',
      'sub/.y.yaml': 'garbage: [',
      'README.md': '# not a manifest',
      'sub/notes.txt': 'x',
    });
    const r = readManifestFiles([d]);
    expect(r.errors).toEqual([]);
    expect(rel(d, r.files)).toEqual(['a.yaml', 'b.yml', 'sub/deeper/c.yaml']);
  });

  it('takes a file named explicitly whatever its name, and reads a file named twice once', () => {
    const d = dir({ 'net.conf': doc('Network', 'a', '{type: routed}'), 'x.yaml': doc('Container', 'x') });
    const r = readManifestFiles([join(d, 'net.conf'), d, join(d, 'x.yaml')]);
    expect(rel(d, r.files)).toEqual(['net.conf', 'x.yaml']);
    expect(r.docs).toHaveLength(2);
  });

  it('survives a symbolic link loop', () => {
    const d = dir({ 'a.yaml': doc('Container', 'a') });
    symlinkSync(d, join(d, 'loop'));
    expect(rel(d, readManifestFiles([d]).files)).toEqual(['a.yaml']);
  });

  it('reports an unreadable path by name, and still reads the others', () => {
    const d = dir({ 'a.yaml': doc('Container', 'a') });
    const r = readManifestFiles([join(d, 'missing'), d]);
    expect(r.errors).toEqual([
      { code: 'invalid', message: `cannot read "${join(d, 'missing')}": no such file or directory` },
    ]);
    expect(r.docs).toHaveLength(1);
  });

  it('reports YAML syntax errors and duplicate keys at their place, per document', () => {
    const d = dir({
      'bad.yaml': `${doc('Container', 'ok')}---\nkind: Network\nkind: Host\n---\napiVersion: ctnet/v1\nkind: Network: x\n`,
    });
    const r = readManifestFiles([d]);
    const f = join(d, 'bad.yaml');
    expect(r.errors.map((e) => [e.file, e.line, e.column, e.code])).toEqual([
      [f, 7, 1, 'invalid'],
      [f, 10, 7, 'invalid'],
    ]);
    expect(r.errors[0].message).toBe('YAML: Map keys must be unique');
    expect(r.errors[1].message).toMatch(/^YAML: /);
    expect(r.docs).toHaveLength(1);
  });

  it('finds a field, falls back to the nearest parent, and can point at a key', () => {
    const d = dir({
      'ct.yaml':
        'apiVersion: ctnet/v1\nkind: Container\nmetadata:\n  name: c\nspec:\n  interfaces:\n    - name: eth0\n      addresses:\n        - 10.0.0.1\n',
    });
    const { docs } = readManifestFiles([d]);
    const at = (p: (string | number)[]): [number, number] => {
      const x = docs[0].source.at(p);
      return [x.line, x.column];
    };
    expect(at(['spec', 'interfaces', 0, 'addresses', 0])).toEqual([9, 11]);
    expect(at(['spec', 'interfaces', 0, 'mac'])).toEqual([7, 7]); // missing: the interface's map
    expect(at(['spec', 'interfaces', 3, 'name'])).toEqual([7, 5]); // missing item: the list
    expect(at([])).toEqual([1, 1]);
    const key = docs[0].keyAt(['spec', 'interfaces', 0, 'addresses']);
    expect([key.line, key.column]).toEqual([8, 7]);
  });
});

describe('loadManifests', () => {
  it('fails with the unreadable path instead of loading an empty world', async () => {
    const r = await loadManifests([join(root, 'nowhere')]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0].message).toContain('nowhere');
  });

  it('builds the set sorted by name, Host documents in file order, with their source', async () => {
    const d = dir({
      '1.yaml': `${doc('Container', 'zeta')}---\n${doc('Host', 'zz', '{sysctls: {net.ipv4.ip_forward: 1}}')}`,
      '2.yaml': `${doc('Container', 'alpha')}---\n${doc('Host', 'aa', '{protectedInterfaces: [eth0]}')}---\n${doc('Network', 'n', '{type: routed}')}`,
    });
    const r = await loadManifests([d]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.containers.map((c) => c.metadata.name)).toEqual(['alpha', 'zeta']);
    expect(r.value.hosts.map((h) => h.metadata.name)).toEqual(['zz', 'aa']);
    expect(r.value.hosts[0].spec.sysctls).toEqual({ 'net.ipv4.ip_forward': '1' }); // integers become text
    expect(r.value.networks[0].source.file).toBe(join(d, '2.yaml'));
    expect(rel(d, r.value.files)).toEqual(['1.yaml', '2.yaml']);
  });

  it('an empty directory is an empty set, not an error: watch decides what that means', async () => {
    const r = await loadManifests([dir({ 'README.md': 'x' })]);
    expect(r.ok && r.value.containers.length === 0 && r.value.files.length === 0).toBe(true);
  });
});
