// Workspace-open benchmark: a folder of many SQL files (generated schemas of 30 to 90
// lines, every tenth of 320, each file its own names), the bundled language server started on it over stdio
// as an editor starts it, one file opened at once; measures the time from `initialize` to
// that file's first published diagnostics (which wait for the workspace index), cold and
// then again with the index cache of the first run (a reopened workspace). A workspace this
// large gets provisional diagnostics first (see server.ts): the time to the final ones, after
// the index is complete, is measured too. One line of JSON.
// Also the server's CPU time (every thread), less sensitive to other load than wall time.
//   node --require tsx/cjs test/bench/workspace.ts FILES DIR

import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, PublishDiagnosticsParams, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { generateSql } from './generate';

const SERVER = resolve(__dirname, '../../dist/server.js');

/** CPU time (user + system, every thread) of a process in ms, from /proc (clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function makeWorkspace(dir: string, count: number): { files: number; lines: number; bytes: number; first: string; firstText: string } {
  let lines = 0;
  let bytes = 0;
  let first = '';
  let firstText = '';
  for (let i = 0; i < count; i++) {
    const folder = join(dir, `module_${Math.floor(i / 100)}`, 'migrations');
    mkdirSync(folder, { recursive: true });
    // Every tenth file is a longer one, long enough to hold the generator's insecure statements.
    const g = generateSql(i % 10 === 0 ? 320 : 30 + ((i * 37) % 60));
    const text = g.text.replace(/\bapp\b/g, `s${i}`).replace(/\bapp_(owner|user|reader)\b/g, `r${i % 50}_$1`);
    const file = join(folder, `${String(i).padStart(5, '0')}_schema.sql`);
    writeFileSync(file, text);
    lines += g.lines;
    bytes += Buffer.byteLength(text);
    // The file opened is a long one, with findings.
    if (i === 0) {
      first = file;
      firstText = text;
    }
  }
  return { files: count, lines, bytes, first, firstText };
}

/** Starts the server on `dir`, opens `file`, and returns ms from initialize to its first diagnostics. */
async function firstDiagnostics(dir: string, file: string, text: string, files: number, indexCache?: string): Promise<{ ms: number; cpuMs: number; diagnostics: number; finalMs: number; finalCpuMs: number }> {
  const flags = process.env.BENCH_SERVER_FLAGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...flags, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = pathToFileURL(file).toString();
  let resolveFirst: (v: { at: number; n: number }) => void = () => undefined;
  const first = new Promise<{ at: number; n: number }>((r) => (resolveFirst = r));
  const pushes: number[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    if (p.uri !== uri) return;
    pushes.push(performance.now());
    resolveFirst({ at: performance.now(), n: p.diagnostics.length });
  });
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  const t0 = performance.now();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).toString(),
    workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: 'bench' }],
    initializationOptions: { indexCache },
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } }, workspace: { configuration: true } },
  });
  await conn.sendNotification('initialized', {});
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
  const timeout = setTimeout(() => {
    process.stderr.write(stderr);
    process.exit(1);
  }, 180_000);
  const got = await first;
  const cpuMs = cpuMsOf(child.pid!);
  // A large workspace's first diagnostics are provisional: the final ones follow the end of
  // the index (a push after the server reports every file indexed).
  let indexedAt = 0;
  for (;;) {
    const s = (await conn.sendRequest('pgwarden/status')) as { indexedFiles: number };
    if (s.indexedFiles >= files) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  indexedAt = performance.now();
  // The final push follows the end of the index, which can come before the status answer
  // that says so: then no push follows that answer, and the final push is the last one.
  const grace = indexedAt + 3000;
  while (!pushes.some((at) => at >= indexedAt) && performance.now() < grace) await new Promise((r) => setTimeout(r, 20));
  const finalAt = pushes.find((at) => at >= indexedAt) ?? pushes[pushes.length - 1];
  const finalCpuMs = cpuMsOf(child.pid!);
  clearTimeout(timeout);
  // Ended by closing its input (exit notification), so a --cpu-prof run writes its profiles.
  await conn.sendRequest('shutdown').catch(() => undefined);
  await conn.sendNotification('exit').catch(() => undefined);
  await new Promise((r) => setTimeout(r, 2000));
  child.kill();
  return { ms: got.at - t0, cpuMs, diagnostics: got.n, finalMs: finalAt - t0, finalCpuMs };
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 2000);
  const dir = resolve(process.argv[3] ?? 'bench-workspace');
  rmSync(dir, { recursive: true, force: true });
  const ws = makeWorkspace(join(dir, 'ws'), count);
  const cache = join(dir, 'storage', 'index.pgwardencache');
  const noCache = await firstDiagnostics(join(dir, 'ws'), ws.first, ws.firstText, ws.files);
  const cold = await firstDiagnostics(join(dir, 'ws'), ws.first, ws.firstText, ws.files, cache);
  const warm = await firstDiagnostics(join(dir, 'ws'), ws.first, ws.firstText, ws.files, cache);
  rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      files: ws.files,
      lines: ws.lines,
      bytes: ws.bytes,
      noCacheMs: noCache.ms,
      noCacheCpuMs: noCache.cpuMs,
      coldMs: cold.ms,
      coldCpuMs: cold.cpuMs,
      warmMs: warm.ms,
      warmCpuMs: warm.cpuMs,
      noCacheFinalMs: noCache.finalMs,
      noCacheFinalCpuMs: noCache.finalCpuMs,
      coldFinalMs: cold.finalMs,
      coldFinalCpuMs: cold.finalCpuMs,
      warmFinalMs: warm.finalMs,
      warmFinalCpuMs: warm.finalCpuMs,
      diagnostics: warm.diagnostics,
    }),
  );
}

void main();
