import { describe, expect, it } from "vitest";
import { SecretKeyMissingError } from "@/lib/delivery/secret-box";
import { maskLogins, maskPerson } from "@/lib/privacy/mask";
import { identityHash, isPseudonym, privacyKey, pseudonymOf } from "@/lib/privacy/pseudonym";

const env = (vars: Record<string, string>) => ({ NODE_ENV: "test", ...vars }) as NodeJS.ProcessEnv;
const key = privacyKey(env({ THROUGHLINE_SECRET_KEY: "unit-test-key-0123456789-0123456789" }));

describe("privacy pseudonyms", () => {
  it("are stable, case- and space-insensitive, and keyed", () => {
    expect(pseudonymOf(" Alice@Example.com", key)).toBe(pseudonymOf("alice@example.com", key));
    expect(pseudonymOf("alice", key)).toMatch(/^erased-[0-9a-f]{12}$/);
    expect(pseudonymOf("alice", key)).not.toBe(pseudonymOf("bob", key));
    const other = privacyKey(env({ THROUGHLINE_SECRET_KEY: "another-key-0123456789-0123456789-x" }));
    expect(identityHash("alice", other)).not.toBe(identityHash("alice", key));
    expect(isPseudonym(pseudonymOf("alice", key))).toBe(true);
  });

  it("keep a bot's [bot] suffix, which is how a bot reviewer is told from a person", () => {
    expect(pseudonymOf("copilot[bot]", key)).toMatch(/^erased-[0-9a-f]{12}\[bot\]$/);
  });

  it("need the secret key on a PostgreSQL server, and say what for", () => {
    expect(() => privacyKey(env({ DATABASE_URL: "postgres://db.example.com/throughline" }))).toThrow(
      SecretKeyMissingError,
    );
    expect(() => privacyKey(env({ DATABASE_URL: "postgres://db.example.com/throughline" }))).toThrow(
      /erase people/,
    );
  });

  it("mask a whole identity when its e-mail or login is erased, and only erased logins in a list", () => {
    const erased = new Set(["alice@example.com", "alice"]);
    const mask = {
      erased: (v: string | null | undefined) => !!v && erased.has(v.toLowerCase()),
      pseudonym: (v: string) => pseudonymOf(v, key),
    };
    const who = maskPerson(mask, { name: "Alice Example", email: "Alice@example.com", login: null });
    expect(Object.values(who).filter((v) => v !== null && isPseudonym(v))).toHaveLength(2);
    expect(maskPerson(mask, { name: "Bob", email: "bob@example.com", login: "bob" })).toEqual({
      name: "Bob",
      email: "bob@example.com",
      login: "bob",
    });
    expect(maskLogins(mask, ["Alice", "bob", "alice"])).toEqual([pseudonymOf("alice", key), "bob"]);
  });
});
