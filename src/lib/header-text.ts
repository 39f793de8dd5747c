// One line for a mail header: subjects are built from titles and office names, which must not
// smuggle in a line break (a second header) or a control character.

/** Removes line breaks and control characters from a value bound for a header. */
export const headerText = (value: string): string => value.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
