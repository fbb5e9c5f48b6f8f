/**
 * Deterministic filler merchants for benchmarks (`--merchants N`): realistic French shop names on
 * unique real-looking domains, with the same mix of fields as a real portal's list (percent and
 * fixed rates, several domains, country subdomains, nested merchants, every prompt policy).
 * The i-th merchant depends only on the ones before it, so a longer list extends a shorter one.
 */
import type { Cashback, PromptsPolicy } from '../../utils/contract/schemas';
import { CATEGORY_IDS, type Category } from './catalog';
import type { MerchantRecord } from '../api/merchant-record';

const NOUNS: Record<Category, string[]> = {
  mode: ['Atelier', 'Boutique', 'Vestiaire', 'Dressing', 'Mercerie', 'Maison'],
  'high-tech': ['Numérique', 'Électro', 'Digital', 'Connect', 'Tech', 'Labo'],
  maison: ['Maison', 'Intérieurs', 'Déco', 'Grenier', 'Comptoir', 'Fabrique'],
  bricolage: ['Quincaillerie', 'Outils', 'Brico', 'Établi', 'Droguerie'],
  voyage: ['Voyages', 'Escapades', 'Évasion', 'Horizons', 'Séjours', 'Hôtels'],
  beaute: ['Beauté', 'Parfumerie', 'Cosmétiques', 'Savonnerie', 'Institut'],
  sport: ['Sports', 'Outdoor', 'Cycles', 'Glisse', 'Running'],
  alimentation: ['Épicerie', 'Halles', 'Marché', 'Fromagerie', 'Saveurs'],
  vin: ['Caves', 'Vignobles', 'Cellier', 'Domaine', 'Vins'],
  jouets: ['Jouets', 'Ludothèque', 'Malices', 'Récré', 'Jeux'],
  livres: ['Librairie', 'Éditions', 'Bouquinerie', 'Lectures'],
  animaux: ['Animalerie', 'Compagnons', 'Toutous', 'Félins'],
  jardin: ['Jardins', 'Pépinière', 'Potager', 'Serres'],
  musique: ['Musique', 'Harmonie', 'Instruments', 'Disques'],
  bijoux: ['Bijouterie', 'Joaillerie', 'Bijoux', 'Orfèvrerie'],
  fleurs: ['Fleurs', 'Fleuriste', 'Bouquets', 'Pétales'],
  optique: ['Optique', 'Lunetterie', 'Vision'],
  bazar: ['Bazar', 'Galeries', 'Comptoir', 'Grand Magasin'],
};

const SURNAMES =
  `Dubois Moreau Laurent Simon Michel Lefèvre Leroy Roux David Bertrand Morel Fournier
  Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Faure André Mercier Blanc Guérin
  Boyer Garnier Chevalier François Legrand Gauthier Perrin Robin Clément Morin Nicolas Henry
  Roussel Mathieu Masson Marchand Duval Denis Dumont Lemaire Noël Meyer Dufour Meunier Brun
  Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Gérard Roche Renard Schmitt
  Roy Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Lacroix Olivier Philippe
  Bourgeois Benoît Rey Leclerc Rolland Guillaume Lecomte Dupuy Guillot Hubert Berger Carpentier
  Moulin Louis Deschamps Huet Vasseur Perrot Collet Charpentier Prévost Baron Bailly Hervé`
    .split(/\s+/)
    .filter(Boolean);

// With their preposition, as French names need it ("du Luberon", "d’Alsace").
const PLACES = [
  'de Provence',
  'de Bretagne',
  'de Normandie',
  'd’Alsace',
  'de Savoie',
  'de Bourgogne',
  'de Montmartre',
  'de Belleville',
  'de Lyon',
  'de Nantes',
  'de Bordeaux',
  'de Marseille',
  'de Lille',
  'de Toulouse',
  'd’Annecy',
  'de Biarritz',
  'de Colmar',
  'de Dijon',
  'de Rennes',
  'd’Avignon',
  'des Cévennes',
  'du Vercors',
  'du Luberon',
  'de Camargue',
  'du Quercy',
  'de Vendée',
  'd’Auvergne',
  'du Jura',
  'de Corse',
  'de Loire',
  'de Gascogne',
  'du Béarn',
  'de Touraine',
  'd’Anjou',
  'du Périgord',
  'du Médoc',
  'de Champagne',
  'de Lorraine',
  'de Picardie',
  'du Limousin',
  'd’Ardèche',
  'du Morvan',
  'de Sologne',
  'du Berry',
  'du Cotentin',
  'de l’Aubrac',
];

