/**
 * `ip -json -batch` prints one JSON document per command, back to back. Split them by tracking
 * bracket depth outside strings, then parse each. Output cut short (a document left open, a
 * stray closing bracket) is an error, never fewer documents than were printed.
 */
export function parseJsonStream(text: string): unknown[] {
  const docs: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === ']' || c === '}') {
      if (depth === 0) throw new Error(`unbalanced "${c}" at offset ${i} of ip's JSON output`);
      if (--depth === 0) docs.push(JSON.parse(text.slice(start, i + 1)));
    }
  }
  if (depth !== 0 || inString) throw new Error(`ip's JSON output ends inside a document (${docs.length} complete)`);
  return docs;
}
