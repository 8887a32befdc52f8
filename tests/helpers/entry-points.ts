import path from "node:path";
import type { ActionResult } from "@/lib/result";
import type { World } from "./callers";

// Calls server actions and route handlers by "file#export" key and reduces
// each result to an outcome, for the authorization matrix and the fuzz tests.
// The tests mock the session, next/cache and next/headers themselves.

/** "ok", an HTTP status, or an unexpected error code. */
export type Outcome = number | string;

export const ERROR_STATUS: Record<string, Outcome> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_input: 422,
};

export function outcomeOf(result: ActionResult<unknown>): Outcome {
  if (result.ok) return "ok";
  return ERROR_STATUS[result.error.code] ?? result.error.code;
}

/** A redirect thrown by Next.js `redirect()` counts as success. */
export async function settle(
  call: () => Promise<ActionResult<unknown>>,
): Promise<Outcome> {
  try {
    return outcomeOf(await call());
  } catch (error) {
    const digest = (error as { digest?: unknown }).digest;
    if (typeof digest === "string" && digest.startsWith("NEXT_REDIRECT"))
      return "ok";
    throw error;
  }
}

export function statusOutcome(response: Response): Outcome {
  if (response.status < 400) return "ok";
  return response.status;
}

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

type Module = Record<string, unknown>;
const modules = new Map<string, Module>();

export async function load(file: string): Promise<Module> {
  let loaded = modules.get(file);
  if (!loaded) {
    loaded = (await import(path.join(REPO_ROOT, file))) as Module;
    modules.set(file, loaded);
  }
  return loaded;
}

export async function entry<T>(key: string): Promise<T> {
  const [file = "", name = ""] = key.split("#");
  return (await load(file))[name] as T;
}

export type Action = (input: unknown) => Promise<ActionResult<unknown>>;
export type Handler = (request: Request) => Promise<Response>;

export function action(key: string, input: (world: World) => unknown) {
  return (world: World) => async () =>
    settle(async () => (await entry<Action>(key))(input(world)));
}

let exportFile: Promise<{ bytes: ArrayBuffer; name: string }> | undefined;

/** A real LinkedIn member content export, made once by the emulator. */
export function memberExportFile() {
  exportFile ??= (async () => {
    const { startEmulator } = await import("@/emulator/server");
    const emulator = await startEmulator({ port: 0 });
    try {
      const members = (await (
        await fetch(`${emulator.url}/__emulator/members`)
      ).json()) as { urn: string }[];
      const subject = encodeURIComponent(members[0]!.urn);
      const response = await fetch(
        `${emulator.url}/__emulator/exports/member_content?subject=${subject}&from=2026-01-01&to=2026-01-31`,
      );
      if (!response.ok) throw new Error(`export failed: ${response.status}`);
      return {
        bytes: await response.arrayBuffer(),
        name: "Content_2026-01-01_2026-01-31_Test.xlsx",
      };
    } finally {
      await emulator.close();
    }
  })();
  return exportFile;
}
