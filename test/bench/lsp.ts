// Language-server benchmark: the bundled server (dist/server.js --stdio) driven over its
// stdio by a protocol connection, as an editor that takes pushed diagnostics. Opens a file,
// then makes one-digit edits one at a time (incremental didChange) and measures the time
// from sending each change to receiving publishDiagnostics for that version. Also reads the
// server's resident memory with the file open. Prints one line of JSON. BENCH_SERVER_FLAGS
// passes node flags to the server (e.g. --cpu-prof to profile it).
//   node --require tsx/cjs test/bench/lsp.ts FILE EDIT_SITES_JSON EDITS

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, PublishDiagnosticsParams, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';

const SERVER = resolve(__dirname, '../../dist/server.js');
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

/** Resident set size of a process in MB, from /proc (the server's worker threads included). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** CPU time (user + system) of a process in ms, from /proc (clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function main(): Promise<void> {
  const [file, sitesJson, editsArg] = process.argv.slice(2);
  const editCount = Number(editsArg ?? 200);
  const sites: number[] = JSON.parse(readFileSync(sitesJson, 'utf8'));
  let text = readFileSync(file, 'utf8');
  const uri = pathToFileURL(file).toString();

  const child = spawn(process.execPath, [...(process.env.BENCH_SERVER_FLAGS?.split(' ').filter(Boolean) ?? []), SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = new Map<number, (at: number) => void>();
  let diagnosticsOnOpen = -1;
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    const at = performance.now();
    if (p.uri !== uri || p.version === undefined) return;
    if (p.version === 1) diagnosticsOnOpen = p.diagnostics.length;
    waiting.get(p.version)?.(at);
  });
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: null,
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } }, workspace: { configuration: true } },
  });
  await conn.sendNotification('initialized', {});

  const published = (version: number, deadlineMs = 60_000) =>
    new Promise<number>((resolveP, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for version ${version} within ${deadlineMs} ms\n${stderr}`)), deadlineMs);
      waiting.set(version, (at) => {
        clearTimeout(timer);
        waiting.delete(version);
        resolveP(at);
      });
    });

  const t0 = performance.now();
  const opened = published(1);
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
  const openMs = (await opened) - t0;
  const rssOpen = rssMb(child.pid!);

  const lineOf = (offset: number) => {
    let line = 0;
    let last = -1;
    for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++;
      last = i;
    }
    return { line, character: offset - last - 1 };
  };
  const times: number[] = [];
  let cpu0 = 0;
  const rssAlong: number[] = [];
  for (let i = 0; i < editCount + 10; i++) {
    if (i === 10) cpu0 = cpuMsOf(child.pid!);
    const at = sites[(i * 37) % sites.length];
    const digit = String((Number(text[at]) + 1) % 10);
    text = text.slice(0, at) + digit + text.slice(at + 1);
    const start = lineOf(at);
    const version = i + 2;
    const done = published(version);
    const sent = performance.now();
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start, end: { line: start.line, character: start.character + 1 } }, text: digit }],
    });
    const ms = (await done) - sent;
    if (i >= 10) times.push(ms);
    // RSS along the edits, to tell bounded growth (GC heuristics) from a leak.
    if ((i + 1) % 50 === 0) rssAlong.push(Math.round(rssMb(child.pid!)));
  }
  const rssAfter = rssMb(child.pid!);
  // The server's CPU time per measured edit (main thread and worker), less sensitive to other load than wall time.
  const cpuPerEditMs = (cpuMsOf(child.pid!) - cpu0) / Math.max(1, times.length);
  try {
    await Promise.race([conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
    await conn.sendNotification('exit');
  } catch {
    // The server may be gone already.
  }
  // Give the server a moment to exit by itself (a profile is written on exit), then stop it.
  await new Promise((r) => {
    const timer = setTimeout(r, 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      r(undefined);
    });
  });
  conn.dispose();
  child.kill();
  process.stdout.write(
    JSON.stringify({ openMs, diagnosticsOnOpen, rssOpenMb: rssOpen, rssAfterEditsMb: rssAfter, p50: pct(times, 50), p99: pct(times, 99), max: Math.max(...times), cpuPerEditMs, rssAlongMb: rssAlong, samples: times.length }) + '\n',
  );
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + '\n');
  process.exit(1);
});
