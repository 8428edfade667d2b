// Path arithmetic for include directives, without node:path so the core stays pure and
// behaves the same for POSIX paths and Windows paths.

export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || p.startsWith('\\\\') || /^[A-Za-z]:[\\/]/.test(p);
}

export function dirnameOf(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  if (i < 0) return '.';
  if (i === 0) return p[0];
  return p.slice(0, i);
}

export function basenameOf(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return p.slice(i + 1);
}

/** AbsoluteConfigLocation: an absolute path as is, else relative to the including file's folder. */
export function resolveInclude(target: string, includingFile: string | undefined): string | undefined {
  if (isAbsolutePath(target)) return target;
  if (!includingFile) return undefined;
  const dir = dirnameOf(includingFile);
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return dir.endsWith('/') || dir.endsWith('\\') ? dir + target : dir + sep + target;
}

/** A canonical spelling for cycle detection: `.` and `..` resolved, one separator. */
export function normalizePath(p: string): string {
  const abs = p.startsWith('/');
  const parts: string[] = [];
  for (const seg of p.split(/[\\/]+/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length && parts[parts.length - 1] !== '..') parts.pop();
      else if (!abs) parts.push('..');
    } else parts.push(seg);
  }
  return (abs ? '/' : '') + parts.join('/');
}

/** The file system path of a file: URI, or undefined for other schemes. */
export function pathOfUri(uri: string): string | undefined {
  if (!uri.startsWith('file://')) return undefined;
  let rest = uri.slice('file://'.length);
  // file://host/share is a UNC path; file:///x is local.
  const host = rest.startsWith('/') ? '' : rest.slice(0, rest.indexOf('/') < 0 ? rest.length : rest.indexOf('/'));
  rest = rest.slice(host.length);
  let path: string;
  try {
    path = decodeURIComponent(rest);
  } catch {
    path = rest;
  }
  if (/^\/[A-Za-z]:/.test(path)) path = path.slice(1);
  return host ? `//${host}${path}` : path;
}

/** strcmp order of the UTF-8 bytes, which is code point order. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}
