import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { z } from "zod";
import { authorize } from "@/lib/auth/permissions";
import {
  currentWorkspace,
  getSessionUser,
  signInRedirectPath,
} from "@/lib/auth/session";
import {
  AUDIT_PAGE_SIZE,
  describeActor,
  describeDetails,
  describeTarget,
  listAuditActors,
  listAuditEvents,
} from "@/lib/audit/list";
import { db } from "@/lib/db/client";
import { ForbiddenError } from "@/lib/errors";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const filterSchema = z.object({
  actor: z.string().min(1).optional().catch(undefined),
  action: z
    .string()
    .regex(/^[a-z_]+\.[a-z_]+$/)
    .optional()
    .catch(undefined),
  from: isoDay.optional().catch(undefined),
  to: isoDay.optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

type Props = { searchParams: Promise<Record<string, string | undefined>> };

function pageHref(params: Record<string, string | undefined>, page: number) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value && key !== "page") query.set(key, value);
  query.set("page", String(page));
  return `/audit?${query.toString()}`;
}

export default async function AuditPage({ searchParams }: Props) {
  const user = await getSessionUser();
  if (!user) redirect(await signInRedirectPath());
  const workspace = await currentWorkspace(user.id);
  if (!workspace) redirect("/welcome");
  let context;
  try {
    context = await authorize(db(), user.id, workspace.id, "audit.view");
  } catch (error) {
    if (!(error instanceof ForbiddenError)) throw error;
    return (
      <p role="alert" className="rounded-md bg-danger-surface p-3 text-sm">
        Your role in this workspace ({workspace.role}) cannot see the audit log.
        Ask an owner or admin.
      </p>
    );
  }

  const raw = await searchParams;
  const filter = filterSchema.parse(raw);
  const [{ events, total }, actors] = await Promise.all([
    listAuditEvents(db(), context, {
      actorUserId: filter.actor,
      action: filter.action,
      from: filter.from,
      to: filter.to,
      page: filter.page,
    }),
    listAuditActors(db(), context),
  ]);
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <form method="get" className="flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col">
          Actor
          <select
            name="actor"
            defaultValue={filter.actor ?? ""}
            className="rounded-md border border-border bg-surface px-2 py-1"
          >
            <option value="">Anyone</option>
            {actors.map((actor) => (
              <option key={actor.userId} value={actor.userId}>
                {actor.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          Action
          <input
            name="action"
            defaultValue={filter.action ?? ""}
            placeholder="member.invited"
            className="rounded-md border border-border bg-surface px-2 py-1"
          />
        </label>
        <label className="flex flex-col">
          From (UTC)
          <input
            type="date"
            name="from"
            defaultValue={filter.from ?? ""}
            className="rounded-md border border-border bg-surface px-2 py-1"
          />
        </label>
        <label className="flex flex-col">
          To (UTC)
          <input
            type="date"
            name="to"
            defaultValue={filter.to ?? ""}
            className="rounded-md border border-border bg-surface px-2 py-1"
          />
        </label>
        <button type="submit" className="underline">
          Filter
        </button>
      </form>
      <table className="w-full text-left text-sm">
        <thead className="text-muted">
          <tr>
            <th className="py-1">Time (UTC)</th>
            <th>Actor</th>
            <th>Action</th>
            <th>Target</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr
              key={event.id}
              data-testid="audit-event"
              className="border-t border-border"
            >
              <td className="py-1">
                {event.createdAt.toISOString().slice(0, 19).replace("T", " ")}
              </td>
              <td>{describeActor(event)}</td>
              <td>
                <code>{event.action}</code>
                {describeDetails(event) ? (
                  <span className="block text-muted">
                    {describeDetails(event)}
                  </span>
                ) : null}
              </td>
              <td className="break-all">{describeTarget(event)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {events.length === 0 ? (
        <p className="text-sm text-muted">No events match these filters.</p>
      ) : null}
      <nav aria-label="Pages" className="flex gap-4 text-sm">
        <span>
          Page {filter.page} of {pages} ({total} events)
        </span>
        {filter.page > 1 ? (
          <Link href={pageHref(raw, filter.page - 1)}>Newer</Link>
        ) : null}
        {filter.page < pages ? (
          <Link href={pageHref(raw, filter.page + 1)}>Older</Link>
        ) : null}
      </nav>
    </div>
  );
}
