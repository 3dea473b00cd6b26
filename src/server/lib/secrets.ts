import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface Secrets {
  /** Superuser of the embedded cluster (never used by the application itself). */
  pgSuperuserPassword: string;
  /** The non-superuser role Guanxi connects as. */
  pgAppPassword: string;
  /** 32-byte key for field encryption, base64. */
  secretKey: string;
}

const random = (bytes: number) => crypto.randomBytes(bytes).toString("base64url");

/**
 * Secrets generated on first start and kept in the data directory (mode 600),
 * so no default password ever exists. Back this file up with the data.
 */
export function loadSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, "secrets.json");
  if (fs.existsSync(file)) {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<Secrets>;
    if (parsed.pgSuperuserPassword && parsed.pgAppPassword && parsed.secretKey) return parsed as Secrets;
    throw new Error(`${file} is incomplete; restore it from a backup`);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secrets: Secrets = {
    pgSuperuserPassword: random(24),
    pgAppPassword: random(24),
    secretKey: crypto.randomBytes(32).toString("base64"),
  };
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600, flag: "wx" });
  return secrets;
}
