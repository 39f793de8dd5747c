// The personal link of an embargoed pre-release, `/embargo/{token}`, and everything reached through
// it: the text, the press kit, each photo's download and the media files (photos, attachments). No
// login: the unguessable token is the key, and only its SHA-256 is stored. Every answer is
// no-store, noindex and no-referrer. A token nobody was given is "not found"; a revoked one (the
// office removed the recipient, took the release back, withdrew or deleted it) answers 410 with a
// page saying so, never the content; once the embargo time has come the link leads (303) to the
// public page, and its files to the public ones. Opens and downloads are recorded for the office.
// Guessing is limited per client address: only links that do not exist count (GUESSES); an address
// over the limit gets 429 for every personal link, valid or not, until the window passes, so a
// guesser learns nothing, while a recipient who uses their own link is never counted. Each address's
// unknown links are logged at most once a minute, never the token (lib/redact.ts masks the URL).
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../lib/errors.ts';
import { mediaDir } from '../../plugins/static.ts';
import { contentDisposition } from '../media/media.routes.ts';
import { attachmentFileNames } from '../releases/releases.presenter.ts';
import { releasePageView } from '../releases/releases.views.ts';
import { renderReleaseText } from '../../content/release-text.ts';
import { slugify } from '../../lib/slug.ts';
import { ExiftoolMissingError } from '../press-kits/press-kits.metadata.ts';
import type { Release } from '../releases/release.ts';
import type { RecipientRow } from './prereleases.repository.ts';
import { embargoedView } from './prereleases.views.ts';
import { PersonalMediaParams, PersonalParams, PersonalPhotoParams } from './prereleases.schemas.ts';

const PRIVATE = { 'cache-control': 'no-store', 'x-robots-tag': 'noindex, nofollow', 'referrer-policy': 'no-referrer' } as const;

/** Links that do not exist, per client address and window, before every personal link answers 429. */
export const GUESSES = { max: 20, timeWindow: 10 * 60_000 } as const;
/** How often an address's unknown links are logged at most. */
const LOG_EVERY_MS = 60_000;

