import { Command } from 'commander';

/** Commander option parsers for a size (--max-bytes) and a duration (--timeout), which live in main.ts. */
export interface SourceOptionParsers {
  seconds: (value: string) => number;
  size: (value: string) => number;
}

/**
 * The options that say where a command reads its trace(s): Tempo's HTTP API and how to ask it, or the most a
 * file may hold. `traceway trace` reads one trace, `traceway diff` two; the wording follows.
 */
export function addTraceSourceOptions(command: Command, parsers: SourceOptionParsers, traces: 'one' | 'two'): Command {
  const two = traces === 'two';
  return command
    .option(
      '--tempo <url>',
      `read ${two ? 'both traces' : 'the trace'} from Tempo's HTTP API at this address, e.g. http://tempo:3200`
    )
    .option(
      '--header <header>',
      "with --tempo, a header to send, 'Name: value' (repeatable; values are never printed)",
      (value: string, previous: string[] = []) => [...previous, value]
    )
    .option('--tenant <tenant>', 'with --tempo, the tenant of a multi-tenant Tempo (sent as X-Scope-OrgID)')
    .option(
      '--timeout <seconds>',
      `with --tempo, the longest ${two ? 'each' : 'the'} request may take (default 300; 30 without a byte)`,
      parsers.seconds
    )
    .option(
      '--max-bytes <MB>',
      `the most bytes read${two ? ' per trace' : ''}, in MB or with a unit (default 100MB from Tempo, 1GB from a file)`,
      parsers.size
    );
}
