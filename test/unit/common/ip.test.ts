import { describe, expect, test } from 'vitest';
import {
  anyCidrsOverlap,
  blockSize,
  cidrContains,
  cidrsOverlap,
  cidrTextContains,
  cidrTextsOverlap,
  formatCidr,
  formatIpv4,
  hostBitsOf,
  ipInCidr,
  isIpv4,
  isPrivateAddress,
  longestPrefixMatch,
  parseCidr,
  parseIpv4,
  prefixLength,
  reservedInSubnet,
} from '../../../common/ip.ts';

/** The one IP/CIDR module the suite, the IAM evaluator and the twin share. */

describe('addresses', () => {
  test.each([
    ['10.40.1.10', true],
    ['0.0.0.0', true],
    ['255.255.255.255', true],
    ['256.0.0.1', false],
    ['10.0.0', false],
    ['10', false],
    ['0x0a.0.0.1', false],
    // Ambiguous: octal 8 to inet_aton, decimal 10 elsewhere.
    ['010.0.0.1', false],
    ['2001:db8::1', false],
    ['', false],
  ])('isIpv4(%s): %s', (text, expected) => {
    expect(isIpv4(text)).toBe(expected);
  });

  test('IPv4 as a number and back', () => {
    expect(parseIpv4('10.40.1.10')).toBe(170393866);
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
    expect(parseIpv4('10.0.0.256')).toBeUndefined();
    expect(formatIpv4(170393866)).toBe('10.40.1.10');
    expect(formatIpv4(0xffffffff)).toBe('255.255.255.255');
  });
});

describe('ipInCidr', () => {
  test.each([
    ['10.40.1.10', '10.40.0.0/16', true],
    ['10.41.0.0', '10.40.0.0/16', false],
    ['10.40.255.255', '10.40.0.0/16', true],
    ['203.0.113.9', '0.0.0.0/0', true],
    // A bare address is that one address (IAM: "the default prefix value of /32").
    ['10.0.0.1', '10.0.0.1', true],
    ['10.0.0.2', '10.0.0.1', false],
    // Host bits in the block do not matter for containment.
    ['10.0.1.200', '10.0.1.5/24', true],
    ['2001:db8::1', '2001:db8::/32', true],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::/32', true],
    ['2001:db9::1', '2001:db8::/32', false],
    // Families never match each other.
    ['10.0.0.1', '::/0', false],
    ['::1', '0.0.0.0/0', false],
    [' 10.0.0.1 ', ' 10.0.0.0/8 ', true],
    ['not-an-ip', '10.0.0.0/8', false],
    ['10.0.0.1', '10.0.0.0/33', false],
    ['10.0.0.1', '10.0.0.0/', false],
    ['10.0.0.1', '10.0.0.0/8/8', false],
  ])('%s in %s: %s', (ip, cidr, expected) => {
    expect(ipInCidr(ip, cidr)).toBe(expected);
  });
});

describe('cidrTextContains / cidrTextsOverlap', () => {
  test.each([
    ['10.0.1.0/24', '10.0.0.0/16', true],
    ['10.0.0.0/16', '10.0.0.0/16', true],
    ['10.1.0.0/24', '10.0.0.0/16', false],
    // A wider block is never within a narrower one, even sharing its base.
    ['10.0.0.0/16', '10.0.0.0/24', false],
    ['10.0.0.0/15', '10.0.0.0/16', false],
    ['10.0.255.0/24', '10.0.0.0/16', true],
    ['10.0.0.5', '10.0.0.0/29', true],
    ['2001:db8:1::/48', '2001:db8::/32', true],
    ['10.0.0.0/16', '::/0', false],
    ['garbage', '10.0.0.0/8', false],
  ])('%s within %s: %s', (inner, outer, expected) => {
    expect(cidrTextContains(outer, inner)).toBe(expected);
  });

  test.each([
    ['10.0.0.0/16', '10.0.5.0/24', true],
    ['10.0.5.0/24', '10.0.0.0/16', true],
    ['10.0.0.0/24', '10.0.1.0/24', false],
    ['10.0.0.0/16', '10.1.0.0/16', false],
  ])('%s and %s overlap: %s', (a, b, expected) => {
    expect(cidrTextsOverlap(a, b)).toBe(expected);
  });

  test('anyCidrsOverlap compares every pair', () => {
    expect(anyCidrsOverlap(['10.0.0.0/16', '10.9.0.0/16'], ['172.16.0.0/12', '10.9.1.0/24'])).toBe(true);
    expect(anyCidrsOverlap(['10.0.0.0/16'], ['10.1.0.0/16', '192.168.0.0/16'])).toBe(false);
    expect(anyCidrsOverlap([], ['10.0.0.0/8'])).toBe(false);
  });
});

