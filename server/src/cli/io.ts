// What a CLI command may touch of the outside world, passed in so tests run commands
// in-process and capture their output.

export interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal: output is then for a person (text, grouped, coloured). */
  tty?: boolean;
  /** Asks for a password without echo; undefined when there is no terminal to ask on. */
  promptPassword(question: string): Promise<string | undefined>;
}

/** A usage or internal failure: exit code 2 with a one-line reason on stderr. */
export class CliError extends Error {}
