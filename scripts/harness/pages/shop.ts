/** A demo shop of the reference portal, as a shopper uses it. */
import { expect, type Locator, type Page } from '@playwright/test';
import type { PartLocator, Scope } from './scope';

/** A demo shop's origin on its own *.localhost host, e.g. http://atelier-vendome.localhost:41234 */
export function shopOrigin(slug: string, port: number): string {
  return `http://${slug}.localhost:${port}`;
}

/** The shop's parts, as any browser's driver finds them. */
export class ShopParts<L extends PartLocator<L>> {
  constructor(
    protected readonly root: Scope<L>,
    /** e.g. http://atelier-vendome.localhost:41234 */
    readonly origin: string,
  ) {}

  /** The full URL of a path of this shop. */
  url(path = '/'): string {
    return `${this.origin}${path}`;
  }

  /** The page's title: "Votre panier" on the cart. */
  get heading(): L {
    return this.root.getByRole('heading', { level: 1 });
  }

  /** On a product page. */
  get product(): L {
    return this.root.getByTestId('product');
  }

  get addToCartButton(): L {
    return this.root.getByRole('button', { name: 'Ajouter au panier' }).first();
  }

  get payButton(): L {
    return this.root.getByRole('button', { name: 'Payer' });
  }

  /** After paying: `data-tracked="true"` when the order came through an activation. */
  get cashbackStatus(): L {
    return this.root.getByTestId('cashback-status');
  }

  get orderAmount(): L {
    return this.root.getByTestId('order-amount');
  }
}

export class ShopPage extends ShopParts<Locator> {
  constructor(
    readonly page: Page,
    origin: string,
  ) {
    super(page, origin);
  }

  static on(page: Page, slug: string, port: number): ShopPage {
    return new ShopPage(page, shopOrigin(slug, port));
  }

  async goto(path = '/'): Promise<void> {
    await this.page.goto(this.url(path));
  }

  async openCart(): Promise<void> {
    await this.goto('/panier');
    await expect(this.heading).toHaveText('Votre panier');
  }

  async openProduct(number = 1): Promise<void> {
    await this.goto(`/produit/${number}`);
    await expect(this.product).toBeVisible();
  }

  /** From a product page: add it and land on the cart (/panier). */
  async addToCart(): Promise<void> {
    await this.addToCartButton.click();
    await expect(this.page).toHaveURL(/\/panier$/);
  }

  async payOrder(): Promise<{ tracked: boolean; amount: string }> {
    await this.goto('/commande');
    await this.payButton.click();
    await expect(this.cashbackStatus).toBeVisible();
    return {
      tracked: (await this.cashbackStatus.getAttribute('data-tracked')) === 'true',
      amount: (await this.orderAmount.innerText()).trim(),
    };
  }
}
