import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isDocument, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';

const RENDER = { flowCollectionPadding: false } as const;

/**
 * `ctnet set --save`: one interface's address list, edited in the container's manifest file
 * through the yaml Document API (the node changes, the document renders itself), never through
 * JS objects: comments, key order, quoting and blank lines stay. Only the container's document
 * is rendered again; the file's other documents are kept byte for byte. Addresses that stay keep
 * their node (quoting, comments); new ones are added at the end, as vzctl's --ipadd appends.
 */
export function editAddressesText(
  text: string,
  container: string,
  index: number,
  addresses: readonly string[],
): { text: string } | { error: string } {
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  if (!Array.isArray(docs)) return { error: 'not a YAML stream' };
  const k = docs.findIndex((d) => isContainer(d, container));
  if (k < 0) return { error: `no Container "${container}" document in the file` };
  const doc = docs[k];
  if (doc.errors.length) return { error: `YAML: ${doc.errors[0].message.split('\n')[0]}` };
  const path = ['spec', 'interfaces', index, 'addresses'];
  const node = doc.getIn(path, true) as Node | undefined;
  if (isSeq(node)) {
    const old = [...node.items];
    // a kept address keeps its own node: `"10.0.0.1"` stays quoted, `# comment` stays beside it
    node.items = addresses.map((a) => {
      const i = old.findIndex((x) => isScalar(x) && String(x.value) === a);
      return i >= 0 ? old.splice(i, 1)[0] : doc.createNode(a);
    });
  } else {
    doc.setIn(path, doc.createNode([...addresses], { flow: true }));
  }
  const start = k === 0 ? 0 : docs[k - 1].range[2];
  const out = text.slice(0, start) + doc.toString(RENDER) + text.slice(doc.range[2]);
  return sameExceptAddresses(text, out, k, path, addresses)
    ? { text: out }
    : { error: 'the edited file would not read back as the same manifests with the new addresses' };
}

function isContainer(d: Document, name: string): boolean {
  return isDocument(d) && d.get('kind') === 'Container' && d.getIn(['metadata', 'name']) === name;
}

/** Safety net: the new text must read back as the old one with only this list changed. */
function sameExceptAddresses(
  before: string,
  after: string,
  k: number,
  path: (string | number)[],
  addresses: readonly string[],
): boolean {
  const a = parseAllDocuments(before);
  const b = parseAllDocuments(after);
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length || b.some((d) => d.errors.length)) return false;
  const expected = a.map((d, i) => {
    const js = d.toJS() as unknown;
    if (i !== k) return js;
    d.setIn(path, [...addresses]);
    return d.toJS() as unknown;
  });
  return JSON.stringify(expected) === JSON.stringify(b.map((d) => d.toJS() as unknown));
}

/** Temporary file beside it (hidden: a watched directory never loads it), fsync, rename over. */
export function writeFileAtomically(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.ctnet-${process.pid}`);
  const mode = statSync(file).mode & 0o7777;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

export const readText = (file: string): string => readFileSync(file, 'utf8');
