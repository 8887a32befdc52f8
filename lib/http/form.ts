import { ValidationError } from "../errors";

/**
 * Reads a multipart or urlencoded body of at most `maxBytes`, counting the
 * bytes as they arrive, because Content-Length is optional and a chunked
 * body has none. Throws ValidationError (422) for a body too large or not a
 * form.
 */
export async function readLimitedForm(
  request: Request,
  maxBytes: number,
  tooLargeMessage: string,
): Promise<FormData> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) throw new ValidationError(tooLargeMessage);

  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = request.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      throw new ValidationError(tooLargeMessage);
    }
    chunks.push(value);
  }

  const body = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  const contentType = request.headers.get("content-type") ?? "";
  try {
    return await new Response(body, {
      headers: { "content-type": contentType },
    }).formData();
  } catch {
    throw new ValidationError(
      "The upload is not a valid form. Send multipart/form-data with a workspaceId and a file.",
    );
  }
}
