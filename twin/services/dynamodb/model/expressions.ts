import { validation } from '../errors.ts';
import { isReserved } from './reserved.ts';
import {
  type AttributeValue,
  checkValue,
  compareValues,
  equalValues,
  type Item,
  setMembers,
  typeOf,
} from './values.ts';

/**
 * DynamoDB's expression language (Developer Guide, "Using expressions in
 * DynamoDB"): document paths, condition and filter expressions, key
 * conditions, projections and update expressions, parsed into trees and
 * evaluated against items. Errors carry DynamoDB's words, prefixed by the
 * expression's parameter ("Invalid ConditionExpression: Syntax error; …").
 */

export type PathPart = string | number;
export type Path = PathPart[];

export type Operand =
  | { kind: 'path'; path: Path }
  | { kind: 'value'; name: string; value: AttributeValue }
  | { kind: 'size'; path: Path };

export type Condition =
  | { kind: 'compare'; op: '=' | '<>' | '<' | '<=' | '>' | '>='; left: Operand; right: Operand }
  | { kind: 'between'; subject: Operand; low: Operand; high: Operand }
  | { kind: 'in'; subject: Operand; list: Operand[] }
  | { kind: 'function'; name: ConditionFunction; args: Operand[] }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; inner: Condition };

type ConditionFunction =
  | 'attribute_exists'
  | 'attribute_not_exists'
  | 'attribute_type'
  | 'begins_with'
  | 'contains';

export type SetValue =
  | Operand
  | { kind: 'plus' | 'minus'; left: SetValue; right: SetValue }
  | { kind: 'if_not_exists'; path: Path; fallback: SetValue }
  | { kind: 'list_append'; left: SetValue; right: SetValue };

export interface UpdatePlan {
  set: { path: Path; value: SetValue }[];
  remove: Path[];
  add: { path: Path; value: Operand & { kind: 'value' } }[];
  delete: { path: Path; value: Operand & { kind: 'value' } }[];
}

/** The substitutions of one request, and which of them its expressions used. */
export class ExpressionContext {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();
  readonly names: Record<string, string>;
  readonly values: Record<string, AttributeValue>;

  constructor(names: Record<string, string> | undefined, values: Record<string, AttributeValue> | undefined) {
    if (names && Object.keys(names).length === 0)
      throw validation('ExpressionAttributeNames must not be empty');
    if (values && Object.keys(values).length === 0)
      throw validation('ExpressionAttributeValues must not be empty');
    for (const key of Object.keys(names ?? {}))
      if (!/^#[0-9A-Za-z_]+$/.test(key))
        throw validation(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`);
    const checked: Record<string, AttributeValue> = {};
    for (const [key, v] of Object.entries(values ?? {})) {
      if (!/^:[0-9A-Za-z_]+$/.test(key))
        throw validation(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`);
      try {
        checked[key] = checkValue(v);
      } catch (e) {
        throw validation(
          `ExpressionAttributeValues contains invalid value: ${(e as Error).message} for key ${key}`,
        );
      }
    }
    this.names = names ?? {};
    this.values = checked;
  }

  /**
   * "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}":
   * every substitution a request carries must be used by one of its expressions.
   */
  checkAllUsed(): void {
    const names = Object.keys(this.names).filter((k) => !this.usedNames.has(k));
    if (names.length)
      throw validation(
        `Value provided in ExpressionAttributeNames unused in expressions: keys: {${names.join(', ')}}`,
      );
    const values = Object.keys(this.values).filter((k) => !this.usedValues.has(k));
    if (values.length)
      throw validation(
        `Value provided in ExpressionAttributeValues unused in expressions: keys: {${values.join(', ')}}`,
      );
  }
}

// ---------------------------------------------------------------- tokens

type Token = { type: 'name' | 'alias' | 'value' | 'number' | 'punct' | 'eof'; text: string; at: number };

const PUNCT = ['<>', '<=', '>=', '=', '<', '>', '(', ')', '[', ']', ',', '.', '+', '-'];

