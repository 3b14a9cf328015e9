import { SaxesParser } from 'saxes';
import { CalsyncError } from '../errors.ts';

/** A parsed XML element: namespace URI, local name, text directly inside, child elements. */
export interface XmlElement {
  readonly ns: string;
  readonly name: string;
  readonly children: XmlElement[];
  text: string;
}

export const DAV_NS = 'DAV:';
export const CALDAV_NS = 'urn:ietf:params:xml:ns:caldav';
export const CS_NS = 'http://calendarserver.org/ns/';
export const ICAL_NS = 'http://apple.com/ns/ical/';

/** Largest XML body we agree to parse; a server sending more is treated as hostile. */
const MAX_XML_CHARS = 256 * 1024 * 1024;

/**
 * Parses a complete XML document into a small element tree, strictly: truncated or
 * malformed XML, a DOCTYPE (entity expansion attacks) or an oversized body throw a
 * `bad-data` CalsyncError. Strictness is the point — tsdav's parser returns a partial tree
 * for truncated XML, and a partial listing must never be read as "these objects were
 * deleted on the server".
 */
export function parseXml(text: string): XmlElement {
  if (text.length > MAX_XML_CHARS) throw new CalsyncError('bad-data', 'Server XML response is too large.');
  const parser = new SaxesParser({ xmlns: true, position: false });
  const root: XmlElement = { ns: '', name: '#document', children: [], text: '' };
  const stack: XmlElement[] = [root];
  let failure: Error | undefined;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.on('doctype', () => {
    failure ??= new Error('DOCTYPE is not allowed in a DAV response');
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = { ns: tag.uri ?? '', name: tag.local ?? tag.name, children: [], text: '' };
    stack[stack.length - 1]?.children.push(element);
    stack.push(element);
  });
  parser.on('text', (text) => {
    const top = stack[stack.length - 1];
    if (top && top !== root) top.text += text;
  });
  parser.on('cdata', (text) => {
    const top = stack[stack.length - 1];
    if (top && top !== root) top.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  try {
    parser.write(text).close();
  } catch (error) {
    failure ??= error instanceof Error ? error : new Error(String(error));
  }
  const documentElement = root.children[0];
  if (failure || !documentElement) {
    throw new CalsyncError(
      'bad-data',
      `Server sent malformed or truncated XML${failure ? `: ${failure.message}` : ''}`,
      {
        cause: failure,
      },
    );
  }
  return documentElement;
}

/** First child with the given namespace and local name. */
export function child(element: XmlElement | undefined, ns: string, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name && c.ns === ns);
}

/** All children with the given namespace and local name. */
export function children(element: XmlElement | undefined, ns: string, name: string): XmlElement[] {
  return element ? element.children.filter((c) => c.name === name && c.ns === ns) : [];
}

/** True if an element with this namespace and name appears anywhere below `element`. */
export function contains(element: XmlElement, ns: string, name: string): boolean {
  for (const c of element.children) {
    if ((c.ns === ns && c.name === name) || contains(c, ns, name)) return true;
  }
  return false;
}

/** Escapes text for inclusion in an XML body we send. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
