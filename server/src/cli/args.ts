// A small argument parser: `--name value`, `--name=value`, boolean flags, positionals,
// and `--` to end options. Unknown options are usage errors.

import { CliError } from './io';

export interface ParsedArgs {
  values: Record<string, string | undefined>;
  flags: Record<string, boolean>;
  positional: string[];
}

export function parseArgs(argv: string[], spec: { values: string[]; flags: string[] }, usage: string): ParsedArgs {
  const out: ParsedArgs = { values: {}, flags: {}, positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '-') {
      out.positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (spec.flags.includes(name)) {
      if (eq >= 0) throw new CliError(`--${name} takes no value\n${usage}`);
      out.flags[name] = true;
    } else if (spec.values.includes(name)) {
      const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new CliError(`--${name} needs a value\n${usage}`);
      out.values[name] = v;
    } else {
      throw new CliError(`unknown option ${a}\n${usage}`);
    }
  }
  return out;
}
