import Link from "next/link";
import { ShieldAlert } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";

export default function Forbidden() {
  return (
    <main className="flex min-h-[60vh] items-center justify-center px-4">
      <EmptyState
        icon={ShieldAlert}
        title="You don't have access to this page"
        description="Your roles don't include this section. If you need it, ask an admin to grant you the role."
        action={
          <Link href="/" className="text-sm font-medium text-primary underline underline-offset-2">
            Go to your inbox
          </Link>
        }
      />
    </main>
  );
}
