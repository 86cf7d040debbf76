import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { CspClient } from "@/components/shell/csp-client";
import { Toaster } from "@/components/ui/toast";
import "./globals.css";

export const metadata: Metadata = {
  title: "Greenlight",
  description: "Approvals and governance for machine-learning teams",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Reading the request makes every page render per request, so each gets its own CSP nonce on its
  // scripts (proxy.ts); the browser side reads it from the document (CspClient).
  await headers();
  return (
    <html lang="en">
      <body>
        <CspClient />
        {children}
        <Toaster />
      </body>
    </html>
  );
}
