// Request shapes of the journalists' pages and the admin pages of accreditations. Form bodies are
// loose: the service judges them, and a failed form comes back with what was typed.
import { Type, type Static } from '@sinclair/typebox';

const Text = Type.String({ maxLength: 10_000 });

export const SignupBody = Type.Object({
  name: Type.Optional(Text),
  medium: Type.Optional(Text),
  email: Type.Optional(Text),
  pressCard: Type.Optional(Text),
  _csrf: Type.Optional(Text),
});
export type SignupBody = Static<typeof SignupBody>;

export const LoginBody = Type.Object({ email: Type.Optional(Text), _csrf: Type.Optional(Text) });
export type LoginBody = Static<typeof LoginBody>;

export const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });
export type TokenParams = Static<typeof TokenParams>;

export const AccountQuery = Type.Object({ office: Type.Optional(Type.String({ maxLength: 200 })) });
export type AccountQuery = Static<typeof AccountQuery>;

export const ProfileBody = Type.Object({
  name: Type.Optional(Text),
  medium: Type.Optional(Text),
  pressCard: Type.Optional(Text),
  lang: Type.Optional(Text),
  prereleaseMail: Type.Optional(Text),
  decisionMail: Type.Optional(Text),
  _csrf: Type.Optional(Text),
});
export type ProfileBody = Static<typeof ProfileBody>;

export const RequestBody = Type.Object({ office: Type.Optional(Text), message: Type.Optional(Text), _csrf: Type.Optional(Text) });
export type RequestBody = Static<typeof RequestBody>;

export const DecisionBody = Type.Object({ message: Type.Optional(Text), _csrf: Type.Optional(Text) });
export type DecisionBody = Static<typeof DecisionBody>;

export const AccreditationParams = Type.Object({ office: Type.String({ maxLength: 100 }), accreditationId: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) });
export type AccreditationParams = Static<typeof AccreditationParams>;

export const JournalistParams = Type.Object({ journalistId: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) });
export type JournalistParams = Static<typeof JournalistParams>;

export const AddressBody = Type.Object({ email: Type.Optional(Text), _csrf: Type.Optional(Text) });
export type AddressBody = Static<typeof AddressBody>;

export const DeleteAccountBody = Type.Object({ confirm: Type.Optional(Text), _csrf: Type.Optional(Text) });
export type DeleteAccountBody = Static<typeof DeleteAccountBody>;
