// Blanks comments and the insides of string literals, quoted identifiers and dollar-quoted
// bodies, keeping every other character in place. Keyword searches run on the result, so
// a `WITH GRANT OPTION` inside a comment or a string never matches.

const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

export function maskCode(text: string): string {
  const out = text.split('');
  const n = text.length;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to && k < n; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === '-' && text[i + 1] === '-') {
      let j = i;
      while (j < n && text[j] !== '\n') j++;
      blank(i, j);
      i = j;
    } else if (c === '/' && text[i + 1] === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (text[j] === '/' && text[j + 1] === '*') (depth++, (j += 2));
        else if (text[j] === '*' && text[j + 1] === '/') (depth--, (j += 2));
        else j++;
      }
      blank(i, j);
      i = j;
    } else if (c === "'" || c === '"') {
      // E'' only when the E is a token of its own: `ELSE'\'` is ELSE and a standard string,
      // the same test the splitter makes.
      const escapes = c === "'" && i > 0 && (text[i - 1] === 'E' || text[i - 1] === 'e') && !(i > 1 && IDENT_CHAR.test(text[i - 2]));
      let j = i + 1;
      while (j < n) {
        if (escapes && text[j] === '\\') j += 2;
        else if (text[j] === c && text[j + 1] === c) j += 2;
        else if (text[j] === c) break;
        else j++;
      }
      blank(i + 1, j);
      i = j + 1;
    } else if (c === '$') {
      // Tags may hold non-ASCII letters, as in the PostgreSQL scanner and the splitter.
      const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 64));
      if (m && !(i > 0 && IDENT_CHAR.test(text[i - 1]))) {
        const close = text.indexOf(m[0], i + m[0].length);
        const end = close < 0 ? n : close;
        blank(i + m[0].length, end);
        i = close < 0 ? n : close + m[0].length;
      } else i++;
    } else i++;
  }
  return out.join('');
}
