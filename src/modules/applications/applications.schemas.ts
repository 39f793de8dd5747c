// Request shapes of the pages for press offices that want to join. Form bodies are loose: the
// service judges them, and a failed form is shown again with what was typed.
import { Type, type Static } from '@sinclair/typebox';

const Text = Type.String({ maxLength: 10_000 });

export const ApplyBody = Type.Object({
  organisation: Type.Optional(Text),
  contactName: Type.Optional(Text),
  email: Type.Optional(Text),
  website: Type.Optional(Text),
  reason: Type.Optional(Text),
  _csrf: Type.Optional(Text),
});
export type ApplyBody = Static<typeof ApplyBody>;

export const ApplicationTokenParams = Type.Object({ token: Type.String({ maxLength: 400 }) });
export type ApplicationTokenParams = Static<typeof ApplicationTokenParams>;

export const ApplicationParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) });
export type ApplicationParams = Static<typeof ApplicationParams>;

export const AcceptBody = Type.Object({ slug: Type.Optional(Text), name: Type.Optional(Text), _csrf: Type.Optional(Text) });
export type AcceptBody = Static<typeof AcceptBody>;

export const DeclineBody = Type.Object({ message: Type.Optional(Text), _csrf: Type.Optional(Text) });
export type DeclineBody = Static<typeof DeclineBody>;
