// Request shapes every admin route module shares. Form bodies are loose on purpose: a form that
// fails validation is shown again with what was typed (422), so the service, not the schema, judges
// it. The shapes of one module's forms live beside its routes (releases.admin-schemas.ts, …).
import { Type, type Static } from '@sinclair/typebox';

/** A form field: any text (the service judges it), within a bound. */
export const Text = Type.String({ maxLength: 200_000 });

export const OfficeParams = Type.Object({ office: Type.String({ maxLength: 100 }) });
export type OfficeParams = Static<typeof OfficeParams>;

export const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });
export type TokenParams = Static<typeof TokenParams>;

export const SwitchQuery = Type.Object({ office: Type.Optional(Type.String({ maxLength: 100 })) });
export type SwitchQuery = Static<typeof SwitchQuery>;

export const PageQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })) });
export type PageQuery = Static<typeof PageQuery>;

export const NewOfficeBody = Type.Object({ slug: Type.Optional(Text), name: Type.Optional(Text), _csrf: Type.Optional(Text) });
export type NewOfficeBody = Static<typeof NewOfficeBody>;
