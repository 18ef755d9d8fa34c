import { DeleteFunctionCommand, ListFunctionsCommand, ListTagsCommand } from '@aws-sdk/client-lambda';
import type { AwsClients } from './clients.ts';
import { RUN_TAG } from './run.ts';

/**
 * Removes what the suite created and tagged `meshcheck:run`: at the end of
 * a run (for its own run id, also after an interrupted run) and by
 * `meshcheck cleanup` for crashed runs (any run id, older than a bound).
 */
export interface SweepOptions {
  /** Only this run's resources; all runs' when absent. */
  runId?: string;
  /** Only resources older than this many ms. */
  olderThanMs?: number;
}

export interface Swept {
  kind: string;
  id: string;
  runId: string;
}

export async function sweepProbes(clients: AwsClients, options: SweepOptions = {}): Promise<Swept[]> {
  const swept: Swept[] = [];
  let marker: string | undefined;
  do {
    const page = await clients.lambda.send(new ListFunctionsCommand({ ...(marker && { Marker: marker }) }));
    for (const fn of page.Functions ?? []) {
      if (!fn.FunctionName?.startsWith('meshcheck-') || !fn.FunctionArn) continue;
      const { Tags } = await clients.lambda.send(new ListTagsCommand({ Resource: fn.FunctionArn }));
      const run = Tags?.[RUN_TAG];
      if (!run || (options.runId && run !== options.runId)) continue;
      if (options.olderThanMs && fn.LastModified && Date.now() - Date.parse(fn.LastModified) < options.olderThanMs) continue;
      await clients.lambda.send(new DeleteFunctionCommand({ FunctionName: fn.FunctionName }));
      swept.push({ kind: 'lambda-function', id: fn.FunctionName, runId: run });
    }
    marker = page.NextMarker;
  } while (marker);
  return swept;
}
