import { readFileSync } from 'node:fs';

let version: string | undefined;

/** ctnet's own version, from its package.json (read once). */
export function ctnetVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;
  return version;
}
