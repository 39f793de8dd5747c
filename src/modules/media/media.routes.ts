// The files below DATA_DIR/media: office logos (public) and the photos of releases, served only as
// far as the release is: a public release's files to everyone; a draft's or a scheduled release's
// (before its time) only to its office and to the holder of its preview link, and to anyone else
// exactly like a file that does not exist (404, through the same not-found handler); a withdrawn
// release's only to its office, and to anyone else 410. The rule is `releases.mediaAccess`.
// Attachments are downloads: `Content-Disposition: attachment` with the name made from their title.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mediaDir } from '../../plugins/static.ts';
import { optionalUser } from '../auth/require-user.ts';
import { roleIn } from '../auth/auth.service.ts';

/** `releases/{id}/…/{name}.{ext}`: a photo's original or variant (and older single files), or an attachment. */
const RELEASE_FILE = /^releases\/(\d{1,12})\/(?:[A-Za-z0-9_-]+\/)?[A-Za-z0-9_-][A-Za-z0-9_.-]*\.(jpe?g|png|webp|pdf|odt|docx)$/;
const DOCUMENT = new Set(['pdf', 'odt', 'docx']);

/**
 * Content-Disposition of a download: `attachment` (a document is saved, never shown inside the
 * site), with the name in ASCII and, for every other client, in UTF-8 (RFC 6266, RFC 8187).
 */
export const contentDisposition = (names: { utf8: string; ascii: string }): string =>
  `attachment; filename="${names.ascii.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(names.utf8).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
/** An office logo: `offices/{slug}-logo-{hex}.{ext}` (and the demo's `offices/{id}/logo.png`). */
const LOGO_FILE = /^offices\/(?:[a-z0-9-]+\/)?[a-z0-9-]+\.(?:jpe?g|png|webp)$/;

/**
 * Caching. Public photos for an hour, not immutably: a withdrawn release's files must stop being
 * served, also from caches, soon after. Logos keep their year: a new logo gets a new name. What only
 * an office or a preview link may see is never stored by a cache.
 */
const CACHE = { public: 'public, max-age=3600', logo: 'public, max-age=31536000, immutable', private: 'private, no-store' } as const;

/** The cookie the preview page sets so its photos load: named and scoped to the one release's media folder. */
export const previewMediaCookie = (releaseId: number) => ({ name: `herold_preview_${releaseId}`, path: `/media/releases/${releaseId}/` });

export default async function mediaRoutes(app: FastifyInstance) {
  const root = mediaDir(app.config);
  const { releases } = app.services;

  const send = (reply: FastifyReply, file: string, cacheControl: string) => reply.header('cache-control', cacheControl).sendFile(file, root, { cacheControl: false, dotfiles: 'deny', index: false });

  /** Whether the logged-in user acts for the office. */
  const isOfficeMember = async (request: FastifyRequest, officeId: number): Promise<boolean> => {
    await optionalUser(request);
    return request.user !== null && roleIn(request.user, officeId) !== undefined;
  };

  app.get<{ Params: { '*': string } }>('/media/*', async function showMediaFile(request, reply) {
    const file = request.params['*'];
    if (LOGO_FILE.test(file)) return send(reply, file, CACHE.logo);
    const match = RELEASE_FILE.exec(file);
    if (!match) return reply.callNotFound();
    const id = Number(match[1]);
    // A document is served only while it is an attachment of that release, with its name and type
    // (set once access is granted: a refusal names nothing).
    const download = DOCUMENT.has(match[2]!) ? await releases.attachmentDownload(file) : undefined;
    if (DOCUMENT.has(match[2]!) && (!download || download.releaseId !== id)) return reply.callNotFound();
    const found = await releases.mediaAccess(id, request.cookies[previewMediaCookie(id).name]);
    if (!found) return reply.callNotFound();
    const grant = (cacheControl: string) => {
      if (download) reply.header('content-disposition', contentDisposition(download.fileNames)).type(download.mime);
      return send(reply, file, cacheControl);
    };
    if (found.access === 'public') return grant(CACHE.public);
    if (found.access === 'preview' || (await isOfficeMember(request, found.officeId))) return grant(CACHE.private);
    if (found.access === 'gone') return reply.code(410).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('410 Gone: the release was withdrawn\n');
    return reply.callNotFound();
  });
}
