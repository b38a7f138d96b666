/** The Content-Type Fastify gives a body it serialises to JSON itself. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * JSON bodies of values that many responses share for a while (cached counts): each value is
 * serialised on its first response instead of on every one. The bodies are held weakly, so one
 * goes when its value does. Only for values that are never changed once sent.
 */
export class SharedJson {
  private readonly bodies = new WeakMap<object, string>();

  of(value: object): string {
    let body = this.bodies.get(value);
    if (body === undefined) {
      body = JSON.stringify(value);
      this.bodies.set(value, body);
    }
    return body;
  }
}
