// Request shapes of the „Echtheit prüfen“ page.
import { Type, type Static } from '@sinclair/typebox';

export const VerifyQuery = Type.Object({ url: Type.Optional(Type.String({ maxLength: 2000 })) });
export type VerifyQuery = Static<typeof VerifyQuery>;

// Length is checked by the route (it answers with the form and a message, not a bare 400).
export const VerifyBody = Type.Object({ input: Type.Optional(Type.String()), _csrf: Type.Optional(Type.String()) });
export type VerifyBody = Static<typeof VerifyBody>;
