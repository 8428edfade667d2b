// Offsets and positions. Every finding inside pgwarden carries UTF-16 offsets into the
// document (what JavaScript strings index), because that is what LSP and VS Code count.
// libpg-query reports UTF-8 byte offsets, so each parsed unit converts through ByteMap.

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based column in UTF-16 code units. */
  character: number;
}

/** Line starts of a text, for offset <-> position conversion by binary search. */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    if (text.indexOf('\r') < 0) {
      // Only LF line breaks (the common case): indexOf finds them much faster than a loop.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** End of a line's content, before its line break. */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    let end = this.starts[line + 1];
    if (end > 0 && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > 0 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  offsetAt(pos: Position): number {
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, pos.line)];
    return Math.min(start + Math.max(0, pos.character), this.lineEnd(pos.line));
  }
}

/**
 * Converts UTF-8 byte offsets within one piece of text into UTF-16 offsets.
 * ASCII-only text, the common case, maps one to one without a table.
 */
export class ByteMap {
  private readonly table: Uint32Array | undefined;
  readonly byteLength: number;

  constructor(readonly text: string) {
    let ascii = true;
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) > 127) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      this.table = undefined;
      this.byteLength = text.length;
      return;
    }
    const bytes = Buffer.byteLength(text, 'utf8');
    const table = new Uint32Array(bytes + 1);
    let b = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let n: number;
      if (c < 0x80) n = 1;
      else if (c < 0x800) n = 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        // A surrogate pair is one 4-byte code point; both UTF-16 units map to its start.
        for (let k = 0; k < 4; k++) table[b + k] = i;
        b += 4;
        i++;
        continue;
      } else n = 3;
      for (let k = 0; k < n; k++) table[b + k] = i;
      b += n;
    }
    table[b] = text.length;
    this.table = table;
    this.byteLength = b;
  }

  /** UTF-16 offset of a byte offset (clamped to the text). */
  toUtf16(byteOffset: number): number {
    if (byteOffset <= 0) return 0;
    if (!this.table) return Math.min(byteOffset, this.text.length);
    return this.table[Math.min(byteOffset, this.byteLength)];
  }

  /** UTF-16 offset of a code-point index, as libpg-query's error cursor counts. */
  codePointToUtf16(cp: number): number {
    let i = 0;
    let n = 0;
    while (i < this.text.length && n < cp) {
      const c = this.text.charCodeAt(i);
      // Only a high surrogate followed by a low one is a single code point; a lone
      // surrogate reaches the parser as one (invalid) character of its own.
      i += c >= 0xd800 && c <= 0xdbff && (this.text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
      n++;
    }
    return Math.min(i, this.text.length);
  }
}
