import { readFileSync } from 'node:fs';

/** meshcheck's version, as its package.json says: `meshcheck --version` and the SDK's app id. */
export const VERSION: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;

/**
 * The app id every AWS call of the suite carries in its User-Agent, so an auditor finds the suite's own
 * calls in CloudTrail's userAgent field (AWS SDKs and Tools Reference Guide, "Application ID"; at most 50
 * characters). The SDK writes it `app/meshcheck-<version>`: a User-Agent token's value holds no `/`.
 */
export const APP_ID = `meshcheck/${VERSION}`;
