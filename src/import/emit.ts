import { Document, isMap, isScalar, isSeq, visit, type Node } from 'yaml';
import type { FieldPath } from '../manifest/types.js';
import type { ImportDoc, ImportResult } from './doc.js';

/** Comment lines as `yaml` wants them: each line after its `#`, with a space. */
const commentText = (lines: readonly string[]): string => lines.map((l) => (l ? ` ${l}` : '')).join('\n');

/**
 * Lists of scalars, a metadata of only a name and each route on one line, as ctnet's own examples
 * write them; addresses, MACs and IPv6 subnets quoted, as there (a colon in a plain scalar reads badly).
 */
function flowStyle(doc: Document, d: ImportDoc): void {
  visit(doc, {
    Seq: (_, seq) => {
      if (seq.items.every((i) => isScalar(i))) seq.flow = true;
    },
    Scalar: (_, s) => {
      if (typeof s.value === 'string' && s.value.includes(':') && !s.value.startsWith('ctnet/'))
        s.type = 'QUOTE_DOUBLE';
    },
  });
  const flow = (path: FieldPath): void => {
    const node = doc.getIn(path, true);
    if (isMap(node) || isSeq(node)) node.flow = true;
  };
  if (!d.labels) flow(['metadata']);
  const routes = doc.getIn(['spec', 'routes'], true);
  if (isSeq(routes)) routes.items.forEach((_, i) => flow(['spec', 'routes', i]));
}

/** The comment lines of a note go before the field's key (the pair inside its parent map). */
function noteBefore(doc: Document, path: FieldPath, lines: readonly string[]): void {
  const parent = doc.getIn(['spec', ...path.slice(0, -1)], true) as Node | undefined;
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === last);
    if (pair && isScalar(pair.key)) pair.key.commentBefore = commentText(lines);
    return;
  }
  const node = doc.getIn(['spec', ...path], true) as Node | undefined;
  if (node) node.commentBefore = commentText(lines);
}

function documentOf(d: ImportDoc): Document {
  const metadata = { name: d.name, ...(d.labels ? { labels: d.labels } : {}) };
  const doc = new Document({ apiVersion: 'ctnet/v1', kind: d.kind, metadata, spec: d.spec });
  flowStyle(doc, d);
  if (d.comment?.length) doc.commentBefore = commentText(d.comment);
  for (const n of d.notes ?? []) noteBefore(doc, n.path, n.lines);
  return doc;
}

/** The documents as one multi-document YAML text, the header's comment lines first. */
export function emitYaml(r: ImportResult): string {
  const docs = r.docs.map((d) => documentOf(d).toString({ lineWidth: 0, flowCollectionPadding: false }));
  const head = r.header.map((l) => `# ${l}\n`).join('');
  return head + (head && docs.length ? '\n' : '') + docs.join('---\n');
}
