import type { SourcePolicy } from '../../../../policy/evaluate.ts';
import { AWS_MANAGED } from './aws-managed.ts';
import type { IamModel } from './index.ts';
import { defaultVersion } from './policies.ts';
import type { RoleState, UserState } from './state.ts';

/**
 * The identity-based policies of a role or user, as the evaluator takes
 * them: inline policies (SourcePolicyType `role` / `user`, named by policy
 * name) and the default version of each attached managed policy
 * (`user-managed` / `aws-managed`, named by ARN), as SimulatePolicy names them.
 */
export function identityPolicies(
  model: IamModel,
  entity: RoleState | UserState,
  kind: 'role' | 'user',
): SourcePolicy[] {
  const inline: SourcePolicy[] = [...entity.inline].map(([name, document]) => ({
    kind: 'identity',
    id: name,
    sourceType: kind,
    document,
    text: document,
  }));
  const managed: SourcePolicy[] = [];
  for (const arn of entity.attached) {
    const policy = model.policies.get(arn) ?? AWS_MANAGED.get(arn);
    if (!policy) continue;
    const document = defaultVersion(policy).document;
    managed.push({
      kind: 'identity',
      id: arn,
      sourceType: policy.awsManaged ? 'aws-managed' : 'user-managed',
      document,
      text: document,
    });
  }
  return [...inline, ...managed];
}
