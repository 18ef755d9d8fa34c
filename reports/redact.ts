/**
 * Secret redaction for everything the reporter writes.
 *
 * Two layers: {@link redactValue} walks parsed evidence and blanks values
 * whose key names a secret, then every string (and, as a last line of
 * defence, every whole output file) goes through {@link redactText}, which
 * recognises secrets by shape. Redaction keeps a visible marker so a reader
 * knows something was there.
 */

export const REDACTED = '[REDACTED]';

/**
 * Key names (lower-cased, separators removed) whose values are secrets.
 * Pagination `NextToken` and idempotency `ClientToken` are not secrets.
 */
const SECRET_KEYS = new Set([
  'secretaccesskey',
  'awssecretaccesskey',
  'secretkey',
  'sessiontoken',
  'awssessiontoken',
  'securitytoken',
  'xamzsecuritytoken',
  'xamzsignature',
  'authorization',
  'password',
  'passwd',
  'clientsecret',
  'privatekey',
]);

/** A key that holds a secret in a JSON object, a header map or an env block. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/** Key spellings in text: `aws_secret_access_key = …`, `"SecretAccessKey":"…"`, `X-Amz-Security-Token=…`. */
const KEYED_TEXT =
  /((?:aws[_-]?)?secret[_-]?(?:access[_-]?)?key|(?:aws[_-]?)?session[_-]?token|x-amz-security-token|x-amz-signature|security[_-]?token|client[_-]?secret|password|passwd)((?:\\?["'])?\s*[:=]\s*(?:\\?["'])?)([^\s"'\\&,;<>}]+)/gi;

/** `Authorization: AWS4-HMAC-SHA256 Credential=…, Signature=…` — the whole value up to the end of line or quote. */
const AUTHORIZATION = /(authorization(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?)([^"'\\\r\n<]+)/gi;

/** STS and IAM XML responses carry credentials as elements. */
const XML_ELEMENT = /<(SecretAccessKey|SessionToken|SecurityToken)>[^<]*<\/\1>/gi;

/**
 * Access key ids: long-term (AKIA), temporary (ASIA) and the rarer ABIA/ACCA.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
 */
const ACCESS_KEY_ID = /(?<![A-Z0-9])(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/g;

/** A key id followed by its 40-character secret, as in credential CSVs or `aws configure list`. */
const KEY_PAIR = /(?<![A-Z0-9])((?:AKIA|ASIA)[A-Z0-9]{16})([\s,:;|]+)[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

/** STS session tokens start with a recognisable base64 prefix whatever key they sit under. */
const SESSION_TOKEN = /\b(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+=]{16,}/g;

const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;

/** Replaces every secret recognisable by its shape or by the key it follows. */
export function redactText(text: string): string {
  return text
    .replace(PRIVATE_KEY, `-----BEGIN PRIVATE KEY----- ${REDACTED} -----END PRIVATE KEY-----`)
    .replace(XML_ELEMENT, (_m, tag: string) => `<${tag}>${REDACTED}</${tag}>`)
    .replace(KEY_PAIR, (_m, id: string, sep: string) => `${id}${sep}${REDACTED}`)
    .replace(AUTHORIZATION, (_m, head: string) => `${head}${REDACTED}`)
    .replace(KEYED_TEXT, (_m, key: string, sep: string) => `${key}${sep}${REDACTED}`)
    .replace(SESSION_TOKEN, REDACTED)
    .replace(ACCESS_KEY_ID, (_m, prefix: string) => `${prefix}${REDACTED}`);
}

/**
 * Deep copy of a JSON-like value with secret-keyed values replaced and every
 * string passed through {@link redactText}. Cycles become `"[Circular]"`.
 */
export function redactValue(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretKey(key) && item !== null && item !== '' ? REDACTED : redactValue(item, seen);
  }
  return out;
}
