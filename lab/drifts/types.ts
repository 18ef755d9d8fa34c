import type { AwsClients } from '../../helpers/clients.ts';
import type { ResolvedTargets } from '../../helpers/targets/index.ts';

/**
 * A drift: one change an operator could make to a lab through the public
 * AWS API, and the checklist items it must make fail — exactly those.
 * Drifts are written against the targets, not against the reference lab, so
 * the same catalogue applies to any lab the targets describe.
 */
export interface Drift {
  id: string;
  /** What changed, in an operator's words. */
  says: string;
  /** Whether the lab has what this drift changes (a peering, a TGW…). */
  appliesTo(lab: ResolvedTargets): boolean;
  /** The checks that must fail, by checklist id and row (task meta); nothing else may fail or error. */
  breaks(lab: ResolvedTargets, operator: Operator): Promise<Break[]>;
  apply(lab: ResolvedTargets, operator: Operator): Promise<void>;
}

/**
 * A check a drift breaks, as the suite tags it: its checklist id and, for a
 * check run per row, which row (helpers/targets/rows.ts names composite
 * rows). Without `row`, every row of the id. Never a test's words, which
 * are free to change.
 */
export interface Break {
  id: string;
  row?: string;
}

/**
 * Who changes the lab: an account's administrator (its root) per account
 * key of the targets, and the runner's own principal — in labs where the
 * runner is also a key administrator (key policies without the root
 * statement lock even the root out), key policies change as the runner.
 */
export interface Operator {
  (accountKey: string): AwsClients;
  runner(): AwsClients;
}
