import type { Metadata } from "next";
import { Suspense } from "react";
import { DashboardPage, DashboardPlaceholder } from "./dashboard-page";

export const metadata: Metadata = { title: "Dashboard" };
export const dynamic = "error";

// The page's HTML is the same for everyone: the frame, the header's
// placeholder and a loading state. The view comes from the URL in the
// browser (useSearchParams, so the part below the Suspense boundary renders
// there), and the figures and series through the loadDashboard action.
export default function Page() {
  return (
    <Suspense fallback={<DashboardPlaceholder />}>
      <DashboardPage />
    </Suspense>
  );
}
