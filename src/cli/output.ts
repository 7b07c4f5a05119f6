import type { DriverName } from '../driver/select.js';
import { exitCodeFor, formatError, type CtnetError } from '../model/errors.js';

export interface GlobalOpts {
  readonly stateDir: string;
  readonly hostNetns: string | null;
  readonly json: boolean;
  readonly color: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly waitSeconds: number;
  readonly driverName: DriverName;
  /** This host's node in a fleet (--node, CTNET_NODE, else the hostname). */
  readonly node: string;
}

export const jsonError = (e: CtnetError) => ({
  file: e.file ?? null,
  line: e.line ?? null,
  column: e.column ?? null,
  path: e.path ?? null,
  code: e.code,
  message: e.message,
});

/** Errors as text on stderr (with --json the caller puts them in its one document). */
export function printErrors(errors: readonly CtnetError[]): number {
  for (const e of errors) process.stderr.write(`error: ${formatError(e)}\n`);
  return errors.length ? exitCodeFor(errors) : 0;
}

export function printNotices(notices: readonly string[]): void {
  for (const n of notices) process.stderr.write(`warning: ${n}\n`);
}

export const say = (g: GlobalOpts, text: string): void => {
  if (!g.quiet) process.stdout.write(text);
};

export const json = (doc: unknown): void => {
  process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
};
