// The ActivityPub side of Herold, built on Fedify (@fedify/fedify): what it answers (WebFinger and
// NodeInfo, which Fedify serves from these registrations; each federated office as an actor with
// its keys, outbox and followers; each release as an Article) and what its inbox does (Follow:
// accepted at once; Undo of a Follow: the follower is removed; Delete of an account: the same;
// everything else, replies included, is received and ignored; a Follow of an office that turned
// federation off is answered with Reject). HTTP Signatures, key fetching, retries and shared-inbox
// delivery are Fedify's. See CONTEXT.md beside this file.
import { createFederation, type Context, type Federation } from '@fedify/fedify';
import { Accept, Activity, Article, Create, Delete, Follow, PUBLIC_COLLECTION, Reject, Tombstone, Undo, Update } from '@fedify/fedify/vocab';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Urls } from '../../lib/urls.ts';
import { createTranslator } from '../../i18n/i18n.ts';
import type { ReleaseView } from '../../content/release-view.ts';
import type { ReleasesService } from '../releases/releases.service.ts';
import { presentRelease } from '../releases/releases.presenter.ts';
import type { Release } from '../releases/release.ts';
import type { ActorKeys } from './federation.keys.ts';
import { officeActor, releaseArticle } from './federation.objects.ts';
import type { SqliteKvStore, SqliteMessageQueue } from './federation.store.ts';
import * as repo from './federation.repository.ts';

/** Releases per page of an office's outbox. */
export const OUTBOX_PAGE = 20;

export interface FederationSetupDeps {
  db: Kysely<DB>;
  clock: Clock;
  urls: Urls;
  config: { siteName: string; timeZone: string; federationAllowPrivate: boolean };
  releases: Pick<ReleasesService, 'findPublic' | 'listPublic' | 'publicReleasesByIds'>;
  keys: ActorKeys;
  kv: SqliteKvStore;
  queue: SqliteMessageQueue;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  version: string;
}

const LOGO_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif', svg: 'image/svg+xml' };

/** The activities that tell followers of a release: ids are stable, so a repeated delivery is the same activity. */
export const releaseActivities = (view: ReleaseView, ids: { article: URL; actor: URL; followers: URL }, article: Article | null) => ({
  create: () => new Create({ id: new URL(`${ids.article.href}#create`), actor: ids.actor, object: article, to: PUBLIC_COLLECTION, cc: ids.followers, published: article?.published ?? null }),
  update: () => new Update({ id: new URL(`${ids.article.href}#update-${encodeURIComponent(view.updatedAt)}`), actor: ids.actor, object: article, to: PUBLIC_COLLECTION, cc: ids.followers, updated: article?.updated ?? article?.published ?? null }),
  delete: () => new Delete({ id: new URL(`${ids.article.href}#delete`), actor: ids.actor, object: new Tombstone({ id: ids.article, formerType: Article }), to: PUBLIC_COLLECTION, cc: ids.followers }),
});

