/**
 * The background validates every request it receives (utils/protocol/messages.ts describes them):
 * a malformed or unknown message is refused, never half-handled.
 */
import { z } from 'zod';
import type { BackgroundRequestType } from './messages';

const empty = <T extends BackgroundRequestType>(type: T) => z.object({ type: z.literal(type) });
const tabId = z.number().int().nonnegative();

export const BackgroundRequestSchema = z.discriminatedUnion('type', [
  empty('banner:get-view'),
  empty('banner:activate'),
  empty('banner:dismiss'),
  empty('banner:mute'),
  z.object({ type: z.literal('popup:get-offer'), tabId }),
  z.object({ type: z.literal('popup:activate'), tabId }),
  z.object({ type: z.literal('popup:search'), query: z.string().max(200) }),
  empty('account:get'),
  empty('account:refresh'),
  z.object({
    type: z.literal('account:sign-in'),
    email: z.string().max(320),
    password: z.string().max(1000),
  }),
  empty('account:sign-out'),
  empty('settings:get'),
  z.object({
    type: z.literal('settings:set'),
    reminders: z.boolean().optional(),
    checkoutOnly: z.boolean().optional(),
    notifications: z.boolean().optional(),
  }),
  empty('muted:list'),
  z.object({ type: z.literal('muted:unmute'), merchantId: z.string().min(1).max(200) }),
  empty('sync:status'),
  empty('sync:now'),
]);

/** Requests a content script may send: only about its own tab, never with a URL or a tab id. */
export const CONTENT_SCRIPT_REQUESTS: ReadonlySet<BackgroundRequestType> = new Set([
  'banner:get-view',
  'banner:activate',
  'banner:dismiss',
  'banner:mute',
]);
