import type { ApiCall } from './core/audit.ts';
import type { Credential } from './core/principal.ts';
import type { ServiceDefinition } from './core/service.ts';
import { FaultPlan } from './gateway/faults.ts';
import { Backends } from './state/backends.ts';
import { type Clock, systemClock } from './state/clock.ts';
import { IdGenerator } from './state/ids.ts';
import { type LatencyProfile, profileNamed } from './state/profile.ts';
import { Scheduler } from './state/scheduler.ts';

export interface TwinOptions {
  clock?: Clock;
  profile?: LatencyProfile;
  /** Account ids that exist; each gets root credentials. */
  accounts?: readonly string[];
  /** Seed for deterministic ids. */
  seed?: string;
  /** The endpoint the twin will be served on. */
  origin?: string;
}

/** AWS documentation's own example accounts: an empty twin names nothing of any lab. */
export const DEFAULT_ACCOUNTS = ['123456789012', '444455556666'] as const;

/** The region used for global services' state (IAM, S3's bucket namespace). */
export const GLOBAL_REGION = 'aws-global';

/**
 * The whole simulated world: accounts, credentials, every service's state
 * (account → region → model), the clock and the latency profile. It knows
 * no lab; labs are built on it through model operations or the public API.
 */
export class Twin {
  readonly clock: Clock;
  profile: LatencyProfile;
  readonly ids: IdGenerator;
  readonly accounts: readonly string[];
  readonly credentials = new Map<string, Credential>();
  readonly faults = new FaultPlan();
  /** Work the twin does on its own later (deliveries, polling), on its clock. */
  readonly scheduler: Scheduler;
  /** Every call served or made on someone's behalf, oldest first; CloudTrail reads it. */
  readonly calls: ApiCall[] = [];
  /** The endpoint the twin is served on, once it is (`http://127.0.0.1:PORT`); QueueUrls and the like are minted on it. */
  origin = 'http://127.0.0.1';
  private readonly models = new Map<ServiceDefinition<unknown>, Backends<unknown>>();
  /** World state beside the models (traffic log, pipeline counters, Lambda runtime…), by its declaration. */
  private readonly parts = new Map<WorldPart<unknown>, unknown>();

  constructor(options: TwinOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.profile = options.profile ?? profileNamed('fast');
    this.ids = new IdGenerator(options.seed);
    this.scheduler = new Scheduler(this.clock, this.clock === systemClock);
    this.accounts = options.accounts ?? DEFAULT_ACCOUNTS;
    if (options.origin) this.origin = options.origin;
    for (const accountId of this.accounts) {
      const root = rootCredential(accountId);
      this.credentials.set(root.accessKeyId, root);
    }
  }

  /** The state of one service in one account and region, made on first use. */
  model<M>(def: ServiceDefinition<M>, accountId: string, region: string): M {
    let backends = this.models.get(def as ServiceDefinition<unknown>) as Backends<M> | undefined;
    if (!backends) {
      backends = new Backends((a, r) => def.createModel(this, a, r));
      this.models.set(def as ServiceDefinition<unknown>, backends as Backends<unknown>);
    }
    return backends.get(accountId, def.global ? GLOBAL_REGION : region);
  }

  /** Every model of a service made so far, across accounts; for cross-account views. */
  modelsOf<M>(def: ServiceDefinition<M>): [{ accountId: string; region: string }, M][] {
    const backends = this.models.get(def as ServiceDefinition<unknown>) as Backends<M> | undefined;
    return backends ? [...backends.entries()] : [];
  }

  /**
   * Every model of the service signing as `signingName`, like `modelsOf`, for
   * modules the service's own definition imports: the network engine reads
   * EC2's models while EC2's handlers start flow-log delivery in it.
   */
  modelsSigning<M>(signingName: string): [{ accountId: string; region: string }, M][] {
    for (const [def, backends] of this.models)
      if (def.signingName === signingName) return [...(backends as Backends<M>).entries()];
    return [];
  }