export const createHeroldFederation = ({ db, clock, urls, config, releases, keys, kv, queue, log, version }: FederationSetupDeps): Federation<void> => {
  const federation = createFederation<void>({
    kv,
    queue,
    manuallyStartQueue: true,
    origin: urls.base,
    allowPrivateAddress: config.federationAllowPrivate,
    userAgent: { software: `Herold/${version}`, url: new URL(urls.base) },
    onOutboxError: (error, activity) => log.warn({ err: error, activity: activity?.id?.href, event: 'federation.delivery.failed' }, 'an activity could not be delivered (retried with backoff)'),
  });

  const federatedOffice = async (slug: string) => {
    const office = await repo.findOffice(db, slug);
    return office && office.is_federated === 1 ? office : undefined;
  };

  const articleOf = (release: Release, ctx: Context<void>) => {
    const view = presentRelease(release, urls);
    const ids = { article: ctx.getObjectUri(Article, { id: String(release.id) }), actor: ctx.getActorUri(release.office.slug), followers: ctx.getFollowersUri(release.office.slug) };
    return { view, ids, article: view.withdrawn ? null : releaseArticle(view, ids, createTranslator(view.language, config.timeZone)) };
  };

  federation
    .setActorDispatcher('/ap/offices/{identifier}', async (ctx, identifier) => {
      const office = await federatedOffice(identifier);
      if (!office) return null;
      const pairs = await ctx.getActorKeyPairs(identifier);
      const extension = /\.([a-z]+)$/i.exec(office.logo_path ?? '')?.[1]?.toLowerCase() ?? '';
      return officeActor(
        {
          slug: office.slug,
          name: office.name,
          descriptionHtml: office.description_html,
          website: office.website,
          language: office.language,
          createdAt: office.created_at,
          profileUrl: urls.absolute(urls.office(office.slug)),
          logo: office.logo_path && LOGO_TYPES[extension] ? { url: urls.absolute(urls.media(office.logo_path)), mediaType: LOGO_TYPES[extension]! } : null,
        },
        { actor: ctx.getActorUri(identifier), inbox: ctx.getInboxUri(identifier), sharedInbox: ctx.getInboxUri(), outbox: ctx.getOutboxUri(identifier), followers: ctx.getFollowersUri(identifier) },
        { publicKey: pairs[0]?.cryptographicKey ?? null, assertionMethods: pairs.map((p) => p.multikey) },
        createTranslator(office.language, config.timeZone),
        { name: config.siteName, verifyUrl: urls.absolute(urls.verify()) },
      );
    })
    .setKeyPairsDispatcher(async (_ctx, identifier) => {
      const office = await repo.findOffice(db, identifier);
      return office ? keys.forOffice(office.id) : [];
    })
    // The office's profile page names the same account as its handle.
    .mapAlias((_ctx, resource) => {
      const match = /^\/offices\/([a-z0-9-]+)$/.exec(resource.pathname);
      return resource.origin === new URL(urls.base).origin && match ? { identifier: match[1]! } : null;
    });

  federation.setObjectDispatcher(Article, '/ap/releases/{id}', async (ctx, { id }) => {
    if (!/^\d{1,12}$/.test(id)) return null;
    const release = await releases.findPublic(Number(id));
    if (!release || !(await federatedOffice(release.office.slug))) return null;
    return articleOf(release, ctx).article;
  });

  federation
    .setOutboxDispatcher('/ap/offices/{identifier}/outbox', async (ctx, identifier, cursor) => {
      const office = await federatedOffice(identifier);
      if (!office || cursor === null) return null;
      const page = /^\d{1,6}$/.test(cursor) ? Math.max(1, Number(cursor)) : 1;
      const list = await releases.listPublic({ officeId: office.id }, page, OUTBOX_PAGE);
      const items = (await releases.publicReleasesByIds(list.items.map((r) => r.id))).map((release) => {
        const { view, ids, article } = articleOf(release, ctx);
        return releaseActivities(view, ids, article).create();
      });
      return { items, nextCursor: page < list.pages ? String(page + 1) : null, prevCursor: page > 1 ? String(page - 1) : null };
    })
    .setFirstCursor(() => '1')
    .setCounter(async (_ctx, identifier) => {
      const office = await federatedOffice(identifier);
      return office ? (await releases.listPublic({ officeId: office.id }, 1, 1)).total : null;
    });

  federation
    .setFollowersDispatcher('/ap/offices/{identifier}/followers', async (ctx, identifier) => {
      const office = await federatedOffice(identifier);
      if (!office) return null;
      // Who follows an office is not shown to the public (only how many); deliveries, which are
      // made outside any request, get every follower.
      if ('request' in ctx && ctx.request) return { items: [] };
      return {
        items: (await repo.listFollowers(db, office.id)).map((f) => ({ id: new URL(f.actor_id), inboxId: new URL(f.inbox_url), endpoints: f.shared_inbox_url ? { sharedInbox: new URL(f.shared_inbox_url) } : null })),
      };
    })
    .setCounter(async (_ctx, identifier) => {
      const office = await federatedOffice(identifier);
      return office ? repo.countFollowers(db, office.id) : null;
    });

  federation
    .setInboxListeners('/ap/offices/{identifier}/inbox', '/ap/inbox')
    .on(Follow, async (ctx, follow) => {
      if (!follow.id || !follow.objectId) return;
      const parsed = ctx.parseUri(follow.objectId);
      if (parsed?.type !== 'actor') return;
      const office = await repo.findOffice(db, parsed.identifier);
      if (!office) return;
      const follower = await follow.getActor(ctx);
      if (!follower?.id || !follower.inboxId) return;
      const actor = ctx.getActorUri(office.slug);
      if (office.is_federated !== 1) {
        await ctx.sendActivity({ identifier: office.slug }, follower, new Reject({ id: new URL(`${actor.href}#reject/${crypto.randomUUID()}`), actor, object: follow }));
        return;
      }
      await repo.upsertFollower(db, {
        office_id: office.id,
        actor_id: follower.id.href,
        inbox_url: follower.inboxId.href,
        shared_inbox_url: follower.endpoints?.sharedInbox?.href ?? null,
        follow_id: follow.id.href,
        created_at: clock.now().toISOString(),
      });
      log.info({ office: office.slug, event: 'federation.followed' }, 'new follower');
      await ctx.sendActivity({ identifier: office.slug }, follower, new Accept({ id: new URL(`${actor.href}#accept/${crypto.randomUUID()}`), actor, object: follow }));
    })
    .on(Undo, async (ctx, undo) => {
      const object = await undo.getObject(ctx);
      if (!(object instanceof Follow) || !undo.actorId || object.actorId?.href !== undo.actorId.href || !object.objectId) return;
      const parsed = ctx.parseUri(object.objectId);
      if (parsed?.type !== 'actor') return;
      const office = await repo.findOffice(db, parsed.identifier);
      if (office) await repo.deleteFollower(db, office.id, undo.actorId.href);
    })
    .on(Delete, async (_ctx, deletion) => {
      // An account that deletes itself follows nothing any more.
      if (deletion.actorId && deletion.objectId?.href === deletion.actorId.href) await repo.deleteFollowerEverywhere(db, deletion.actorId.href);
    })
    // Replies, mentions, likes, boosts: received (202) and not read; the actor's profile says so.
    .on(Activity, () => {});

  federation.setOutboxPermanentFailureHandler(async (_ctx, values) => {
    for (const actorId of values.actorIds) await repo.deleteFollowerEverywhere(db, actorId.href);
  });

  federation.setNodeInfoDispatcher('/nodeinfo/2.1', async () => ({
    software: { name: 'herold', version, homepage: new URL(urls.base) },
    protocols: ['activitypub'],
    openRegistrations: false,
    usage: {
      users: { total: await repo.countFederatedOffices(db) },
      localPosts: await repo.countPublicReleasesOfFederatedOffices(db, clock.now().toISOString()),
      localComments: 0,
    },
    metadata: { nodeName: config.siteName },
  }));

  return federation;
};
