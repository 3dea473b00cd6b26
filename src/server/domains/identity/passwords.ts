import { hash, verify } from "@node-rs/argon2";
import { invalid } from "../../lib/errors.js";

// OWASP's argon2id baseline (19 MiB, 2 passes).
// algorithm 2 = Argon2id (a const enum in the typings, unusable with isolatedModules).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, OPTIONS);

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) return false;
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// A real hash to verify against when the e-mail is unknown, so timing does not reveal which e-mails exist.
let decoy: Promise<string> | undefined;
export const decoyHash = () => (decoy ??= hashPassword("decoy-password-never-matches"));

export function checkPasswordStrength(password: string, email: string): void {
  if (password.length < 10 || password.length > 256 || password.toLowerCase() === email.toLowerCase()) {
    throw invalid("errors.weak_password", {}, { field: "password" });
  }
}
