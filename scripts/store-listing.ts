/**
 * `npm run store` — the store listing of the brand being built (brand/ristourne, or the folder
 * in WXT_BRAND_DIR), in French and English, into `.output/store/` (or `--out DIR`):
 *
 *   fr/description.txt, en/description.txt   name, summary and description to paste
 *   listing.json                             the same, for upload scripts
 *   icon-128.png                             the store icon (96 px of artwork, 16 px margin)
 *   fr/promo-440x280.png, en/…               the small promo tile
 *   screenshots/                             1280×800, taken by `npm run demo -- --headless`
 *
 * The texts come from the extension's own messages (its summary, and the affiliate and privacy
 * disclosure the options page shows, word for word), so the listing says what the extension
 * says. The Chrome Web Store's affiliate ads policy wants the affiliate programme described
 * prominently on the listing: the disclosure comes right after the first paragraph.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderIcon, renderPromoTile } from '../modules/brand-icons/images';
import { resolveBrand, type Brand, type BuildConfig } from '../utils/build/config';
import { projectRoot } from './harness/build-extension';

export const STORE_LANGUAGES = ['fr', 'en'] as const;
export type StoreLanguage = (typeof STORE_LANGUAGES)[number];

/** The strictest limits of the Chrome Web Store and addons.mozilla.org. */
export const STORE_LIMITS = {
  /** CWS: the manifest's name, 75 characters; AMO: 50. */
  name: 50,
  /** CWS: the manifest's description is the summary, 132 characters (AMO allows 250). */
  summary: 132,
  /** CWS and AMO cap the detailed description at 16,000 characters. */
  description: 16_000,
} as const;

export interface StoreText {
  name: string;
  summary: string;
  description: string;
}

interface LocaleMessage {
  message: string;
  placeholders?: Record<string, { content: string }>;
}
type Messages = Record<string, LocaleMessage>;

/** chrome.i18n.getMessage's substitution: $NAME$ → its placeholder's $1…$9 → the argument. */
function message(messages: Messages, key: string, args: string[] = []): string {
  const entry = messages[key];
  if (!entry) throw new Error(`No message "${key}" in the locales`);
  return entry.message.replace(/\$(\w+)\$/g, (_, name: string) => {
    const content = entry.placeholders?.[name.toLowerCase()]?.content ?? '';
    return content.replace(/\$([1-9])/g, (_match, index: string) => args[Number(index) - 1] ?? '');
  });
}

/** What the listing says in each language besides the extension's own messages. */
const COPY: Record<
  StoreLanguage,
  (brand: string, host: string) => { intro: string; features: string[]; headings: string[] }
> = {
  fr: (brand, host) => ({
    intro:
      `${brand} est l'extension des membres de ${brand} (${host}). Sur le site d'un marchand ` +
      `partenaire, un bandeau discret vous propose d'activer votre cashback : un clic, et une ` +
      `partie de votre achat revient dans votre cagnotte.`,
    features: [
      'reconnaît les marchands partenaires, sur votre appareil, sans envoyer les pages que vous visitez ;',
      "vous rappelle d'activer le cashback sur le panier et la page de paiement ;",
      'active le cashback en un clic, sur la page même, et vous y ramène ;',
      "montre dans sa fenêtre l'offre du site et votre cagnotte, en attente et confirmée ;",
      'signale le cashback des marchands partenaires dans les résultats de Google, Bing, DuckDuckGo, Qwant et Ecosia, sans envoyer vos recherches (désactivable) ;',
      'vous prévient quand du cashback apparaît ou est confirmé (désactivable) ;',
      "se met en retrait quand votre visite vient d'un autre site partenaire.",
    ],
    headings: ['CE QUE FAIT L’EXTENSION', 'VOS DONNÉES', 'LIENS'],
  }),
  en: (brand, host) => ({
    intro:
      `${brand} is the browser extension for the members of ${brand} (${host}). On a partner ` +
      `merchant's site, a discreet banner offers to activate your cashback: one click, and part ` +
      `of your purchase comes back to your cashback balance.`,
    features: [
      'recognises partner merchants on your device, without sending the pages you visit;',
      'reminds you to activate cashback on the cart and checkout pages;',
      'activates cashback in one click, on the very page, and brings you back to it;',
      "shows the site's offer and your balance, pending and confirmed, in its window;",
      'points out partner merchants’ cashback in Google, Bing, DuckDuckGo, Qwant and Ecosia results, without sending your searches (can be turned off);',
      'tells you when cashback appears or is confirmed (can be turned off);',
      'stands aside when your visit came through another partner site.',
    ],
    headings: ['WHAT IT DOES', 'YOUR DATA', 'LINKS'],
  }),
};

const LINK_LABELS: Record<StoreLanguage, { account: string; signUp: string; help: string }> = {
  fr: { account: 'Votre compte', signUp: 'Devenir membre', help: 'Aide' },
  en: { account: 'Your account', signUp: 'Join', help: 'Help' },
};