function tokenize(text: string, fail: (t: Token) => never): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const m = /^(#[0-9A-Za-z_]*|:[0-9A-Za-z_]*|[A-Za-z_][0-9A-Za-z_]*|\d+)/.exec(text.slice(i));
    if (m) {
      const t = m[1]!;
      const type = t[0] === '#' ? 'alias' : t[0] === ':' ? 'value' : /^\d/.test(t) ? 'number' : 'name';
      out.push({ type, text: t, at: i });
      i += t.length;
      continue;
    }
    const p = PUNCT.find((x) => text.startsWith(x, i));
    if (!p) fail({ type: 'punct', text: c, at: i });
    out.push({ type: 'punct', text: p!, at: i });
    i += p!.length;
  }
  out.push({ type: 'eof', text: '<EOF>', at: text.length });
  return out;
}

// ---------------------------------------------------------------- parser

const CONDITION_FUNCTIONS = new Set([
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
]);
const ALL_FUNCTIONS = new Set([...CONDITION_FUNCTIONS, 'size', 'if_not_exists', 'list_append']);
const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN', 'SET', 'REMOVE', 'ADD', 'DELETE']);

class Parser {
  private pos = 0;
  private readonly tokens: Token[];

  constructor(
    private readonly text: string,
    private readonly kind: string,
    private readonly ctx: ExpressionContext,
  ) {
    if (!text.trim()) throw this.error('The expression can not be empty;');
    // "The maximum length of any expression string is 4 KB" (Developer Guide, Quotas: expression parameters).
    const size = Buffer.byteLength(text, 'utf8');
    if (size > 4096)
      throw this.error(`Expression size has exceeded the maximum allowed size; expression size: ${size}`);
    this.tokens = tokenize(text, (t) => this.syntax(t));
  }

  error(detail: string): Error {
    return validation(`Invalid ${this.kind}: ${detail}`);
  }

  /** "Syntax error; token: "x", near: "a x b"" — the token and its neighbours, as DynamoDB quotes them. */
  syntax(t: Token = this.peek()): never {
    const i = this.tokens?.indexOf(t) ?? -1;
    const near =
      i >= 0
        ? this.text
            .slice(
              this.tokens[Math.max(0, i - 1)]!.at,
              (this.tokens[i + 1] ?? t).at + (this.tokens[i + 1]?.text.length ?? 0),
            )
            .trim()
        : this.text.slice(Math.max(0, t.at - 5), t.at + 5);
    throw this.error(`Syntax error; token: "${t.text}", near: "${near}"`);
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  next(): Token {
    return this.tokens[this.pos++] ?? this.tokens.at(-1)!;
  }

  isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'name' && t.text.toUpperCase() === word;
  }

  isPunct(p: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'punct' && t.text === p;
  }

  expect(p: string): void {
    if (!this.isPunct(p)) this.syntax();
    this.pos++;
  }

  atEnd(): boolean {
    return this.peek().type === 'eof';
  }

  end(): void {
    if (!this.atEnd()) this.syntax();
  }

  // A path: name ( '.' name | '[' n ']' )*
  path(): Path {
    const parts: Path = [this.pathName()];
    for (;;) {
      if (this.isPunct('.')) {
        this.pos++;
        parts.push(this.pathName());
      } else if (this.isPunct('[')) {
        this.pos++;
        const n = this.next();
        if (n.type !== 'number') this.syntax(n);
        this.expect(']');
        parts.push(Number(n.text));
      } else return parts;
    }
  }

  private pathName(): string {
    const t = this.next();
    if (t.type === 'alias') {
      const name = this.ctx.names[t.text];
      if (name === undefined)
        throw this.error(
          `An expression attribute name used in the document path is not defined; attribute name: ${t.text}`,
        );
      this.ctx.usedNames.add(t.text);
      return name;
    }
    if (t.type !== 'name' || KEYWORDS.has(t.text.toUpperCase())) this.syntax(t);
    if (isReserved(t.text))
      throw this.error(`Attribute name is a reserved keyword; reserved keyword: ${t.text}`);
    return t.text;
  }

