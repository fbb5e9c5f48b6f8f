/** The claim form's check: what a member may send, and which field to fix otherwise. */
import { describe, expect, it } from 'vitest';
import { checkClaimDraft, type ClaimDraft } from '../../../utils/orders/claim-form';

const SEEN = Date.parse('2026-11-20T15:30:00Z');
const NOW = Date.parse('2026-11-23T10:00:00Z');
const ORDER = { activatedAt: SEEN - 10 * 60_000, seenAt: SEEN, currency: 'EUR' };
const DRAFT: ClaimDraft = { orderRef: ' CMD-1A2B ', orderedOn: '2026-11-20', amount: '59,90 €' };

describe('checkClaimDraft', () => {
  it('sends the reference trimmed, the moment the page was seen that day, the amount in cents', () => {
    expect(checkClaimDraft(DRAFT, ORDER, NOW)).toEqual({
      ok: true,
      claim: {
        orderRef: 'CMD-1A2B',
        orderedAt: '2026-11-20T15:30:00.000Z',
        orderAmount: 5990,
        currency: 'EUR',
      },
    });
  });

  it('takes another day the member corrects, at noon', () => {
    const checked = checkClaimDraft({ ...DRAFT, orderedOn: '2026-11-21' }, ORDER, NOW);
    expect(checked).toMatchObject({ claim: { orderedAt: '2026-11-21T12:00:00.000Z' } });
  });

  it.each<[string, Partial<ClaimDraft>, string[]]>([
    ['no reference', { orderRef: '  ' }, ['orderRef']],
    ['a reference too long', { orderRef: 'X'.repeat(101) }, ['orderRef']],
    ['a control character', { orderRef: 'CMD\u0000' }, ['orderRef']],
    ['a date before the activation', { orderedOn: '2026-11-10' }, ['orderedOn']],
    ['a date in the future', { orderedOn: '2026-12-01' }, ['orderedOn']],
    ['no date', { orderedOn: '' }, ['orderedOn']],
    ['no amount', { amount: '' }, ['amount']],
    ['a zero amount', { amount: '0' }, ['amount']],
    ['another currency', { amount: '$59.90' }, ['amount']],
    ['an absurd amount', { amount: '99999999999' }, ['amount']],
    [
      'everything wrong',
      { orderRef: '', orderedOn: 'x', amount: 'abc' },
      ['orderRef', 'orderedOn', 'amount'],
    ],
  ])('%s → fix %j', (_what, patch, errors) => {
    expect(checkClaimDraft({ ...DRAFT, ...patch }, ORDER, NOW)).toEqual({ ok: false, errors });
  });
});
