import { exitCodeFor, formatError, type CtnetError } from '../model/errors.js';

export interface GlobalOpts {
  readonly stateDir: string;
  readonly hostNetns: string | null;
  readonly json: boolean;
  readonly color: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
}

/** The only place errors become text and exit codes. */
export function reportErrors(g: GlobalOpts, errors: readonly CtnetError[]): number {
  if (g.json) {
    const items = errors.map((e) => ({ file: e.file ?? null, line: e.line ?? null, column: e.column ?? null, path: e.path ?? null, code: e.code, message: e.message }));
    process.stdout.write(JSON.stringify({ errors: items }, null, 2) + '\n');
  } else {
    for (const e of errors) process.stderr.write(`error: ${formatError(e)}\n`);
  }
  return exitCodeFor(errors);
}

export const say = (g: GlobalOpts, text: string): void => {
  if (!g.quiet) process.stdout.write(text);
};

export const info = (g: GlobalOpts, text: string): void => {
  if (g.verbose) process.stderr.write(text);
};