  private valueRef(): Operand & { kind: 'value' } {
    const t = this.next();
    const value = this.ctx.values[t.text];
    if (value === undefined)
      throw this.error(
        `An expression attribute value used in expression is not defined; attribute value: ${t.text}`,
      );
    this.ctx.usedValues.add(t.text);
    return { kind: 'value', name: t.text, value };
  }

  private functionName(): string | undefined {
    const t = this.peek();
    return t.type === 'name' && this.isPunct('(', 1) ? t.text : undefined;
  }

  /** An operand of a condition: a path, a value, or size(path). */
  operand(): Operand {
    const t = this.peek();
    if (t.type === 'value') return this.valueRef();
    const fn = this.functionName();
    if (fn !== undefined) {
      if (fn !== 'size') {
        if (!ALL_FUNCTIONS.has(fn)) throw this.error(`Invalid function name; function: ${fn}`);
        throw this.error(`The function is not allowed to be used this way in an expression; function: ${fn}`);
      }
      const args = this.arguments();
      if (args.length !== 1)
        throw this.error(
          `Incorrect number of operands for operator or function; operator or function: size, number of operands: ${args.length}`,
        );
      const [arg] = args;
      if (arg!.kind !== 'path') {
        const type = arg!.kind === 'value' ? typeOf(arg!.value) : 'N';
        if (['N', 'BOOL', 'NULL'].includes(type))
          throw this.error(
            `Incorrect operand type for operator or function; operator or function: size, operand type: ${type}`,
          );
        throw this.error('Operator or function requires a document path; operator or function: size');
      }
      return { kind: 'size', path: arg!.path };
    }
    if (t.type === 'alias' || t.type === 'name') return { kind: 'path', path: this.path() };
    this.syntax(t);
  }

  private arguments(): Operand[] {
    this.next();
    this.expect('(');
    const args: Operand[] = [];
    if (!this.isPunct(')')) {
      args.push(this.operand());
      while (this.isPunct(',')) {
        this.pos++;
        args.push(this.operand());
      }
    }
    this.expect(')');
    return args;
  }

