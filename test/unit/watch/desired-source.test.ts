import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DesiredSource } from '../../../src/watch/desired-source.js';

const dir = mkdtempSync(join(tmpdir(), 'ctnet-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NET =
  'apiVersion: ctnet/v1\nkind: Network\nmetadata: {name: pub}\nspec: {type: routed, subnets: [10.0.0.0/24], uplink: eth9}\n';
const ct = (n: number, addr = `10.0.0.${n}`): string =>
  `---\napiVersion: ctnet/v1\nkind: Container\nmetadata: {name: ct${n}}\nspec:\n  interfaces: [{name: venet0, network: pub, addresses: [${addr}]}]\n`;
const write = (second = ct(3)): void => writeFileSync(join(dir, 'all.yaml'), NET + ct(2) + second + ct(4));

describe('watch: the desired source', () => {
  it('parses, after an edit, only the document that changed', async () => {
    const source = new DesiredSource(dir, false);
    write();
    expect((await source.read()).kind).toBe('good');
    expect(source.parseStats).toEqual({ hits: 0, misses: 4, added: 4, marked: 4 });
    write(ct(3, '10.0.0.33'));
    const r = await source.read();
    // the three unchanged documents passed the schema before: only the edited one is marked now
    expect(source.parseStats).toEqual({ hits: 3, misses: 5, added: 5, marked: 5 });
    if (r.kind !== 'good') throw new Error(r.kind);
    expect(r.loaded.set.containers.find((c) => c.metadata.name === 'ct3')?.spec.interfaces?.[0].addresses).toEqual([
      '10.0.0.33',
    ]);
    // an invalid edit is still reported, at its place, from a whole-file parse
    write(ct(3, '10.0.0.333'));
    const bad = await source.read();
    expect(bad.kind === 'invalid' && bad.errors.map((e) => `${e.line}:${e.column} ${e.message}`)).toEqual([
      '16:57 "10.0.0.333" is not an IP address',
    ]);
  });
});
