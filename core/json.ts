/** Reading JSON from outside (stored records, CloudTrail events) without trusting its shape. */

/** A JSON object, or undefined for anything else (absent, unreadable, an array, a scalar). */
export function jsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const raw = JSON.parse(text) as unknown;
    return raw !== null && typeof raw === 'object' && !Array.isArray(raw)
      ? (raw as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
