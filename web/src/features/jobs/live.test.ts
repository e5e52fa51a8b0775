import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withListenRetry } from './live';

const denied = () => Object.assign(new Error('Missing or insufficient permissions.'), { code: 'permission-denied' });

describe('withListenRetry', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('re-listens with backoff while the doc is denied before its first snapshot, then reports', () => {
    const starts: number[] = [];
    const onError = vi.fn();
    withListenRetry((_first, err) => {
      starts.push(Date.now());
      queueMicrotask(() => err(denied()));
      return () => {};
    }, onError, { tries: 3, baseDelayMs: 100 });
    return (async () => {
      for (let i = 0; i < 10; i++) {
        await Promise.resolve();
        vi.advanceTimersByTime(1000);
      }
      await Promise.resolve();
      expect(starts).toHaveLength(4); // first try + 3 retries
      expect(onError).toHaveBeenCalledTimes(1);
      expect(onError.mock.calls[0][0].code).toBe('permission-denied');
    })();
  });

  it('reports other errors, and errors after data arrived, at once', () => {
    const onError = vi.fn();
    let n = 0;
    withListenRetry((first, err) => {
      n++;
      first();
      err(denied());
      return () => {};
    }, onError);
    expect(n).toBe(1);
    expect(onError).toHaveBeenCalledTimes(1);

    const onError2 = vi.fn();
    withListenRetry((_f, err) => {
      err(Object.assign(new Error('unavailable'), { code: 'unavailable' }));
      return () => {};
    }, onError2);
    expect(onError2).toHaveBeenCalledTimes(1);
  });

  it('stops retrying after unsubscribe', () => {
    const onError = vi.fn();
    let n = 0;
    const stop = withListenRetry((_f, err) => {
      n++;
      err(denied());
      return () => {};
    }, onError, { baseDelayMs: 100 });
    stop();
    vi.advanceTimersByTime(10_000);
    expect(n).toBe(1);
    expect(onError).not.toHaveBeenCalled();
  });
});
