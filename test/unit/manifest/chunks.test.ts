import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { splitDocuments } from '../../../src/manifest/chunks.js';

/** Each document of a stream: its data, or its error codes. */
const read = (text: string): unknown[] =>
  parseAllDocuments(text, { uniqueKeys: true }).map((d) =>
    d.errors.length ? { errors: d.errors.map((e) => e.code) } : d.contents === null ? 'empty' : d.toJS(),
  );

/** The chunks parsed one by one give the documents of the whole text, in order (so, with the same indexes). */
const parity = (text: string): void => {
  const chunks = splitDocuments(text);
  expect(chunks.join('')).toBe(text);
  expect(chunks.flatMap(read)).toEqual(read(text));
};

describe('splitDocuments', () => {
  it('cuts a multi-document stream at each `---` line, every text kept', () => {
    const text = 'a: 1\n---\nb: 2\n---\n---\nc: 3\n';
    expect(splitDocuments(text)).toEqual(['a: 1\n', '---\nb: 2\n', '---\n', '---\nc: 3\n']);
    parity(text);
  });

  it('makes no empty first chunk when the text starts with `---`, and none at all for an empty text', () => {
    expect(splitDocuments('---\na: 1\n---\nb: 2')).toEqual(['---\na: 1\n', '---\nb: 2']);
    expect(splitDocuments('')).toEqual([]);
    parity('---\na: 1\n---\nb: 2');
  });

  it('keeps content on the marker line, and markers followed by a comment or a tab', () => {
    const text = '--- {a: 1}\n--- # c\nb: 2\n---\t[3]\n--- |\n  text\n';
    expect(splitDocuments(text)).toEqual(['--- {a: 1}\n', '--- # c\nb: 2\n', '---\t[3]\n', '--- |\n  text\n']);
    parity(text);
  });

  it('leaves comments before the first document in a chunk of their own: it holds no document', () => {
    const text = '# header\n# more\n---\na: 1\n---\nb: 2\n';
    expect(splitDocuments(text)).toEqual(['# header\n# more\n', '---\na: 1\n', '---\nb: 2\n']);
    expect(read('# header\n# more\n')).toEqual([]);
    parity(text);
  });

  it('does not split a stream with a document end marker, a directive or a BOM', () => {
    for (const text of [
      'a: 1\n...\n---\nb: 2\n',
      'a: 1\n...\nb: 2\n',
      '%YAML 1.2\n---\na: 1\n---\nb: 2\n',
      '%TAG !e! tag:e.com,2000:\n--- !e!x 1\n',
      '\uFEFFa: 1\n---\nb: 2\n',
    ]) {
      expect(splitDocuments(text)).toEqual([text]);
    }
  });

  it('is not fooled by `---` or `...` that do not start a line or are part of a longer word', () => {
    const text = 'a: "x --- y"\nb: ---x\nc: ...\n----\n  ---\n---x: 1\n';
    expect(splitDocuments(text)).toEqual([text]);
    parity(text);
  });

  it('cuts CRLF text at its markers, keeping the line breaks', () => {
    const text = 'a: 1\r\n---\r\nb: 2\r\n--- {c: 3}\r\n';
    expect(splitDocuments(text)).toEqual(['a: 1\r\n', '---\r\nb: 2\r\n', '--- {c: 3}\r\n']);
    parity(text);
    // a lone CR is a line break for `^` in JavaScript, not for YAML's line counting: no cut
    expect(splitDocuments('a: 1\r---\rb: 2')).toEqual(['a: 1\r---\rb: 2']);
  });

  it('ends a block scalar at a `---` in column 0, as YAML does, but not at an indented one', () => {
    const indented = 'a: |\n  x\n  ---\n  y\nb: 1\n';
    expect(splitDocuments(indented)).toEqual([indented]);
    parity(indented);
    const column0 = '--- |\nx\n---\ny\n';
    expect(splitDocuments(column0)).toEqual(['--- |\nx\n', '---\ny\n']);
    parity(column0);
    parity('a: |\n  x\n---\nb: 1\n');
  });

  it('gives chunks that parse alone as they do in their file, whatever the content', () => {
    parity('a: 1\n---\n# only a comment\n---\n---\nnull\n---\n[]\n---\n"q"\n---\n');
    parity('a: &x {q: 1}\nb: *x\n---\nc: [1, 2]\n');
    parity('a: 1\n# trailing comment of the first\n---\nb: 2\n');
  });
});
