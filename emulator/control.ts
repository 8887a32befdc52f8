// The test-only control API under /__emulator/. It changes switches, the
// clock and the state, and reports calls, members and the ground truth.

import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { switchesPatchSchema, switchesSchema } from "./config";
import { readBody, sendJson } from "./http";
import {
  DEMO_MEMBERS,
  DEMO_ORGANIZATIONS,
  fullName,
  organizationUrn,
  pairwiseSub,
  personUrn,
} from "./members";
import { resetState, type EmulatorState } from "./state";
import { buildExport } from "./exports";
import { computePosts, computeTruth } from "./truth";

const clockSchema = z.union([
  z.object({ now: z.iso.datetime({ offset: true }) }).strict(),
  z.object({ advanceMs: z.number().int() }).strict(),
]);

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function invalidBody(res: ServerResponse, error: z.ZodError | string) {
  const message = typeof error === "string" ? error : z.prettifyError(error);
  sendJson(res, 400, { error: message });
}

function describeMembers(state: EmulatorState) {
  const { clientId } = state.options;
  return DEMO_MEMBERS.map((member) => ({
    id: member.id,
    name: fullName(member),
    email: member.email,
    sub: pairwiseSub(clientId, member.id),
    urn: personUrn(clientId, member),
    organizations: DEMO_ORGANIZATIONS.filter((page) =>
      member.administeredOrganizations.includes(page.id),
    ).map((page) => ({
      id: page.id,
      urn: organizationUrn(page),
      localizedName: page.localizedName,
      vanityName: page.vanityName,
    })),
  }));
}

// /__emulator/*: control routes for tests
export async function handleControl(
  state: EmulatorState,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const route = `${req.method ?? "GET"} ${url.pathname.slice("/__emulator".length)}`;
  const exportKind = /^GET \/exports\/([a-z_]+)$/.exec(route)?.[1];
  if (exportKind !== undefined) {
    const file = buildExport(state, exportKind, url.searchParams);
    if (file.status !== 200)
      return sendJson(res, file.status, { error: file.error });
    res.writeHead(200, {
      "content-type": "application/octet-stream",
      "content-disposition": `attachment; filename="${file.fileName}"`,
    });
    res.end(file.body);
    return;
  }
  switch (route) {
    case "GET /config":
      sendJson(res, 200, state.switches);
      return;
    case "POST /config": {
      const body = await readJson(req);
      if (body === undefined) return invalidBody(res, "body must be JSON");
      const patch = switchesPatchSchema.safeParse(body);
      if (!patch.success) return invalidBody(res, patch.error);
      state.switches = switchesSchema.parse({
        ...state.switches,
        ...patch.data,
      });
      sendJson(res, 200, state.switches);
      return;
    }
    case "POST /reset":
      resetState(state);
      sendJson(res, 200, { ok: true });
      return;
    case "GET /clock":
      sendJson(res, 200, { now: new Date(state.clock.now()).toISOString() });
      return;
    case "POST /clock": {
      const body = await readJson(req);
      if (body === undefined) return invalidBody(res, "body must be JSON");
      const change = clockSchema.safeParse(body);
      if (!change.success) return invalidBody(res, change.error);
      if ("now" in change.data) state.clock.set(Date.parse(change.data.now));
      else state.clock.advance(change.data.advanceMs);
      sendJson(res, 200, { now: new Date(state.clock.now()).toISOString() });
      return;
    }
    case "GET /calls":
      sendJson(res, 200, {
        total: state.calls.total,
        byEndpoint: state.calls.byEndpoint,
        byMember: state.calls.byMember,
      });
      return;
    case "GET /members":
      sendJson(res, 200, describeMembers(state));
      return;
    case "GET /truth": {
      const result = computeTruth(state, url.searchParams);
      sendJson(res, result.status, result.body);
      return;
    }
    case "GET /posts": {
      const result = computePosts(state, url.searchParams);
      sendJson(res, result.status, result.body);
      return;
    }
    default:
      sendJson(res, 404, { error: `no control route ${route}` });
  }
}
