import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CtnetError } from '../model/errors.js';
import type { DocCache } from './doc-cache.js';
import { readChunked } from './parse-chunked.js';
import { readWhole } from './parse-whole.js';
import type { LoadedDoc } from './loaded-doc.js';

export { docIdentity } from './doc-identity.js';

export interface ReadResult {
  readonly files: readonly string[];
  readonly docs: readonly LoadedDoc[];
  readonly errors: readonly CtnetError[];
  /** `kind/name` of documents with YAML errors whose identity could still be read. */
  readonly broken: readonly string[];
}

const MANIFEST_RE = /\.ya?ml$/;
const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  ELOOP: 'too many symbolic links',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
};
const reason = (e: unknown): string => REASONS[(e as NodeJS.ErrnoException).code ?? ''] ?? (e as Error).message;
/** `cannot read "PATH": no such file or directory`, as every command says it. */
export const unreadable = (path: string, e: unknown): CtnetError => ({
  code: 'invalid',
  message: `cannot read "${path}": ${reason(e)}`,
});

/**
 * Every document of every manifest file under `paths`; errors are collected, never thrown. With
 * `cache`, documents parsed before (same text) are not parsed again: the result is the same.
 */
export function readManifestFiles(paths: readonly string[], cache?: DocCache): ReadResult {
  const errors: CtnetError[] = [];
  const broken: string[] = [];
  const files = listFiles(paths, errors);
  const docs = files.flatMap((f) => readDocs(f, errors, broken, cache));
  return { files, docs, errors, broken };
}

/** Files of each path: itself, or every *.yaml/*.yml below it, hidden names skipped, sorted. */
function listFiles(paths: readonly string[], errors: CtnetError[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  // keyed on the real path: a file named twice, or reached through a symlink loop, is read once
  const visit = (path: string, explicit: boolean): void => {
    let real: string;
    let dir: boolean;
    try {
      real = realpathSync(path);
      dir = statSync(real).isDirectory();
    } catch (e) {
      errors.push(unreadable(path, e));
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    if (!dir) {
      if (explicit || MANIFEST_RE.test(path)) out.push(path);
      return;
    }
    let names: string[];
    try {
      names = readdirSync(path);
    } catch (e) {
      errors.push(unreadable(path, e));
      return;
    }
    for (const n of names.filter((x) => !x.startsWith('.')).sort()) visit(join(path, n), false);
  };
  for (const p of paths) visit(p, true);
  return out;
}

/** With a cache, chunk by chunk; without one, or when a chunk has YAML errors, the whole file at once. */
function readDocs(file: string, errors: CtnetError[], broken: string[], cache: DocCache | undefined): LoadedDoc[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    errors.push(unreadable(file, e));
    return [];
  }
  return (cache && readChunked(file, text, cache)) ?? readWhole(file, text, errors, broken);
}
