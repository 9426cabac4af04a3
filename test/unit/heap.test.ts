import { describe, expect, it } from "vitest";
import { Heap } from "@/lib/util/heap";

describe("Heap", () => {
  it("pops in order, whatever the push order", () => {
    const h = new Heap<number>((a, b) => a < b);
    const input = [5, 3, 9, 1, 1, 7, 2, 8, 6, 4, 0];
    for (const n of input) h.push(n);
    expect(h.size).toBe(input.length);
    const out: number[] = [];
    for (let n = h.pop(); n !== undefined; n = h.pop()) out.push(n);
    expect(out).toEqual([...input].sort((a, b) => a - b));
    expect(h.pop()).toBeUndefined();
  });

  it("breaks ties with the comparator (stable when it says so)", () => {
    const h = new Heap<{ at: number; seq: number }>(
      (a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq),
    );
    for (let seq = 0; seq < 20; seq++) h.push({ at: seq % 3, seq });
    const out: number[] = [];
    while (h.size) out.push((h.pop() as { seq: number }).seq);
    expect(out).toEqual([0, 3, 6, 9, 12, 15, 18, 1, 4, 7, 10, 13, 16, 19, 2, 5, 8, 11, 14, 17]);
  });
});
