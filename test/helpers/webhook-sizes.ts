/** Issue 14 §2: the sizes a GitHub delivery is tested at (1 MB = 1,048,576 bytes; GitHub's cap is 25 MB). */
export const MB = 1_048_576;
export const SIZES_MB = [1, 10.5, 24, 26] as const;

/** A JSON payload of an event Throughline does not use, padded to exactly `bytes` bytes (`head` opens it). */
export function paddedPayload(
  bytes: number,
  head = '{"action":"created","repository":{"full_name":"acme/pay"},"padding":"',
): string {
  const tail = '"}';
  return head + "x".repeat(bytes - head.length - tail.length) + tail;
}
