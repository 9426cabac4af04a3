import { describe, expect, it } from "vitest";
import { MAX_ADDRESSES, parseAddressList } from "@/lib/calms/address-list";

describe("the pasted e-mail list of a survey round", () => {
  it("takes lines, commas, semicolons and `Name <address>`, lower-cases and counts repeats once", () => {
    const r = parseAddressList(
      "ada@example.com\n\n  Grace Hopper <Grace@Example.com>, bob@example.com; ADA@example.com\r\n",
    );
    expect(r).toEqual({
      ok: true,
      addresses: ["ada@example.com", "grace@example.com", "bob@example.com"],
      duplicates: 1,
    });
  });

  it("names the line of every address it refuses", () => {
    const r = parseAddressList("ada@example.com\nbob@\nnot an address, carol@example.com");
    expect(r).toEqual({
      ok: false,
      errors: [
        "Line 2: “bob@” is not an e-mail address",
        "Line 3: “not an address” is not an e-mail address",
      ],
    });
  });

  it("refuses an empty list, too many addresses and a non-string", () => {
    expect(parseAddressList(" \n ")).toEqual({ ok: false, errors: ["Paste at least one e-mail address"] });
    const many = Array.from({ length: MAX_ADDRESSES + 1 }, (_, i) => `p${i}@example.com`).join("\n");
    expect(parseAddressList(many)).toEqual({
      ok: false,
      errors: [`${MAX_ADDRESSES + 1} addresses: at most ${MAX_ADDRESSES} at once, paste the rest afterwards`],
    });
    expect(parseAddressList(null)).toMatchObject({ ok: false });
  });

  it("shows the first ten problems and how many more", () => {
    const r = parseAddressList(Array.from({ length: 14 }, (_, i) => `bad${i}`).join("\n"));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toHaveLength(11);
      expect(r.errors[10]).toBe("… and 4 more lines to correct");
    }
  });
});