export default async function prereleasesRoutes(app: FastifyInstance) {
  const { prereleases, urls, pressKits } = app.services;
  const root = mediaDir(app.config);
  const site = { timeZone: app.config.timeZone, siteName: app.config.siteName, siteUrl: urls.base };

  const gone = (request: FastifyRequest, reply: FastifyReply) =>
    reply.page('prereleases/gone', { title: request.t.t('prerelease.gone.title'), robots: 'noindex, nofollow' }, 410);

  // Counts the unknown links of an address (@fastify/rate-limit's in-memory store, a window of its own).
  const guesses = app.createRateLimit(GUESSES);
  const lastLogged = new Map<string, number>();

  /** Every personal route, first: an address over the limit gets 429 without its token being looked at. */
  const refuseGuessers = async (request: FastifyRequest, reply: FastifyReply) => {
    const counted = await guesses(request, { increment: false });
    if (counted.isAllowed || counted.remaining > 0) return;
    reply.headers(PRIVATE).header('retry-after', counted.ttlInSeconds);
    return reply.page('prereleases/too-many', { title: request.t.t('prerelease.tooMany.title'), robots: 'noindex, nofollow', minutes: Math.max(1, Math.ceil(counted.ttlInSeconds / 60)) }, 429);
  };

  /** Counts an unknown link against the address; logged once a minute per address at most. */
  const unknownLink = async (request: FastifyRequest) => {
    const counted = await guesses(request);
    const now = Date.now();
    if (now - (lastLogged.get(request.ip) ?? -Infinity) < LOG_EVERY_MS) return;
    if (lastLogged.size >= 10_000) for (const [ip, at] of lastLogged) if (now - at >= LOG_EVERY_MS) lastLogged.delete(ip);
    lastLogged.set(request.ip, now);
    request.log.warn({ event: 'prerelease.link.unknown', ip: request.ip, count: counted.isAllowed ? undefined : GUESSES.max - counted.remaining }, 'a personal pre-release link that does not exist was requested');
  };

  /**
   * The embargoed release behind `token`, or the answer when there is none: 404, 410, or 303 to
   * `publicTarget` (the public page by default) once the release is public.
   */
  const open = async (request: FastifyRequest, reply: FastifyReply, token: string, publicTarget?: (release: Release) => string): Promise<{ recipient: RecipientRow; release: Release } | FastifyReply> => {
    reply.headers(PRIVATE);
    const found = await prereleases.resolve(token);
    if (found.state === 'unknown') {
      await unknownLink(request);
      throw new NotFoundError();
    }
    if (found.state === 'revoked') return gone(request, reply);
    if (found.state === 'public') return reply.redirect((publicTarget ?? ((r) => urls.release(r)))(found.release), 303);
    return { recipient: found.recipient, release: found.release };
  };

  /** The press kit of the recipient's copy: the embargo and the recipient in its text, HTML and photos. */
  const kitOf = async (request: FastifyRequest, reply: FastifyReply, token: string, recipient: RecipientRow, release: Release) => {
    const view = embargoedView(release, recipient, token, urls);
    try {
      return { view, kit: await pressKits.build(release, view, { copy: `embargo-${recipient.id}` }) };
    } catch (error) {
      if (!(error instanceof ExiftoolMissingError)) throw error;
      request.log.error({ event: 'press-kit.exiftool.missing' }, error.message);
      return reply.code(503).header('retry-after', '3600').type('text/plain; charset=utf-8').send(`503 ${request.t.t('pressKit.unavailable')}\n`);
    }
  };

  app.get<{ Params: PersonalParams }>('/embargo/:token', { schema: { params: PersonalParams }, preHandler: refuseGuessers }, async function showEmbargoedPage(request, reply) {
    const found = await open(request, reply, request.params.token);
    if (!('release' in found)) return found;
    const { recipient, release } = found;
    await prereleases.record(recipient.id, 'opened');
    const view = embargoedView(release, recipient, request.params.token, urls);
    let downloads;
    try {
      const kit = await pressKits.build(release, view, { copy: `embargo-${recipient.id}` });
      downloads = { kitBytes: kit.bytes, photoBytes: new Map([...kit.photos].map(([id, p]) => [id, p.bytes])) };
    } catch (error) {
      request.log.error({ event: 'press-kit.failed', err: error, releaseId: release.id }, 'the embargoed press kit could not be made; the page shows without it');
    }
    const page = releasePageView(view, request.t, app.config.siteName, downloads);
    return reply.page('releases/show', { release: { ...page, jsonLd: null }, robots: 'noindex, nofollow', canonical: null, title: `${page.embargo!.banner}: ${view.title}` });
  });

  app.get<{ Params: PersonalParams }>('/embargo/:token/text.txt', { schema: { params: PersonalParams }, preHandler: refuseGuessers }, async function downloadEmbargoedText(request, reply) {
    const found = await open(request, reply, request.params.token, (r) => urls.releaseText(r.id));
    if (!('release' in found)) return found;
    await prereleases.record(found.recipient.id, 'text');
    return reply.type('text/plain; charset=utf-8').send(renderReleaseText(embargoedView(found.release, found.recipient, request.params.token, urls), site));
  });

  app.get<{ Params: PersonalParams }>('/embargo/:token/press-kit.zip', { schema: { params: PersonalParams }, preHandler: refuseGuessers }, async function downloadEmbargoedPressKit(request, reply) {
    const found = await open(request, reply, request.params.token, (r) => urls.pressKit(r.id));
    if (!('release' in found)) return found;
    const built = await kitOf(request, reply, request.params.token, found.recipient, found.release);
    if (!('kit' in built)) return built;
    await prereleases.record(found.recipient.id, 'press-kit', built.kit.fileName);
    return reply
      .type('application/zip')
      .header('content-length', built.kit.bytes)
      .header('content-disposition', contentDisposition({ utf8: built.kit.fileName, ascii: `${slugify(built.kit.fileName.replace(/\.zip$/, ''), 100) || 'press-kit'}.zip` }))
      .send(built.kit.stream());
  });

  app.get<{ Params: PersonalPhotoParams }>('/embargo/:token/photos/:name', { schema: { params: PersonalPhotoParams }, preHandler: refuseGuessers }, async function downloadEmbargoedPhoto(request, reply) {
    const found = await open(request, reply, request.params.token, (r) => urls.photoDownload(r.id, request.params.name));
    if (!('release' in found)) return found;
    const built = await kitOf(request, reply, request.params.token, found.recipient, found.release);
    if (!('kit' in built)) return built;
    const photo = built.view.photos.find((p) => p.downloadName === request.params.name && p.original);
    if (!photo) throw new NotFoundError();
    await prereleases.record(found.recipient.id, 'photo', photo.downloadName);
    const stamped = built.kit.photos.get(photo.id);
    reply.header('content-disposition', contentDisposition({ utf8: photo.downloadName, ascii: photo.downloadName }));
    if (!stamped) return reply.sendFile(found.release.photos.find((p) => p.id === photo.id)!.path, root, { cacheControl: false, dotfiles: 'deny', index: false });
    return reply.type(stamped.mime).sendFile(path.basename(stamped.file), path.dirname(stamped.file), { cacheControl: false, dotfiles: 'deny', index: false });
  });

  // The release's files as the copy shows them: only paths of this release's photos (every size) and
  // attachments, so a token opens nothing else below the media folder.
  app.get<{ Params: PersonalMediaParams }>('/embargo/:token/media/*', { schema: { params: PersonalMediaParams }, preHandler: refuseGuessers }, async function showEmbargoedMediaFile(request, reply) {
    const file = request.params['*'];
    const found = await open(request, reply, request.params.token, () => urls.media(file));
    if (!('release' in found)) return found;
    const { release } = found;
    const photoPaths = new Set(release.photos.flatMap((p) => [p.path, ...p.variants.flatMap((v) => [v.webp, v.jpeg])]).filter(Boolean));
    const attachment = release.attachments.find((a) => a.path === file);
    if (!photoPaths.has(file) && !attachment) throw new NotFoundError();
    if (attachment) {
      await prereleases.record(found.recipient.id, 'attachment', attachment.title);
      const names = attachmentFileNames(attachment);
      reply.header('content-disposition', contentDisposition(names)).type(attachment.mime);
    }
    return reply.sendFile(file, root, { cacheControl: false, dotfiles: 'deny', index: false });
  });
}
