/** Rendering of untrusted values in the messages of the file validators. */

/** Renders a bad value for an error message. */
export function describeValue(v: unknown): string {
  if (typeof v === 'number') {
    return Object.is(v, -0) ? '-0' : String(v);
  }
  if (typeof v === 'bigint') {
    return `${v}n`;
  }
  if (v === undefined) {
    return 'undefined';
  }
  if (typeof v === 'function' || typeof v === 'symbol') {
    return String(typeof v);
  }
  try {
    const json = JSON.stringify(v);
    return json.length > 60 ? `${json.slice(0, 57)}...` : json;
  } catch {
    return String(v);
  }
}
