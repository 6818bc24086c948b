/** Entry point bundled by `npm run build:cli` to build/cli/traceway.js. */
import { run } from './main';

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`traceway: internal error: ${String(e)}\n`);
    process.exitCode = 1;
  }
);
