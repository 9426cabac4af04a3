/**
 * The forms of a server-rendered page, as a browser without JavaScript would submit them: every named input with
 * its value (checkboxes and radios only when checked), selects, textareas, and the hidden fields React adds for a
 * server action (`$ACTION_ID_…`, or `$ACTION_REF_n` with `$ACTION_n:…` for an action with state or bound
 * arguments). Posting that to the page's URL runs the action exactly as a no-JavaScript submit does.
 */

export interface HtmlForm {
  attributes: Record<string, string>;
  fields: [string, string][];
  /** The form's own HTML, to find it by a label or a button. */
  html: string;
}

const decode = (s: string) =>
  s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replaceAll("&quot;", '"')
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");

function attributesOf(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([^\s=/>]+)(?:="([^"]*)")?/g))
    out[(m[1] as string).toLowerCase()] = decode(m[2] ?? "");
  return out;
}

export function htmlForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const f of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const body = f[2] as string;
    const fields: [string, string][] = [];
    for (const i of body.matchAll(/<input\b([^>]*)>/g)) {
      const a = attributesOf(i[1] as string);
      if (!a.name || a.disabled !== undefined) continue;
      const type = a.type ?? "text";
      if ((type === "checkbox" || type === "radio") && a.checked === undefined) continue;
      if (type === "submit" || type === "button" || type === "file") continue;
      fields.push([a.name, a.value ?? (type === "checkbox" || type === "radio" ? "on" : "")]);
    }
    for (const s of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const a = attributesOf(s[1] as string);
      if (!a.name) continue;
      const options = [...(s[2] as string).matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/g)].map(
        (o): Record<string, string> => ({ ...attributesOf(o[1] as string), text: decode(o[2] as string) }),
      );
      const chosen = options.find((o) => o.selected !== undefined) ?? options[0];
      if (chosen) fields.push([a.name, chosen.value ?? chosen.text ?? ""]);
    }
    for (const t of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
      const a = attributesOf(t[1] as string);
      if (a.name) fields.push([a.name, decode(t[2] as string)]);
    }
    forms.push({ attributes: attributesOf(f[1] as string), fields, html: f[0] });
  }
  return forms;
}

/** The form's fields with some replaced (a name given here replaces every field of that name). */
export function formBody(form: HtmlForm, changes: Record<string, string | string[]> = {}): FormData {
  const data = new FormData();
  for (const [name, value] of form.fields) if (!(name in changes)) data.append(name, value);
  for (const [name, value] of Object.entries(changes))
    for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
  return data;
}

/** The id of the server action a form runs, from its hidden fields. */
export function actionIdOf(form: HtmlForm): string | undefined {
  for (const [name, value] of form.fields) {
    if (name.startsWith("$ACTION_ID_")) return name.slice("$ACTION_ID_".length);
    if (/^\$ACTION_\d+:0$/.test(name)) return (JSON.parse(value) as { id?: string }).id;
  }
  return undefined;
}
