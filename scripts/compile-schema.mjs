#!/usr/bin/env node
// Precompiles schemas/ctnet.schema.json into dist/manifest/generated/manifest-validator.cjs, so a
// ctnet start neither loads ajv's compiler nor compiles the schema. Runs after tsc: it uses the
// built dist/manifest/schema-build.js, which holds the same ajv options as the runtime fallback.
import { mkdirSync, writeFileSync } from 'node:fs';
import { standaloneModule } from '../dist/manifest/schema-build.js';
import { readSchemaText } from '../dist/manifest/schema-options.js';

const out = new URL('../dist/manifest/generated/manifest-validator.cjs', import.meta.url);
mkdirSync(new URL('.', out), { recursive: true });
writeFileSync(out, standaloneModule(readSchemaText()));
