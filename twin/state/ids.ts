import { createHash } from 'node:crypto';

/**
 * AWS-shaped identifiers (`vpc-0a1b2c3d4e5f67890`, `AROA…`, request ids),
 * deterministic for a given seed so a seeded lab gets the same ids on every
 * start and reports stay comparable from night to night.
 */
export class IdGenerator {
  private counter = 0;
  constructor(private readonly seed = 'meshcheck-twin') {}

  private next(length: number): string {
    this.counter += 1;
    let out = '';
    let round = 0;
    while (out.length < length) {
      out += createHash('sha256').update(`${this.seed}:${this.counter}:${round++}`).digest('hex');
    }
    return out.slice(0, length);
  }

  /** `prefix-` plus 17 hex digits, as EC2 ids are (`vpc-0abc…`). */
  resource(prefix: string): string {
    return `${prefix}-0${this.next(16)}`;
  }

  hex(length: number): string {
    return this.next(length);
  }

  /** Upper-case alphanumerics for IAM unique ids and access keys (`AROA…`, `ASIA…`). */
  upper(prefix: string, length: number): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    const hex = this.next(length * 2);
    let out = prefix;
    for (let i = 0; out.length < length; i += 2)
      out += alphabet[Number.parseInt(hex.slice(i, i + 2), 16) % 32];
    return out;
  }

  uuid(): string {
    const h = this.next(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
