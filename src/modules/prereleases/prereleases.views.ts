// The embargoed copy of a release for one recipient, and the office's table of recipients. The copy
// is the one presenter's view (releases.presenter.ts) with the embargo and the recipient, and with a
// link builder whose release, text, press-kit, photo and media links all lie below the recipient's
// personal link, so nothing on the copy points at a public URL of the release or at its media folder.
import type { MessageKey, Translator } from '../../i18n/i18n.ts';
import type { ReleaseView } from '../../content/release-view.ts';
import type { Urls } from '../../lib/urls.ts';
import type { Release } from '../releases/release.ts';
import { presentRelease } from '../releases/releases.presenter.ts';
import type { PrereleasesService } from './prereleases.service.ts';
import { recipientLine } from './prereleases.service.ts';

/** The paths of a personal link and of everything reached through it. */
export const personalPaths = (token: string) => {
  const base = `/embargo/${token}`;
  return {
    page: () => base,
    text: () => `${base}/text.txt`,
    pressKit: () => `${base}/press-kit.zip`,
    photo: (name: string) => `${base}/photos/${encodeURIComponent(name)}`,
    media: (path: string) => `${base}/media/${path.split('/').map(encodeURIComponent).join('/')}`,
  };
};

/** The site's link builder with the release's own links moved below the personal link. */
export const personalUrls = (urls: Urls, token: string): Urls => {
  const own = personalPaths(token);
  return { ...urls, release: own.page, releaseById: own.page, releaseText: own.text, pressKit: own.pressKit, photoDownload: (_id, name) => own.photo(name), media: own.media };
};

/** The embargoed copy of `release` for `recipient`, reached through `token`. */
export const embargoedView = (release: Release, recipient: { name: string; medium: string }, token: string, urls: Urls): ReleaseView =>
  presentRelease(release, personalUrls(urls, token), { embargo: { until: release.publishedAt!, recipient: recipientLine(recipient) } });

type Recipients = Awaited<ReturnType<PrereleasesService['recipientsOf']>>;

/** The office's table: per recipient when it was sent and opened, and what was downloaded. */
export const recipientsTableView = (recipients: Recipients, t: Translator) =>
  recipients.map((r) => ({
    id: r.id,
    who: recipientLine(r),
    email: r.email,
    sent: r.sentAt ? t.dateTime(r.sentAt) : t.t('prerelease.notSentYet'),
    firstOpened: r.firstOpenedAt ? t.dateTime(r.firstOpenedAt) : '–',
    lastOpened: r.lastOpenedAt ? t.dateTime(r.lastOpenedAt) : '–',
    opens: r.openCount,
    downloads: r.downloads.map((d) => `${t.t(`prerelease.download.${d.kind}` as MessageKey)}${d.detail ? `: ${d.detail}` : ''} (${t.dateTime(d.at)})`),
    revoked: r.revokedAt ? t.t(`prerelease.revoked.${r.revokedReason ?? 'removed'}`  as MessageKey, { date: t.dateTime(r.revokedAt) }) : '',
    active: r.revokedAt === null,
  }));
