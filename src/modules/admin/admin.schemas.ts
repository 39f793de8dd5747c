// Request shapes of the admin routes. Form bodies are loose on purpose: a form that fails
// validation is shown again with what was typed (422), so the service, not the schema, judges it.
import { Type, type Static } from '@sinclair/typebox';

const Text = Type.String({ maxLength: 200_000 });
const TextOrList = Type.Union([Type.String({ maxLength: 200 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 200 })]);

export const OfficeParams = Type.Object({ office: Type.String({ maxLength: 100 }) });
export type OfficeParams = Static<typeof OfficeParams>;

export const ReleaseIdParams = Type.Object({ office: Type.String({ maxLength: 100 }), id: Type.Integer({ minimum: 1, maximum: 1e12 }) });
export type ReleaseIdParams = Static<typeof ReleaseIdParams>;

export const PhotoParams = Type.Object({
  office: Type.String({ maxLength: 100 }),
  id: Type.Integer({ minimum: 1, maximum: 1e12 }),
  photoId: Type.Integer({ minimum: 1, maximum: 1e12 }),
});
export type PhotoParams = Static<typeof PhotoParams>;

export const ContactParams = Type.Object({ office: Type.String({ maxLength: 100 }), contactId: Type.Integer({ minimum: 1, maximum: 1e12 }) });
export type ContactParams = Static<typeof ContactParams>;

export const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });
export type TokenParams = Static<typeof TokenParams>;

export const SwitchQuery = Type.Object({ office: Type.Optional(Type.String({ maxLength: 100 })) });
export type SwitchQuery = Static<typeof SwitchQuery>;

export const PageQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })) });
export type PageQuery = Static<typeof PageQuery>;

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

export const NoteBody = Type.Object({ note: Type.Optional(Text), _csrf: Type.Optional(Text) });
export type NoteBody = Static<typeof NoteBody>;

export const PhotoWordsBody = Type.Object({ alt: Type.Optional(Text), caption: Type.Optional(Text), credit: Type.Optional(Text), _csrf: Type.Optional(Text) });
export type PhotoWordsBody = Static<typeof PhotoWordsBody>;

export const MoveBody = Type.Object({ direction: Type.Optional(Text), _csrf: Type.Optional(Text) });
export type MoveBody = Static<typeof MoveBody>;

export const SettingsBody = Type.Object({
  name: Type.Optional(Text),
  descriptionMarkdown: Type.Optional(Text),
  website: Type.Optional(Text),
  republicationNotice: Type.Optional(Text),
  _csrf: Type.Optional(Text),
});
export type SettingsBody = Static<typeof SettingsBody>;

export const ContactBody = Type.Object(
  {
    organisation: Type.Optional(Text),
    role: Type.Optional(Text),
    name: Type.Optional(Text),
    street: Type.Optional(Text),
    postcode: Type.Optional(Text),
    town: Type.Optional(Text),
    phone: Type.Optional(Text),
    fax: Type.Optional(Text),
    email: Type.Optional(Text),
    website: Type.Optional(Text),
    _csrf: Type.Optional(Text),
  },
);
export type ContactBody = Static<typeof ContactBody>;

export const InviteBody = Type.Object({ email: Type.Optional(Text), role: Type.Optional(Text), _csrf: Type.Optional(Text) });
export type InviteBody = Static<typeof InviteBody>;

export const NewOfficeBody = Type.Object({ slug: Type.Optional(Text), name: Type.Optional(Text), _csrf: Type.Optional(Text) });
export type NewOfficeBody = Static<typeof NewOfficeBody>;
