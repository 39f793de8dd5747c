// Request shapes of the release editor and its workflow (releases.admin-routes.ts). Loose on
// purpose, as every admin form (admin/admin.schemas.ts).
import { Type, type Static } from '@sinclair/typebox';
import { Text } from '../admin/admin.schemas.ts';

const TextOrList = Type.Union([Type.String({ maxLength: 200 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 200 })]);

/** The list of an office's releases: a page of it, and what their titles must contain. */
export const ReleaseListQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })), q: Type.Optional(Type.String({ maxLength: 200 })) });
export type ReleaseListQuery = Static<typeof ReleaseListQuery>;

export const ReleaseIdParams = Type.Object({ office: Type.String({ maxLength: 100 }), id: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) });
export type ReleaseIdParams = Static<typeof ReleaseIdParams>;

/** The release editor: every field of the release, plus which button was pressed. */
export const EditorBody = Type.Object(
  {
    title: Type.Optional(Text),
    subtitle: Type.Optional(Text),
    releaseDate: Type.Optional(Text),
    dateline: Type.Optional(Text),
    bodyMarkdown: Type.Optional(Text),
    topics: Type.Optional(TextOrList),
    regions: Type.Optional(TextOrList),
    contactChoice: Type.Optional(Text),
    republicationNotice: Type.Optional(Text),
    language: Type.Optional(Text),
    note: Type.Optional(Text),
    action: Type.Optional(Text),
    _csrf: Type.Optional(Text),
  },
  { additionalProperties: Type.Optional(Text) },
);
export type EditorBody = Static<typeof EditorBody> & Record<string, unknown>;

export const ScheduleBody = Type.Object({ publishAt: Type.Optional(Text), _csrf: Type.Optional(Text) });
export type ScheduleBody = Static<typeof ScheduleBody>;

export const NoteBody = Type.Object({ note: Type.Optional(Text), confirm: Type.Optional(Text), _csrf: Type.Optional(Text) });
export type NoteBody = Static<typeof NoteBody>;

