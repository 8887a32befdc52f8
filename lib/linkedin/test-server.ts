// A real HTTP server on 127.0.0.1 for the tests of this folder.

import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

export type RecordedRequest = {
  method: string;
  /** Path and raw query string exactly as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
};

export type Reply = {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON, a string as it is. */
  body?: unknown;
  /** Delay before responding, in milliseconds. */
  delayMs?: number;
  /** Drop the connection without a response. */
  destroy?: boolean;
};

export type TestServer = {
  /** Base URL such as `http://127.0.0.1:40123`. */
  url: string;
  requests: RecordedRequest[];
  close: () => Promise<void>;
};

type Handler = (request: RecordedRequest) => Reply | Promise<Reply>;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

async function answer(response: ServerResponse, reply: Reply): Promise<void> {
  if (reply.delayMs) {
    await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
  }
  if (reply.destroy) {
    response.socket?.destroy();
    return;
  }
  const isText = typeof reply.body === "string";
  const payload =
    typeof reply.body === "string"
      ? reply.body
      : reply.body === undefined
        ? ""
        : JSON.stringify(reply.body);
  response.writeHead(reply.status ?? 200, {
    "Content-Type": isText ? "text/plain" : "application/json",
    ...reply.headers,
  });
  response.end(payload);
}

/** Starts a server on 127.0.0.1 with a free port; every request is recorded. */
export async function startTestServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    void (async () => {
      const recorded: RecordedRequest = {
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: await readBody(request),
      };
      requests.push(recorded);
      await answer(response, await handler(recorded));
    })().catch(() => response.socket?.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