  condition(): Condition {
    let left = this.conjunction();
    while (this.isWord('OR')) {
      this.pos++;
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Condition {
    let left = this.negation();
    while (this.isWord('AND')) {
      this.pos++;
      left = { kind: 'and', left, right: this.negation() };
    }
    return left;
  }

  private negation(): Condition {
    if (this.isWord('NOT')) {
      this.pos++;
      return { kind: 'not', inner: this.negation() };
    }
    return this.primary();
  }

  private primary(): Condition {
    if (this.isPunct('(')) {
      this.pos++;
      const inner = this.condition();
      this.expect(')');
      return inner;
    }
    const fn = this.functionName();
    if (fn !== undefined && fn !== 'size') {
      if (!CONDITION_FUNCTIONS.has(fn)) {
        if (!ALL_FUNCTIONS.has(fn)) throw this.error(`Invalid function name; function: ${fn}`);
        throw this.error(`The function is not allowed to be used this way in an expression; function: ${fn}`);
      }
      return this.conditionFunction(fn as ConditionFunction);
    }
    const subject = this.operand();
    const t = this.peek();
    if (t.type === 'punct' && COMPARATORS.has(t.text)) {
      this.pos++;
      return { kind: 'compare', op: t.text as '=', left: subject, right: this.operand() };
    }
    if (this.isWord('BETWEEN')) {
      this.pos++;
      const low = this.operand();
      if (!this.isWord('AND')) this.syntax();
      this.pos++;
      const high = this.operand();
      if (low.kind === 'value' && high.kind === 'value') {
        const cmp = compareValues(low.value, high.value);
        if (cmp === undefined)
          throw this.error(
            `The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {${typeOf(low.value)}:${show(low.value)}}, upper bound operand: AttributeValue: {${typeOf(high.value)}:${show(high.value)}}`,
          );
        if (cmp > 0)
          throw this.error(
            `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {${typeOf(low.value)}:${show(low.value)}}, upper bound operand: AttributeValue: {${typeOf(high.value)}:${show(high.value)}}`,
          );
      }
      return { kind: 'between', subject, low, high };
    }
    if (this.isWord('IN')) {
      this.pos++;
      this.expect('(');
      const list = [this.operand()];
      while (this.isPunct(',')) {
        this.pos++;
        list.push(this.operand());
      }
      this.expect(')');
      return { kind: 'in', subject, list };
    }
    this.syntax();
  }

  private conditionFunction(name: ConditionFunction): Condition {
    const args = this.arguments();
    const arity = name === 'attribute_exists' || name === 'attribute_not_exists' ? 1 : 2;
    if (args.length !== arity)
      throw this.error(
        `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`,
      );
    if (args[0]!.kind !== 'path' && name !== 'begins_with' && name !== 'contains')
      throw this.error(`Operator or function requires a document path; operator or function: ${name}`);
    if (name === 'attribute_type') {
      const t = args[1]!;
      const type = t.kind === 'value' ? typeOf(t.value) : undefined;
      if (type !== 'S')
        throw this.error(
          `Incorrect operand type for operator or function; operator or function: attribute_type, operand type: ${type ?? 'N'}`,
        );
      const name = (t as { value: AttributeValue }).value.S!;
      if (!['S', 'N', 'B', 'NULL', 'SS', 'BOOL', 'L', 'BS', 'NS', 'M'].includes(name))
        throw this.error(
          `Invalid attribute type name found; type: ${name}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`,
        );
    }
    if (name === 'begins_with')
      for (const a of args) {
        const type = a.kind === 'value' ? typeOf(a.value) : a.kind === 'size' ? 'N' : undefined;
        if (type && type !== 'S' && type !== 'B')
          throw this.error(
            `Incorrect operand type for operator or function; operator or function: begins_with, operand type: ${type}`,
          );
      }
    return { kind: 'function', name, args };
  }

  projection(): Path[] {
    const paths = [this.path()];
    while (this.isPunct(',')) {
      this.pos++;
      paths.push(this.path());
    }
    return paths;
  }

  update(): UpdatePlan {
    const plan: UpdatePlan = { set: [], remove: [], add: [], delete: [] };
    const seen = new Set<string>();
    while (!this.atEnd()) {
      const t = this.next();
      const section = t.type === 'name' ? t.text.toUpperCase() : '';
      if (!['SET', 'REMOVE', 'ADD', 'DELETE'].includes(section)) this.syntax(t);
      if (seen.has(section))
        throw this.error(`The "${section}" section can only be used once in an update expression;`);
      seen.add(section);
      for (let first = true; first || this.isPunct(','); first = false) {
        if (!first) this.pos++;
        const path = this.path();
        if (section === 'SET') {
          this.expect('=');
          plan.set.push({ path, value: this.setValue() });
        } else if (section === 'REMOVE') plan.remove.push(path);
        else {
          if (this.peek().type !== 'value') this.syntax();
          const value = this.valueRef();
          const type = typeOf(value.value);
          if (section === 'ADD' && !['N', 'SS', 'NS', 'BS'].includes(type))
            throw this.error(
              `Incorrect operand type for operator or function; operator: ADD, operand type: ${LONG[type]}`,
            );
          if (section === 'DELETE' && !['SS', 'NS', 'BS'].includes(type))
            throw this.error(
              `Incorrect operand type for operator or function; operator: DELETE, operand type: ${LONG[type]}`,
            );
          plan[section === 'ADD' ? 'add' : 'delete'].push({ path, value });
        }
      }
    }
    checkOverlaps(this, [
      ...plan.set.map((s) => s.path),
      ...plan.remove,
      ...plan.add.map((s) => s.path),
      ...plan.delete.map((s) => s.path),
    ]);
    return plan;
  }

  private setValue(): SetValue {
    let left = this.setTerm();
    while (this.isPunct('+') || this.isPunct('-')) {
      const op = this.next().text === '+' ? 'plus' : 'minus';
      left = { kind: op, left, right: this.setTerm() };
    }
    return left;
  }

  private setTerm(): SetValue {
    const fn = this.functionName();
    if (fn === 'if_not_exists') {
      this.next();
      this.expect('(');
      const path = this.path();
      this.expect(',');
      const fallback = this.setValue();
      this.expect(')');
      return { kind: 'if_not_exists', path, fallback };
    }
    if (fn === 'list_append') {
      this.next();
      this.expect('(');
      const left = this.setValue();
      this.expect(',');
      const right = this.setValue();
      this.expect(')');
      return { kind: 'list_append', left, right };
    }
    if (fn !== undefined) {
      if (!ALL_FUNCTIONS.has(fn)) throw this.error(`Invalid function name; function: ${fn}`);
      throw this.error(`The function is not allowed in an update expression; function: ${fn}`);
    }
    const t = this.peek();
    if (t.type === 'value') return this.valueRef();
    if (t.type === 'alias' || t.type === 'name') return { kind: 'path', path: this.path() };
    this.syntax(t);
  }
}

const LONG: Record<string, string> = {
  S: 'STRING',
  N: 'NUMBER',
  B: 'BINARY',
  BOOL: 'BOOLEAN',
  NULL: 'NULL',
  M: 'MAP',
  L: 'LIST',
  SS: 'STRING SET',
  NS: 'NUMBER SET',
  BS: 'BINARY SET',
};

function show(v: AttributeValue): string {
  const t = typeOf(v);
  return t === 'B' ? Buffer.from(v.B!).toString('base64') : String(v[t]);
}

export const showPath = (p: Path) => `[${p.map((x) => (typeof x === 'number' ? `[${x}]` : x)).join(', ')}]`;

/** "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]". */
function checkOverlaps(parser: Parser, paths: Path[]): void {
  for (let i = 0; i < paths.length; i++)
    for (let j = i + 1; j < paths.length; j++) {
      const [a, b] = [paths[i]!, paths[j]!];
      const n = Math.min(a.length, b.length);
      if (a.slice(0, n).every((x, k) => x === b[k]))
        throw parser.error(
          `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${showPath(a)}, path two: ${showPath(b)}`,
        );
    }
}

export type ExpressionKind =
  | 'ConditionExpression'
  | 'FilterExpression'
  | 'KeyConditionExpression'
  | 'ProjectionExpression'
  | 'UpdateExpression';

export function parseCondition(text: string, kind: ExpressionKind, ctx: ExpressionContext): Condition {
  const p = new Parser(text, kind, ctx);
  const c = p.condition();
  p.end();
  return c;
}

export function parseProjection(text: string, ctx: ExpressionContext): Path[] {
  const p = new Parser(text, 'ProjectionExpression', ctx);
  const paths = p.projection();
  p.end();
  return paths;
}

export function parseUpdate(text: string, ctx: ExpressionContext): UpdatePlan {
  return new Parser(text, 'UpdateExpression', ctx).update();
}

// ---------------------------------------------------------------- evaluation

/** The value at a path of an item, or undefined. */
export function valueAt(item: Item | undefined, path: Path): AttributeValue | undefined {
  let cur: AttributeValue | undefined = item ? { M: item } : undefined;
  for (const part of path) {
    if (!cur) return undefined;
    if (typeof part === 'number') cur = cur.L?.[part];
    else cur = cur.M?.[part];
  }
  return cur;
}

function resolve(item: Item | undefined, o: Operand): AttributeValue | undefined {
  if (o.kind === 'value') return o.value;
  const v = valueAt(item, o.path);
  if (o.kind === 'path' || !v) return v;
  const t = typeOf(v);
  const size =
    t === 'S'
      ? Buffer.byteLength(v.S!, 'utf8')
      : t === 'B'
        ? v.B!.length
        : t === 'L'
          ? v.L!.length
          : t === 'M'
            ? Object.keys(v.M!).length
            : t === 'SS' || t === 'NS' || t === 'BS'
              ? setMembers(v).length
              : undefined;
  return size === undefined ? undefined : { N: String(size) };
}

function beginsWith(v: AttributeValue, prefix: AttributeValue): boolean {
  if (v.S !== undefined && prefix.S !== undefined)
    return Buffer.from(v.S, 'utf8')
      .subarray(0, Buffer.byteLength(prefix.S, 'utf8'))
      .equals(Buffer.from(prefix.S, 'utf8'));
  if (v.B !== undefined && prefix.B !== undefined)
    return Buffer.from(v.B).subarray(0, prefix.B.length).equals(Buffer.from(prefix.B));
  return false;
}

/** contains(path, operand): a substring of S, a byte run of B, a member of a set, or an element of a list. */
function contains(v: AttributeValue, x: AttributeValue): boolean {
  const t = typeOf(v);
  if (t === 'S') return x.S !== undefined && v.S!.includes(x.S);
  if (t === 'B') return x.B !== undefined && Buffer.from(v.B!).includes(Buffer.from(x.B));
  if (t === 'SS' || t === 'NS' || t === 'BS') return setMembers(v).some((m) => equalValues(m, x));
  if (t === 'L') return v.L!.some((m) => equalValues(m, x));
  return false;
}

export function evaluate(c: Condition, item: Item | undefined): boolean {
  switch (c.kind) {
    case 'and':
      return evaluate(c.left, item) && evaluate(c.right, item);
    case 'or':
      return evaluate(c.left, item) || evaluate(c.right, item);
    case 'not':
      return !evaluate(c.inner, item);
    case 'compare': {
      const [a, b] = [resolve(item, c.left), resolve(item, c.right)];
      // A missing attribute equals nothing, so `<>` holds for it (as the legacy NE operator).
      if (c.op === '<>') return !(a && b && equalValues(a, b));
      if (!a || !b) return false;
      if (c.op === '=') return equalValues(a, b);
      const cmp = compareValues(a, b);
      if (cmp === undefined) return false;
      return c.op === '<' ? cmp < 0 : c.op === '<=' ? cmp <= 0 : c.op === '>' ? cmp > 0 : cmp >= 0;
    }
    case 'between': {
      const [v, lo, hi] = [resolve(item, c.subject), resolve(item, c.low), resolve(item, c.high)];
      if (!v || !lo || !hi) return false;
      const [x, y] = [compareValues(v, lo), compareValues(v, hi)];
      return x !== undefined && y !== undefined && x >= 0 && y <= 0;
    }
    case 'in': {
      const v = resolve(item, c.subject);
      return (
        Boolean(v) &&
        c.list.some((o) => {
          const x = resolve(item, o);
          return x !== undefined && equalValues(v!, x);
        })
      );
    }
    case 'function': {
      const [a, b] = c.args.map((o) => resolve(item, o));
      switch (c.name) {
        case 'attribute_exists':
          return a !== undefined;
        case 'attribute_not_exists':
          return a === undefined;
        case 'attribute_type':
          return a !== undefined && b !== undefined && typeOf(a) === b.S;
        case 'begins_with':
          return a !== undefined && b !== undefined && beginsWith(a, b);
        case 'contains':
          return a !== undefined && b !== undefined && contains(a, b);
      }
    }
  }
}

/** Every path a condition reads, for the filter's "no key attributes" rule. */
export function pathsOf(c: Condition): Path[] {
  const ofOperand = (o: Operand): Path[] => (o.kind === 'value' ? [] : [o.path]);
  switch (c.kind) {
    case 'and':
    case 'or':
      return [...pathsOf(c.left), ...pathsOf(c.right)];
    case 'not':
      return pathsOf(c.inner);
    case 'compare':
      return [...ofOperand(c.left), ...ofOperand(c.right)];
    case 'between':
      return [c.subject, c.low, c.high].flatMap(ofOperand);
    case 'in':
      return [c.subject, ...c.list].flatMap(ofOperand);
    case 'function':
      return c.args.flatMap(ofOperand);
  }
}

/** A projection being built: whole values at leaves, maps and lists (by source index) above them. */
interface Node {
  whole?: AttributeValue;
  map?: Map<string, Node>;
  list?: Map<number, Node>;
}

function render(n: Node): AttributeValue {
  if (n.whole) return structuredClone(n.whole);
  if (n.map) return { M: Object.fromEntries([...n.map].map(([k, v]) => [k, render(v)])) };
  return { L: [...n.list!].sort(([a], [b]) => a - b).map(([, v]) => render(v)) };
}

/** An item holding only the projected paths (list elements keep their order, compacted, as DynamoDB returns them). */
export function project(item: Item, paths: Path[]): Item {
  const root: Node = { map: new Map() };
  for (const path of paths) {
    if (valueAt(item, path) === undefined) continue;
    let node = root;
    let src: AttributeValue = { M: item };
    for (const [i, part] of path.entries()) {
      if (node.whole) break;
      const child = typeof part === 'number' ? src.L![part]! : src.M![part]!;
      const last = i === path.length - 1;
      const fresh = (): Node =>
        last ? { whole: child } : child.L ? { list: new Map() } : { map: new Map() };
      const siblings = (node.map ?? node.list) as Map<string | number, Node>;
      let next = siblings.get(part);
      if (!next) {
        next = fresh();
        siblings.set(part, next);
      } else if (last) {
        next.whole = child;
      }
      node = next;
      src = child;
    }
  }
  return render(root).M!;
}

/**
 * The top-level attribute names an expression names, substitutions
 * resolved, for the dynamodb:Attributes condition key. Never throws: a
 * malformed expression names what it can here and is refused by the
 * operation itself.
 */
export function attributeNamesIn(text: string | undefined, names: Record<string, string> = {}): string[] {
  if (!text) return [];
  let tokens: Token[];
  try {
    tokens = tokenize(text, () => {
      throw new Error('untokenizable');
    });
  } catch {
    return [];
  }
  const out: string[] = [];
  tokens.forEach((t, i) => {
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    if (prev?.type === 'punct' && prev.text === '.') return;
    if (t.type === 'alias' && names[t.text] !== undefined) out.push(names[t.text]!);
    if (
      t.type === 'name' &&
      !(next?.type === 'punct' && next.text === '(') &&
      !KEYWORDS.has(t.text.toUpperCase())
    )
      out.push(t.text);
  });
  return out;
}

/**
 * The value a key condition sets `attribute` equal to (`pk = :v` or
 * `:v = pk`, substitutions resolved), for dynamodb:LeadingKeys on Query.
 * Never throws.
 */
export function equalityValueFor(
  text: string | undefined,
  attribute: string,
  names: Record<string, string> = {},
  values: Record<string, AttributeValue> = {},
): AttributeValue | undefined {
  if (!text) return undefined;
  let tokens: Token[];
  try {
    tokens = tokenize(text, () => {
      throw new Error('untokenizable');
    });
  } catch {
    return undefined;
  }
  const isAttr = (t: Token | undefined) =>
    (t?.type === 'name' && t.text === attribute) || (t?.type === 'alias' && names[t.text] === attribute);
  const isEq = (t: Token | undefined) => t?.type === 'punct' && t.text === '=';
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [a, op, b] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (!isEq(op)) continue;
    if (isAttr(a) && b?.type === 'value') return values[b.text];
    if (a?.type === 'value' && isAttr(b)) return values[a.text];
  }
  return undefined;
}
