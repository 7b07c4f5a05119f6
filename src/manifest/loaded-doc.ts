import type { SourcePos } from '../model/errors.js';
import type { DocSource, FieldPath } from './types.js';

/** One YAML document as read, before any validation. */
export interface LoadedDoc {
  readonly file: string;
  /** 0-based index of the document in its file, counting empty ones. */
  readonly index: number;
  readonly data: unknown;
  readonly source: DocSource;
  /** Position of a field's key rather than its value: where an unknown field is written. */
  readonly keyAt: (path: FieldPath) => SourcePos;
  /** The cached chunk it came from (the cache's key), and the schema it already passed. */
  readonly chunk?: { readonly key: string; readonly valid?: string };
}
