"use client";

import { useState } from "react";
import { Label } from "@/components/ui/label";

const MAX_BYTES = 1_000_000;

/** Reads a Table Schema file (schema.json, datapackage's resource schema) into the box beside it; nothing is sent until Save. */
export function SchemaFileInput({ target }: { target: string }) {
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={`${target}-file`}>Or load a file</Label>
      <input
        id={`${target}-file`}
        type="file"
        accept=".json,application/json"
        aria-describedby={`${target}-file-problem`}
        className="text-sm file:mr-3 file:rounded-md file:border file:border-input file:bg-background file:px-3 file:py-1.5 file:text-sm"
        onChange={async (event) => {
          const file = event.currentTarget.files?.[0];
          if (!file) return;
          if (file.size > MAX_BYTES) {
            setProblem("The file is over 1 MB, the limit for a Table Schema.");
            return;
          }
          const box = document.getElementById(target) as HTMLTextAreaElement | null;
          if (box) box.value = await file.text();
          setProblem(null);
        }}
      />
      <p id={`${target}-file-problem`} className="text-sm font-medium text-destructive empty:hidden">
        {problem}
      </p>
    </div>
  );
}