describe('hostBitsOf', () => {
  test.each([
    ['10.0.1.5/16', '10.0.0.0/16'],
    ['10.0.1.5/24', '10.0.1.0/24'],
    ['192.168.255.255/17', '192.168.128.0/17'],
    ['10.0.0.1/31', '10.0.0.0/31'],
    ['255.255.255.255/1', '128.0.0.0/1'],
    ['2001:db8::1/32', '2001:db8::/32'],
  ])('%s names the network %s', (cidr, network) => {
    expect(hostBitsOf(cidr)).toBe(network);
  });

  test.each(['10.0.0.0/16', '10.0.1.0/24', '0.0.0.0/0', '10.0.0.7/32', '172.16.0.0/12', '2001:db8::/32'])(
    '%s has no host bits set',
    (cidr) => {
      expect(hostBitsOf(cidr)).toBeUndefined();
    },
  );
});

describe('blockSize / prefixLength / reservedInSubnet', () => {
  test.each([
    ['10.0.0.0/16', 65536],
    ['10.0.0.0/28', 16],
    ['10.0.0.0/32', 1],
    ['10.0.0.9', 1],
  ])('%s holds %i addresses', (cidr, size) => {
    expect(blockSize(cidr)).toBe(size);
  });

  test('prefixLength: a bare address is a /32, anything else -1', () => {
    expect(prefixLength('10.0.0.0/16')).toBe(16);
    expect(prefixLength('10.0.0.1')).toBe(32);
    expect(prefixLength('2001:db8::/48')).toBe(48);
    expect(prefixLength(undefined)).toBe(-1);
    expect(prefixLength('pl-1234')).toBe(-1);
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

describe('IPv4 blocks as numbers (EC2 allocation)', () => {
  test('parseCidr requires the prefix and marks host bits as not canonical', () => {
    expect(parseCidr('10.0.0.0/16')).toEqual({ base: 167772160, prefix: 16, canonical: true });
    expect(parseCidr('10.0.1.5/24')).toEqual({ base: 167772416, prefix: 24, canonical: false });
    expect(parseCidr('10.0.0.0')).toBeUndefined();
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('2001:db8::/32')).toBeUndefined();
    expect(parseCidr(undefined)).toBeUndefined();
  });

  test('formatCidr gives the network back', () => {
    expect(formatCidr(parseCidr('10.0.1.5/24')!)).toBe('10.0.1.0/24');
    expect(formatCidr(parseCidr('0.0.0.0/0')!)).toBe('0.0.0.0/0');
  });

  test('cidrContains / cidrsOverlap', () => {
    const vpc = parseCidr('10.0.0.0/16')!;
    expect(cidrContains(vpc, parseCidr('10.0.255.0/24')!)).toBe(true);
    expect(cidrContains(vpc, parseCidr('10.1.0.0/24')!)).toBe(false);
    expect(cidrContains(parseCidr('10.0.0.0/24')!, vpc)).toBe(false);
    expect(cidrsOverlap(parseCidr('10.0.0.0/24')!, vpc)).toBe(true);
    expect(cidrsOverlap(parseCidr('10.0.0.0/24')!, parseCidr('10.0.1.0/24')!)).toBe(false);
  });
});

describe('routing helpers', () => {
  test('longestPrefixMatch takes the most specific block, the first on a tie', () => {
    const routes = [
      { cidr: '0.0.0.0/0', to: 'igw' },
      { cidr: '10.40.0.0/16', to: 'static' },
      { cidr: '10.40.0.0/16', to: 'propagated' },
      { cidr: '10.41.0.0/16', to: 'other' },
    ];
    expect(longestPrefixMatch(routes, '10.40.1.10')?.to).toBe('static');
    expect(longestPrefixMatch(routes, '8.8.8.8')?.to).toBe('igw');
    expect(longestPrefixMatch(routes.slice(1), '8.8.8.8')).toBeUndefined();
  });

  test.each([
    ['10.1.2.3', true],
    ['172.31.0.1', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['100.64.0.1', true],
    ['127.0.0.1', true],
    ['169.254.169.254', true],
    ['8.8.8.8', false],
    ['203.0.113.5', false],
  ])('isPrivateAddress(%s): %s', (ip, expected) => {
    expect(isPrivateAddress(ip)).toBe(expected);
  });
});
