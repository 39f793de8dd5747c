// Request shapes of the topic and region admin routes. Form bodies are loose: the service judges
// them, and a failed form is shown again with what was typed.
import { Type, type Static } from '@sinclair/typebox';

const Text = Type.String({ maxLength: 2000 });

export const TermParams = Type.Object({ slug: Type.String({ maxLength: 200 }) });
export type TermParams = Static<typeof TermParams>;

export const TermBody = Type.Object({ name: Type.Optional(Text), slug: Type.Optional(Text), _csrf: Type.Optional(Text) });
export type TermBody = Static<typeof TermBody>;

export const MergeBody = Type.Object({ into: Type.Optional(Text), _csrf: Type.Optional(Text) });
export type MergeBody = Static<typeof MergeBody>;

export const RemoveBody = Type.Object({ confirm: Type.Optional(Text), _csrf: Type.Optional(Text) });
export type RemoveBody = Static<typeof RemoveBody>;
