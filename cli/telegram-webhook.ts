/** `npm run telegram:webhook`: see telegram-webhook-main.ts. */
import { runTelegramWebhook } from './telegram-webhook-main.ts';

process.exitCode = await runTelegramWebhook(process.argv.slice(2), process.env, {
  stdout: process.stdout,
  stderr: process.stderr,
});
