/** `npm run admin`: see admin-main.ts for the commands. */
import { runAdmin } from './admin-main.ts';

process.exitCode = await runAdmin(process.argv.slice(2), process.env, {
  stdout: process.stdout,
  stderr: process.stderr,
});
