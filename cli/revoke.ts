/** `npm run revoke`: see revoke-main.ts for the flags. */
import { runRevoke } from './revoke-main.ts';

process.exitCode = await runRevoke(process.argv.slice(2), process.env, {
  stdout: process.stdout,
  stderr: process.stderr,
});
