import type { FieldPath } from '../manifest/types.js';

/**
 * One manifest an import prints: the document as plain data (what `yaml` serialises), a comment
 * before it (where it came from, what was assumed) and comments on fields. Imports build these
 * and never text: the emitter (emit.ts) owns the YAML.
 */
export interface ImportDoc {
  readonly kind: 'Network' | 'Container';
  readonly name: string;
  readonly spec: Record<string, unknown>;
  readonly labels?: Readonly<Record<string, string>>;
  /** Lines before the document. */
  readonly comment?: readonly string[];
  /** Lines before a field of `spec` (a path inside it). */
  readonly notes?: readonly FieldNote[];
}

export interface FieldNote {
  readonly path: FieldPath;
  readonly lines: readonly string[];
}

/** What an import gives back: the documents, and warnings for stderr (each naming its source). */
export interface ImportResult {
  readonly docs: readonly ImportDoc[];
  readonly warnings: readonly string[];
  /** Lines at the top of the output, before the first document. */
  readonly header: readonly string[];
}

/**
 * A manifest name (lower-case letters, digits and "-", at most 63) from a kernel or vzctl name,
 * or undefined when nothing sensible is left: `br_lan` → `br-lan`, `Web.01` → `web-01`.
 */
export function manifestName(text: string): string | undefined {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name || undefined;
}

/** Whether a text is a manifest name as it stands. */
export const isManifestName = (text: string): boolean =>
  text.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(text);

/** `name`, or `name-2`, `name-3`... the first that `taken` does not hold; it is then taken. */
export function uniqueName(name: string, taken: Set<string>): string {
  let n = name;
  for (let i = 2; taken.has(n); i++) n = `${name.slice(0, 60)}-${i}`;
  taken.add(n);
  return n;
}
