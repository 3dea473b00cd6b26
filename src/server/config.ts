import os from "node:os";
import path from "node:path";
import { z } from "zod";

/**
 * Every environment variable Guanxi reads, parsed once at start-up.
 * `.env.example` documents each of them; keep the two in step.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  /** External PostgreSQL ≥ 15. Unset: the embedded cluster under GUANXI_DATA_DIR. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  GUANXI_DATA_DIR: z.string().min(1).default("./data"),
  GUANXI_EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  /**
   * Connections per process. Few busy backends beat many on small machines:
   * the default follows the CPU count (3 per core, 4 to 20).
   */
  GUANXI_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(Math.max(4, Math.min(20, os.availableParallelism() * 3))),
  /** Public base URL used in e-mails (password reset links). */
  GUANXI_PUBLIC_URL: z.url().optional(),
  /** 32-byte key (hex or base64) for encrypting sensitive fields; generated into the data dir when unset. */
  GUANXI_SECRET_KEY: z.string().optional(),
  GUANXI_ADMIN_EMAIL: z.email().optional(),
  GUANXI_ADMIN_PASSWORD: z.string().optional(),
  GUANXI_ADMIN_NAME: z.string().optional(),
  GUANXI_WORKSPACE_NAME: z.string().optional(),
  /** `inprocess` (default): jobs run inside the web process; `external`: only `guanxi worker` runs them. */
  GUANXI_JOBS: z.enum(["inprocess", "external"]).default("inprocess"),
  GUANXI_BODY_LIMIT: z.coerce.number().int().min(1024).default(1024 * 1024),
  GUANXI_UPLOAD_LIMIT_MB: z.coerce.number().int().min(1).max(1024).default(20),
  GUANXI_IMPORT_LIMIT_MB: z.coerce.number().int().min(1).max(2048).default(200),
  GUANXI_SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  GUANXI_LOCKOUT_ATTEMPTS: z.coerce.number().int().min(1).default(5),
  GUANXI_LOCKOUT_MINUTES: z.coerce.number().int().min(1).default(15),
  GUANXI_LOGIN_IP_LIMIT: z.coerce.number().int().min(1).default(30),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default("Guanxi <no-reply@localhost>"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  GUANXI_COOKIE_SECURE: z
    .enum(["true", "false", "auto"])
    .default("auto"),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  env: Env["NODE_ENV"];
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  poolSize: number;
  publicUrl: string;
  secretKey: string | undefined;
  admin: { email: string; password: string; name: string; workspaceName: string } | undefined;
  jobs: Env["GUANXI_JOBS"];
  bodyLimit: number;
  /** Largest attachment, in bytes. */
  uploadLimit: number;
  /** Largest import file (CSV, Excel, vCard), in bytes. */
  importLimit: number;
  sessionDays: number;
  lockout: { attempts: number; minutes: number; ipLimit: number };
  mail: { smtpUrl: string | undefined; from: string };
  logLevel: Env["LOG_LEVEL"];
  cookieSecure: boolean;
}

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (FOO=) means unset, as in most tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (Boolean(e.GUANXI_ADMIN_EMAIL) !== Boolean(e.GUANXI_ADMIN_PASSWORD)) {
    throw new ConfigError("Invalid configuration:\n  GUANXI_ADMIN_EMAIL and GUANXI_ADMIN_PASSWORD must be set together");
  }
  if (e.GUANXI_ADMIN_PASSWORD !== undefined && e.GUANXI_ADMIN_PASSWORD.length < 10) {
    throw new ConfigError("Invalid configuration:\n  GUANXI_ADMIN_PASSWORD must have at least 10 characters");
  }
  const publicUrl = (e.GUANXI_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.GUANXI_DATA_DIR),
    embeddedPgPort: e.GUANXI_EMBEDDED_PG_PORT,
    poolSize: e.GUANXI_DB_POOL_SIZE,
    publicUrl,
    secretKey: e.GUANXI_SECRET_KEY,
    admin:
      e.GUANXI_ADMIN_EMAIL && e.GUANXI_ADMIN_PASSWORD
        ? {
            email: e.GUANXI_ADMIN_EMAIL,
            password: e.GUANXI_ADMIN_PASSWORD,
            name: e.GUANXI_ADMIN_NAME ?? "Administrator",
            workspaceName: e.GUANXI_WORKSPACE_NAME ?? "Guanxi",
          }
        : undefined,
    jobs: e.GUANXI_JOBS,
    bodyLimit: e.GUANXI_BODY_LIMIT,
    uploadLimit: e.GUANXI_UPLOAD_LIMIT_MB * 1024 * 1024,
    importLimit: e.GUANXI_IMPORT_LIMIT_MB * 1024 * 1024,
    sessionDays: e.GUANXI_SESSION_DAYS,
    lockout: {
      attempts: e.GUANXI_LOCKOUT_ATTEMPTS,
      minutes: e.GUANXI_LOCKOUT_MINUTES,
      ipLimit: e.GUANXI_LOGIN_IP_LIMIT,
    },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    logLevel: e.LOG_LEVEL,
    cookieSecure: e.GUANXI_COOKIE_SECURE === "auto" ? publicUrl.startsWith("https:") : e.GUANXI_COOKIE_SECURE === "true",
  };
}
