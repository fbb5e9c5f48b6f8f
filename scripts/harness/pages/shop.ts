/** A demo shop of the reference portal, as a shopper uses it. */
import { expect, type Page } from '@playwright/test';

export class ShopPage {
  constructor(
    readonly page: Page,
    /** e.g. http://atelier-vendome.localhost:41234 */
    readonly origin: string,
  ) {}

  static on(page: Page, slug: string, port: number): ShopPage {
    return new ShopPage(page, `http://${slug}.localhost:${port}`);
  }

  /** The full URL of a path of this shop. */
  url(path = '/'): string {
    return `${this.origin}${path}`;
  }

  async goto(path = '/'): Promise<void> {
    await this.page.goto(this.url(path));
  }

  async openCart(): Promise<void> {
    await this.goto('/panier');
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText('Votre panier');
  }

  async openProduct(number = 1): Promise<void> {
    await this.goto(`/produit/${number}`);
    await expect(this.page.getByTestId('product')).toBeVisible();
  }

  /** From a product page: add it and land on the cart (/panier). */
  async addToCart(): Promise<void> {
    await this.page.getByRole('button', { name: 'Ajouter au panier' }).first().click();
    await expect(this.page).toHaveURL(/\/panier$/);
  }

  async payOrder(): Promise<{ tracked: boolean; amount: string }> {
    await this.goto('/commande');
    await this.page.getByRole('button', { name: 'Payer' }).click();
    const status = this.page.getByTestId('cashback-status');
    await expect(status).toBeVisible();
    return {
      tracked: (await status.getAttribute('data-tracked')) === 'true',
      amount: (await this.page.getByTestId('order-amount').innerText()).trim(),
    };
  }
}
