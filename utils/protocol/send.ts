/**
 * How the extension's pages and the banner ask the background: one typed call per request of
 * the protocol (messages.ts). Types only from there, so the banner's bundle carries no zod.
 */
import { browser } from 'wxt/browser';
import type { Answer, BackgroundProtocol, BackgroundRequestType } from './messages';

export async function sendToBackground<T extends BackgroundRequestType>(
  type: T,
  request: BackgroundProtocol[T]['request'],
): Promise<BackgroundProtocol[T]['response']> {
  // Our own background answers, with the protocol's envelope (utils/protocol/router.ts).
  const answer = await browser.runtime.sendMessage<
    unknown,
    Answer<BackgroundProtocol[T]['response']> | undefined
  >({ type, ...request });
  if (!answer) throw new Error(`No answer to ${type}`);
  if (!answer.ok) throw new Error(answer.error);
  return answer.value;
}
