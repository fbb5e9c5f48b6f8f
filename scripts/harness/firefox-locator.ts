/**
 * The page objects' locator API (scripts/harness/pages/scope.ts) for Firefox, over puppeteer's
 * WebDriver BiDi. Puppeteer's own ARIA queries do not reach into the banner's shadow root in
 * Firefox, so a locator is a chain of steps resolved in the page at each use by a small query
 * engine: roles and accessible names as Playwright matches them (a string is a case-insensitive
 * substring unless `exact`; a pattern is tested against the whole name), through open shadow
 * roots and the closed ones the driver hands over (closedRoots: the banner's), skipping what is
 * hidden. Actions are strict (one element, or an error) and wait for
 * their element; clicks and typing go through BiDi's input actions, so the page sees trusted
 * events, as from the member.
 */
import type { ElementHandle, JSHandle, Page } from 'puppeteer-core';
import type { PartLocator, Role, RoleOptions, Scope } from './pages/scope';

/** How long an action waits for its element (Playwright's default is the test's timeout). */
export const ACTION_TIMEOUT_MS = 10_000;

type Matcher = { text: string } | { source: string; flags: string };

type Step =
  | { kind: 'role'; role: Role; name?: Matcher; exact: boolean; level?: number }
  | { kind: 'text'; text: Matcher; exact: boolean }
  | { kind: 'label'; text: Matcher; exact: boolean }
  | { kind: 'testid'; id: string }
  | { kind: 'css'; selector: string }
  | { kind: 'nth'; index: number };

const asText = (value: string | RegExp): Matcher =>
  typeof value === 'string' ? { text: value } : { source: value.source, flags: value.flags };

type Question =
  | { op: 'count' }
  | { op: 'texts' }
  | { op: 'attribute'; name: string }
  /** The element when there is exactly one, else how many there are. */
  | { op: 'element' };

/**
 * Runs in the page, serialised by puppeteer: self-contained (no imports, no closures; and no
 * `eval`, which extension pages' CSP forbids). Finds the elements the steps designate, in
 * document order, and answers the question about them.
 */
