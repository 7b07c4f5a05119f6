import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifests } from '../../../src/manifest/index.js';
import { formatError } from '../../../src/model/errors.js';

/** One manifest document's text. */
export const doc = (kind: string, name: string, spec: string): string =>
  `apiVersion: ctnet/v1\nkind: ${kind}\nmetadata: {name: ${name}}\nspec: ${spec}\n`;
export const docs = (...d: string[]): string => d.join('---\n');

/** Temporary manifest directories, removed by `cleanup` (an afterAll of the test file). */
export class Scratch {
  private readonly root = mkdtempSync(join(tmpdir(), 'ctnet-manifest-'));
  private n = 0;

  dir(files: Record<string, string>): string {
    const d = join(this.root, String(this.n++));
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(join(d, f, '..'), { recursive: true });
      writeFileSync(join(d, f), text);
    }
    return d;
  }

  /** Every error of these files as the CLI prints them, the directory cut off. */
  async errors(files: Record<string, string>): Promise<string[]> {
    const d = this.dir(files);
    const r = await loadManifests([d]);
    return r.ok ? [] : r.errors.map((e) => formatError(e).replace(`${d}/`, ''));
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** What this version cannot build yet is the `implemented` rule's business, tested with the rules. */
export const built = (lines: readonly string[]): string[] =>
  lines.filter((l) => !l.endsWith('is not implemented in this version of ctnet'));
