// The LinkedIn emulator: one node:http server for both www.linkedin.com
// (/oauth/...) and api.linkedin.com (/v2/..., /rest/...), plus the test-only
// control API under /__emulator/.

import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { Socket } from "node:net";
import { DEFAULT_OPTIONS, type EmulatorOptions } from "./config";
import { handleControl } from "./control";
import { ApiError } from "./errors";
import { BodyTooLargeError, sendJson } from "./http";
import { handleAuthorize, handleConsent } from "./oauth-authorize";
import { handleIntrospect, handleRevoke, handleToken } from "./oauth-token";
import {
  sendDiscovery,
  sendJwks,
  sendLegacyProfile,
  sendPicture,
  sendUserinfo,
} from "./oidc";
import { handleRest, restEndpointName, type RestRoute } from "./rest";
import { MEMBER_ROUTES } from "./rest-member";
import { ORGANIZATION_ROUTES } from "./rest-organization";
import { createState, type EmulatorState } from "./state";

export { DEMO_MEMBERS, DEMO_ORGANIZATIONS } from "./members";
export type { EmulatorOptions, EmulatorSwitches } from "./config";
export type { EmulatorState } from "./state";

export type RunningEmulator = {
  /** Origin of both bases, such as http://127.0.0.1:4010. */
  url: string;
  close(): Promise<void>;
  state: EmulatorState;
};

const REST_ROUTES: RestRoute[] = [...MEMBER_ROUTES, ...ORGANIZATION_ROUTES];

type Handler = (
  state: EmulatorState,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
) => void | Promise<void>;

// Routes of www.linkedin.com and the unversioned api.linkedin.com /v2.
const FIXED_ROUTES: Record<string, Handler> = {
  "GET /oauth/.well-known/openid-configuration": (state, _url, _req, res) =>
    sendDiscovery(state, res),
  "GET /oauth/openid/jwks": (state, _url, _req, res) => sendJwks(state, res),
  "GET /oauth/v2/authorization": handleAuthorize,
  "POST /oauth/v2/authorization": (state, _url, req, res) =>
    handleConsent(state, req, res),
  "POST /oauth/v2/accessToken": (state, _url, req, res) =>
    handleToken(state, req, res),
  "POST /oauth/v2/introspectToken": (state, _url, req, res) =>
    handleIntrospect(state, req, res),
  "POST /oauth/v2/revoke": (state, _url, req, res) =>
    handleRevoke(state, req, res),
  "GET /v2/userinfo": (state, _url, req, res) => sendUserinfo(state, req, res),
  "GET /v2/me": (state, _url, req, res) => sendLegacyProfile(state, req, res),
};

/** True for api.linkedin.com calls, which the fault switches act on. */
function isApiPath(path: string): boolean {
  return path.startsWith("/rest/") || path.startsWith("/v2/");
}

function endpointName(method: string, path: string): string {
  if (path.startsWith("/rest/")) return restEndpointName(REST_ROUTES, path);
  if (path.startsWith("/media/")) return `${method} /media`;
  return `${method} ${path}`;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

class Emulator {
  private readonly heldSockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(readonly state: EmulatorState) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.state.baseUrl);
    const method = req.method ?? "GET";
    const path = url.pathname;
    if (path.startsWith("/__emulator/")) {
      await handleControl(this.state, url, req, res);
      return;
    }

    this.state.calls.record(endpointName(method, path));
    if (path.startsWith("/oauth/") && this.state.switches.oauthUnavailable) {
      sendJson(res, 503, { status: 503, message: "Service Unavailable" });
      return;
    }
    if (isApiPath(path) && !(await this.injectFaults(req, res))) return;

    if (path.startsWith("/rest/")) {
      handleRest(this.state, REST_ROUTES, req, res);
      return;
    }
    if (method === "GET" && path.startsWith("/media/")) {
      sendPicture(this.state, url, res);
      return;
    }
    const handler = FIXED_ROUTES[`${method} ${path}`];
    if (!handler) {
      sendJson(res, 404, {
        status: 404,
        message: `No route ${method} ${path}`,
      });
      return;
    }
    await handler(this.state, url, req, res);
  }

  /** Applies latency, 5xx and timeout switches; false when the call ends. */
  private async injectFaults(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<boolean> {
    const { switches } = this.state;
    if (switches.latencyMs > 0) await sleep(switches.latencyMs);

    const fault = this.state.faults.decide(switches);
    if (fault.kind === "error") {
      sendJson(res, fault.status, {
        status: fault.status,
        message: "Injected server error",
      });
      return false;
    }
    if (fault.kind === "timeout") {
      this.holdThenDrop(req.socket, switches.timeoutHoldMs);
      return false;
    }
    return true;
  }

  // Keeps the request unanswered, then closes the connection without a reply.
  private holdThenDrop(socket: Socket, holdMs: number): void {
    this.heldSockets.add(socket);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.heldSockets.delete(socket);
      socket.destroy();
    }, holdMs);
    this.timers.add(timer);
  }

  dropHeld(): void {
    for (const timer of this.timers) clearTimeout(timer);
    for (const socket of this.heldSockets) socket.destroy();
    this.timers.clear();
    this.heldSockets.clear();
  }
}

function sendFailure(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof ApiError) {
    sendJson(res, error.status, error.body, error.headers);
    return;
  }
  if (error instanceof BodyTooLargeError) {
    sendJson(res, 413, { status: 413, message: "Request body too large" });
    return;
  }
  console.error("linkedin emulator: request failed", error);
  sendJson(res, 500, { status: 500, message: "Internal Server Error" });
}

/** Starts the emulator; options not given take their defaults. */
export async function startEmulator(
  options: Partial<EmulatorOptions> = {},
): Promise<RunningEmulator> {
  const resolved: EmulatorOptions = { ...DEFAULT_OPTIONS, ...options };
  const state = await createState(resolved);
  const emulator = new Emulator(state);
  const server = createServer((req, res) => {
    emulator
      .handle(req, res)
      .catch((error: unknown) => sendFailure(res, error));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(resolved.port, resolved.host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") {
    throw new Error("The emulator's server has no TCP address");
  }
  state.baseUrl = `http://${resolved.host}:${address.port}`;

  return {
    url: state.baseUrl,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        emulator.dropHeld();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
