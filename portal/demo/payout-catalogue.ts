/**
 * What the reference portal offers for the cagnotte: the voucher catalogue (gift cards of demo
 * shops, their logos those of the shops) and the charities a member may give to (their logos
 * drawn like the shops', on the portal's own origin), with each method's minimum and fee.
 */
import type { PayoutFee } from '../../utils/contract/schemas';

export interface VoucherBrandRecord {
  id: string;
  name: string;
  description: string;
  denominations: number[];
  /** The demo merchant whose logo it shows. */
  merchantId: string;
}

export interface CharityRecord {
  id: string;
  name: string;
  description: string;
  /** The colour of its logo. */
  color: string;
}

export const VOUCHER_BRANDS: readonly VoucherBrandRecord[] = [
  {
    id: 'grand-bazar',
    name: 'Le Grand Bazar',
    description: 'Carte cadeau valable un an en magasin et sur le site.',
    denominations: [1000, 2000, 5000],
    merchantId: 'grand-bazar',
  },
  {
    id: 'librairie-des-quais',
    name: 'Librairie des Quais',
    description: 'Chèque lire, pour les livres neufs et d’occasion.',
    denominations: [1000, 1500, 3000],
    merchantId: 'librairie-des-quais',
  },
  {
    id: 'atelier-vendome',
    name: 'Atelier Vendôme',
    description: 'E-carte cadeau, hors retouches.',
    denominations: [2000, 5000, 10000],
    merchantId: 'atelier-vendome',
  },
];

export const CHARITIES: readonly CharityRecord[] = [
  {
    id: 'lire-et-grandir',
    name: 'Lire et Grandir',
    description: 'Des livres et des ateliers de lecture pour les enfants qui en ont le moins.',
    color: '#f4a261',
  },
  {
    id: 'forets-vivantes',
    name: 'Forêts Vivantes',
    description: 'Replante des haies et des forêts mélangées, avec les agriculteurs.',
    color: '#2a9d8f',
  },
  {
    id: 'refuge-des-quatre-pattes',
    name: 'Refuge des Quatre Pattes',
    description: 'Recueille, soigne et fait adopter chiens et chats abandonnés.',
    color: '#6d597a',
  },
];

/** Transfers cost a fixed 0,50 €, on top of the amount; vouchers and donations are free. */
export const PAYOUT_METHODS = {
  transfer: { minimum: 1000, fee: { fixed: 50, percent: 0 } satisfies PayoutFee },
  voucher: { minimum: 1000, fee: { fixed: 0, percent: 0 } satisfies PayoutFee },
  donation: { minimum: 100, fee: { fixed: 0, percent: 0 } satisfies PayoutFee },
} as const;
