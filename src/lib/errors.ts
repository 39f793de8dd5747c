// Domain errors with a stable code. The error handler maps them to HTTP statuses.
export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  readonly code: string;
  readonly statusCode: number;
  constructor(message: string, code: string, statusCode: number) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.statusCode = statusCode;
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found') {
    super(message, 'NOT_FOUND', 404);
  }
}

export class ValidationError extends AppError {
  readonly fields: FieldErrors;
  constructor(message: string, fields: FieldErrors = {}) {
    super(message, 'VALIDATION', 400);
    this.fields = fields;
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Forbidden') {
    super(message, 'FORBIDDEN', 403);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(message, 'CONFLICT', 409);
  }
}

/**
 * The disk is full: SQLite's SQLITE_FULL (the database or its write-ahead log could not grow), a
 * file system's ENOSPC / EDQUOT (photos, logos, mail files), or the same in words from a library
 * that passes no code (sharp: "system error: No space left on device"). Nothing was saved; it
 * passes when space returns.
 */
export const isDiskFull = (error: unknown): boolean => {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  // SQLITE_IOERR_SHMSIZE: opening the database could not create its shared-memory file (-shm).
  return ['SQLITE_FULL', 'SQLITE_IOERR_SHMSIZE', 'ENOSPC', 'EDQUOT'].includes(String(code)) || (typeof message === 'string' && /No space left on device|Disk quota exceeded/.test(message));
};
