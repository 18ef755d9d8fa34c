import { networkDrifts } from './network.ts';
import type { Drift } from './types.ts';

/** The drift catalogue: every change the drift matrix proves the suite catches. */
export const drifts: Drift[] = [...networkDrifts];

export type { Drift, Operator } from './types.ts';
