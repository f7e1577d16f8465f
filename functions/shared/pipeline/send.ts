/**
 * Sending a stored report's email: the attachment decision (the pipeline's,
 * not the mailer's), the send, and the manifest's new state after it.
 */
import { SETTING_LIMITS } from '../config.ts';
import type { EmailContent } from '../report/email/build-email.ts';
import { workbookFileName } from '../report/format.ts';
import { proveClaim } from './claim.ts';
import { emailed, type Manifest, sendFailed } from './manifest.ts';
import type { Mailer, ReportLocation } from './ports.ts';
import type { PipelineDeps, ReportRequest } from './request.ts';

/**
 * The attachment limit lives here: the pipeline decides whether the workbook is
 * attached (at most `attachLimitBytes`, this by default; the link is always in
 * the email) and hands the mailer only what it should attach. A mailer guards
 * nothing but its service's own cap (SES's 40 MB message, adapters/aws/ses-mailer.ts).
 */
export const DEFAULT_ATTACH_LIMIT_BYTES = SETTING_LIMITS.attachLimitBytes.default;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The report is stored, but the email could not be sent: retry the job to send it. */
export class EmailFailedError extends Error {
  readonly manifest: Manifest;
  constructor(manifest: Manifest, cause: unknown) {
    super(
      `The report for ${manifest.period.from}..${manifest.period.till} is stored, but the email failed: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
    this.name = 'EmailFailedError';
    this.manifest = manifest;
  }
}

/**
 * Sends the stored email and saves the manifest's new state: emailed, or
 * email_failed (then EmailFailedError carries it). First it proves the run's
 * claim (claim.ts): a run that lost it throws ClaimLostError and sends nothing
 * (and leaves the manifest to the run that holds the claim). A later channel
 * proves it the same way, `proveClaim(deps.fence, '<channel>')`, before it sends.
 */
export async function send(
  request: ReportRequest,
  deps: PipelineDeps,
  loc: ReportLocation,
  manifest: Manifest,
  content: EmailContent,
  recipients: string[],
): Promise<{ manifest: Manifest; email: { messageId: string; location?: string } }> {
  const mailer = deps.mailer as Mailer;
  // The pipeline's decision (see DEFAULT_ATTACH_LIMIT_BYTES): the mailer attaches what it is given.
  const limit = request.attachLimitBytes ?? DEFAULT_ATTACH_LIMIT_BYTES;
  let current = manifest;
  await proveClaim(deps.fence, 'email');
  try {
    const attachments =
      manifest.workbook.bytes <= limit
        ? [
            {
              fileName: workbookFileName(request.period, request.language),
              contentType: XLSX_TYPE,
              content: await deps.storage.readObject(manifest.workbook.key),
            },
          ]
        : [];
    const sent = await mailer.send({
      from: request.from ?? 'reports@localhost',
      to: recipients,
      ...content,
      attachments,
    });
    current = emailed(manifest, recipients, sent.messageId, new Date(deps.clock.now()).toISOString());
    await deps.storage.saveJson(loc, 'manifest', current);
    deps.onProgress?.({ phase: 'mailed', to: recipients.length });
    return { manifest: current, email: sent };
  } catch (err) {
    // Also when the email went but its record could not be saved: the manifest then says both.
    const failed = sendFailed(current, recipients, err, new Date(deps.clock.now()).toISOString());
    await deps.storage.saveJson(loc, 'manifest', failed).catch(() => {
      // The manifest could not be updated either; the error below still tells the truth.
    });
    throw new EmailFailedError(failed, err);
  }
}
