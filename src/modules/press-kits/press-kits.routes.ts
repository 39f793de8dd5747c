// `/releases/{id}/press-kit.zip`: everything of a release public now in one ZIP, streamed, with its
// exact Content-Length; `/releases/{id}/photos/{name}`: one photo's original with the release's
// words written in. No login. Both answer like the release's page: not found for a draft, a
// scheduled release before its time or no release; 410 for a withdrawn one (whose stamped files are
// removed then). Without exiftool: 503 with a sentence saying what to install, never a stack trace.
import path from 'node:path';
import { mediaDir } from '../../plugins/static.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../lib/errors.ts';
import { presentRelease } from '../releases/releases.presenter.ts';
import { contentDisposition } from '../media/media.routes.ts';
import { slugify } from '../../lib/slug.ts';
import type { Release } from '../releases/release.ts';
import type { ReleaseView } from '../../content/release-view.ts';
import { ExiftoolMissingError } from './press-kits.metadata.ts';
import type { PressKit } from './press-kits.service.ts';
import { PhotoDownloadParams, PressKitParams } from './press-kits.schemas.ts';

/** As public photos (media.routes.ts): an hour, not immutable, so a correction or a withdrawal reaches caches soon. */
const CACHE = 'public, max-age=3600';

const gone = (reply: FastifyReply) => reply.code(410).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('410 Gone: the release was withdrawn\n');

export default async function pressKitsRoutes(app: FastifyInstance) {
  const { releases, urls, pressKits } = app.services;

  /** The kit of release `id` when it is public now; otherwise the answer its page would give. */
  const kitOf = async (request: FastifyRequest, reply: FastifyReply, ref: string): Promise<{ release: Release; view: ReleaseView; kit: PressKit } | FastifyReply> => {
    if (!/^\d{1,12}$/.test(ref)) throw new NotFoundError();
    const id = Number(ref);
    const release = await releases.findPublic(id);
    if (!release) throw new NotFoundError();
    const view = presentRelease(release, urls);
    if (view.withdrawn) {
      await pressKits.forget(id);
      return gone(reply);
    }
    try {
      return { release, view, kit: await pressKits.build(release, view) };
    } catch (error) {
      // No exiftool, or a photo or attachment whose file is gone: the kit cannot be made now, which
      // the log says (as the page, which then offers no kit), and the reader is told so.
      if (error instanceof ExiftoolMissingError) request.log.error({ event: 'press-kit.exiftool.missing' }, error.message);
      else request.log.error({ event: 'press-kit.failed', err: error, releaseId: id }, 'the press kit could not be made');
      return reply.code(503).header('cache-control', 'no-store').header('retry-after', '3600').type('text/plain; charset=utf-8').send(`503 ${request.t.t('pressKit.unavailable')}\n`);
    }
  };

  app.get<{ Params: PressKitParams }>('/releases/:id/press-kit.zip', { schema: { params: PressKitParams } }, async function downloadPressKit(request, reply) {
    const found = await kitOf(request, reply, request.params.id);
    if (!('kit' in found)) return found;
    const { kit } = found;
    reply.header('cache-control', CACHE).header('etag', kit.etag);
    if (request.headers['if-none-match'] === kit.etag) return reply.code(304).send();
    return reply
      .type('application/zip')
      .header('content-length', kit.bytes)
      .header('content-disposition', contentDisposition({ utf8: kit.fileName, ascii: `${slugify(kit.fileName.replace(/\.zip$/, ''), 100) || 'press-kit'}.zip` }))
      .send(kit.stream());
  });

  app.get<{ Params: PhotoDownloadParams }>('/releases/:id/photos/:name', { schema: { params: PhotoDownloadParams } }, async function downloadPhoto(request, reply) {
    const found = await kitOf(request, reply, request.params.id);
    if (!('kit' in found)) return found;
    const photo = found.view.photos.find((p) => p.downloadName === request.params.name && p.original);
    if (!photo) throw new NotFoundError();
    const stamped = found.kit.photos.get(photo.id);
    reply.header('content-disposition', contentDisposition({ utf8: photo.downloadName, ascii: photo.downloadName }));
    if (!stamped) {
      // A format exiftool cannot write into (WebP): the original as stored.
      const stored = found.release.photos.find((p) => p.id === photo.id)!;
      return reply.header('cache-control', CACHE).sendFile(stored.path!, mediaDir(app.config), { cacheControl: false, dotfiles: 'deny', index: false });
    }
    return reply.header('cache-control', CACHE).type(stamped.mime).sendFile(path.basename(stamped.file), path.dirname(stamped.file), { cacheControl: false, dotfiles: 'deny', index: false });
  });
}
