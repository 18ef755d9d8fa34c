import { describe, expect, test } from 'vitest';
import {
  blockSize,
  cidrsOverlap,
  cidrWithin,
  hostBitsOf,
  reservedInSubnet,
} from '../../../../helpers/targets/cidr.ts';

/** The CIDR arithmetic behind the targets file's own consistency checks. */

describe('cidrWithin / cidrsOverlap', () => {
  test.each([
    ['10.0.1.0/24', '10.0.0.0/16', true],
    ['10.0.0.0/16', '10.0.0.0/16', true],
    ['10.1.0.0/24', '10.0.0.0/16', false],
    // A wider block is never within a narrower one, even sharing its base.
    ['10.0.0.0/16', '10.0.0.0/24', false],
    ['10.0.0.0/15', '10.0.0.0/16', false],
    ['10.0.255.0/24', '10.0.0.0/16', true],
    ['10.0.0.5', '10.0.0.0/29', true],
  ])('%s within %s: %s', (inner, outer, expected) => {
    expect(cidrWithin(inner, outer)).toBe(expected);
  });

  test.each([
    ['10.0.0.0/16', '10.0.5.0/24', true],
    ['10.0.5.0/24', '10.0.0.0/16', true],
    ['10.0.0.0/24', '10.0.1.0/24', false],
    ['10.0.0.0/16', '10.1.0.0/16', false],
  ])('%s and %s overlap: %s', (a, b, expected) => {
    expect(cidrsOverlap(a, b)).toBe(expected);
  });
});

describe('hostBitsOf', () => {
  test.each([
    ['10.0.1.5/16', '10.0.0.0/16'],
    ['10.0.1.5/24', '10.0.1.0/24'],
    ['192.168.255.255/17', '192.168.128.0/17'],
    ['10.0.0.1/31', '10.0.0.0/31'],
    ['255.255.255.255/1', '128.0.0.0/1'],
  ])('%s names the network %s', (cidr, network) => {
    expect(hostBitsOf(cidr)).toBe(network);
  });

  test.each(['10.0.0.0/16', '10.0.1.0/24', '0.0.0.0/0', '10.0.0.7/32', '172.16.0.0/12'])(
    '%s has no host bits set',
    (cidr) => {
      expect(hostBitsOf(cidr)).toBeUndefined();
    },
  );
});

describe('blockSize / reservedInSubnet', () => {
  test.each([
    ['10.0.0.0/16', 65536],
    ['10.0.0.0/28', 16],
    ['10.0.0.0/32', 1],
  ])('%s holds %i addresses', (cidr, size) => {
    expect(blockSize(cidr)).toBe(size);
  });

  test('the first four and the last address of a subnet are reserved, the others are not', () => {
    const subnet = '10.0.1.0/24';
    for (const ip of ['10.0.1.0', '10.0.1.1', '10.0.1.2', '10.0.1.3', '10.0.1.255'])
      expect(reservedInSubnet(ip, subnet), ip).toBe(true);
    for (const ip of ['10.0.1.4', '10.0.1.100', '10.0.1.254'])
      expect(reservedInSubnet(ip, subnet), ip).toBe(false);
  });

  test('reservation counts from the subnet base, across octets', () => {
    expect(reservedInSubnet('10.0.2.3', '10.0.2.0/23')).toBe(true);
    expect(reservedInSubnet('10.0.3.255', '10.0.2.0/23')).toBe(true);
    expect(reservedInSubnet('10.0.2.255', '10.0.2.0/23')).toBe(false);
    expect(reservedInSubnet('10.0.3.0', '10.0.2.0/23')).toBe(false);
  });
});
