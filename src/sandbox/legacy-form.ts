/**
 * The sandbox's reading of mesibo's older GET form (`…/api.php?op=useradd&token=…&addr=…&appid=…&expiry=…`,
 * parameter names as src/backend/legacy-form.ts cites them from mesibo/samples php/mesibohelper.php),
 * turned into the JSON body the sandbox already handles, so that both forms are answered, and checked,
 * by the same code. Only what the query holds is copied; a missing parameter stays missing, so the
 * sandbox's own MISSINGPARA answers name it.
 */
export function legacyQueryToBody(query: URLSearchParams): Record<string, unknown> {
  const text = (name: string): string | undefined => query.get(name) ?? undefined;
  const body: Record<string, unknown> = { op: text('op'), token: text('token') };
  if (query.has('id')) body.id = text('id');
  if (body.op === 'useradd') {
    const user: Record<string, unknown> = { address: text('addr'), name: text('name') };
    // As in the JSON form, a token is issued only when asked for one: here, by giving an appid.
    if (query.has('appid')) {
      const expiry = text('expiry');
      user.token = { appid: text('appid'), ...(expiry === undefined ? {} : { expiry: Number(expiry) }) };
    }
    body.user = user;
  } else if (body.op === 'message') {
    body.message = { from: text('from'), to: text('to'), message: text('msg') };
  }
  return body;
}
