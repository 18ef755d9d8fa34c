/**
 * IAM JSON policy documents: reading them for evaluation (lenient: a
 * statement the evaluator cannot read simply matches nothing) and
 * validating them on write with the messages IAM answers
 * `MalformedPolicyDocument` with.
 *
 * Grammar: docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 * and the element references (Version, Statement, Effect, Principal,
 * NotPrincipal, Action, NotAction, Resource, NotResource, Condition): each
 * element takes a single string or an array of strings; Statement takes one
 * object or an array of them.
 */

export type Effect = 'Allow' | 'Deny';

/** `"*"` or a map of principal type (`AWS`, `Service`, `Federated`, `CanonicalUser`) to values. */
export type PrincipalSpec = '*' | Record<string, string[]>;

export type ConditionBlock = Record<string, Record<string, string[]>>;

export interface PolicyStatement {
  /** Position in the document's statement list (0-based). */
  index: number;
  sid?: string;
  effect: Effect;
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  condition?: ConditionBlock;
}

export interface PolicyDocument {
  version?: string;
  id?: string;
  statements: PolicyStatement[];
}

/** The only version in which policy variables (`${aws:username}`) are variables and not literal text. */
export const CURRENT_VERSION = '2012-10-17';
const VERSIONS = new Set([CURRENT_VERSION, '2008-10-17']);

const TOP_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);

/** A policy IAM refuses, with the message IAM gives. */
export class PolicyError extends Error {}

const SYNTAX = 'Syntax errors in policy.';
const LEGACY = 'The policy failed legacy parsing';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string or a non-nested array of strings; `undefined` when absent; throws on anything else. */
function stringList(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw new PolicyError(SYNTAX);
}

function readPrincipal(v: unknown): PrincipalSpec | undefined {
  if (v === undefined) return undefined;
  if (v === '*') return '*';
  if (!isObject(v)) throw new PolicyError(SYNTAX);
  const out: Record<string, string[]> = {};
  for (const [type, values] of Object.entries(v)) out[type] = stringList(values) ?? [];
  return out;
}

function conditionValue(v: unknown): string[] {
  const values = Array.isArray(v) ? v : [v];
  if (!values.every((x) => ['string', 'number', 'boolean'].includes(typeof x))) throw new PolicyError(SYNTAX);
  return values.map(String);
}

function readCondition(v: unknown): ConditionBlock | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) throw new PolicyError(SYNTAX);
  const out: ConditionBlock = {};
  for (const [operator, keys] of Object.entries(v)) {
    if (!isObject(keys)) throw new PolicyError(SYNTAX);
    out[operator] = {};
    for (const [key, values] of Object.entries(keys)) out[operator][key] = conditionValue(values);
  }
  return out;
}

function readStatement(raw: unknown, index: number): PolicyStatement {
  if (!isObject(raw)) throw new PolicyError(SYNTAX);
  for (const k of Object.keys(raw)) if (!STATEMENT_KEYS.has(k)) throw new PolicyError(SYNTAX);
  if (raw.Sid !== undefined && typeof raw.Sid !== 'string') throw new PolicyError(SYNTAX);
  if (typeof raw.Effect !== 'string') throw new PolicyError(SYNTAX);
  // Effect is case-sensitive: "allow" or "denY" is refused (moto's tests, taken from IAM's answers).
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') throw new PolicyError(LEGACY);
  for (const [a, b] of [
    ['Action', 'NotAction'],
    ['Resource', 'NotResource'],
    ['Principal', 'NotPrincipal'],
  ] as const) {
    if (raw[a] !== undefined && raw[b] !== undefined) throw new PolicyError(SYNTAX);
  }
  const statement: PolicyStatement = { index, effect: raw.Effect };
  if (raw.Sid !== undefined) statement.sid = raw.Sid;
  const principal = readPrincipal(raw.Principal);
  const notPrincipal = readPrincipal(raw.NotPrincipal);
  const action = stringList(raw.Action);
  const notAction = stringList(raw.NotAction);
  const resource = stringList(raw.Resource);
  const notResource = stringList(raw.NotResource);
  const condition = readCondition(raw.Condition);
  if (principal) statement.principal = principal;
  if (notPrincipal) statement.notPrincipal = notPrincipal;
  if (action) statement.action = action;
  if (notAction) statement.notAction = notAction;
  if (resource) statement.resource = resource;
  if (notResource) statement.notResource = notResource;
  if (condition) statement.condition = condition;
  return statement;
}

/**
 * Reads a policy document, throwing `PolicyError` with IAM's message when
 * its shape is wrong (bad JSON, unknown fields, wrong types, bad Effect).
 */
export function parsePolicy(text: string | object): PolicyDocument {
  let raw: unknown = text;
  if (typeof text === 'string') {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new PolicyError(SYNTAX);
    }
  }
  if (!isObject(raw)) throw new PolicyError(SYNTAX);
  for (const k of Object.keys(raw)) if (!TOP_KEYS.has(k)) throw new PolicyError(SYNTAX);
  if (raw.Version !== undefined && (typeof raw.Version !== 'string' || !VERSIONS.has(raw.Version))) {
    throw new PolicyError(SYNTAX);
  }
  if (raw.Id !== undefined && typeof raw.Id !== 'string') throw new PolicyError(SYNTAX);
  const list = Array.isArray(raw.Statement)
    ? raw.Statement
    : raw.Statement === undefined
      ? []
      : [raw.Statement];
  if (list.length === 0) throw new PolicyError(SYNTAX);
  const doc: PolicyDocument = { statements: list.map(readStatement) };
  if (raw.Version !== undefined) doc.version = raw.Version as string;
  if (raw.Id !== undefined) doc.id = raw.Id as string;
  return doc;
}

/** Reads a document for evaluation; an unreadable one grants and denies nothing. */
export function readPolicyLeniently(text: string | object | PolicyDocument): PolicyDocument {
  if (typeof text === 'object' && 'statements' in text) return text as PolicyDocument;
  try {
    return parsePolicy(text);
  } catch {
    return { statements: [] };
  }
}
