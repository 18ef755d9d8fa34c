/**
 * Evidence: decoding vitest annotations into {@link Evidence}, and the known
 * kinds (`ping`, `reachability`, `probe`, `calls`) read leniently — a value
 * missing a field still renders, and an unknown kind renders as JSON.
 */
import { readFileSync } from 'node:fs';
import { type Outcome, outcomeLine } from '../common/outcome.ts';
import type { Evidence, Note } from './model.ts';
import { redactText, redactValue } from './redact.ts';

export const EVIDENCE_PREFIX = 'evidence:';

/** The parts of vitest's `TestAnnotation` the reporter reads. */
export interface AnnotationLike {
  type: string;
  message: string;
  attachment?: {
    body?: string | Uint8Array;
    contentType?: string;
    bodyEncoding?: string;
    path?: string;
  };
}

/** Splits a test's annotations into evidence and human notes, redacting both. */
export function evidenceOf(annotations: ReadonlyArray<AnnotationLike>): {
  evidence: Evidence[];
  notes: Note[];
} {
  const evidence: Evidence[] = [];
  const notes: Note[] = [];
  for (const annotation of annotations) {
    if (!annotation.type.startsWith(EVIDENCE_PREFIX)) {
      notes.push({ type: annotation.type, message: redactText(annotation.message) });
      continue;
    }
    const kind = annotation.type.slice(EVIDENCE_PREFIX.length) || 'unnamed';
    const value = redactValue(decodeAttachment(annotation.attachment));
    const summary = redactText(annotation.message.trim()) || summaryOf(kind, value);
    evidence.push({ kind, summary, value });
  }
  return { evidence, notes };
}

/**
 * The attachment's content, parsed when it is JSON. Vitest labels a string
 * body `base64` unless told otherwise, but the suite attaches plain
 * `JSON.stringify` output, so the raw text is tried before decoding.
 */
export function decodeAttachment(attachment: AnnotationLike['attachment']): unknown {
  if (!attachment) return null;
  const raw = rawBody(attachment);
  if (raw === undefined) return null;
  const parsed = tryJson(raw);
  if (parsed.ok) return parsed.value;
  if (attachment.bodyEncoding === 'base64' && /^[A-Za-z0-9+/=\s]+$/.test(raw)) {
    const decoded = Buffer.from(raw, 'base64').toString('utf8');
    const again = tryJson(decoded);
    if (again.ok) return again.value;
    if (!decoded.includes('\uFFFD')) return decoded;
  }
  return raw;
}

function rawBody(attachment: NonNullable<AnnotationLike['attachment']>): string | undefined {
  if (attachment.body instanceof Uint8Array) return Buffer.from(attachment.body).toString('utf8');
  if (typeof attachment.body === 'string') return attachment.body;
  if (!attachment.path) return undefined;
  try {
    return readFileSync(attachment.path, 'utf8');
  } catch {
    return `[attachment not readable: ${attachment.path}]`;
  }
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export interface Ping {
  from?: string;
  to?: string;
  command?: string;
  transmitted?: number;
  received?: number;
  lossPercent?: number;
  rttMs?: { min?: number; avg?: number; max?: number };
  exitCode?: number;
  status?: string;
  output?: string;
}

export interface Reachability {
  from: string;
  to: string;
  expect?: 'allow' | 'deny' | string;
  observed?: 'answered' | 'silent' | 'unknown' | string;
  protocol?: string;
}

export interface ProbeAttempt {
  name?: string;
  kind?: string;
  outcome?: string;
  errorCode?: string;
  latencyMs?: number;
  addresses?: string[];
}

export interface Probe {
  attempts: ProbeAttempt[];
  logTail?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value as ping evidence, when it looks like one. */
export function asPing(value: unknown): Ping | undefined {
  return isObject(value) && ('transmitted' in value || 'output' in value) ? (value as Ping) : undefined;
}

/** The value as a reachability observation, when it names both ends. */
export function asReachability(value: unknown): Reachability | undefined {
  return isObject(value) && typeof value.from === 'string' && typeof value.to === 'string'
    ? (value as unknown as Reachability)
    : undefined;
}

/** The value as probe evidence, when it carries attempts. */
export function asProbe(value: unknown): Probe | undefined {
  return isObject(value) && Array.isArray(value.attempts) ? (value as unknown as Probe) : undefined;
}

/** The value as API call counts, when every value is a number. */
export function asCalls(value: unknown): Record<string, number> | undefined {
  if (!isObject(value)) return undefined;
  return Object.values(value).every((v) => typeof v === 'number')
    ? (value as Record<string, number>)
    : undefined;
}

/**
 * Whether an observation matches its expectation: allow ↔ answered,
 * deny ↔ silent; `undefined` when it cannot be told (observed unknown).
 */
export function reachabilityConforms(r: Reachability): boolean | undefined {
  if (r.observed === 'answered') return r.expect === 'allow';
  if (r.observed === 'silent') return r.expect === 'deny';
  return undefined;
}

/** A one-line summary derived from the value, for evidence attached without a message. */
export function summaryOf(kind: string, value: unknown): string {
  const ping = kind === 'ping' ? asPing(value) : undefined;
  if (ping) return pingLine(ping);
  const reach = kind === 'reachability' ? asReachability(value) : undefined;
  if (reach) return reachabilityLine(reach);
  const probe = kind === 'probe' ? asProbe(value) : undefined;
  if (probe) return probe.attempts.map(attemptLine).join('; ') || 'no attempts';
  const calls = kind === 'calls' ? asCalls(value) : undefined;
  if (calls) return `${Object.values(calls).reduce((a, b) => a + b, 0)} API calls`;
  return `${kind} evidence`;
}

export function pingLine(p: Ping): string {
  const route = p.from || p.to ? `${p.from ?? '?'} → ${p.to ?? '?'}: ` : '';
  const loss = p.lossPercent === undefined ? '' : `, ${p.lossPercent}% loss`;
  const rtt = p.rttMs?.avg === undefined ? '' : `, rtt avg ${p.rttMs.avg} ms`;
  return `${route}${p.received ?? '?'}/${p.transmitted ?? '?'} replies${loss}${rtt}`;
}

export function reachabilityLine(r: Reachability): string {
  const conforms = reachabilityConforms(r);
  const mark = conforms === undefined ? 'cannot tell' : conforms ? 'as intended' : 'NOT as intended';
  const protocol = r.protocol ? ` (${r.protocol})` : '';
  return `${r.from} → ${r.to}${protocol}: expected ${r.expect ?? '?'}, observed ${r.observed ?? '?'} — ${mark}`;
}

export function attemptLine(a: ProbeAttempt): string {
  return outcomeLine({
    what: a.name ?? a.kind ?? 'attempt',
    // Read back from JSON: shown as it came, even an outcome this version does not know.
    outcome: (a.outcome ?? '?') as Outcome,
    detail: a.errorCode,
    latencyMs: a.latencyMs,
  });
}
