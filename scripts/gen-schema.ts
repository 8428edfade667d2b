// Regenerates the rule list in schemas/pgwarden.schema.json from the registry, so VS Code
// completes rule ids and severities in pgwarden.json and describes each, and the
// "placeholders" and "migrations" settings from the kinds core knows. The schema written
// validates nothing (validation keywords are stripped, an enum becomes examples): the
// language server's validator (core/config.ts, also the CLI's) reports each problem once,
// in pgwarden's words; a validating schema would report every problem a second time.
// Run: npx tsx scripts/gen-schema.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ALL_RULES } from '../server/src/core/registry';
import { FILE_KINDS } from '../server/src/core/model/layout';

const path = resolve(__dirname, '../schemas/pgwarden.schema.json');
const schema = JSON.parse(readFileSync(path, 'utf8'));
const severity = { examples: ['off', 'info', 'warning', 'error', 'hint'] };
schema.properties.rules.properties = Object.fromEntries(
  [...ALL_RULES].sort((a, b) => a.id.localeCompare(b.id)).map((r) => [r.id, { ...severity, description: r.description, default: r.defaultOff ? 'off' : r.defaultSeverity }]),
);
const globs = (description: string) => ({ description, type: 'array', items: { type: 'string' } });
schema.properties.placeholders = {
  description:
    'Template placeholders, as regular expressions: matched text is linted as a name of the same length (or a string literal, or blanks), positions kept. Extension-script placeholders (@extschema@, @NAME@) need no entry.',
  type: 'array',
  items: {
    anyOf: [
      { type: 'string', description: 'A regular expression, e.g. "\\{\\{[^}]*\\}\\}" for Go templates or "\\$\\{\\w+\\}" for Flyway.' },
      {
        type: 'object',
        additionalProperties: false,
        required: ['pattern'],
        properties: {
          pattern: { type: 'string', description: 'A regular expression.' },
          as: { enum: ['identifier', 'literal', 'blank'], default: 'identifier', description: 'What the parser sees: a name, a string literal (where the match is not already quoted), or blanks (template control lines).' },
        },
      },
    ],
  },
};
schema.properties.migrations = {
  description: 'How the migration tool runs the files, when the recognised layout (Flyway, goose, dbmate, golang-migrate, diesel, sqitch, Supabase, Prisma, extension scripts) is not enough.',
  type: 'object',
  additionalProperties: false,
  properties: {
    order: globs('Glob patterns, relative to this file\'s folder: files run group by group in this order (each group in the recognised order), files matching none after them.'),
    kinds: {
      description: 'Glob patterns per file kind, overriding the recognised kind. down, test, seed and dump files are checked but do not count as the schema\'s state.',
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(FILE_KINDS.map((k) => [k, globs(`Files that are ${k}.`)])),
    },
    roots: globs('Folders, relative to this file\'s folder, that are separate migration roots: each is its own model, sharing no facts with the others.'),
  },
};
schema.properties.sessions = {
  description: "The Sessions view (the editor's Sessions node and `pgwarden sessions`).",
  type: 'object',
  additionalProperties: false,
  properties: {
    idleInTransaction: {
      description: 'Sessions idle in a transaction longer than this are flagged: seconds as a number, or text such as "90s", "5min", "1h". `pgwarden sessions --idle-limit` overrides it for one run.',
      anyOf: [{ type: 'number', minimum: 0 }, { type: 'string' }],
      default: '5min',
      examples: [300, '90s', '5min', '1h'],
    },
  },
};
schema.properties.drift = {
  description: 'How `pgwarden drift` and the editor\'s Drift node compare the migrations with a database.',
  type: 'object',
  additionalProperties: false,
  properties: {
    platformRoles: {
      description: 'Roles a platform creates and manages (Supabase\'s anon, authenticated, service_role, supabase_admin...): neither they nor their memberships, attributes and default privileges are drift. The CLI adds those given with --platform-roles.',
      type: 'array',
      items: { type: 'string' },
    },
    migrationRole: {
      description: 'The role the migrations run as (their CURRENT_USER and the owner of what they create). Unset, the database\'s owner; the CLI\'s --as overrides it.',
      type: 'string',
    },
  },
};
/** Keywords that make VS Code report a problem; completion needs none of them. */
export const VALIDATING = ['type', 'enum', 'const', 'additionalProperties', 'required', 'minimum', 'maximum', 'pattern', 'minItems', 'maxItems', 'uniqueItems'];
const strip = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(strip);
  if (!node || typeof node !== 'object') return node;
  const o = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'enum' && !('examples' in o)) out.examples = v;
    else if (VALIDATING.includes(k)) continue;
    else out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([pk, pv]) => [pk, strip(pv)])) : strip(v);
  }
  return out;
};
writeFileSync(path, JSON.stringify(strip(schema), null, 2) + '\n');
console.log(`wrote ${ALL_RULES.length} rule ids to schemas/pgwarden.schema.json`);
