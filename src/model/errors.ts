/**
 * Errors are values: every stage returns them, only the CLI turns them into text and exit codes.
 * `invalid` and `conflict` are rejections before any change (exit 3); `observe`, `apply` and
 * `verify` are failures while talking to the kernel (exit 1); `state`: the state dir cannot be
 * read or written safely (exit 1); `lock` is exit 4.
 */
export type ErrorCode = 'invalid' | 'conflict' | 'observe' | 'apply' | 'verify' | 'state' | 'lock';

export interface SourcePos {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface CtnetError {
  readonly code: ErrorCode;
  readonly message: string;
  /** Where in the manifests, when the error comes from one. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** Field path inside the document, e.g. `spec.interfaces[0].addresses[1]`. */
  readonly path?: string;
}

/** Thrown across async boundaries; carries every error found, never just the first. */
export class CtnetFailure extends Error {
  constructor(readonly errors: readonly CtnetError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly CtnetError[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T>(errors: readonly CtnetError[]): Result<T> => ({ ok: false, errors });

export function exitCodeFor(errors: readonly CtnetError[]): number {
  if (errors.some((e) => e.code === 'lock')) return 4;
  if (errors.every((e) => e.code === 'invalid' || e.code === 'conflict')) return 3;
  return 1;
}

/** `file:line:col: path: message`, the form every error is printed in. */
export function formatError(e: CtnetError): string {
  const where = e.file ? `${e.file}:${e.line ?? 0}:${e.column ?? 0}: ` : '';
  const path = e.path ? `${e.path}: ` : '';
  return `${where}${path}${e.message}`;
}
