import { Body, Container, Head, Hr, Html, Preview, Section, Text } from "./components";
import type { ReactNode } from "react";

// The frame every Greenlight email shares: one column, plain type, a footer saying why it came.
export function EmailLayout({ preview, children }: { preview: string; children: ReactNode }) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body
        style={{ backgroundColor: "#f5f6f4", fontFamily: "system-ui, -apple-system, Segoe UI, sans-serif", margin: 0 }}
      >
        <Container
          style={{
            backgroundColor: "#ffffff",
            margin: "32px auto",
            padding: "28px 32px",
            maxWidth: 520,
            borderRadius: 8,
          }}
        >
          <Text style={{ fontSize: 15, fontWeight: 700, color: "#166534", margin: "0 0 16px" }}>Greenlight</Text>
          <Section>{children}</Section>
          <Hr style={{ borderColor: "#e5e7eb", margin: "24px 0 12px" }} />
          <Text style={{ fontSize: 12, color: "#4b5563", margin: 0 }}>
            You are receiving this because of your role in Greenlight, your team&apos;s approvals workspace.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

export const buttonStyle = {
  backgroundColor: "#15803d",
  color: "#ffffff",
  padding: "10px 18px",
  borderRadius: 6,
  fontWeight: 600,
  fontSize: 14,
  textDecoration: "none",
  display: "inline-block",
} as const;
