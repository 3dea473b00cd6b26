import { eq, sql } from "drizzle-orm";
import type { Database, Db } from "../../db/client.js";
import { conflict, isUniqueViolation } from "../../lib/errors.js";
import type { Locale } from "../../lib/i18n.js";
import { checkPasswordStrength, hashPassword } from "./passwords.js";
import { users } from "./schema.js";

export type UserRow = typeof users.$inferSelect;

export async function findUserByEmail(database: Database, email: string, tx: Db = database.db): Promise<UserRow | undefined> {
  const [row] = await tx
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email.trim()})`);
  return row;
}

export async function getUserById(database: Database, id: string): Promise<UserRow | undefined> {
  const [row] = await database.db.select().from(users).where(eq(users.id, id));
  return row;
}

/**
 * Creates a Guanxi account (not yet a member of any workspace). Pass `tx` to
 * create it inside the caller's transaction (with its membership).
 */
export async function createUser(
  database: Database,
  input: { email: string; name: string; password?: string | undefined; passwordHash?: string | undefined; locale: Locale },
  tx: Db = database.db,
): Promise<UserRow> {
  const email = input.email.trim();
  if (input.password !== undefined) checkPasswordStrength(input.password, email);
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : (input.passwordHash ?? null);
  try {
    const [row] = await tx
      .insert(users)
      .values({ email, name: input.name.trim(), passwordHash, locale: input.locale })
      .returning();
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("errors.email_taken", { field: "email" });
    throw err;
  }
}
