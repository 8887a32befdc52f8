/** The value a server action returns: expected failures are data, not throws. */
export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string } };

export function ok<T>(data: T): ActionResult<T> {
  return { ok: true, data };
}

export function fail<T = never>(
  code: string,
  message: string,
): ActionResult<T> {
  return { ok: false, error: { code, message } };
}
