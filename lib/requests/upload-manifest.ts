import "server-only";
import { z } from "zod";
import { recordAudit } from "../audit/record";
import { defaultTarget, detectFormat, parseManifest } from "../dependencies/manifests";
import { stopIfCancelled, ValidationError } from "../errors";
import { assertMayEdit, lockForEdit, reviseRequest } from "./revise";
import { defineVerb } from "../verb";
import { MANIFEST_FORMATS } from "../security/schemas";
import { requestNumber } from "./schemas";
import { storeManifest } from "../security/manifest-review";
import { withPackageLicences } from "../security/package-licences";
import { refreshFromOsv } from "../security/refresh-from-osv";
import { distinctDependencies, MANIFEST_LIMITS, tooManyPackages, uploadTooBig } from "../dependencies/manifests/limits";

/** One file of an upload: the manifest, or a file its -r / -c lines include. */
const file = z.object({
  name: z.string().trim().min(1).max(200),
  content: z.string(),
});

const UploadManifestInput = z
  .object({
    number: requestNumber,
    fileName: z
      .string({ error: "Name the file, e.g. requirements.txt." })
      .trim()
      .min(1, "Name the file, e.g. requirements.txt.")
      .max(200),
    content: z.string({ error: "Paste the manifest or choose a file." }).min(1, "Paste the manifest or choose a file."),
    format: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.enum(MANIFEST_FORMATS, { error: `Format is one of ${MANIFEST_FORMATS.join(", ")}.` }).optional(),
    ),
    python: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z
        .string()
        .regex(/^3\.\d{1,2}(\.\d{1,2})?$/, "A Python version like 3.11.")
        .optional(),
    ),
    // Other files of the same upload that -r / -c lines may include (never read from disk or the network).
    includes: z
      .array(file)
      .max(MANIFEST_LIMITS.includes, `At most ${MANIFEST_LIMITS.includes} included files.`)
      .default([]),
  })
  .superRefine((input, ctx) => {
    // Size before any parsing: a hostile upload is refused for the price of counting its lines.
    const tooBig = uploadTooBig([input, ...input.includes]);
    if (tooBig) ctx.addIssue({ code: "custom", path: ["content"], message: tooBig });
  });

/**
 * Puts a dependency manifest on a request (upload or paste): parsed, reviewed against the stored
 * advisories, licence policy and supply-chain checks. Replacing it on a request in review resets its
 * approvals, like any other edit.
 */
export const uploadManifest = defineVerb({
  allow: "signed-in",
  input: UploadManifestInput,
  // Parsing the manifest and the online OSV check run before the transaction: neither holds a lock.
  async prepare({ db, now, actor, signal }, input) {
    // Who may edit is checked before the parse (and again under the lock in run): nobody else's
    // upload is ever parsed.
    await assertMayEdit(db, actor, input.number);
    const format = input.format ?? detectFormat(input.fileName, input.content);
    if (!format) {
      throw new ValidationError("The format could not be told from the file name or its content.", {
        format: [
          "Choose the format: requirements, pyproject, poetry-lock, uv-lock, pipfile-lock, conda, package-lock or cyclonedx.",
        ],
      });
    }
    stopIfCancelled(signal);
    const target = { ...defaultTarget, ...(input.python ? { pythonVersion: input.python } : {}) };
    const read = parseManifest({
      files: [{ name: input.fileName, content: input.content }, ...input.includes],
      format,
      target,
    });
    const parsed = { ...read, dependencies: distinctDependencies(read.dependencies) };
    const tooMany = tooManyPackages(parsed.dependencies);
    if (tooMany) throw new ValidationError("The manifest is too large to review.", { content: [tooMany] });
    if (!parsed.dependencies.length) {
      const why = parsed.errors.slice(0, 3).map((e) => (e.line ? `line ${e.line}: ${e.message}` : e.message));
      throw new ValidationError("No dependency could be read from the manifest.", {
        content: why.length ? why : ["The manifest lists no dependencies."],
      });
    }
    // Parsing cannot be interrupted; the remote check can, and is skipped when nobody waits any more.
    stopIfCancelled(signal);
    const online = await refreshFromOsv(db, parsed.dependencies, now, undefined, signal);
    if (online.problem)
      parsed.warnings.push({
        line: null,
        message: `The online OSV check failed (${online.problem}); the review used the imported advisories only.`,
      });
    // Python manifests rarely carry licences: the package-metadata source fills them in (when configured).
    const licences = await withPackageLicences(db, parsed.dependencies, now, undefined, signal);
    if (licences.problem)
      parsed.warnings.push({
        line: null,
        message: `The licence lookup failed for some packages (${licences.problem}); their licences are unknown.`,
      });
    return { format, target, parsed: { ...parsed, dependencies: licences.dependencies } };
  },
  async run({ work, tx, actor, now }, input, { format, target, parsed }) {
    const request = await lockForEdit(tx, actor, input.number);
    let stored: Awaited<ReturnType<typeof storeManifest>> | null = null;
    const result = await reviseRequest(work, actor, request, ["manifest"], async (revision) => {
      stored = await storeManifest(
        tx,
        request,
        revision,
        {
          fileName: input.fileName,
          content: input.content,
          target,
          uploadedBy: actor.kind === "user" ? actor.id : null,
        },
        parsed,
        now,
      );
      return {};
    });
    const s = stored!;
    await recordAudit(
      tx,
      actor,
      {
        action: "manifest.uploaded",
        entityType: "change_request",
        entityId: request.id,
        data: {
          number: request.number,
          file: input.fileName,
          format,
          dependencies: s.dependencies,
          findings: s.findings,
          signals: s.signals,
          errors: parsed.errors.length,
        },
      },
      now,
    );
    return {
      ...result,
      format,
      dependencies: s.dependencies,
      findings: s.findings,
      signals: s.signals,
      errors: parsed.errors,
      warnings: parsed.warnings,
    };
  },
});
