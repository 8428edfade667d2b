import { readFileSync } from 'node:fs';
import { splitSql } from '../../server/src/core/sql/split';
const pg = require('libpg-query');
async function main() {
  await pg.loadModule();
  const text = readFileSync(process.argv[2], 'utf8');
  const units = splitSql(text).statements.map((s: any) => s.parseText);
  const cpu = (fn: () => void) => { const c0 = process.cpuUsage(); fn(); const c = process.cpuUsage(c0); return (c.user + c.system) / 1000; };
  const res: Record<string, number[]> = { parse: [], parseNoJson: [], fingerprint: [], scan: [] };
  for (let r = 0; r < 5; r++) {
    res.parse.push(cpu(() => { for (const u of units) { try { pg.parseSync(u); } catch {} } }));
    res.fingerprint.push(cpu(() => { for (const u of units) { try { pg.fingerprintSync(u); } catch {} } }));
    res.scan.push(cpu(() => { for (const u of units) { try { pg.scanSync(u); } catch {} } }));
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[2];
  console.log(JSON.stringify({ statements: units.length, parseMs: med(res.parse), fingerprintMs: med(res.fingerprint), scanMs: med(res.scan) }));
}
main();
