// Regenerates the rule list in schemas/pgwarden.schema.json from the registry, so VS Code
// completes and validates rule ids in pgwarden.json. Run: npx tsx scripts/gen-schema.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ALL_RULES } from '../server/src/core/registry';

const path = resolve(__dirname, '../schemas/pgwarden.schema.json');
const schema = JSON.parse(readFileSync(path, 'utf8'));
const severity = { enum: ['off', 'info', 'warning', 'error', 'hint'] };
schema.properties.rules.properties = Object.fromEntries(
  [...ALL_RULES].sort((a, b) => a.id.localeCompare(b.id)).map((r) => [r.id, { ...severity, description: r.description, default: r.defaultOff ? 'off' : r.defaultSeverity }]),
);
schema.properties.rules.additionalProperties = false;
writeFileSync(path, JSON.stringify(schema, null, 2) + '\n');
console.log(`wrote ${ALL_RULES.length} rule ids to schemas/pgwarden.schema.json`);
