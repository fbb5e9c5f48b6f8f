import { describe, expect, it } from 'vitest';
import { addTrackingParams } from './network';

describe('addTrackingParams', () => {
  it('appends after the deep link’s own query, byte for byte, before the hash', () => {
    expect(addTrackingParams('http://shop.localhost/p?q=a%20b&x=1+2#avis', { rdclid: 'c_1' })).toBe(
      'http://shop.localhost/p?q=a%20b&x=1+2&rdclid=c_1#avis',
    );
  });

  it('adds a query when there is none', () => {
    expect(addTrackingParams('http://shop.localhost/', { awc: '1_2_3' })).toBe(
      'http://shop.localhost/?awc=1_2_3',
    );
  });

  it('replaces a parameter of the same name and encodes values', () => {
    expect(
      addTrackingParams('http://shop.localhost/?rdclid=old&a=1&rdclid=older', {
        rdclid: 'new',
        ranSiteID: 'a b&c',
      }),
    ).toBe('http://shop.localhost/?a=1&rdclid=new&ranSiteID=a%20b%26c');
  });

  it('survives malformed percent-encoding in the original query', () => {
    expect(addTrackingParams('http://shop.localhost/?%E0%A4%A=1', { rdclid: 'x' })).toBe(
      'http://shop.localhost/?%E0%A4%A=1&rdclid=x',
    );
  });
});
