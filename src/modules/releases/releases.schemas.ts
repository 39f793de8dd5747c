// Request schemas of the public release routes.
import { Type, type Static } from '@sinclair/typebox';
import { RELEASE_YEARS } from './release.ts';

export const PageQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
});
export type PageQuery = Static<typeof PageQuery>;

export const ReleaseParams = Type.Object({
  ref: Type.String({ maxLength: 200 }),
});
export type ReleaseParams = Static<typeof ReleaseParams>;

export const ArchiveParams = Type.Object({
  year: Type.Integer({ minimum: RELEASE_YEARS.first, maximum: RELEASE_YEARS.last }),
  month: Type.Integer({ minimum: 1, maximum: 12 }),
});
export type ArchiveParams = Static<typeof ArchiveParams>;

export const SlugParams = (name: string) => Type.Object({ [name]: Type.String({ maxLength: 100 }) });
