import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { authorize } from "@/lib/auth/permissions";
import {
  currentWorkspace,
  getSessionUser,
  signInRedirectPath,
} from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import {
  loadPostTrend,
  POST_TREND_RANGES,
  type PostTrendRange,
} from "@/lib/posts/trend";
import { PostTrendView } from "./post-trend-view";

export const metadata: Metadata = { title: "Post trend" };
export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ connectionId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Renders one imported post with its daily trend from LinkedIn, or why there is none. */
export default async function PostTrendPage({ params, searchParams }: Props) {
  const user = await getSessionUser();
  if (!user) redirect(await signInRedirectPath());
  const workspace = await currentWorkspace(user.id);
  if (!workspace) redirect("/welcome");
  const context = await authorize(
    db(),
    user.id,
    workspace.id,
    "dashboard.view",
  );

  const { connectionId } = await params;
  const query = await searchParams;
  const url = single(query.url);
  if (!UUID.test(connectionId) || !url) notFound();
  const requested = single(query.range) ?? "all";
  const range = (POST_TREND_RANGES as readonly string[]).includes(requested)
    ? (requested as PostTrendRange)
    : "all";

  const trend = await loadPostTrend(db(), context, {
    connectionId,
    url,
    range,
  });
  if (!trend) notFound();
  return <PostTrendView trend={trend} range={range} />;
}
