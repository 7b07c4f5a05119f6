import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { CtnetError } from '../model/errors.js';
import type { DocSource, FieldPath } from './types.js';

export interface RawDoc {
  readonly data: unknown;
  readonly source: DocSource;
}

/** Files of a path: itself, or every *.yaml/*.yml below it, hidden names skipped, sorted. */
export function manifestFiles(path: string, errors: CtnetError[]): string[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    errors.push({ code: 'invalid', file: path, line: 0, column: 0, message: `cannot read ${path}: no such file or directory` });
    return [];
  }
  if (!st.isDirectory()) return [path];
  return readdirSync(path)
    .filter((n) => !n.startsWith('.'))
    .sort()
    .flatMap((n) => {
      const f = join(path, n);
      if (statSync(f).isDirectory()) return manifestFiles(f, errors);
      return /\.ya?ml$/.test(n) ? [f] : [];
    });
}

/** Every non-empty YAML document of a file, with a way back to the position of any field. */
export function readDocs(file: string, errors: CtnetError[]): RawDoc[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    errors.push({ code: 'invalid', file, line: 0, column: 0, message: `cannot read: ${(e as Error).message}` });
    return [];
  }
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  const out: RawDoc[] = [];
  for (const doc of list) {
    if (doc.errors.length) {
      for (const e of doc.errors) {
        const p = lc.linePos(e.pos[0]);
        errors.push({ code: 'invalid', file, line: p.line, column: p.col, message: `YAML: ${e.message.split('\n')[0]}` });
      }
      continue;
    }
    if (doc.contents === null) continue;
    out.push({ data: doc.toJS(), source: sourceOf(file, doc, lc) });
  }
  return out;
}

function sourceOf(file: string, doc: Document, lc: LineCounter): DocSource {
  return {
    file,
    at(path: FieldPath) {
      const node = locate(doc.contents as Node, path);
      const p = lc.linePos(node?.range?.[0] ?? 0);
      return { file, line: p.line, column: p.col };
    },
  };
}

/** The deepest node along `path` that exists: the field's value, or its key, or a parent. */
function locate(node: Node | null, path: FieldPath): Node | null {
  let cur = node;
  for (const seg of path) {
    if (isMap(cur)) {
      const pair = cur.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return cur;
      const next = (pair.value as Node | null) ?? (pair.key as Node);
      if (!next) return cur;
      cur = next;
    } else if (isSeq(cur) && typeof seg === 'number' && cur.items[seg]) {
      cur = cur.items[seg] as Node;
    } else {
      return cur;
    }
  }
  return cur;
}
