import type { CtnetError } from '../model/errors.js';

/**
 * The errors of one run as the user reads them: in reading order (file, line, column; errors
 * without a place, such as unreadable paths, first), each said once. The schema and a rule that
 * re-checks a value use the same words for it, so a bad address reads as one line, not two.
 */
export function errorList(errors: readonly CtnetError[]): CtnetError[] {
  const seen = new Set<string>();
  const unique = errors.filter((e) => {
    const key = JSON.stringify([e.file, e.line, e.column, e.path, e.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  // a stable sort: at one place, schema errors stay before the rules' errors
  return unique.sort(
    (a, b) => cmp(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}
