import { isAlias, isCollection, parseAllDocuments, visit, type Document } from 'yaml';
import { splitDocuments } from './chunks.js';
import { chunkKey, isPlainJson, YAML_OPTIONS } from './chunk-key.js';
import type { CachedChunk, DocCache } from './doc-cache.js';
import type { LoadedDoc } from './loaded-doc.js';
import { loadedDoc, parseFile, type ParsedFile } from './parse-whole.js';

/**
 * One file's documents chunk by chunk, each from the cache or parsed alone (and then cached);
 * undefined when a chunk has a YAML error: the whole-file read then reports it exactly as
 * without a cache. A document keeps the index a whole-file parse gives it, counted on from the
 * chunks before, and reads its positions from a whole-file parse made only if one is asked for.
 */
export function readChunked(file: string, text: string, cache: DocCache): LoadedDoc[] | undefined {
  const whole = once(() => parseFile(text));
  const out: LoadedDoc[] = [];
  let index = 0;
  for (const chunk of splitDocuments(text)) {
    const key = chunkKey(chunk);
    const c = cachedOrParsed(chunk, key, cache);
    if (!c) return undefined;
    const from = c.cached ? { chunk: { key, valid: c.cached.valid } } : {};
    c.docs.forEach((data, i) => {
      if (data !== null) out.push({ ...loadedDoc(file, index + i, data, whole), ...from });
    });
    index += c.docs.length;
  }
  return out;
}

/** The chunk's documents, and the cache's entry when the cache holds it (now). */
function cachedOrParsed(
  text: string,
  key: string,
  cache: DocCache,
): { readonly docs: readonly unknown[]; readonly cached?: CachedChunk } | undefined {
  const hit = cache.get(key);
  if (hit) return { docs: hit.docs, cached: hit };
  const parsed = parseChunk(text);
  if (!parsed) return undefined;
  // what would not come back the same from JSON (NaN, .inf, -0, !!binary...) is parsed every time
  if (!parsed.cacheable || !isPlainJson(parsed.chunk.docs)) return { docs: parsed.chunk.docs };
  cache.put(key, parsed.chunk);
  return { docs: parsed.chunk.docs, cached: parsed.chunk };
}

/** A chunk's documents as the whole-file read would take them, or undefined on any YAML error. */
function parseChunk(text: string): { readonly chunk: CachedChunk; readonly cacheable: boolean } | undefined {
  const docs: unknown[] = [];
  let cacheable = true;
  for (const doc of parseAllDocuments(text, YAML_OPTIONS)) {
    if (doc.errors.length) return undefined;
    if (doc.contents === null) {
      docs.push(null);
      continue;
    }
    try {
      docs.push(doc.toJS() ?? null);
    } catch {
      return undefined;
    }
    if (cacheable && collectionKey(doc)) cacheable = false;
  }
  return { chunk: { docs }, cacheable };
}

/**
 * A map key that is (or may be) a collection: `toJS` then prints a warning on stderr. Such a chunk
 * is parsed every time, so a run from the cache says exactly what a run without it says.
 */
function collectionKey(doc: Document): boolean {
  let found = false;
  visit(doc, {
    Pair: (_, pair) => {
      if (!isCollection(pair.key) && !isAlias(pair.key)) return undefined;
      found = true;
      return visit.BREAK;
    },
  });
  return found;
}

function once(f: () => ParsedFile): () => ParsedFile {
  let v: ParsedFile | undefined;
  return () => (v ??= f());
}
