import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Sandbox } from './sandbox.js';

/** The example manifests that ship with ctnet (manifests/). */
export const EXAMPLES = resolve(import.meta.dirname, '../../manifests');

/** The YAML files under a directory, recursively, in a stable order. */
export function manifestFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? manifestFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
    });
}

/**
 * Copies every example into the sandbox's manifest directory, the same layout, with the
 * containers that have a namespace of their own (vnet, disabled) given a prefixed one: the
 * examples are written for the demo's host (`buildDemoLans`), and the names must not collide
 * with another test's.
 */
export function writeExamples(sb: Sandbox): void {
  for (const f of manifestFiles(EXAMPLES)) {
    const docs = parseAllDocuments(readFileSync(f, 'utf8'));
    const ownNs = (d: (typeof docs)[number]): boolean =>
      ['vnet', 'disabled', undefined].includes(d.getIn(['spec', 'driver']) as string | undefined);
    for (const d of docs)
      if (d.get('kind') === 'Container' && ownNs(d) && !d.hasIn(['spec', 'netns']))
        d.setIn(['spec', 'netns'], sb.ns(String(d.getIn(['metadata', 'name']))));
    sb.write(relative(EXAMPLES, f), docs.map(String).join('---\n'));
  }
}
