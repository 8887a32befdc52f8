import { Spinner } from "@/components/ui/spinner";

export default function PostTrendLoading() {
  return (
    <div role="status" className="flex items-center gap-2 py-10 text-sm">
      <Spinner label="Loading the post's trend" />
      <span aria-hidden="true">Loading the post&apos;s trend…</span>
    </div>
  );
}
