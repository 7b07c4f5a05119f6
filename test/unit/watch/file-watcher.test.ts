import { afterAll, describe, expect, it } from 'vitest';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchManifests } from '../../../src/watch/file-watcher.js';
import { DesiredSource } from '../../../src/watch/desired-source.js';

const root = mkdtempSync(join(tmpdir(), 'ctnet-watch-unit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// a subnet of its own per name: two networks' subnets never overlap
const third = (name: string): number => [...name].reduce((n, ch) => n + ch.charCodeAt(0), 0) % 250;
const net = (name: string): string =>
  `apiVersion: ctnet/v1\nkind: Network\nmetadata: {name: ${name}}\nspec: {type: bridge, subnets: [10.9.${third(name)}.0/24]}\n`;

/** Resolves at the n-th change, with how many there were by then. */
function counter() {
  let n = 0;
  const waiters: [number, () => void][] = [];
  return {
    onChange: () => {
      n++;
      for (const [k, res] of waiters) if (n >= k) res();
    },
    count: () => n,
    reach: (k: number) => new Promise<void>((res) => (n >= k ? res() : waiters.push([k, res]))),
  };
}

describe('manifest file watcher', () => {
  it('turns a burst of writes (a checkout) into one change, ignores .git, hidden names and files that are not manifests', async () => {
    const dir = join(root, 'burst');
    mkdirSync(join(dir, '.git'), { recursive: true });
    const c = counter();
    const w = await watchManifests(dir, {
      debounceMs: 100,
      onChange: c.onChange,
      onError: (e) => {
        throw e;
      },
    });
    try {
      for (let i = 0; i < 20; i++) writeFileSync(join(dir, `n${i}.yaml`), net(`n${i}`));
      await c.reach(1);
      // a later change proves the watcher still works, and that the burst stayed one
      writeFileSync(join(dir, '.git', 'index'), 'x');
      // nor is anything that is not a manifest (a state dir kept inside by mistake, an editor's swap file)
      mkdirSync(join(dir, '.state'), { recursive: true });
      writeFileSync(join(dir, 'state.json'), '{}');
      writeFileSync(join(dir, '.n0.yaml.swp'), 'x');
      writeFileSync(join(dir, 'n0.yaml'), net('renamed'));
      await c.reach(2);
      expect(c.count()).toBe(2);
    } finally {
      await w.close();
    }
  });

  it('waits for a file written in pieces: the trigger comes once, after its last piece', async () => {
    const dir = join(root, 'pieces');
    mkdirSync(dir);
    const pieces = Array.from({ length: 10 }, (_, i) => `# piece ${i}\n`);
    const seen: string[] = [];
    const c = counter();
    const w = await watchManifests(dir, {
      debounceMs: 400,
      onChange: () => {
        seen.push(readFileSync(join(dir, 'slow.yaml'), 'utf8'));
        c.onChange();
      },
      onError: (e) => {
        throw e;
      },
    });
    try {
      // a writer that pauses between pieces, each pause far shorter than the debounce
      for (const p of pieces) {
        appendFileSync(join(dir, 'slow.yaml'), p);
        await new Promise((r) => setTimeout(r, 20));
      }
      await c.reach(1);
      expect(seen).toStrictEqual([pieces.join('')]);
    } finally {
      await w.close();
    }
  });

  it('follows a swapped symlinked directory and triggers once for it', async () => {
    const a = join(root, 'rel-a');
    const b = join(root, 'rel-b');
    mkdirSync(a);
    mkdirSync(b);
    writeFileSync(join(a, 'n.yaml'), net('a'));
    writeFileSync(join(b, 'n.yaml'), net('b'));
    const current = join(root, 'current');
    symlinkSync(a, current);
    const c = counter();
    const w = await watchManifests(current, {
      debounceMs: 50,
      onChange: c.onChange,
      onError: (e) => {
        throw e;
      },
    });
    try {
      // the atomic swap a deploy tool does: a new link renamed over the old one
      symlinkSync(b, join(root, 'current.tmp'));
      renameSync(join(root, 'current.tmp'), current);
      await c.reach(1);
      // now the new target is watched
      writeFileSync(join(b, 'm.yaml'), net('m'));
      await c.reach(2);
      const read = await new DesiredSource(current, false).read();
      expect(read.kind === 'good' && read.loaded.set.networks.map((n) => n.metadata.name)).toEqual(['b', 'm']);
    } finally {
      await w.close();
    }
  });
});

describe('desired source', () => {
  it('keeps the last good state while the manifests are invalid or gone, and says when they recover', async () => {
    const dir = join(root, 'src');
    mkdirSync(dir);
    writeFileSync(join(dir, 'n.yaml'), net('good'));
    const s = new DesiredSource(dir, false);
    expect((await s.read()).kind).toBe('good');
    writeFileSync(join(dir, 'n.yaml'), net('Bad_Name'));
    const bad = await s.read();
    expect(bad.kind === 'invalid' && bad.fresh && bad.lastGood?.set.networks[0].metadata.name).toBe('good');
    expect(bad.kind === 'invalid' && bad.errors[0].line).toBe(3);
    expect(s.degraded).toBe(true);
    // the same errors again are not news
    expect((await s.read()).kind === 'invalid' && !((await s.read()) as { fresh: boolean }).fresh).toBe(true);
    rmSync(join(dir, 'n.yaml'));
    const empty = await s.read();
    expect(empty.kind === 'invalid' && empty.errors[0].message).toContain('holds no manifests');
    writeFileSync(join(dir, 'n.yaml'), net('fixed'));
    const ok = await s.read();
    expect(ok.kind === 'good' && ok.recovered).toBe(true);
    expect(s.degraded).toBe(false);
  });
});

describe('desired source', () => {
  it('re-reads the manifests unless only the kernel triggered and the files are as they were', async () => {
    const dir = join(root, 'source');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.yaml'), net('a'));
    const src = new DesiredSource(dir, false);
    const first = await src.read();
    expect(first.kind).toBe('good');
    const again = await src.read(true);
    // the very same parsed state: nothing was parsed again
    expect(again.kind === 'good' && first.kind === 'good' && again.loaded === first.loaded).toBe(true);
    writeFileSync(join(dir, 'a.yaml'), net('b'));
    const changed = await src.read(true);
    expect(changed.kind === 'good' && changed.loaded.set.networks[0].metadata.name).toBe('b');
    const forced = await src.read(false);
    expect(forced.kind === 'good' && changed.kind === 'good' && forced.loaded !== changed.loaded).toBe(true);
  });
});
