// Request shapes of the office's admin pages (offices.admin-routes.ts): settings, contacts,
// invitations. Loose on purpose, as every admin form (admin/admin.schemas.ts).
import { Type, type Static } from '@sinclair/typebox';
import { Text } from '../admin/admin.schemas.ts';

export const ContactParams = Type.Object({ office: Type.String({ maxLength: 100 }), contactId: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) });
export type ContactParams = Static<typeof ContactParams>;

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


/** The embed options of the settings page's GET form; odd values fall back to the defaults (embeds.views.ts). */
export const EmbedQuery = Type.Object({
  count: Type.Optional(Type.String({ maxLength: 10 })),
  topic: Type.Optional(Type.String({ maxLength: 100 })),
  lang: Type.Optional(Type.String({ maxLength: 10 })),
  theme: Type.Optional(Type.String({ maxLength: 10 })),
  compact: Type.Optional(Type.String({ maxLength: 10 })),
});
export type EmbedQuery = Static<typeof EmbedQuery>;
export const FederationBody = Type.Object({ enabled: Type.Optional(Type.Union([Text, Type.Array(Text, { maxItems: 4 })])), _csrf: Type.Optional(Text) });
export type FederationBody = Static<typeof FederationBody>;

export const RotateKeyBody = Type.Object({ confirm: Type.Optional(Text), _csrf: Type.Optional(Text) });
export type RotateKeyBody = Static<typeof RotateKeyBody>;
