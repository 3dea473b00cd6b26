import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { and, eq, isNull, sql } from "drizzle-orm";
import { fileTypeFromBuffer } from "file-type";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { AppError, invalid, notFound } from "../../lib/errors.js";
import { activities, attachments } from "./schema.js";
import { activityVisible } from "./activities.js";

/** What may be attached, by the file's bytes (not its name): images, PDF, Office documents. */
const BINARY_TYPES = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "application/pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "application/x-cfb", // .doc / .xls / .ppt
]);
/** Text without magic bytes: allowed by extension when it is valid UTF-8 without NUL bytes. */
const TEXT_TYPES: Record<string, string> = { ".txt": "text/plain", ".csv": "text/csv", ".md": "text/markdown" };

export function storagePath(dataDir: string, tenantId: string, sha256: string): string {
  return path.join(dataDir, "files", tenantId, sha256.slice(0, 2), sha256);
}

/** Names as given, made safe to show and to send back in Content-Disposition. */
function cleanName(name: string): string {
  const base = [...name.normalize("NFC").replace(/[\\/]/g, "_")]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join("")
    .trim();
  return (base || "file").slice(0, 200);
}

async function detect(body: Buffer, filename: string): Promise<string> {
  const type = await fileTypeFromBuffer(body);
  if (type) {
    if (BINARY_TYPES.has(type.mime)) return type.mime;
    throw invalid("errors.attachment_type", {}, { detected: type.mime });
  }
  const textType = TEXT_TYPES[path.extname(filename).toLowerCase()];
  if (textType && !body.includes(0)) {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(body);
      return `${textType}; charset=utf-8`;
    } catch {
      // not UTF-8: refused below
    }
  }
  throw invalid("errors.attachment_type");
}

/**
 * Stores an uploaded file (content-addressed under the data directory) and
 * records it, unattached, for the uploader; creating or editing a timeline
 * entry with its id attaches it.
 */
export async function uploadAttachment(ctx: Ctx, filename: string, body: Buffer) {
  requireAccess(ctx, "activity:create");
  if (body.length === 0) throw invalid("errors.attachment_empty");
  const limit = ctx.services.config.uploadLimit;
  if (body.length > limit) throw new AppError("PAYLOAD_TOO_LARGE", "errors.attachment_too_large", { limit: Math.round(limit / 1048576) }, { limit });
  const name = cleanName(filename);
  const mime = await detect(body, name);
  const sha256 = crypto.createHash("sha256").update(body).digest("hex");
  const file = storagePath(ctx.services.config.dataDir, ctx.tenantId, sha256);
  await fs.mkdir(path.dirname(file), { recursive: true });
  // Write to a temporary name and rename: a crash never leaves half a file under the final name.
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  await fs.writeFile(tmp, body, { mode: 0o600 });
  await fs.rename(tmp, file);
  const [row] = await inTenant(ctx, (tx) =>
    tx.insert(attachments).values({ tenantId: ctx.tenantId, filename: name, mime, size: body.length, sha256, createdBy: ctx.userId }).returning(),
  );
  return { id: row!.id, filename: row!.filename, mime: row!.mime, size: row!.size };
}

/** A file is readable with its timeline entry, or by its uploader while unattached. */
export async function readAttachment(ctx: Ctx, id: string) {
  requireAccess(ctx, "activity:read");
  const [row] = await readTenant(ctx, (tx) =>
    tx
      .select({ a: attachments })
      .from(attachments)
      .leftJoin(activities, and(eq(activities.tenantId, attachments.tenantId), eq(activities.id, attachments.activityId), isNull(activities.deletedAt)))
      .where(
        and(
          eq(attachments.id, id),
          sql`((${attachments.activityId} is null and ${attachments.createdBy} = ${ctx.userId}) or (${activities.id} is not null and ${activityVisible(ctx)}))`,
        ),
      ),
  );
  if (!row) throw notFound("attachment");
  const body = await fs.readFile(storagePath(ctx.services.config.dataDir, ctx.tenantId, row.a.sha256));
  return { filename: row.a.filename, mime: row.a.mime, body };
}
