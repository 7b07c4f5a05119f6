/** A variable of a vzctl container config, with the line it was set on (1-based). */
export interface VzVar {
  readonly value: string;
  readonly line: number;
}

/** One config file (`/etc/vz/conf/<CTID>.conf`) as vzctl reads it. */
export interface VzConf {
  readonly file: string;
  readonly vars: ReadonlyMap<string, VzVar>;
}

/** A warning on stderr, naming the file and line: `101.conf:12: ...`. */
export type Warn = (line: number, message: string) => void;

const ASSIGN = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

/** What may follow a value on its line: nothing, or a comment. */
const restIsEmpty = (tail: string): boolean => tail.trim() === '' || tail.trim().startsWith('#');

/** The closing quote's index in `text` from `from`, honouring backslash escapes inside double quotes. */
function closing(text: string, quote: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

const unescape = (s: string): string => s.replace(/\\(["\\$`])/g, '$1');

/**
 * Parses `KEY="value"` lines as the shell (and vzctl) read them: double, single or no quotes,
 * comments, a double-quoted value running over several lines (vzfirewall's FIREWALL="..."), the
 * last setting of a key winning. A line that is none of these is skipped with a warning naming
 * its line; so is a quote that is never closed. Nothing is expanded: `$VEID` stays as written.
 */
export function parseVzConf(text: string, file: string, warn: Warn): VzConf {
  const vars = new Map<string, VzVar>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === '' || t.startsWith('#')) continue;
    const m = ASSIGN.exec(t);
    if (!m) {
      warn(i + 1, `not a KEY="value" line: skipped`);
      continue;
    }
    const [, key, rest] = m;
    const start = i;
    let value: string;
    let tail: string;
    if (rest.startsWith('"') || rest.startsWith("'")) {
      const q = rest[0];
      let body = rest;
      let end = closing(body, q, 1);
      // only double quotes run on: vzctl writes nothing else over several lines
      while (end < 0 && q === '"' && i + 1 < lines.length) {
        body += '\n' + lines[++i];
        end = closing(body, q, 1);
      }
      if (end < 0) {
        warn(start + 1, `${key}: the ${q === '"' ? 'double' : 'single'} quote opened here is never closed: skipped`);
        continue;
      }
      value = q === '"' ? unescape(body.slice(1, end)) : body.slice(1, end);
      tail = body.slice(end + 1);
    } else {
      const w = /^(\S*)(.*)$/s.exec(rest)!;
      [value, tail] = [w[1], w[2]];
    }
    if (!restIsEmpty(tail)) {
      warn(start + 1, `${key}: text after the value (quote a value that holds spaces): skipped`);
      continue;
    }
    vars.set(key, { value, line: start + 1 });
  }
  return { file, vars };
}
