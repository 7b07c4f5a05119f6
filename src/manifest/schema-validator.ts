import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as Ajv from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { AJV_OPTIONS, fingerprint, readSchemaText } from './schema-options.js';

/**
 * Where scripts/compile-schema.mjs writes the precompiled validator (dist/manifest/generated/), found
 * from the package root: this module runs two folders below it as dist/manifest/, inside the bundle
 * (dist/bundle/) or as the TypeScript sources that tests run (src/manifest/, where it may be absent).
 */
export const PRECOMPILED = fileURLToPath(
  new URL('../../dist/manifest/generated/manifest-validator.cjs', import.meta.url),
);

// require, not import: loading stays synchronous, and ajv itself is only loaded when needed
const require = createRequire(import.meta.url);

export interface LoadedValidator {
  readonly validate: ValidateFunction;
  /** Whether the build-time validator was used; false means ajv compiled the schema now. */
  readonly precompiled: boolean;
}

let loaded: LoadedValidator | undefined;

/** The manifest validator of this process, loaded once. */
export function validator(): ValidateFunction {
  loaded ??= loadValidator();
  return loaded.validate;
}

/**
 * The precompiled validator when it was built from this very schema; otherwise (sources run by
 * tests, a schema edited without a rebuild, a damaged file) ajv compiles the schema, as before.
 */
export function loadValidator(precompiled: string = PRECOMPILED): LoadedValidator {
  const text = readSchemaText();
  const pre = loadPrecompiled(precompiled, fingerprint(text));
  return pre ? { validate: pre, precompiled: true } : { validate: compileNow(text), precompiled: false };
}

function loadPrecompiled(path: string, want: string): ValidateFunction | undefined {
  try {
    const mod = require(path) as ValidateFunction & { fingerprint?: string };
    return typeof mod === 'function' && mod.fingerprint === want ? mod : undefined;
  } catch {
    // missing or unloadable: the runtime compile below checks exactly the same
    return undefined;
  }
}

export function compileNow(schemaText: string): ValidateFunction {
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof Ajv;
  return new Ajv2020(AJV_OPTIONS).compile(JSON.parse(schemaText));
}
