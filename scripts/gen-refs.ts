// Regenerates server/src/core/refs.ts (rule id -> pgdsat/CIS, splinter and pgrls references)
// from docs/coverage.md. Run: npx tsx scripts/gen-refs.ts
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ALL_RULES } from '../server/src/core/registry';
import { coverageRefs, readCoverage, refsModule } from './coverage-refs';

const refs = coverageRefs(readCoverage(), new Set(ALL_RULES.map((r) => r.id)));
writeFileSync(resolve(__dirname, '../server/src/core/refs.ts'), refsModule(refs));
console.log(`server/src/core/refs.ts: references for ${Object.keys(refs).length} rules`);
