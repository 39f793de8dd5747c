// Where the imprint and the privacy notice are: IMPRINT_URL / PRIVACY_URL when set, else the pages
// platform admins write (/impressum, /datenschutz). Every public page's footer, every mail's footer
// and the subscribe form link them from here.
import type { Config } from '../../config.ts';
import { absoluteUrl } from '../../lib/urls.ts';

export const legalPaths = { imprint: '/impressum', privacy: '/datenschutz' } as const;

export interface LegalLinks {
  imprint: string;
  privacy: string;
}

/** For pages: a path on this site, or the configured address elsewhere. */
export const legalLinks = (config: Pick<Config, 'imprintUrl' | 'privacyUrl'>): LegalLinks => ({
  imprint: config.imprintUrl ?? legalPaths.imprint,
  privacy: config.privacyUrl ?? legalPaths.privacy,
});

/** For mail: always absolute. */
export const absoluteLegalLinks = (config: Pick<Config, 'imprintUrl' | 'privacyUrl' | 'publicUrl'>): LegalLinks => ({
  imprint: config.imprintUrl ?? absoluteUrl(config.publicUrl, legalPaths.imprint),
  privacy: config.privacyUrl ?? absoluteUrl(config.publicUrl, legalPaths.privacy),
});
