// Request schemas of the feed routes.
import { Type, type Static } from '@sinclair/typebox';

export const DEFAULT_FEED_LIMIT = 20;
export const MAX_FEED_LIMIT = 100;

/** `?limit=` of every feed (listings and searches): a whole number of items. */
export const FeedLimit = Type.Integer({ minimum: 1, maximum: MAX_FEED_LIMIT });

/** What a bad `limit` is answered with (400). */
export const FEED_LIMIT_RULE = `limit must be a whole number from 1 to ${MAX_FEED_LIMIT} (default ${DEFAULT_FEED_LIMIT})`;

export const FeedQuery = Type.Object({
  limit: Type.Optional(FeedLimit),
});
export type FeedQuery = Static<typeof FeedQuery>;
