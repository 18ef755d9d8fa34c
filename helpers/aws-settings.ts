import {
  loadConfig,
  loadSharedConfigFiles,
  NODE_REGION_CONFIG_FILE_OPTIONS,
  NODE_REGION_CONFIG_OPTIONS,
} from '@smithy/core/config';
import { NODE_MAX_ATTEMPT_CONFIG_OPTIONS, NODE_RETRY_MODE_CONFIG_OPTIONS } from '@smithy/core/retry';

/**
 * The SDK's own settings, read the way the SDK for JavaScript v3 reads them
 * (its config loaders, @smithy/core/config and /retry), so that meshcheck
 * behaves like every other AWS tool on the machine: AWS_PROFILE picks the
 * profile, AWS_REGION or the profile's `region` the region, AWS_MAX_ATTEMPTS
 * / AWS_RETRY_MODE or the profile's `max_attempts` / `retry_mode` the retries.
 * Light on purpose: the targets loader imports it, and it loads no client.
 */

/**
 * Attempts per call when neither AWS_MAX_ATTEMPTS nor the profile's
 * `max_attempts` says otherwise: 5, where the SDK's default is 3. The suite
 * fans its reads out (the targets' look-ups all start at once, four check
 * files run together), which is when EC2 answers RequestLimitExceeded
 * ("Request throttling for the Amazon EC2 API", EC2 API Reference), and a
 * call whose retries run out makes its check "could not tell" (exit 3): two
 * more attempts in standard mode (about 10 s more of backoff at most) cost
 * less than a nightly run that errors on a burst. Anyone who sets a value,
 * in the environment or the profile, gets exactly that value.
 */
export const DEFAULT_MAX_ATTEMPTS = 5;

/** The SDK's chain for attempts per call (AWS_MAX_ATTEMPTS, the profile's max_attempts), with meshcheck's default. */
export function maxAttemptsSetting(): () => Promise<number> {
  return loadConfig({ ...NODE_MAX_ATTEMPT_CONFIG_OPTIONS, default: DEFAULT_MAX_ATTEMPTS });
}

/** The SDK's chain for the retry mode (AWS_RETRY_MODE, the profile's retry_mode, else `standard`). */
export function retryModeSetting(): () => Promise<string> {
  return loadConfig(NODE_RETRY_MODE_CONFIG_OPTIONS);
}

/**
 * The region the SDK would pick when none is given, as its clients pick it:
 * AWS_REGION, then the profile's `region` (the credentials file first, then
 * the config file), then the instance metadata of an EC2 host. Undefined when
 * none of them has one. The SDK for JavaScript v3 does not read
 * AWS_DEFAULT_REGION (the AWS CLI does): a region set only there is not used.
 */
export async function sdkRegion(): Promise<string | undefined> {
  try {
    return await loadConfig(NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS)();
  } catch {
    return undefined;
  }
}

/** Where a region can come from, for a message that says none was found. */
export function noRegionHint(): string {
  const hint =
    'give "region" in the targets file, pass --region, set AWS_REGION, or give the AWS profile a region';
  return process.env.AWS_DEFAULT_REGION
    ? `${hint} (AWS_DEFAULT_REGION is set, but the AWS SDK for JavaScript v3 does not read it)`
    : hint;
}

/**
 * Whether the shared config or credentials file defines the profile, as the
 * SDK reads them (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, or ~/.aws):
 * the AWS CLI refuses an unknown profile ("The config profile (NAME) could
 * not be found"), and the SDK would instead go on down its credential chain
 * to whatever identity the machine has.
 */
export async function profileExists(name: string): Promise<boolean> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  return name in configFile || name in credentialsFile;
}
