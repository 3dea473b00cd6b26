import type { Config } from "../config.js";
import type { Cipher } from "./crypto.js";
import type { Mailer } from "./mail.js";
import type { JobQueue } from "./jobs.js";

/** Process-wide services a request's work may need, carried on the context. */
export interface Services {
  config: Config;
  mailer: Mailer;
  cipher: Cipher;
  jobs: JobQueue;
}
