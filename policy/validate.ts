/**
 * Validation of policy documents on write, answering as IAM does with
 * `MalformedPolicyDocument` and its messages for the common mistakes. The
 * messages and their precedence follow IAM's own answers as recorded by
 * moto's tests (getmoto/moto tests/test_iam/test_iam_policies.py) and
 * public error reports:
 * - "Syntax errors in policy." / "The policy failed legacy parsing"
 * - "Policy statement must contain actions." / "… must contain resources."
 * - "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
 * - "Policy document should not specify a principal." (identity policies)
 * - trust policies: "Has prohibited field Resource", "AssumeRole policy may
 *   only specify STS AssumeRole actions.", `Invalid principal in policy: "AWS":"…"`.
 */
import { isKnownOperator, parseOperator } from './conditions.ts';
import { type PolicyDocument, PolicyError, type PolicyStatement, parsePolicy } from './policy.ts';

export type PolicyUse = 'identity' | 'trust' | 'session';

export interface ValidateOptions {
  /** For trust policies: whether a principal named by ARN exists (IAM refuses unknown roles and users). */
  principalExists?: (type: string, value: string) => boolean;
}

const LEGACY = 'The policy failed legacy parsing';
const NO_PRINCIPALS =
  'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!';

function checkSids(doc: PolicyDocument): void {
  const seen = new Set<string>();
  for (const s of doc.statements) {
    if (s.sid === undefined || s.sid === '') continue;
    if (seen.has(s.sid)) throw new PolicyError('Statement IDs (SID) in a single policy must be unique.');
    seen.add(s.sid);
  }
}

function checkConditions(s: PolicyStatement): void {
  for (const [operator, keys] of Object.entries(s.condition ?? {})) {
    if (Object.keys(keys).length === 0) continue;
    if (!isKnownOperator(operator)) throw new PolicyError('Syntax errors in policy.');
    if (!parseOperator(operator)!.base.startsWith('Date')) continue;
    for (const values of Object.values(keys)) {
      for (const v of values)
        if (!/^\d+$/.test(v) && Number.isNaN(Date.parse(v))) throw new PolicyError(LEGACY);
    }
  }
}

function checkAction(action: string): void {
  if (action === '*') return;
  const parts = action.split(':');
  if (parts.length < 2)
    throw new PolicyError('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
  if (parts.length > 2) throw new PolicyError('Actions/Condition can contain only one colon.');
  if (!/^[A-Za-z0-9_*?-]+$/.test(parts[0]!)) throw new PolicyError(`Vendor ${parts[0]} is not valid`);
}

function checkResource(resource: string): void {
  if (resource === '*') return;
  if (!resource.startsWith('arn:'))
    throw new PolicyError(`Resource ${resource} must be in ARN format or "*".`);
  const parts = resource.split(':');
  if (parts.length === 2)
    throw new PolicyError('Resource vendor must be fully qualified and cannot contain regexes.');
  if (parts.length === 4 || parts.length === 5) throw new PolicyError(LEGACY);
  const partition = parts[1]!;
  if (!/^aws(-cn|-us-gov|-iso(-[a-z])?)?$/.test(partition) && !partition.includes('*')) {
    const padded = [...parts, '*', '*', '*'].slice(0, Math.max(6, parts.length)).join(':');
    throw new PolicyError(`Partition "${partition}" is not valid for resource "${padded}".`);
  }
}

function checkPresence(s: PolicyStatement, use: PolicyUse): void {
  if (!(s.action ?? s.notAction)?.length) throw new PolicyError('Policy statement must contain actions.');
  if (use === 'trust') {
    if (s.resource || s.notResource)
      throw new PolicyError(`Has prohibited field ${s.resource ? 'Resource' : 'NotResource'}`);
    if (!s.principal && !s.notPrincipal) throw new PolicyError(NO_PRINCIPALS);
    return;
  }
  if (s.principal || s.notPrincipal) throw new PolicyError('Policy document should not specify a principal.');
  if (!(s.resource ?? s.notResource)?.length)
    throw new PolicyError('Policy statement must contain resources.');
}

const AWS_PRINCIPAL =
  /^(\*|\d{12}|arn:aws[\w-]*:(iam::\d{12}:(root|user\/.+|role\/.+)|sts::\d{12}:(assumed-role|federated-user)\/.+))$/;

function checkTrustPrincipals(s: PolicyStatement, options: ValidateOptions): void {
  const spec = s.principal ?? s.notPrincipal;
  if (!spec || spec === '*') return;
  for (const [type, values] of Object.entries(spec)) {
    for (const value of values) {
      const shapeOk =
        type === 'AWS'
          ? AWS_PRINCIPAL.test(value)
          : type === 'Service'
            ? /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(value)
            : type === 'Federated' || type === 'CanonicalUser';
      if (!shapeOk || (options.principalExists && !options.principalExists(type, value))) {
        throw new PolicyError(`Invalid principal in policy: "${type}":"${value}"`);
      }
    }
  }
}

function checkTrustActions(s: PolicyStatement): void {
  for (const a of s.action ?? s.notAction ?? []) {
    if (!/^sts:/i.test(a) && a !== '*')
      throw new PolicyError('AssumeRole policy may only specify STS AssumeRole actions.');
  }
}

/**
 * Validates `text` for its use (an identity or session policy, or a role's
 * trust policy); throws `PolicyError` carrying IAM's message.
 *
 * @example
 *   validatePolicy('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*"}}', 'identity')
 *   // throws PolicyError('Policy statement must contain resources.')
 */
export function validatePolicy(text: string, use: PolicyUse, options: ValidateOptions = {}): PolicyDocument {
  const doc = parsePolicy(text);
  for (const s of doc.statements) checkConditions(s);
  checkSids(doc);
  for (const s of doc.statements) checkPresence(s, use);
  for (const s of doc.statements) {
    for (const a of s.action ?? s.notAction ?? []) checkAction(a);
    for (const r of s.resource ?? s.notResource ?? []) checkResource(r);
    if (use === 'trust') {
      checkTrustActions(s);
      checkTrustPrincipals(s, options);
    }
  }
  return doc;
}
