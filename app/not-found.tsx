import Link from "next/link";
import { SearchX } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";

export default function NotFound() {
  return (
    <main className="flex min-h-[60vh] items-center justify-center px-4">
      <EmptyState
        icon={SearchX}
        title="Page not found"
        description="The page you asked for does not exist, or it was moved."
        action={
          <Link href="/" className="text-sm font-medium text-primary underline underline-offset-2">
            Go to your inbox
          </Link>
        }
      />
    </main>
  );
}
