import crypto from "node:crypto";

/** Random URL-safe token of `bytes` bytes of entropy. */
export const randomToken = (bytes = 32) => crypto.randomBytes(bytes).toString("base64url");

/** Tokens are stored as SHA-256: they carry full entropy, so a slow hash adds nothing. */
export const sha256 = (value: string) => crypto.createHash("sha256").update(value).digest("hex");

function keyFrom(secret: string): Buffer {
  const raw = /^[0-9a-f]{64}$/i.test(secret) ? Buffer.from(secret, "hex") : Buffer.from(secret, "base64");
  if (raw.length === 32) return raw;
  // Any other passphrase: derive a key from it.
  return crypto.createHash("sha256").update(secret).digest();
}

/** AES-256-GCM field encryption: "v1.<iv>.<tag>.<ciphertext>" in base64url. */
export function createCipher(secret: string) {
  const key = keyFrom(secret);
  return {
    encrypt(plain: string): string {
      const iv = crypto.randomBytes(12);
      const c = crypto.createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
      return ["v1", iv.toString("base64url"), c.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
    },
    decrypt(sealed: string): string {
      const [v, iv, tag, body] = sealed.split(".");
      if (v !== "v1" || !iv || !tag || body === undefined) throw new Error("not an encrypted value");
      const d = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      d.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([d.update(Buffer.from(body, "base64url")), d.final()]).toString("utf8");
    },
  };
}
export type Cipher = ReturnType<typeof createCipher>;
