// What counts as one client for the rate limit and the lease cap.
import { describe, expect, it } from 'vitest';
import { clientOf } from '../../src/server/guard';

describe('clientOf', () => {
  it('an IPv4 address is its own client, also when IPv4-mapped', () => {
    expect(clientOf('203.0.113.7')).toBe('203.0.113.7');
    expect(clientOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('an IPv6 address counts by its /64, however it is written', () => {
    const one = clientOf('2001:db8:1:2::1');
    for (const same of ['2001:0db8:0001:0002:ffff:1:2:3', '2001:DB8:1:2:0:0:0:9', '2001:db8:1:2::abcd%eth0'])
      expect(clientOf(same)).toBe(one);
    expect(clientOf('2001:db8:1:3::1')).not.toBe(one);
    expect(clientOf('::1')).toBe('0:0:0:0::/64');
    expect(clientOf('2001:db8::')).toBe('2001:db8:0:0::/64');
  });

  it('an address a proxy forwarded with its port is the address: a new connection is no new client', () => {
    expect(clientOf('203.0.113.7:50123')).toBe('203.0.113.7');
    expect(clientOf('[2001:db8:1:2::1]:443')).toBe(clientOf('2001:db8:1:2::1'));
    expect(clientOf('[2001:db8:1:2::1]')).toBe(clientOf('2001:db8:1:2::1'));
  });
});
