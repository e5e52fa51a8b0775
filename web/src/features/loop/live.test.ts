import { describe, expect, it } from 'vitest';
import { Timestamp } from 'firebase/firestore';
import { plainCandidate } from './live';

describe('plainCandidate', () => {
  it('turns Firestore timestamps into the ISO strings the API returns, so candidates sort', () => {
    const at = new Date('2026-11-30T06:00:00.000Z');
    const c = plainCandidate('fatigue-cr1', {
      creative_id: 'cr1',
      status: 'suggested',
      created_at: Timestamp.fromDate(at),
      updated_at: Timestamp.fromDate(new Date(at.getTime() + 1500)),
    });
    expect(c).toMatchObject({ id: 'fatigue-cr1', creative_id: 'cr1', status: 'suggested' });
    expect(c.created_at).toBe('2026-11-30T06:00:00.000Z');
    expect(c.updated_at).toBe('2026-11-30T06:00:01.500Z');
    // an API answer's string sorts against it as a string
    expect(String(c.updated_at).localeCompare('2026-11-30T06:00:02.000Z')).toBe(-1);
    // values that are already strings (or absent) stay as they are
    expect(plainCandidate('x', { updated_at: '2026-11-30T07:00:00Z' }).updated_at).toBe('2026-11-30T07:00:00Z');
    expect(plainCandidate('x', {}).created_at).toBeUndefined();
  });
});