function queryPage(steps: Step[], question: Question, ...closed: Node[]): unknown {
  // Hosts and their closed roots, in pairs (a page's script never gets these: the driver does).
  const closedRoots = new Map<Element, ShadowRoot>();
  for (let index = 0; index + 1 < closed.length; index += 2) {
    closedRoots.set(closed[index] as Element, closed[index + 1] as ShadowRoot);
  }
  const shadowOf = (element: Element): ShadowRoot | null =>
    element.shadowRoot ?? closedRoots.get(element) ?? null;
  // ASCII whitespace only: a no-break space (as in "9,04 €") is part of the text.
  const normalize = (value: string) => value.replace(/[ \t\n\r\f]+/g, ' ').trim();
  // A string to find matches either space, as Playwright's do.
  const loose = (value: string) => normalize(value.replace(/[\u00a0\u202f]/g, ' '));

  const descendants = (root: Element | Document): Element[] => {
    const found: Element[] = [];
    const visit = (node: Element | Document | ShadowRoot) => {
      for (let child = node.firstElementChild; child; child = child.nextElementSibling) {
        found.push(child);
        const shadow = shadowOf(child);
        if (shadow) visit(shadow);
        visit(child);
      }
    };
    const shadow = root instanceof Element ? shadowOf(root) : null;
    if (shadow) visit(shadow);
    visit(root);
    return found;
  };

  const parentOf = (element: Element): Element | null =>
    element.parentElement ?? ((element.getRootNode() as ShadowRoot).host || null);

  const isHidden = (element: Element): boolean => {
    for (let node: Element | null = element; node; node = parentOf(node)) {
      if (node.getAttribute('aria-hidden') === 'true') return true;
    }
    if (!element.checkVisibility()) return true;
    return getComputedStyle(element).visibility === 'hidden';
  };

  const textOf = (node: Node, isRoot: boolean): string => {
    if (node.nodeType === Node.TEXT_NODE) return (node as Text).data;
    if (node.nodeType !== Node.ELEMENT_NODE) return '';
    const element = node as Element;
    if (['script', 'style', 'template'].includes(element.localName)) return '';
    if (!isRoot) {
      if (element.getAttribute('aria-hidden') === 'true') return '';
      const label = element.getAttribute('aria-label')?.trim();
      if (label) return ` ${label} `;
    }
    if (element.localName === 'img') return element.getAttribute('alt') ?? '';
    const children = (shadowOf(element) ?? element).childNodes;
    let text = '';
    for (const child of children) text += textOf(child, false);
    const display = element.isConnected ? getComputedStyle(element).display : 'inline';
    return display.startsWith('inline') ? text : ` ${text} `;
  };

  const NAME_FROM_CONTENT = new Set(['button', 'link', 'heading', 'listitem', 'checkbox']);
  const CONTENT_TAGS = new Set([
    'button',
    'a',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'li',
    'summary',
  ]);

  const accessibleName = (element: Element): string => {
    const labelledBy = element.getAttribute('aria-labelledby')?.trim();
    if (labelledBy) {
      const root = element.getRootNode() as Document | ShadowRoot;
      const text = labelledBy
        .split(/\s+/)
        .map((id) => root.getElementById(id))
        .map((label) => (label ? textOf(label, true) : ''))
        .join(' ');
      if (normalize(text)) return normalize(text);
    }
    const label = element.getAttribute('aria-label')?.trim();
    if (label) return normalize(label);
    const labels = (element as HTMLInputElement).labels;
    if (labels && labels.length > 0) {
      return normalize([...labels].map((each) => textOf(each, true)).join(' '));
    }
    const explicit = element.getAttribute('role');
    if (
      (explicit && NAME_FROM_CONTENT.has(explicit)) ||
      (!explicit && CONTENT_TAGS.has(element.localName))
    ) {
      return normalize(textOf(element, true));
    }
    return normalize(element.getAttribute('title') ?? '');
  };

  const roleOf = (element: Element): string | null => {
    const explicit = element.getAttribute('role')?.trim().split(/\s+/)[0];
    if (explicit) return explicit;
    const tag = element.localName;
    if (/^h[1-6]$/.test(tag)) return 'heading';
    switch (tag) {
      case 'button':
        return 'button';
      case 'a':
        return element.hasAttribute('href') ? 'link' : null;
      case 'input': {
        const type = (element.getAttribute('type') ?? 'text').toLowerCase();
        if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
        if (type === 'checkbox') return 'checkbox';
        if (type === 'search') return 'searchbox';
        return ['email', 'tel', 'text', 'url'].includes(type) ? 'textbox' : null;
      }
      case 'textarea':
        return 'textbox';
      case 'section':
        return accessibleName(element) ? 'region' : null;
      case 'form':
        return accessibleName(element) ? 'form' : null;
      case 'ul':
      case 'ol':
      case 'menu':
        return 'list';
      case 'li':
        return 'listitem';
      case 'output':
        return 'status';
      default:
        return null;
    }
  };

  const levelOf = (element: Element): number => {
    const aria = Number(element.getAttribute('aria-level'));
    if (aria > 0) return aria;
    const match = /^h([1-6])$/.exec(element.localName);
    return match ? Number(match[1]) : 2;
  };

  const matches = (value: string, expected: Matcher, exact: boolean): boolean => {
    if ('source' in expected) {
      return new RegExp(expected.source, expected.flags).test(normalize(value));
    }
    const actual = loose(value);
    const wanted = loose(expected.text);
    return exact ? actual === wanted : actual.toLowerCase().includes(wanted.toLowerCase());
  };

  const labelOf = (element: Element): string | null => {
    const labelled =
      element.hasAttribute('aria-labelledby') ||
      element.hasAttribute('aria-label') ||
      ((element as HTMLInputElement).labels?.length ?? 0) > 0;
    return labelled ? accessibleName(element) : null;
  };

  const innermost = (elements: Element[]): Element[] =>
    elements.filter(
      (element) => !elements.some((other) => other !== element && element.contains(other)),
    );

  const unique = (elements: Element[]): Element[] => [...new Set(elements)];

  let scopes: (Element | Document)[] = [document];
  for (const step of steps) {
    if (step.kind === 'nth') {
      const index = step.index < 0 ? scopes.length + step.index : step.index;
      scopes = scopes[index] ? [scopes[index]] : [];
      continue;
    }
    const found: Element[] = [];
    for (const scope of scopes) {
      if (step.kind === 'css') {
        const roots: (Element | Document | ShadowRoot)[] = [scope];
        const own = scope instanceof Element ? shadowOf(scope) : null;
        if (own) roots.push(own);
        for (const element of descendants(scope)) {
          const shadow = shadowOf(element);
          if (shadow) roots.push(shadow);
        }
        for (const root of roots) found.push(...root.querySelectorAll(step.selector));
        continue;
      }
      const candidates = descendants(scope);
      if (step.kind === 'testid') {
        found.push(...candidates.filter((each) => each.getAttribute('data-testid') === step.id));
      } else if (step.kind === 'role') {
        found.push(
          ...candidates.filter(
            (each) =>
              roleOf(each) === step.role &&
              (step.level === undefined || levelOf(each) === step.level) &&
              (step.name === undefined || matches(accessibleName(each), step.name, step.exact)) &&
              !isHidden(each),
          ),
        );
      } else if (step.kind === 'label') {
        found.push(
          ...candidates.filter((each) => {
            const label = labelOf(each);
            return label !== null && matches(label, step.text, step.exact) && !isHidden(each);
          }),
        );
      } else {
        found.push(
          ...innermost(
            candidates.filter(
              (each) =>
                !['script', 'style', 'head', 'title'].includes(each.localName) &&
                matches(textOf(each, true), step.text, step.exact),
            ),
          ),
        );
      }
    }
    scopes = unique(found);
  }
  const elements = scopes.filter((each): each is Element => each instanceof Element);
  switch (question.op) {
    case 'count':
      return elements.length;
    case 'texts':
      return elements.map((element) => normalize(element.textContent ?? ''));
    case 'attribute':
      return elements.map((element) => element.getAttribute(question.name));
    case 'element':
      return elements.length === 1 ? elements[0] : elements.length;
  }
}

