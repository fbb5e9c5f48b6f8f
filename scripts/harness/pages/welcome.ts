/** The first-run page the extension opens at install (entrypoints/welcome). */
import type { PartLocator, Scope } from './scope';

/** The welcome page's parts, as any browser's driver finds them. */
export class WelcomeParts<L extends PartLocator<L>> {
  constructor(protected readonly root: Scope<L>) {}

  get title(): L {
    return this.root.getByRole('heading', { level: 1 });
  }

  /** Shown only while the extension lacks host access to all sites (Firefox may install it so). */
  get hostAccessSection(): L {
    return this.root.getByRole('region', { name: "Une dernière étape : l'accès aux sites" });
  }

  get allowAccessButton(): L {
    return this.hostAccessSection.getByRole('button', { name: 'Autoriser' });
  }

  /** The live line that confirms the access once given. */
  get hostAccessStatus(): L {
    return this.root.getByTestId('host-access-granted');
  }

  get signInForm(): L {
    return this.root.getByRole('form', { name: 'Connectez-vous pour commencer' });
  }
}
