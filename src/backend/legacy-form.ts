/**
 * mesibo's older backend form: `GET <server>/api.php?op=…&token=<App Token>&…`, spoken by its older
 * on-premise servers and its pre-2022 samples. An --api-url whose path ends in `api.php` gets this form;
 * any other gets the JSON body (client.ts).
 *
 * Parameter names, from mesibo's own older sample (mesibo/samples php/mesibohelper.php and
 * php/mesiboapi.php, 2020; moved to backend-api/php/ and rewritten for JSON in February 2022), which
 * sends every operation as a GET with its parameters and the App Token in the query string:
 * - useradd: `op`, `token` (the App Token), `addr` (the address), `appid`, `expiry` (minutes);
 * - message: `op`, `token`, `from`, `to` (comma-separated), `msg` (the text).
 * `name` (the display name) is not among that sample's useradd parameters; it is sent as well, as the
 * JSON form's `user.name` is (a server that does not know it ignores it: UNSURE). `v2` is not sent: the
 * older form predates v2 tokens.
 *
 * The App Token travels in the URL, which servers and proxies log: this form is refused over plain http
 * to another machine even with --allow-http (endpoint-policy.ts). The answer is the same JSON as the
 * JSON form's.
 */

/** Whether an endpoint speaks the older GET form: its path ends in `api.php`. */
export function isLegacyEndpoint(endpoint: string | URL): boolean {
  try {
    return /\/api\.php$/i.test(new URL(endpoint).pathname);
  } catch {
    return false;
  }
}

/** The GET form of a JSON-form request body (useradd or message), as a query string. */
export function legacyQuery(payload: Record<string, unknown>): URLSearchParams {
  const query = new URLSearchParams();
  const put = (name: string, value: unknown) => {
    if (value !== undefined && value !== null) query.set(name, String(value));
  };
  put('op', payload.op);
  put('token', payload.token);
  if (payload.op === 'useradd') {
    const user = (payload.user ?? {}) as { address?: unknown; name?: unknown; token?: { appid?: unknown; expiry?: unknown } };
    put('addr', user.address);
    put('name', user.name);
    put('appid', user.token?.appid);
    put('expiry', user.token?.expiry);
  } else if (payload.op === 'message') {
    const message = (payload.message ?? {}) as { from?: unknown; to?: unknown; message?: unknown };
    put('from', message.from);
    put('to', message.to);
    put('msg', message.message);
  }
  return query;
}

/** The request URL of the GET form: the endpoint with the query (any query it had is replaced). */
export function legacyUrl(endpoint: string, payload: Record<string, unknown>): string {
  const url = new URL(endpoint);
  url.search = legacyQuery(payload).toString();
  return url.href;
}
