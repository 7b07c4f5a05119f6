import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Document, type Node } from 'yaml';
import type { CtnetError, SourcePos } from '../model/errors.js';
import type { FieldPath } from './types.js';
import { YAML_OPTIONS } from './chunk-key.js';
import { docIdentity } from './doc-identity.js';
import type { LoadedDoc } from './loaded-doc.js';

/** A whole file parsed with line counting: what every position is read from. */
export interface ParsedFile {
  readonly docs: readonly Document.Parsed[];
  readonly lc: LineCounter;
}

export function parseFile(text: string): ParsedFile {
  const lc = new LineCounter();
  return { docs: parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter: lc }), lc };
}

/**
 * A loaded document whose positions are read from `parsed()`, the whole file's parse: at hand
 * after a whole-file read, made on first use (and kept) after a cached or chunked one. Positions
 * are only wanted for errors, so a valid file served from the cache is never parsed.
 */
export function loadedDoc(file: string, index: number, data: unknown, parsed: () => ParsedFile): LoadedDoc {
  const place = (path: FieldPath, key: boolean): SourcePos => {
    const p = parsed();
    return { file, ...pos(p.lc, rangeStart(locate(p.docs[index], path, key))) };
  };
  return { file, index, data, source: { file, at: (path) => place(path, false) }, keyAt: (path) => place(path, true) };
}

/** Every document of one file's text, parsed at once; YAML errors reported at their place. */
export function readWhole(file: string, text: string, errors: CtnetError[], broken: string[]): LoadedDoc[] {
  const parsed = parseFile(text);
  const at = (offset: number): SourcePos => ({ file, ...pos(parsed.lc, offset) });
  const out: LoadedDoc[] = [];
  parsed.docs.forEach((doc, index) => {
    if (doc.errors.length) {
      for (const e of doc.errors)
        errors.push({ code: 'invalid', ...at(e.pos[0]), message: `YAML: ${e.message.split('\n')[0]}` });
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
      // e.g. an alias bomb: toJS refuses to expand it; an alias without anchor is shown where it is
      const where = at(unresolvedAlias(doc) ?? doc.range[0]);
      return void errors.push({ code: 'invalid', ...where, message: `YAML: ${(e as Error).message}` });
    }
    if (data === null || data === undefined) return;
    out.push(loadedDoc(file, index, data, () => parsed));
  });
  return out;
}

/** Where the first alias whose anchor is not set before it stands, if any. */
function unresolvedAlias(doc: Document.Parsed): number | undefined {
  let at: number | undefined;
  visit(doc, {
    Alias: (_, node) => {
      if (node.resolve(doc) !== undefined || !node.range) return undefined;
      at = node.range[0];
      return visit.BREAK;
    },
  });
  return at;
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
  let cur = doc.contents;
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
