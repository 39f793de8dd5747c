// A second fediverse server on loopback, standing in for a journalist's Mastodon: one account
// (`reporter`) with its own RSA key, an inbox that records every activity it receives together
// with the key its HTTP Signature was checked against (fedify's verifyRequest, before the inbox
// sees it), and a way to follow and unfollow. Built with Fedify, like Herold, but as its own
// federation with its own store: the two only talk HTTP with signatures, as two servers do.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { TestContext } from 'node:test';
import { createFederation, MemoryKvStore, type Federation } from '@fedify/fedify';
import { verifyRequest } from '@fedify/fedify/sig';
import { Accept, Activity, Create, Delete, Endpoints, Follow, isActor, Person, Reject, Undo, Update, type Actor } from '@fedify/fedify/vocab';

export interface Received {
  type: string;
  /** The activity as JSON-LD (compacted). */
  json: Record<string, unknown>;
  /** Whose key the HTTP Signature was made with (its owner), or null when it did not verify. */
  signedBy: string | null;
}

export interface FollowerServer {
  origin: string;
  actorId: string;
  received: Received[];
  /** POSTs that reached the inbox, with whose key they were signed. */
  signatures: (string | null)[];
  federation: Federation<void>;
  /** Looks the account up (by URL) and sends it a Follow; returns the Follow's id. */
  follow(target: string): Promise<string>;
  unfollow(target: string, followId: string): Promise<void>;
  /** Sends any activity of the account, signed, to an inbox (a server that knows its actor's inboxes). */
  sendTo(actor: string, inbox: string, activity: Activity): Promise<void>;
  /** Activities of one type received so far. */
  of(type: string): Received[];
}

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

const send = async (res: ServerResponse, response: Response) => {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(Buffer.from(await response.arrayBuffer()));
};

export const startFollowerServer = async (t: TestContext): Promise<FollowerServer> => {
  const received: Received[] = [];
  const signatures: (string | null)[] = [];
  let federation!: Federation<void>;
  let origin = '';
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) for (const v of [value ?? []].flat()) headers.append(name, v);
      const request = new Request(new URL(req.url ?? '/', origin), { method: req.method, headers, ...(body.length ? { body: new Uint8Array(body) } : {}) });
      if (req.method === 'POST') {
        const ctx = federation.createContext(new URL(origin), undefined);
        const key = await verifyRequest(request.clone(), { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader });
        signatures.push(key?.ownerId?.href ?? null);
      }
      await send(res, await federation.fetch(request, { contextData: undefined }));
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const keyPair = await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
  federation = createFederation<void>({ kv: new MemoryKvStore(), allowPrivateAddress: true, origin });
  federation
    .setActorDispatcher('/users/{identifier}', async (ctx, identifier) => {
      if (identifier !== 'reporter') return null;
      const keys = await ctx.getActorKeyPairs(identifier);
      return new Person({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        name: 'Rita Reporterin',
        inbox: ctx.getInboxUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: keys[0]!.cryptographicKey,
      });
    })
    .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === 'reporter' ? [keyPair] : []));
  const record = async (type: string, activity: Activity) => {
    received.push({ type, json: (await activity.toJsonLd({ format: 'compact' })) as Record<string, unknown>, signedBy: signatures.at(-1) ?? null });
  };
  federation
    .setInboxListeners('/users/{identifier}/inbox', '/inbox')
    .on(Accept, (_ctx, a) => record('Accept', a))
    .on(Reject, (_ctx, a) => record('Reject', a))
    .on(Create, (_ctx, a) => record('Create', a))
    .on(Update, (_ctx, a) => record('Update', a))
    .on(Delete, (_ctx, a) => record('Delete', a));

  const actorId = `${origin}/users/reporter`;
  const lookUp = async (target: string): Promise<Actor> => {
    const ctx = federation.createContext(new URL(origin), undefined);
    const actor = await ctx.lookupObject(target);
    if (!actor || !isActor(actor)) throw new Error(`${target} is not an actor`);
    return actor;
  };
  return {
    origin,
    actorId,
    received,
    signatures,
    federation,
    of: (type) => received.filter((r) => r.type === type),
    async follow(target) {
      const actor = await lookUp(target);
      const ctx = federation.createContext(new URL(origin), undefined);
      const id = `${origin}/follows/${crypto.randomUUID()}`;
      await ctx.sendActivity({ identifier: 'reporter' }, actor, new Follow({ id: new URL(id), actor: new URL(actorId), object: actor.id }), { immediate: true });
      return id;
    },
    async sendTo(actor, inbox, activity) {
      const ctx = federation.createContext(new URL(origin), undefined);
      await ctx.sendActivity({ identifier: 'reporter' }, { id: new URL(actor), inboxId: new URL(inbox), endpoints: null }, activity, { immediate: true });
    },
    async unfollow(target, followId) {
      const actor = await lookUp(target);
      const ctx = federation.createContext(new URL(origin), undefined);
      await ctx.sendActivity(
        { identifier: 'reporter' },
        actor,
        new Undo({ id: new URL(`${followId}#undo`), actor: new URL(actorId), object: new Follow({ id: new URL(followId), actor: new URL(actorId), object: actor.id }) }),
        { immediate: true },
      );
    },
  };
};
