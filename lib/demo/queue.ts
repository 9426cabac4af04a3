import { Heap } from "@/lib/util/heap";

/**
 * The simulation clock: a min-heap of timed actions. Ties run in scheduling order, so a run is deterministic
 * whatever the heap does internally.
 */
interface Item {
  at: number;
  seq: number;
  run: (at: number) => void;
}

export class EventQueue {
  private readonly heap = new Heap<Item>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
  private seq = 0;

  schedule(at: number, run: (at: number) => void): void {
    this.heap.push({ at, seq: this.seq++, run });
  }

  /** Runs every action due at or before `end`, in time order (actions may schedule more). */
  runUntil(end: number): void {
    for (;;) {
      const top = this.heap.peek();
      if (!top || top.at > end) return;
      this.heap.pop();
      top.run(top.at);
    }
  }
}