const TLDS = ['fr', 'fr', 'fr', 'com', 'com', 'shop', 'eu', 'store', 'paris', 'boutique'];
const SECOND_TLDS = ['be', 'ch', 'lu', 'es', 'it', 'de'];
const CHECKOUT_PATHS = [
  ['/panier', '/commande'],
  ['/cart', '/checkout'],
  ['/checkout'],
  ['/panier'],
  ['/basket', '/order'],
  ['/fr/panier', '/fr/commande'],
];
const TERMS = [
  'Hors cartes cadeaux.',
  'Hors marketplace.',
  'Hors soldes et promotions.',
  'Hors frais de port et taxes.',
  'Nouveaux clients uniquement.',
  'Commandes payées en une fois uniquement.',
];
const SUBSIDIARIES = [
  ['outlet', 'Outlet'],
  ['pro', 'Pro'],
  ['voyages', 'Voyages'],
  ['location', 'Location'],
];

/** mulberry32: a tiny seeded PRNG, enough for reproducible test data (also the benchmarks'). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' et ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function hslToHex(hue: number, saturation: number, lightness: number): string {
  const a = saturation * Math.min(lightness, 1 - lightness);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    const value = lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/**
 * The first `count` generated merchants. `reservedIds` (the demo merchants) are never reused.
 */
export function generateMerchants(
  count: number,
  reservedIds: ReadonlySet<string> = new Set(),
): MerchantRecord[] {
  const random = prng(0x5eed_2026);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const ids = new Set(reservedIds);
  const domains = new Set<string>();
  const merchants: MerchantRecord[] = [];

  const uniqueId = (base: string, tld: string) => {
    for (const candidate of [base, `${base}-${tld}`]) {
      if (!ids.has(candidate)) return candidate;
    }
    let n = 2;
    while (ids.has(`${base}-${tld}-${n}`)) n += 1;
    return `${base}-${tld}-${n}`;
  };

  while (merchants.length < count) {
    const category = pick(CATEGORY_IDS);
    const parent = merchants.length > 0 && random() < 0.02 ? pick(merchants) : undefined;
    let name: string;
    let domainList: string[];
    let idBase: string;
    let tld: string;

    if (parent) {
      // A nested merchant: a subsidiary on a subdomain of an existing merchant's domain.
      const [label, suffix] = pick(SUBSIDIARIES) as [string, string];
      name = `${parent.name} ${suffix}`;
      domainList = [`${label}.${parent.domains[0]}`];
      idBase = `${parent.id}-${label}`;
      tld = 'sub';
    } else {
      const noun = pick(NOUNS[category]);
      const shape = random();
      name =
        shape < 0.45
          ? `${noun} ${pick(SURNAMES)}`
          : shape < 0.75
            ? `${pick(SURNAMES)} ${noun}`
            : `${noun} ${pick(PLACES)}`;
      const slug = slugify(name);
      const label = random() < 0.7 ? slug : slug.replace(/-/g, '');
      tld = pick(TLDS);
      domainList = [`${label}.${tld}`];
      const shape2 = random();
      if (shape2 < 0.12) domainList.push(`${label}.${pick(SECOND_TLDS)}`);
      else if (shape2 < 0.16) domainList = [`fr.${label}.com`];
      else if (shape2 < 0.2) domainList.push(`boutique.${label}.com`);
      idBase = slug;
    }
    if (domainList.some((domain) => domains.has(domain) || domain.split('.')[0]!.length > 63)) {
      continue;
    }

    const percent = random() < 0.7;
    const cashback: Cashback = percent
      ? {
          type: 'percent',
          // Whole numbers mostly, some with one or two decimals, as real rates are.
          value: Math.max(0.5, Number((0.5 + random() * 11.5).toFixed(pick([0, 0, 0, 1, 1, 2])))),
          upTo: random() < 0.25,
        }
      : {
          type: 'amount',
          value: 100 + Math.floor(random() * 60) * 50,
          currency: 'EUR',
          upTo: random() < 0.25,
        };
    const promptRoll = random();
    const prompts: PromptsPolicy =
      promptRoll < 0.85 ? 'allowed' : promptRoll < 0.95 ? 'checkout-only' : 'never';
    const withPaths = random() < 0.6;
    const withTerms = random() < 0.2;
    const id = uniqueId(idBase, tld);

    ids.add(id);
    domainList.forEach((domain) => domains.add(domain));
    merchants.push({
      id,
      name,
      category,
      color: hslToHex(Math.floor(random() * 360), 0.55, 0.38),
      domains: domainList,
      cashback,
      hasLogo: random() < 0.8,
      ...(withPaths ? { checkoutPaths: pick(CHECKOUT_PATHS) } : {}),
      prompts,
      ...(withTerms ? { terms: pick(TERMS) } : {}),
    });
  }
  return merchants;
}
