import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { StyleNonce } from "@/components/shell/style-nonce";
import { Toaster } from "@/components/ui/toast";
import "./globals.css";

export const metadata: Metadata = {
  title: "Greenlight",
  description: "Approvals and governance for machine-learning teams",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Reading the request makes every page render per request, so each gets its own CSP nonce (proxy.ts).
  const nonce = (await headers()).get("x-nonce");
  return (
    <html lang="en">
      <body>
        <StyleNonce nonce={nonce} />
        {children}
        <Toaster />
      </body>
    </html>
  );
}
