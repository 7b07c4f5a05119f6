/**
 * A YAML stream cut into its documents' texts, so each can be parsed (and cached) on its own.
 *
 * A line that starts with `---` followed by a space, a tab, a line break or the end of the text
 * always starts a new document, even inside a block or quoted scalar: YAML forbids such a line in
 * any content. The cut is therefore exact, and a chunk parses alone to the same documents as
 * inside its file, except where documents are not independent:
 * - `%YAML` / `%TAG` directives apply to the documents after them;
 * - `...` ends a document and lets a directive follow, so the next one may start without `---`;
 * - a byte order mark, and a lone carriage return (a line break for JavaScript's `^`, not for the
 *   YAML lexer's line counting) are rare enough not to reason about.
 * A text with any of these is one chunk: the whole file.
 *
 * Regular expressions without the `m` flag: with it, `^` would also match after U+2028/U+2029,
 * which are not line breaks in YAML.
 */

/** `---` at the start of the text or of a line, then whitespace or the end. */
const DOC_START = /(?<=^|\n)---(?=[ \t\r\n]|$)/g;

/** A directive or a document end marker at the start of a line, a BOM, a lone CR. */
const UNSPLITTABLE = /(?:^|\n)(?:%|\.\.\.(?:[ \t\r\n]|$))|\uFEFF|\r(?!\n)/;

/**
 * The document chunks of `text`, in order, together exactly `text`; each begins with its `---`
 * line, except a first one without (a document with no marker, or comments before the first).
 */
export function splitDocuments(text: string): readonly string[] {
  if (text === '') return [];
  if (UNSPLITTABLE.test(text)) return [text];
  // a cut at 0 would make an empty first chunk: the text starts with `---`
  const cuts = [...text.matchAll(DOC_START)].map((m) => m.index).filter((i) => i > 0);
  const bounds = [0, ...cuts, text.length];
  return cuts.length === 0 ? [text] : bounds.slice(1).map((end, i) => text.slice(bounds[i], end));
}
