// Request schemas of the feed routes.
import { Type, type Static } from '@sinclair/typebox';

export const DEFAULT_FEED_LIMIT = 20;
export const MAX_FEED_LIMIT = 100;

export const FeedQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_FEED_LIMIT })),
});
export type FeedQuery = Static<typeof FeedQuery>;
