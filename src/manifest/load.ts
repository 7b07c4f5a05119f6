import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { CtnetError, SourcePos } from '../model/errors.js';
import type { DocSource, FieldPath } from './types.js';

/** One YAML document as read, before any validation. */
export interface LoadedDoc {
  readonly file: string;
  /** 0-based index of the document in its file, counting empty ones. */
  readonly index: number;
  readonly data: unknown;
  readonly source: DocSource;
  /** Position of a field's key rather than its value: where an unknown field is written. */
  readonly keyAt: (path: FieldPath) => SourcePos;
}

export interface ReadResult {
  readonly files: readonly string[];
  readonly docs: readonly LoadedDoc[];
  readonly errors: readonly CtnetError[];
  /** `kind/name` of documents with YAML errors whose identity could still be read. */
  readonly broken: readonly string[];
}

/** `Network/public`: a document's kind and name when both are readable, whatever else is wrong. */
export function docIdentity(data: unknown): string | undefined {
  const d = data as { kind?: unknown; metadata?: { name?: unknown } } | null;
  if (d === null || typeof d !== 'object' || typeof d.kind !== 'string') return undefined;
  const name = d.metadata !== null && typeof d.metadata === 'object' ? d.metadata.name : undefined;
  return typeof name === 'string' ? `${d.kind}/${name}` : undefined;
}

const MANIFEST_RE = /\.ya?ml$/;
const REASONS: Record<string, string> = { ENOENT: 'no such file or directory', EACCES: 'permission denied', ELOOP: 'too many symbolic links', ENOTDIR: 'not a directory', EISDIR: 'is a directory' };
const reason = (e: unknown): string => REASONS[(e as NodeJS.ErrnoException).code ?? ''] ?? (e as Error).message;
const unreadable = (path: string, e: unknown): CtnetError => ({ code: 'invalid', message: `cannot read "${path}": ${reason(e)}` });

/** Every document of every manifest file under `paths`; errors are collected, never thrown. */
export function readManifestFiles(paths: readonly string[]): ReadResult {
  const errors: CtnetError[] = [];
  const broken: string[] = [];
  const files = listFiles(paths, errors);
  const docs = files.flatMap((f) => readDocs(f, errors, broken));
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

function readDocs(file: string, errors: CtnetError[], broken: string[]): LoadedDoc[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    errors.push(unreadable(file, e));
    return [];
  }
  const lc = new LineCounter();
  const out: LoadedDoc[] = [];
  parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true }).forEach((doc, index) => {
    const at = (offset: number): SourcePos => ({ file, ...pos(lc, offset) });
    if (doc.errors.length) {
      for (const e of doc.errors) errors.push({ code: 'invalid', ...at(e.pos[0]), message: `YAML: ${e.message.split('\n')[0]}` });
      // what the parser recovered names the object: references to it are not "unknown" too
      const id = docIdentity(recovered(doc));
      if (id) broken.push(id);
      return;
    }
    if (doc.contents === null) return;
    let data: unknown;
    try {
      data = doc.toJS();
    } catch (e) {
      // e.g. an alias bomb: toJS refuses to expand it
      return void errors.push({ code: 'invalid', ...at(doc.range[0]), message: `YAML: ${(e as Error).message}` });
    }
    if (data === null || data === undefined) return;
    const source: DocSource = { file, at: (path) => at(rangeStart(locate(doc, path, false))) };
    out.push({ file, index, data, source, keyAt: (path) => at(rangeStart(locate(doc, path, true))) });
  });
  return out;
}

/** The parser's best reading of a document with errors, or nothing. */
function recovered(doc: Document): unknown {
  try {
    return doc.toJS();
  } catch {
    return undefined;
  }
}

const pos = (lc: LineCounter, offset: number): { line: number; column: number } => {
  const p = lc.linePos(offset);
  return { line: p.line, column: p.col };
};

const rangeStart = (node: Node | null): number => node?.range?.[0] ?? 0;

/** The node of `path`'s value (or, with `key`, its key), else the deepest existing parent. */
function locate(doc: Document, path: FieldPath, key: boolean): Node | null {
  let cur = doc.contents as Node | null;
  for (const [i, seg] of path.entries()) {
    const last = i === path.length - 1;
    if (isMap(cur)) {
      const pair = cur.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return cur;
      const k = pair.key as Node;
      // an empty value (`addresses:`) has no node of its own: its key is the place
      cur = (last && key) || !pair.value ? k : (pair.value as Node);
    } else if (isSeq(cur) && typeof seg === 'number' && cur.items[seg]) {
      cur = cur.items[seg] as Node;
    } else {
      return cur;
    }
  }
  return cur;
}
