import type { ReactNode } from "react";
import { PrerenderedFrame } from "./account-frame";

// The pages of this group are rendered once, at build time, and served as
// files: no session, cookie or search parameter is read on the server. A
// dynamic call here fails the build instead of silently rendering on every
// request. The browser loads the caller's data through server actions, which
// check the session and the workspace on every call.
export const dynamic = "error";

export default function PrerenderedLayout({
  children,
}: {
  children: ReactNode;
}) {
  return <PrerenderedFrame>{children}</PrerenderedFrame>;
}
