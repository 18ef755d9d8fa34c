import { buildSecondLab, type Credentials, runnerSession } from '../../../lab/second/index.ts';
import { pipelineStats } from '../../../twin/pipeline/stats.ts';
import { serve } from '../../../twin/server.ts';
import { rootCredential, Twin } from '../../../twin/twin.ts';
import type { ServedLab } from './drift-matrix.ts';
import { operatorOf } from './reference-twin.ts';

/**
 * The second lab, built on an empty twin through the SDK over HTTP as its
 * operator would; a reset empties the twin and builds it again the same way.
 */
export async function serveSecondLab(): Promise<ServedLab & { accountId: string }> {
  const server = await serve({ build: (origin) => new Twin({ origin }) });
  const accountId = server.twin.accounts[0]!;
  const root = rootCredential(accountId);
  let runner: Credentials | undefined;
  const build = async () => {
    const admin = { accessKeyId: root.accessKeyId, secretAccessKey: root.secretAccessKey };
    const { runnerRoleArn, ciBot } = await buildSecondLab(server.endpoint, accountId, admin);
    runner = await runnerSession(server.endpoint, ciBot, runnerRoleArn);
  };
  await build();
  return {
    accountId,
    endpoint: server.endpoint,
    runner: () => runner!,
    operator: (lab) => operatorOf(lab, server.endpoint, () => runner!),
    reset: async () => {
      await server.reset();
      await build();
    },
    diagnose: () => pipelineStats(server.twin),
    close: () => server.close(),
  };
}
