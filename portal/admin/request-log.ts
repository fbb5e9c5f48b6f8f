/**
 * Every request this server answered, the last 2,000, for the tests that prove what the
 * extension does not send (tests/e2e/search-marks.spec.ts: no request while a results page is
 * marked). Method, host and path only: never a query string nor a body.
 */
export interface LoggedRequest {
  /** 1, 2, 3…: a test notes the last one, then looks at those after it. */
  n: number;
  at: number;
  method: string;
  host: string;
  path: string;
}

export interface RequestLog {
  record(request: { method: string; url: URL }): void;
  /** The requests after number `after` (0: all those kept), oldest first. */
  since(after: number): LoggedRequest[];
}

const KEPT = 2000;

export function createRequestLog(now: () => number = Date.now): RequestLog {
  const kept: LoggedRequest[] = [];
  let count = 0;
  return {
    record({ method, url }) {
      kept.push({ n: ++count, at: now(), method, host: url.host, path: url.pathname });
      if (kept.length > KEPT) kept.splice(0, kept.length - KEPT);
    },
    since: (after) => kept.filter((request) => request.n > after),
  };
}
