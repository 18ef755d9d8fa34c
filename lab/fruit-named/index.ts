import { fileURLToPath } from 'node:url';
import {
  GetFunctionConfigurationCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { clientsFor } from '../../helpers/clients.ts';
import { bundleLambda } from '../../probes/bundle.ts';
import { rootCredential } from '../../twin/twin.ts';
import { LAB_ACCOUNT, REGION } from '../reference/accounts.ts';
import { PROCESSOR } from '../reference/data-protection.ts';

/**
 * The reference lab with another receipt processor, deployed by its
 * operator through the public API (UpdateFunctionCode and
 * UpdateFunctionConfiguration), as a team would replace its own.
 */
export type ProcessorStyle = 'fruit-and-queue-id' | 'none' | 'wrong-quantity';

const code = fileURLToPath(new URL('./apps/processor/index.ts', import.meta.url));

export async function replaceProcessor(endpoint: string, style: ProcessorStyle): Promise<void> {
  const root = rootCredential(LAB_ACCOUNT);
  const { lambda } = clientsFor({
    region: REGION,
    endpoint,
    credentials: { accessKeyId: root.accessKeyId, secretAccessKey: root.secretAccessKey },
  });
  // A VPC function is Pending until its network interfaces exist, and refuses updates until then.
  const wait = { client: lambda, maxWaitTime: 120, minDelay: 1, maxDelay: 2 };
  await waitUntilFunctionActiveV2(wait, { FunctionName: PROCESSOR });
  await lambda.send(
    new UpdateFunctionCodeCommand({ FunctionName: PROCESSOR, ZipFile: await bundleLambda(code) }),
  );
  await waitUntilFunctionUpdatedV2(wait, { FunctionName: PROCESSOR });
  const { Environment } = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: PROCESSOR }));
  await lambda.send(
    new UpdateFunctionConfigurationCommand({
      FunctionName: PROCESSOR,
      Environment: { Variables: { ...Environment?.Variables, RECEIPT_STYLE: style } },
    }),
  );
}

/** The reference targets, finding receipts by search instead of by key, with the given bounds. */
export function searchingTargets(
  example: Record<string, unknown>,
  bounds: { receipt: number; cloudTrail: number },
) {
  const file = structuredClone(example) as { dataProtection: Record<string, unknown> };
  delete file.dataProtection.receiptKeyTemplate;
  Object.assign(file.dataProtection, {
    receiptSearchPrefix: 'receipts/',
    receiptTimeoutSeconds: bounds.receipt,
    cloudTrailTimeoutSeconds: bounds.cloudTrail,
  });
  return file;
}
