import { describe, expect, it } from 'vitest';
import { activationCopy } from '../../../components/popup/activation-copy';
import type { ActivationStatus } from '../../../utils/protocol/messages';
import { plain, translator } from '../helpers/i18n';

const fr = translator('fr');
const copy = (status: ActivationStatus) => {
  const result = activationCopy(status, 'Fnac', 'Ristourne', fr);
  return { ...result, message: result.message && plain(result.message) };
};

describe('what the popup says about an activation', () => {
  it.each<[string, ActivationStatus, ReturnType<typeof copy>]>([
    [
      'offer',
      { state: 'none' },
      {
        message: null,
        tone: 'info',
        action: { label: 'Activer le cashback', does: 'activate', busy: false },
      },
    ],
    [
      'activating',
      { state: 'activating' },
      {
        message: "Un instant : l'onglet passe par Ristourne puis revient sur la page.",
        tone: 'info',
        action: { label: 'Activation…', does: 'activate', busy: true },
      },
    ],
    [
      'activated',
      { state: 'activated', at: 0 },
      {
        message: 'Cashback activé — Vos achats chez Fnac sont maintenant suivis.',
        tone: 'success',
        action: null,
      },
    ],
    [
      'signed out',
      { state: 'error', failure: { reason: 'signed-out' } },
      {
        message: 'Connectez-vous pour activer votre cashback.',
        tone: 'error',
        action: { label: 'Se connecter', does: 'sign-in', busy: false },
      },
    ],
    [
      'portal unreachable',
      { state: 'error', failure: { reason: 'portal-unreachable' } },
      {
        message:
          'Ristourne est injoignable pour le moment. Vérifiez votre connexion puis réessayez.',
        tone: 'error',
        action: { label: 'Réessayer', does: 'activate', busy: false },
      },
    ],
    [
      'blocked by an ad blocker',
      { state: 'error', failure: { reason: 'blocked', host: 'www.awin1.com' } },
      {
        message:
          'Un bloqueur de publicités a bloqué la redirection : autorisez www.awin1.com dans ses réglages, puis réessayez.',
        tone: 'error',
        action: { label: 'Réessayer', does: 'activate', busy: false },
      },
    ],
    [
      'unknown merchant',
      { state: 'error', failure: { reason: 'unknown-merchant' } },
      { message: "Cette offre n'est plus disponible chez Fnac.", tone: 'error', action: null },
    ],
    [
      'not a merchant any more',
      { state: 'error', failure: { reason: 'not-a-merchant' } },
      {
        message: "Cette page n'est plus celle d'un marchand partenaire.",
        tone: 'error',
        action: null,
      },
    ],
    [
      'any other failure',
      { state: 'error', failure: { reason: 'failed', detail: 'http_500' } },
      {
        message: "L'activation n'a pas abouti. Réessayez dans un instant.",
        tone: 'error',
        action: { label: 'Réessayer', does: 'activate', busy: false },
      },
    ],
  ])('%s', (_, status, expected) => {
    expect(copy(status)).toEqual(expected);
  });
});