/** What puppeteer keeps internal and the closed roots need: its realm of the page's main world. */
interface FrameRealm {
  realm: {
    callFunction: (
      functionDeclaration: string,
      awaitPromise: boolean,
      options: Record<string, unknown>,
    ) => Promise<{ type: string; result?: RemoteValue }>;
  };
  createHandle: (value: RemoteValue) => JSHandle<Node>;
}

interface RemoteValue {
  type: string;
  sharedId?: string;
  value?: unknown;
}

/**
 * The closed shadow roots of the elements right under <html> (the banner's host is one), as
 * handles in pairs: host, root. No script of the page can reach a closed root; WebDriver BiDi
 * serialises it for the driver when asked to (`includeShadowTree: 'all'`). Puppeteer has no
 * public call for it: this goes through its realm of the main frame (puppeteer-core 24).
 */
async function closedRoots(page: Page): Promise<JSHandle<Node>[]> {
  const frame = page.mainFrame() as unknown as { mainRealm: () => FrameRealm };
  const realm = frame.mainRealm();
  const answer = await realm.realm.callFunction(
    '() => [...document.documentElement.children].filter((element) => element.localName === "div" && !element.shadowRoot)',
    false,
    {
      resultOwnership: 'none',
      serializationOptions: { maxObjectDepth: 1, maxDomDepth: 1, includeShadowTree: 'all' },
    },
  );
  const hosts = (answer.type === 'success' ? answer.result?.value : undefined) as
    RemoteValue[] | undefined;
  const handles: JSHandle<Node>[] = [];
  for (const host of hosts ?? []) {
    const shadow = (host.value as { shadowRoot?: RemoteValue | null } | undefined)?.shadowRoot;
    if (!host.sharedId || !shadow?.sharedId) continue;
    handles.push(realm.createHandle(host), realm.createHandle(shadow));
  }
  return handles;
}

