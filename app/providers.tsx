"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, useSyncExternalStore, type ReactNode } from "react";

import { DEFAULT_LOCALE } from "@/lib/format";

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A loaded view counts as fresh for a minute, so going back and
        // forward between views shows them without loading them again.
        staleTime: 60_000,
        refetchOnWindowFocus: false,
      },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  // One client per browser session, kept across re-renders by useState.
  const [queryClient] = useState(createQueryClient);

  return (
    <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
  );
}

function subscribeToLanguageChange(onChange: () => void): () => void {
  window.addEventListener("languagechange", onChange);
  return () => window.removeEventListener("languagechange", onChange);
}

/**
 * Returns the browser's locale for number and date formatting. The server
 * render and hydration use DEFAULT_LOCALE, then React re-renders with the
 * browser's locale, so hydration sees matching markup.
 */
export function useLocale(): string {
  return useSyncExternalStore(
    subscribeToLanguageChange,
    () => navigator.language,
    () => DEFAULT_LOCALE,
  );
}