  /**
   * A part of the world beside the models, made on first use; the twin owns
   * it, shows it in `describe()` and releases it on dispose.
   *
   * @example twin.part(trafficLog).push(record)
   */
  part<T>(declared: WorldPart<T>): T {
    if (this.parts.has(declared as WorldPart<unknown>))
      return this.parts.get(declared as WorldPart<unknown>) as T;
    const made = declared.make(this);
    this.parts.set(declared as WorldPart<unknown>, made);
    return made;
  }

  /** The part if anything made it, without making it (a question must not start a poller). */
  partIfMade<T>(declared: WorldPart<T>): T | undefined {
    return this.parts.get(declared as WorldPart<unknown>) as T | undefined;
  }

  /**
   * What the world holds, for a person or a test to read (`GET /_twin/state`):
   * the accounts, the profile, which service models exist where, and each
   * part's own summary. Read-only; it never changes the lab.
   */
  describe(): TwinState {
    const models: TwinState['models'] = [];
    for (const [def, backends] of this.models)
      for (const [where] of backends.entries()) models.push({ service: def.signingName, ...where });
    const parts: Record<string, unknown> = {};
    for (const [declared, value] of this.parts) parts[declared.name] = declared.show?.(value) ?? {};
    return {
      accounts: this.accounts,
      profile: this.profile.name,
      calls: this.calls.length,
      scheduled: this.scheduler.pending,
      models,
      parts,
    };
  }

  hasAccount(accountId: string): boolean {
    return this.accounts.includes(accountId);
  }

  recordCall(call: ApiCall): void {
    this.calls.push(call);
  }

  /**
   * Stops background work and releases what every part holds outside the
   * state (a reset disposes the old world here, in one place). The state
   * stays readable: a late caller meets the disposed runtime, not a new one.
   */
  dispose(): void {
    this.scheduler.stop();
    for (const [declared, value] of this.parts) declared.dispose?.(value);
    for (const hook of this.disposers) hook();
  }

  /** Registers cleanup for resources a service holds outside the state (Lambda workers). */
  onDispose(hook: () => void): void {
    this.disposers.push(hook);
  }

  private readonly disposers: (() => void)[] = [];
}

/**
 * A piece of the simulated world that is not one service's model in one
 * account and Region: the packets probes sent (flow logs read them), the
 * pipeline's counters and polls, the Lambda runtime's warm environments,
 * S3's global bucket namespace. The module that needs it declares it once;
 * the `Twin` holds it (`twin.part(...)`), shows it (`twin.describe()`,
 * `GET /_twin/state`) and releases it when disposed, so a reset drops all
 * of it in one place. Declared by its module rather than as a field of `Twin`, so the twin
 * imports no service: the dependency runs from the services to it.
 *
 * @example
 *   const trafficLog = worldPart({ name: 'network.traffic', make: () => [] as TrafficRecord[], show: (l) => ({ records: l.length }) });
 *   twin.part(trafficLog).push(record);
 */
export interface WorldPart<T> {
  /** Where it shows in the twin's state (`area.what`). */
  readonly name: string;
  /** Made on first use, for this twin. */
  make(twin: Twin): T;
  /** A JSON summary for the state dump; omitted, the part shows only that it exists. */
  show?(value: T): unknown;
  /** Releases what it holds outside the state (worker threads, sockets) when the twin is disposed. */
  dispose?(value: T): void;
}

export function worldPart<T>(part: WorldPart<T>): WorldPart<T> {
  return part;
}

/** The twin's state as `describe()` shows it. */
export interface TwinState {
  accounts: readonly string[];
  profile: string;
  /** API calls served or made on someone's behalf so far. */
  calls: number;
  /** Tasks waiting on the twin's clock (deliveries, polls). */
  scheduled: number;
  models: { service: string; accountId: string; region: string }[];
  parts: Record<string, unknown>;
}

/**
 * Root credentials of an account, derived from its id so that they can be
 * printed and typed: `AKIAROOT` + the account id.
 */
export function rootCredential(accountId: string): Credential {
  return {
    accessKeyId: `AKIAROOT${accountId}`,
    secretAccessKey: `twin-root-secret-${accountId}`,
    principal: { kind: 'root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId },
  };
}