/** The page a locator searches: a puppeteer page, and whether an error means "try again". */
export interface LocatorHost {
  readonly page: Page;
  /** How the page describes itself in errors. */
  describe(): string;
}

/**
 * A navigation replaced the document mid-question: ask again. Firefox's remote agent may also fail
 * to serialise the answer of a document being replaced ("right-hand side of 'in' should be an
 * object, got null", seen once as the activation landed back): a question has no effect, so it is
 * asked again too.
 */
export function isTransient(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /context|navigat|destroyed|detached|no such (frame|node|handle)|stale|target closed|right-hand side of 'in' should be an object/i.test(
    message,
  );
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class FirefoxLocator implements PartLocator<FirefoxLocator> {
  constructor(
    readonly host: LocatorHost,
    readonly steps: readonly Step[],
  ) {}

  private then_(step: Step): FirefoxLocator {
    return new FirefoxLocator(this.host, [...this.steps, step]);
  }

  getByRole(role: Role, options: RoleOptions = {}): FirefoxLocator {
    return this.then_({
      kind: 'role',
      role,
      name: options.name === undefined ? undefined : asText(options.name),
      exact: options.exact ?? false,
      level: options.level,
    });
  }

  getByText(text: string | RegExp, options: { exact?: boolean } = {}): FirefoxLocator {
    return this.then_({ kind: 'text', text: asText(text), exact: options.exact ?? false });
  }

  getByLabel(text: string | RegExp, options: { exact?: boolean } = {}): FirefoxLocator {
    return this.then_({ kind: 'label', text: asText(text), exact: options.exact ?? false });
  }

  getByTestId(testId: string): FirefoxLocator {
    return this.then_({ kind: 'testid', id: testId });
  }

  locator(selector: string): FirefoxLocator {
    return this.then_({ kind: 'css', selector });
  }

  nth(index: number): FirefoxLocator {
    return this.then_({ kind: 'nth', index });
  }

  first(): FirefoxLocator {
    return this.nth(0);
  }

  /** Asks the page once more while a navigation replaces its document. */
  private async ask<T>(question: (steps: Step[]) => Promise<T>): Promise<T> {
    const deadline = Date.now() + ACTION_TIMEOUT_MS;
    for (;;) {
      try {
        return await question([...this.steps]);
      } catch (error) {
        if (!isTransient(error) || Date.now() > deadline) throw error;
        await pause(50);
      }
    }
  }

  /** Asks the page a question about the elements the steps designate. */
  private query<T>(question: Question): Promise<T> {
    return this.ask(async (steps) => {
      const closed = await closedRoots(this.host.page);
      try {
        return (await this.host.page.evaluate(queryPage, steps, question, ...closed)) as T;
      } finally {
        await Promise.all(closed.map((handle) => handle.dispose().catch(() => undefined)));
      }
    });
  }

  async count(): Promise<number> {
    return this.query<number>({ op: 'count' });
  }

  /** Each element's text (`textContent`, runs of ASCII whitespace collapsed; no-break spaces kept). */
  async allTexts(): Promise<string[]> {
    return this.query<string[]>({ op: 'texts' });
  }

  /**
   * The one element's text, or null while there is none (for polling), its no-break spaces
   * read as spaces: what Playwright compares a string with.
   */
  async text(): Promise<string | null> {
    return (await this.rawText())?.replace(/[\u00a0\u202f]/g, ' ') ?? null;
  }

  /** The same, with its no-break spaces: what Playwright tests a pattern against (amounts). */
  async rawText(): Promise<string | null> {
    const texts = await this.allTexts();
    if (texts.length > 1) throw new Error(`${this.describe()} matches ${texts.length} elements`);
    return texts[0] ?? null;
  }

  /** An attribute of the one element, or null while there is none. */
  async getAttribute(name: string): Promise<string | null> {
    const values = await this.query<(string | null)[]>({ op: 'attribute', name });
    if (values.length > 1) throw new Error(`${this.describe()} matches ${values.length} elements`);
    return values[0] ?? null;
  }

  /** The one field's value, as the member sees it (a property, not the attribute). */
  async inputValue(): Promise<string> {
    const element = await this.element();
    try {
      return await element.evaluate((field) => (field as HTMLInputElement).value);
    } finally {
      await element.dispose();
    }
  }

  /** Whether the one checkbox is checked. */
  async isChecked(): Promise<boolean> {
    const element = await this.element();
    try {
      return await element.evaluate((box) => (box as HTMLInputElement).checked);
    } finally {
      await element.dispose();
    }
  }

  /** Whether the one element has the focus (also inside a shadow root). */
  async isFocused(): Promise<boolean> {
    const element = await this.element();
    try {
      return await element.evaluate((target) => {
        let active = document.activeElement;
        while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
        return active === target;
      });
    } finally {
      await element.dispose();
    }
  }

  /** The one element, once there is exactly one (strict, as Playwright's actions). */
  async element(timeoutMs = ACTION_TIMEOUT_MS): Promise<ElementHandle<Element>> {
    const deadline = Date.now() + timeoutMs;
    let last: string;
    for (;;) {
      try {
        const question: Question = { op: 'element' };
        const closed = await closedRoots(this.host.page);
        const handle = await this.host.page
          .evaluateHandle(queryPage, [...this.steps], question, ...closed)
          .finally(() => Promise.all(closed.map((each) => each.dispose().catch(() => undefined))));
        const element = handle.asElement() as ElementHandle<Element> | null;
        if (element) return element;
        const count = (await handle.jsonValue()) as number;
        await handle.dispose();
        if (count > 1) throw new Error(`${this.describe()} matches ${count} elements`);
        last = 'no element';
      } catch (error) {
        if (!isTransient(error)) throw error;
        last = error instanceof Error ? error.message : String(error);
      }
      if (Date.now() > deadline) {
        throw new Error(`${this.describe()}: ${last} after ${timeoutMs} ms`);
      }
      await pause(100);
    }
  }

  async click(): Promise<void> {
    const element = await this.element();
    try {
      await element.click();
    } finally {
      await element.dispose().catch(() => undefined);
    }
  }

  /** Two real clicks in a row, as a double click (each fires `click`). */
  async dblclick(): Promise<void> {
    const element = await this.element();
    try {
      await element.click({ count: 2 });
    } finally {
      await element.dispose().catch(() => undefined);
    }
  }

  /** Types `value` into the one field, replacing what it held, with real key presses. */
  async fill(value: string): Promise<void> {
    const element = await this.element();
    try {
      await element.evaluate((field) => {
        (field as HTMLInputElement).focus();
        (field as HTMLInputElement).select();
      });
      if (await element.evaluate((field) => (field as HTMLInputElement).value !== '')) {
        await this.host.page.keyboard.press('Backspace');
      }
      await this.host.page.keyboard.type(value);
    } finally {
      await element.dispose().catch(() => undefined);
    }
  }

  describe(): string {
    const steps = this.steps.map((step) => JSON.stringify(step)).join(' › ');
    return `${this.host.describe()} › ${steps}`;
  }
}

/** A page (or an extension page) as a scope for the page objects. */
export class FirefoxScope implements Scope<FirefoxLocator>, LocatorHost {
  constructor(
    readonly page: Page,
    private readonly label = 'page',
  ) {}

  private start(): FirefoxLocator {
    return new FirefoxLocator(this, []);
  }

  getByRole(role: Role, options?: RoleOptions): FirefoxLocator {
    return this.start().getByRole(role, options);
  }

  getByText(text: string | RegExp, options?: { exact?: boolean }): FirefoxLocator {
    return this.start().getByText(text, options);
  }

  getByLabel(text: string | RegExp, options?: { exact?: boolean }): FirefoxLocator {
    return this.start().getByLabel(text, options);
  }

  getByTestId(testId: string): FirefoxLocator {
    return this.start().getByTestId(testId);
  }

  locator(selector: string): FirefoxLocator {
    return this.start().locator(selector);
  }

  describe(): string {
    return this.label;
  }
}
