/**
 * Starts the report worker Lambda for a job: an asynchronous invocation
 * (`InvocationType: Event`) with `{"jobId": "<uuid>"}`, so the API answers
 * without waiting for the report.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { WorkerInvoker } from '../../pipeline/jobs.ts';

export class LambdaWorkerInvoker implements WorkerInvoker {
  private readonly client: LambdaClient;
  private readonly functionName: string;

  constructor(opts: { client: LambdaClient; functionName: string }) {
    this.client = opts.client;
    this.functionName = opts.functionName;
  }

  async start(jobId: string): Promise<void> {
    await this.client.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify({ jobId })),
      }),
    );
  }
}
