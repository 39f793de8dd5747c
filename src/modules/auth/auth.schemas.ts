// Request shapes of the login, logout, password and invitation forms.
import { Type, type Static } from '@sinclair/typebox';

export const LoginBody = Type.Object({
  email: Type.String({ maxLength: 1000 }),
  password: Type.String({ maxLength: 1000 }),
  next: Type.Optional(Type.String({ maxLength: 2000 })),
  resume: Type.Optional(Type.String({ maxLength: 200 })),
  _csrf: Type.Optional(Type.String()),
});
export type LoginBody = Static<typeof LoginBody>;

export const LoginQuery = Type.Object({
  next: Type.Optional(Type.String({ maxLength: 2000 })),
  resume: Type.Optional(Type.String({ maxLength: 200 })),
});
export type LoginQuery = Static<typeof LoginQuery>;

export const ForgotBody = Type.Object({ email: Type.String({ maxLength: 1000 }), _csrf: Type.Optional(Type.String()) });
export type ForgotBody = Static<typeof ForgotBody>;

export const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });
export type TokenParams = Static<typeof TokenParams>;

export const SetPasswordBody = Type.Object({
  password: Type.Optional(Type.String({ maxLength: 1000 })),
  passwordRepeat: Type.Optional(Type.String({ maxLength: 1000 })),
  _csrf: Type.Optional(Type.String()),
});
export type SetPasswordBody = Static<typeof SetPasswordBody>;
