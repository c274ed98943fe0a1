// @vitest-environment happy-dom
// The pool as the consent flow's session source, alone: a fake pool session and a fake flow show
// what the source asks of each (start.test.ts and pool-forget.test.ts run it inside the flow).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import type { ConsentState } from '../../../src/core/types';
import { readVisitContext, type VisitContext } from '../../../src/dni/context';
import type { PoolReply, PoolSession } from '../../../src/dni/pool';
import { createPoolSource } from '../../../src/dni/pool-source';
import type { SessionFlow } from '../../../src/dni/start';

const T = '+15551234567';
const withClick = (lease?: string): VisitContext => ({
  ...readVisitContext({ url: 'https://shop.example/?gclid=abc', params: ['gclid'], id: 'sessionsession01' }),
  ...(lease ? { lease } : {}),
});

const setup = () => {
  const session = {
    open: vi.fn<PoolSession['open']>(),
    close: vi.fn<PoolSession['close']>(),
    resend: vi.fn<NonNullable<PoolSession['resend']>>(),
  };
  const connect = vi.fn((..._args: unknown[]) => session);
  const store = createConsentStore();
  let context: VisitContext | undefined = withClick();
  const flow = {
    _private_store: store,
    _private_targets: [T],
    _private_clicks: ['gclid'],
    _private_storageKey: 'consentline_dni',
    _private_context: () => context,
    _private_save: vi.fn((c: VisitContext) => {
      context = c;
    }),
    _private_show: vi.fn<SessionFlow['_private_show']>(),
    _private_event: vi.fn<SessionFlow['_private_event']>(),
    _private_log: vi.fn(),
  } satisfies SessionFlow;
  const source = createPoolSource({ url: '/pool/', connect })(flow);
  // What the source handed the session's `open`: its context reader and its reply handler.
  const opened = () => {
    const [read, got] = session.open.mock.calls.at(-1)!;
    return { read, got: got as (reply: PoolReply | null) => void };
  };
  return { session, connect, store, flow, source, opened, context: () => context };
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the pool as session source', () => {
  it('connects once with the pool settings, the targets and the key withdrawals are kept under', () => {
    const { connect } = setup();
    expect(connect).toHaveBeenCalledTimes(1);
    expect(connect.mock.calls[0]!.slice(1)).toEqual([[T], 'consentline_dni_forget']);
    expect(connect.mock.calls[0]![0]).toMatchObject({ url: '/pool/' });
  });

  it('makes its own pool session when the settings name none, whatever Object.prototype carries', () => {
    const planted = vi.fn(() => ({ open: vi.fn(), close: vi.fn() }));
    const proto = Object.prototype as Record<string, unknown>;
    proto['connect'] = planted;
    try {
      const { flow } = setup();
      const source = createPoolSource({ url: '/pool/' })(flow);
      source!._private_open({});
      source!._private_close(false);
      expect(planted).not.toHaveBeenCalled();
    } finally {
      delete proto['connect'];
    }
  });

  it('a known crawler gets no session source: no connection, the rules decide', () => {
    vi.stubGlobal('navigator', { userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1)' });
    const { connect, source } = setup();
    expect(source).toBeUndefined();
    expect(connect).not.toHaveBeenCalled();
  });

  it('sends kept withdrawals once, and only once the visitor has decided', () => {
    const { source, session } = setup();
    const undecided = { needsDecision: true } as ConsentState;
    const decided = { needsDecision: false } as ConsentState;
    source!._private_heard(undecided);
    expect(session.resend).not.toHaveBeenCalled();
    source!._private_heard(decided);
    source!._private_heard(decided);
    expect(session.resend).toHaveBeenCalledTimes(1);
  });

  it('click ids no longer allowed after the server was sent some: the visit is forgotten and continues without its lease', () => {
    const { source, session } = setup();
    const fresh = withClick('L1');
    // Click ids still allowed: nothing to take back.
    expect(source!._private_resume(fresh, withClick('L1'), false)).toBe(fresh);
    // Never sent to the server (no lease, this page never opened): nothing to forget.
    expect(source!._private_resume(fresh, withClick(), true)).toBe(fresh);
    expect(session.close).not.toHaveBeenCalled();
    // A stored lease carried the click ids.
    const sent = withClick('L1');
    const resumed = source!._private_resume(fresh, sent, true);
    expect(session.close).toHaveBeenCalledWith(sent);
    expect(resumed).toEqual({ session: fresh.session, first: fresh.first, latest: fresh.latest });
    expect(source!._private_resume(null, sent, true)).toBeNull();
  });

  it('an open visit holds its numbers until closed; a forget passes through to the session', () => {
    const { source, session } = setup();
    expect(source!._private_held()).toBe(false);
    source!._private_open({ [T]: '+18889990000' });
    expect(source!._private_held()).toBe(true);
    // This page asked the pool: its click ids went to the server.
    source!._private_resume(null, withClick(), true);
    expect(source!._private_held()).toBe(false);
    source!._private_open({ [T]: '+18889990000' });
    const visit = withClick('L2');
    source!._private_close(visit);
    expect(session.close).toHaveBeenLastCalledWith(visit);
    expect(source!._private_held()).toBe(false);
  });

  it("reads consent again before each request, keeps the reply's lease, reports overflow and shows the pool's numbers over the rule's", () => {
    const { source, flow, store, opened, context } = setup();
    const refresh = vi.spyOn(store, 'refresh');
    const fallback = { [T]: '+18889990000' };
    source!._private_open(fallback);
    const { read, got } = opened();
    expect(read()).toBe(context());
    expect(refresh).toHaveBeenCalledTimes(1);
    got({ numbers: { [T]: '+18885550101' }, lease: 'L7', ttl: 60, status: 'overflow' });
    expect(context()!.lease).toBe('L7');
    expect(flow._private_event).toHaveBeenCalledWith('overflow');
    expect(flow._private_show).toHaveBeenLastCalledWith({ [T]: '+18885550101' });
    // The lease ran out unrenewed: the rule's numbers again, the lease kept as the visit's proof.
    got(null);
    expect(flow._private_show).toHaveBeenLastCalledWith(fallback);
    expect(context()!.lease).toBe('L7');
    expect(flow._private_save).toHaveBeenCalledTimes(1);
  });

  it('an exception while showing a reply goes to the log, never to the pool session', () => {
    const { source, flow, opened } = setup();
    const error = new Error('listener');
    flow._private_show.mockImplementation(() => {
      throw error;
    });
    source!._private_open({});
    expect(() => opened().got(null)).not.toThrow();
    expect(flow._private_log).toHaveBeenCalledWith(error);
  });
});
