// Request schemas of the personal links and the office's pre-release pages.
import { Type, type Static } from '@sinclair/typebox';

// The token's shape is checked by the service: anything else is a link that does not exist (404).
export const PersonalParams = Type.Object({ token: Type.String({ maxLength: 200 }) });
export type PersonalParams = Static<typeof PersonalParams>;

export const PersonalPhotoParams = Type.Object({ token: Type.String({ maxLength: 200 }), name: Type.String({ maxLength: 300 }) });
export type PersonalPhotoParams = Static<typeof PersonalPhotoParams>;

export const PersonalMediaParams = Type.Object({ token: Type.String({ maxLength: 200 }), '*': Type.String({ maxLength: 500 }) });
export type PersonalMediaParams = Static<typeof PersonalMediaParams>;

export const PrereleaseParams = Type.Object({ office: Type.String({ maxLength: 100 }), id: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) });
export type PrereleaseParams = Static<typeof PrereleaseParams>;

/** Which recipient to remove (the office's own, checked by the service). */
export const RemoveBody = Type.Object({ recipient: Type.Optional(Type.String({ maxLength: 20 })) });
export type RemoveBody = Static<typeof RemoveBody>;

/** The send form: `who` all accredited journalists or the chosen ones (`journalist`, repeated), and the confirmation box. */
export const SendBody = Type.Object({
  who: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('chosen')])),
  journalist: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Array(Type.String({ maxLength: 20 }), { maxItems: 5000 })])),
  confirm: Type.Optional(Type.String({ maxLength: 10 })),
});
export type SendBody = Static<typeof SendBody>;