export async function readLocaleMessages(language: StoreLanguage): Promise<Messages> {
  const file = join(projectRoot, 'public', '_locales', language, 'messages.json');
  return JSON.parse(await readFile(file, 'utf8')) as Messages;
}

/** The listing's texts in one language. */
export function storeText(
  config: BuildConfig,
  language: StoreLanguage,
  messages: Messages,
): StoreText {
  const brand = config.brand.name;
  const copy = COPY[language](brand, new URL(config.portalUrl).host);
  const [features, data, links] = copy.headings;
  const m = (key: string) => message(messages, key, [brand]);
  const labels = LINK_LABELS[language];
  // French puts a space before a colon, English does not.
  const colon = language === 'fr' ? ' : ' : ': ';
  const description = [
    copy.intro,
    [
      m('common_disclosure_model_heading').toLocaleUpperCase(language),
      m('common_disclosure_model'),
      m('common_disclosure_click'),
    ].join('\n'),
    [features, ...copy.features.map((line) => `• ${line}`)].join('\n'),
    [
      data,
      `${m('common_disclosure_stored_heading')}${colon.trimEnd()}`,
      m('common_disclosure_stored'),
      m('common_disclosure_search'),
      `${m('common_disclosure_sent_heading')}${colon.trimEnd()}`,
      ...[
        'common_disclosure_sent_list',
        'common_disclosure_sent_sign_in',
        'common_disclosure_sent_cagnotte',
        'common_disclosure_sent_click',
      ].map((key) => `• ${m(key)}`),
      m('common_disclosure_nothing'),
      m('common_disclosure_sign_out'),
    ].join('\n'),
    [
      links,
      `${labels.account}${colon}${config.pages.account}`,
      `${labels.signUp}${colon}${config.pages.signUp}`,
      `${labels.help}${colon}${config.pages.help}`,
    ].join('\n'),
  ].join('\n\n');
  return { name: brand, summary: m('extensionDescription'), description };
}

/** Throws when a text is longer than a store accepts (a store would cut or refuse it). */
export function checkStoreLimits(language: StoreLanguage, text: StoreText): void {
  for (const field of ['name', 'summary', 'description'] as const) {
    if (text[field].length > STORE_LIMITS[field]) {
      throw new Error(
        `The ${language} store ${field} has ${text[field].length} characters; ` +
          `the stores accept ${STORE_LIMITS[field]}`,
      );
    }
  }
}

/** The listing's texts in every language, checked against the stores' limits. */
export async function storeTexts(config: BuildConfig): Promise<Record<StoreLanguage, StoreText>> {
  const texts = {} as Record<StoreLanguage, StoreText>;
  for (const language of STORE_LANGUAGES) {
    texts[language] = storeText(config, language, await readLocaleMessages(language));
    checkStoreLimits(language, texts[language]);
  }
  return texts;
}

function descriptionFile(language: StoreLanguage, text: StoreText): string {
  const labels =
    language === 'fr'
      ? ['Nom', 'Résumé (description courte)', 'Description']
      : ['Name', 'Summary (short description)', 'Description'];
  return (
    `${labels[0]}:\n${text.name}\n\n${labels[1]}:\n${text.summary}\n\n` +
    `${labels[2]}:\n${text.description}\n`
  );
}

/** Writes the listing of a brand into `outDir`; returns the files written, relative. */
export async function writeStoreListing(brand: Brand, outDir: string): Promise<string[]> {
  const texts = await storeTexts(brand.config);
  const written: string[] = [];
  const write = async (file: string, contents: string | Buffer) => {
    await mkdir(join(outDir, file, '..'), { recursive: true });
    await writeFile(join(outDir, file), contents);
    written.push(file);
  };
  for (const language of STORE_LANGUAGES) {
    await write(`${language}/description.txt`, descriptionFile(language, texts[language]));
    await write(
      `${language}/promo-440x280.png`,
      renderPromoTile({
        logoSvg: brand.logoSvg,
        name: brand.config.brand.name,
        tagline: texts[language].summary,
        primaryColor: brand.config.brand.primaryColor,
        onPrimaryColor: brand.config.brand.onPrimaryColor,
      }),
    );
  }
  await write('listing.json', `${JSON.stringify(texts, null, 2)}\n`);
  await write('icon-128.png', renderIcon(brand.logoSvg, 128));
  return written;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { out: { type: 'string', default: join(projectRoot, '.output', 'store') } },
  });
  const brand = resolveBrand(process.env, projectRoot);
  const outDir = values.out;
  const written = await writeStoreListing(brand, outDir);
  console.log(`Store listing of ${brand.config.brand.name} in ${outDir}:`);
  for (const file of written) console.log(`  ${file}`);
  const screenshots = join(outDir, 'screenshots');
  if (existsSync(join(screenshots, 'banner.png')) && existsSync(join(screenshots, 'popup.png'))) {
    console.log(`  screenshots/ (from the last headless demo tour)`);
  } else {
    console.log(
      `Screenshots (1280×800): run \`npm run demo -- --headless\` (same WXT_BRAND_DIR) to ` +
        `take them into ${screenshots}.`,
    );
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
