// Where the imprint and the privacy notice are: IMPRINT_URL / PRIVACY_URL when set, else the pages
// platform admins write (`urls.imprint()`, `urls.privacy()`: /impressum, /datenschutz). Every public
// page's footer, every mail's footer and the subscribe form link them from here.
import type { Config } from '../../config.ts';
import type { LegalKind } from '../../db/database.ts';
import type { Paths, Urls } from '../../lib/urls.ts';

export interface LegalLinks {
  imprint: string;
  privacy: string;
}

/** The path of a legal page on this site. */
export const legalPath = (urls: Pick<Paths, 'imprint' | 'privacy'>, kind: LegalKind): string => (kind === 'imprint' ? urls.imprint() : urls.privacy());

/** For pages: a path on this site, or the configured address elsewhere. */
export const legalLinks = (config: Pick<Config, 'imprintUrl' | 'privacyUrl'>, urls: Pick<Paths, 'imprint' | 'privacy'>): LegalLinks => ({
  imprint: config.imprintUrl ?? urls.imprint(),
  privacy: config.privacyUrl ?? urls.privacy(),
});

/** For mail: always absolute. */
export const absoluteLegalLinks = (config: Pick<Config, 'imprintUrl' | 'privacyUrl'>, urls: Urls): LegalLinks => ({
  imprint: config.imprintUrl ?? urls.absolute(urls.imprint()),
  privacy: config.privacyUrl ?? urls.absolute(urls.privacy()),
});
