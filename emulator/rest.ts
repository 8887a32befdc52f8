// The /rest/* pipeline: version and protocol headers, the Bearer token, the
// daily quota, the route's scopes, the Rest.li query, then the handler.

import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticate, type Caller } from "./bearer";
import {
  accessDenied,
  ApiError,
  notFound,
  paramInvalid,
  versionInactive,
  versionMissing,
} from "./errors";
import { sendJson } from "./http";
import type { DemoOrganization } from "./members";
import { paginate, type Collection } from "./paging";
import { ParamError, RestliQuery } from "./restli";
import type { EmulatorState } from "./state";

export type RestContext = {
  state: EmulatorState;
  caller: Caller;
  query: RestliQuery;
  /** The LinkedIn-Version header, YYYYMM. */
  version: string;
  /** Captured groups of the route pattern, percent-decoded. */
  pathParams: string[];
  path: string;
  rawQuery: string;
  route: RestRoute;
};

export type RestRoute = {
  /** Resource name used in ACCESS_DENIED messages and call counts. */
  resource: string;
  /** Matches the path after /rest/. */
  pattern: RegExp;
  /** The caller needs at least one of these scopes. */
  scopes: string[];
  /** First version (YYYYMM) that has the resource; older ones get 404. */
  minVersion?: string;
  handle(context: RestContext): unknown;
};

const VERSION_LIFETIME_MONTHS = 12;

function monthIndex(year: number, month: number): number {
  return year * 12 + (month - 1);
}

/** Checks the LinkedIn-Version header and returns it. */
function checkVersion(state: EmulatorState, header: string | undefined) {
  if (!header) throw versionMissing();
  const match = /^(\d{4})(\d{2})$/.exec(header);
  if (!match) throw versionInactive(header);

  const now = new Date(state.clock.now());
  const current = monthIndex(now.getUTCFullYear(), now.getUTCMonth() + 1);
  const requested = monthIndex(Number(match[1]), Number(match[2]));
  const age = current - requested;
  const active =
    Number(match[2]) >= 1 &&
    Number(match[2]) <= 12 &&
    age >= 0 &&
    age < VERSION_LIFETIME_MONTHS &&
    !state.switches.sunsetVersions.includes(header);
  // LinkedIn names the version with a day, such as 20240401.
  if (!active) throw versionInactive(`${header}01`);
  return header;
}

/**
 * Checks X-Restli-Protocol-Version.
 * NOTE: the body of this 400 is the emulator's own; LinkedIn's reply to a
 * missing header depends on how the Rest.li 1.0 parse of the query fails.
 */
function checkProtocol(header: string | string[] | undefined): void {
  if (header !== "2.0.0") {
    throw new ApiError(400, {
      status: 400,
      code: "PARAM_INVALID",
      message: "Send the header X-Restli-Protocol-Version: 2.0.0",
    });
  }
}

/** Returns the ACCESS_DENIED error for the route in the caller's version. */
export function denied(context: RestContext): ApiError {
  return accessDenied(context.route.resource, `${context.version}01`);
}

/** Throws ACCESS_DENIED unless the caller administers the page. */
export function requireAdministrator(
  context: RestContext,
  organization: DemoOrganization,
): void {
  const { member } = context.caller;
  const roleWithdrawn = context.state.switches.missingPageRole.includes(
    member.id,
  );
  if (
    roleWithdrawn ||
    !member.administeredOrganizations.includes(organization.id)
  ) {
    throw denied(context);
  }
}

/** Pages the elements with the request's start and count. */
export function collection<T>(
  context: RestContext,
  elements: T[],
  defaultCount?: number,
): Collection<T> {
  return paginate(elements, {
    path: context.path,
    rawQuery: context.rawQuery,
    start: context.query.integer("start"),
    count: context.query.integer("count"),
    defaultCount,
    shortPages: context.state.switches.shortPages,
  });
}

function findRoute(routes: RestRoute[], subPath: string) {
  for (const route of routes) {
    const match = route.pattern.exec(subPath);
    if (!match) continue;
    try {
      const params = match.slice(1).map((part) => decodeURIComponent(part));
      return { route, params };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Returns the call-count key of a /rest path, such as GET /rest/organizations. */
export function restEndpointName(routes: RestRoute[], path: string): string {
  const found = findRoute(routes, path.slice("/rest/".length));
  return `GET /rest/${found ? found.route.resource : "unknown"}`;
}

// GET /rest/*: LinkedIn's versioned REST API
export function handleRest(
  state: EmulatorState,
  routes: RestRoute[],
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const rawUrl = req.url ?? "/";
  const questionMark = rawUrl.indexOf("?");
  const path = questionMark === -1 ? rawUrl : rawUrl.slice(0, questionMark);
  const rawQuery = questionMark === -1 ? "" : rawUrl.slice(questionMark + 1);
  const found = findRoute(routes, path.slice("/rest/".length));
  if (!found || req.method !== "GET") throw notFound();

  const version = checkVersion(state, header(req, "linkedin-version"));
  checkProtocol(req.headers["x-restli-protocol-version"]);
  const caller = authenticate(state, req);
  state.calls.recordMember(caller.member.id);
  const quotaHeaders = state.quota.consume(
    caller.member.id,
    state.clock.now(),
    state.switches,
  );

  const { route } = found;
  if (route.minVersion && version < route.minVersion) throw notFound();
  const context = {
    state,
    caller,
    query: parseQuery(rawQuery),
    version,
    pathParams: found.params,
    path,
    rawQuery,
    route,
  };
  if (!route.scopes.some((scope) => caller.token.scopes.includes(scope))) {
    throw denied(context);
  }

  let body: unknown;
  try {
    body = route.handle(context);
  } catch (error) {
    if (error instanceof ParamError) {
      throw paramInvalid(error.param, error.message);
    }
    throw error;
  }
  sendJson(res, 200, body, {
    ...quotaHeaders,
    "x-restli-protocol-version": "2.0.0",
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseQuery(rawQuery: string): RestliQuery {
  try {
    return new RestliQuery(rawQuery);
  } catch (error) {
    if (error instanceof ParamError) {
      throw paramInvalid(error.param, error.message);
    }
    throw error;
  }
}
