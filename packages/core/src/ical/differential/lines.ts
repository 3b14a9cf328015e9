/**
 * Content lines and components for the differential test's reference (RFC 5545 §3.1, §3.4,
 * §3.6): unfolding, property and parameter parsing, BEGIN/END nesting, and writing back.
 *
 * Test-only: part of the independent implementation `differential.test.ts` compares calsync
 * with; it must never import calsync's own ical code, and nothing but that test imports it.
 */

// ---------------------------------------------------------------------------------------------
// Content lines and components (§3.1, §3.4, §3.6)

export interface ContentLine {
  /** Upper-case property name. */
  name: string;
  /** Parameters by upper-case name, quotes removed. */
  params: Record<string, string>;
  value: string;
  /** The whole unfolded line, as written. */
  raw: string;
}

export interface Component {
  /** Upper-case component name. */
  name: string;
  lines: ContentLine[];
  children: Component[];
}

export function parseLine(raw: string): ContentLine | undefined {
  let i = 0;
  while (i < raw.length && raw[i] !== ';' && raw[i] !== ':') i++;
  if (i >= raw.length) return undefined;
  const name = raw.slice(0, i).trim().toUpperCase();
  const params: Record<string, string> = {};
  while (raw[i] === ';') {
    i++;
    const eq = raw.indexOf('=', i);
    if (eq < 0) return undefined;
    const key = raw.slice(i, eq).trim().toUpperCase();
    i = eq + 1;
    const values: string[] = [];
    for (;;) {
      let value = '';
      if (raw[i] === '"') {
        const close = raw.indexOf('"', i + 1);
        if (close < 0) return undefined;
        value = raw.slice(i + 1, close);
        i = close + 1;
      } else {
        const start = i;
        while (i < raw.length && raw[i] !== ';' && raw[i] !== ':' && raw[i] !== ',') i++;
        value = raw.slice(start, i);
      }
      values.push(value);
      if (raw[i] !== ',') break;
      i++;
    }
    params[key] = values.join(',');
  }
  if (raw[i] !== ':') return undefined;
  return { name, params, value: raw.slice(i + 1), raw };
}

/** Reads iCalendar text into its top-level components (VCALENDARs, or bare fragments). */
export function readComponents(text: string): Component[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n|\r|\n/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const top: Component[] = [];
  const stack: Component[] = [];
  for (const raw of lines) {
    const line = parseLine(raw);
    if (line === undefined) continue;
    if (line.name === 'BEGIN') {
      const component: Component = { name: line.value.trim().toUpperCase(), lines: [], children: [] };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(component);
      else top.push(component);
      stack.push(component);
    } else if (line.name === 'END') {
      const name = line.value.trim().toUpperCase();
      const at = stack.map((c) => c.name).lastIndexOf(name);
      if (at >= 0) stack.length = at;
    } else {
      stack[stack.length - 1]?.lines.push(line);
    }
  }
  return top;
}

export function first(component: Component, name: string): ContentLine | undefined {
  return component.lines.find((line) => line.name === name);
}

export function all(component: Component, name: string): ContentLine[] {
  return component.lines.filter((line) => line.name === name);
}

export function serialize(component: Component): string[] {
  return [
    `BEGIN:${component.name}`,
    ...component.lines.map((line) => line.raw),
    ...component.children.flatMap(serialize),
    `END:${component.name}`,
  ];
}
