import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Options } from 'ajv/dist/2020.js';

/** The schema ships in the package (`schemas/`), so `ctnet schema` and editors see this same file. */
export const SCHEMA_FILE = fileURLToPath(new URL('../../schemas/ctnet.schema.json', import.meta.url));

/**
 * One set of options for the validator compiled at build time and the one compiled at run time,
 * so both report the same errors.
 */
export const AJV_OPTIONS: Options = {
  allErrors: true,
  // parentSchema and data on each error: messages quote the bad value and the schema's title
  verbose: true,
  // strict mode catches typos in the schema itself; strictTypes would only warn about if/then
  strictTypes: false,
  // the editors' custom messages (VS Code, yaml-language-server): annotations to ajv, read by our messages
  keywords: ['patternErrorMessage', 'errorMessage'],
};

export const readSchemaText = (): string => readFileSync(SCHEMA_FILE, 'utf8');

/**
 * What a precompiled validator was built from: the schema's text and the options. A validator
 * whose fingerprint differs (schema edited, not rebuilt) is stale and must not be used.
 */
export function fingerprint(schemaText: string): string {
  return createHash('sha256').update(JSON.stringify(AJV_OPTIONS)).update('\0').update(schemaText).digest('hex');
}

let current: string | undefined;

/** The fingerprint of the schema this ctnet ships, computed once. */
export const schemaFingerprint = (): string => (current ??= fingerprint(readSchemaText()));
