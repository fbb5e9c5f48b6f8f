/**
 * Deterministic test data for the benchmarks: a portal-shaped merchant list (one to three domains,
 * country variants, nested merchants, every optional field) and a realistic mix of visited URLs.
 */
import { prng as seeded } from '../../portal/demo/generated-merchants';
import type { MerchantInput } from '../../utils/contract/schemas';

const WORDS = `atelier boutique maison comptoir fabrique galerie marche epicerie cave jardin
  sport optique bijou livre jouet voyage hotel beaute parfum mode chaussure meuble deco cuisine
  velo outdoor musique fleur animal bureau papeterie electro digital photo vin fromage the cafe`
  .split(/\s+/)
  .filter(Boolean);
const NAMES = `Dubois Moreau Laurent Simon Michel Lefèvre Leroy Roux David Bertrand Morel Fournier
  Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Faure André Mercier Blanc Guérin`
  .split(/\s+/)
  .filter(Boolean);
const TLDS = ['fr', 'fr', 'fr', 'com', 'com', 'shop', 'eu', 'de', 'co.uk', 'paris'];

/** A list of `count` merchants as the portal would send it (every entry valid). */
export function generateMerchants(count: number, seed = 2026): MerchantInput[] {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const merchants: MerchantInput[] = [];
  for (let i = 0; i < count; i++) {
    const parent = i > 100 && random() < 0.03 ? merchants[Math.floor(random() * i)] : undefined;
    const word = pick(WORDS);
    const family = pick(NAMES);
    const slug = `${word}-${family
      .normalize('NFD')
      .replace(/[^a-zA-Z]/g, '')
      .toLowerCase()}-${i.toString(36)}`;
    const tld = pick(TLDS);
    let domains: string[];
    if (parent) {
      domains = [`${pick(['voyages', 'outlet', 'pro'])}.${parent.domains[0]}`];
    } else {
      domains = [`${slug}.${tld}`];
      const shape = random();
      if (shape < 0.15) domains.push(`${slug}.${pick(['be', 'ch', 'es', 'it'])}`);
      else if (shape < 0.2) domains.push(`boutique.${slug}.com`, `${slug}.lu`);
    }
    const percent = random() < 0.7;
    merchants.push({
      id: parent ? `${parent.id}-${i.toString(36)}` : slug,
      name: parent
        ? `${parent.name} Voyages`
        : `${word[0]!.toUpperCase()}${word.slice(1)} ${family}`,
      domains,
      cashback: percent
        ? {
            type: 'percent',
            value: Number((0.5 + random() * 11.5).toFixed(1)),
            upTo: random() < 0.25,
          }
        : { type: 'amount', value: 100 + Math.floor(random() * 60) * 50, currency: 'EUR' },
      ...(random() < 0.8 ? { logoUrl: `https://portal.example/logos/${slug}.png` } : {}),
      ...(random() < 0.6 ? { checkoutPaths: ['/panier', '/commande'] } : {}),
      prompts: random() < 0.85 ? 'allowed' : random() < 0.66 ? 'checkout-only' : 'never',
      ...(random() < 0.2 ? { terms: 'Hors cartes cadeaux et marketplace.' } : {}),
    });
  }
  return merchants;
}

export function merchantListBody(merchants: MerchantInput[]) {
  return {
    version: '2026-11-23T08:00:00Z',
    merchants,
    standDown: { params: ['awc', 'cjevent', 'ranMID'], referrerHosts: ['igraal.com'] },
  };
}

const OTHER_SITES = [
  'https://www.google.com/search?q=chaussures+running&sca_esv=1&source=hp',
  'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s',
  'https://fr.wikipedia.org/wiki/Cashback',
  'https://mail.google.com/mail/u/0/#inbox',
  'https://www.lemonde.fr/economie/article/2026/11/23/les-soldes.html',
  'https://github.com/wxt-dev/wxt/issues/1234',
  'https://www.leboncoin.fr/recherche?category=10&text=velo',
  'https://docs.google.com/document/d/1aBcD/edit',
];

/**
 * `count` URLs as a browser reports them: ~55 % on merchants (home, product pages with queries,
 * subdomains, nested merchants), ~40 % elsewhere (big sites, unlisted shops, lookalikes), and a few
 * unusual forms (ports, upper case, IDN, IP, non-web schemes) that take the parser's slow path.
 */
export function generateUrls(
  merchants: readonly MerchantInput[],
  count: number,
  seed = 7,
): string[] {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const urls: string[] = [];
  for (let i = 0; i < count; i++) {
    const domain = pick(pick(merchants).domains);
    const roll = random();
    if (roll < 0.3)
      urls.push(`https://www.${domain}/produit/${i}-chaussure-cuir?couleur=noir&taille=42`);
    else if (roll < 0.4) urls.push(`https://${domain}/`);
    else if (roll < 0.5) urls.push(`https://www.${domain}/panier`);
    else if (roll < 0.55) urls.push(`https://${pick(['m', 'fr', 'shop'])}.${domain}/c/${i}`);
    else if (roll < 0.8) urls.push(`${pick(OTHER_SITES)}&n=${i}`);
    else if (roll < 0.9) urls.push(`https://www.journal-${i}.fr/article/${i}?utm_source=x`);
    else if (roll < 0.95) urls.push(`https://${domain}.evil-${i}.net/login`);
    else if (roll < 0.97) urls.push(`https://not${domain}/`);
    else if (roll < 0.98) urls.push(`https://www.${domain}:8443/`);
    else if (roll < 0.985) urls.push(`https://WWW.${domain.toUpperCase()}/`);
    else if (roll < 0.99) urls.push(`https://www.café-${i}.fr/`);
    else if (roll < 0.995) urls.push(`http://192.168.1.${i % 255}/admin`);
    else urls.push(pick(['chrome://newtab/', 'about:blank', 'file:///home/me/a.html']));
  }
  return urls;
}
