/** `npm run report` / `npm start`: see main.ts for flags and environment. */
import { runCli } from './main.ts';

process.exitCode = await runCli(process.argv.slice(2), process.env, {
  stdout: process.stdout,
  stderr: process.stderr,
});
