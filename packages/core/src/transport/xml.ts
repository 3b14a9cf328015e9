import { type SaxesAttributeNS, SaxesParser } from 'saxes';
import { CalsyncError } from '../api/errors.ts';

/** A parsed XML element: namespace URI, local name, text directly inside, child elements. */
export interface XmlElement {
  readonly ns: string;
  readonly name: string;
  readonly children: XmlElement[];
  text: string;
  /** Attributes without a namespace, by name; absent when the element has none. */
  readonly attributes?: Readonly<Record<string, string>>;
}

export const DAV_NS = 'DAV:';
export const CALDAV_NS = 'urn:ietf:params:xml:ns:caldav';
export const CS_NS = 'http://calendarserver.org/ns/';
export const ICAL_NS = 'http://apple.com/ns/ical/';

/** Largest XML body we agree to parse; a server sending more is treated as hostile. */
const MAX_XML_CHARS = 256 * 1024 * 1024;

/**
 * Deepest element nesting we accept. DAV answers nest about 8 levels (multistatus →
 * response → propstat → prop → supported-report-set → supported-report → report → …);
 * parse time grows super-quadratically with depth in the parser (40,000 levels: 28 s).
 */
export const MAX_XML_DEPTH = 64;

/**
 * Most elements one answer may hold: a 20,000-event calendar-query is ~160,000. Bounds
 * the memory of the element tree (a 256 MB body of `<a/>` would be 40 M objects).
 */
export const MAX_XML_ELEMENTS = 2_000_000;

/** Thrown inside a parser callback to stop parsing at once. */
class XmlLimit extends Error {}

/**
 * Parses a complete XML document into a small element tree, strictly: truncated or
 * malformed XML, a DOCTYPE (entity expansion attacks) or an oversized body throw a
 * `bad-data` CalsyncError. Strictness is the point — tsdav's parser returns a partial tree
 * for truncated XML, and a partial listing must never be read as "these objects were
 * deleted on the server". Depth and element count are capped ({@link MAX_XML_DEPTH},
 * {@link MAX_XML_ELEMENTS}): the parse stops at the first element past a limit.
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
  let elements = 0;
  parser.on('opentag', (tag) => {
    if (stack.length > MAX_XML_DEPTH) throw new XmlLimit(`elements nested deeper than ${MAX_XML_DEPTH} levels`);
    if (++elements > MAX_XML_ELEMENTS) throw new XmlLimit(`more than ${MAX_XML_ELEMENTS} elements`);
    const attributes = plainAttributes(tag.attributes);
    const element: XmlElement = {
      ns: tag.uri ?? '',
      name: tag.local ?? tag.name,
      children: [],
      text: '',
      ...(attributes === undefined ? {} : { attributes }),
    };
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
    if (error instanceof XmlLimit) {
      throw new CalsyncError('bad-data', `Server XML response refused: ${error.message}.`, { retryable: false });
    }
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

/** The attributes without a namespace (`<C:comp name="VEVENT"/>`); undefined when there are none (most elements). */
function plainAttributes(attributes: Record<string, SaxesAttributeNS>): Record<string, string> | undefined {
  let plain: Record<string, string> | undefined;
  for (const key in attributes) {
    const attribute = attributes[key];
    if (attribute?.uri !== '') continue;
    plain ??= {};
    plain[attribute.local] = attribute.value;
  }
  return plain;
}

/** First child with the given namespace and local name. */
export function child(element: XmlElement | undefined, ns: string, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name && c.ns === ns);
}

/** All children with the given namespace and local name. */
export function children(element: XmlElement | undefined, ns: string, name: string): XmlElement[] {
  return element ? element.children.filter((c) => c.name === name && c.ns === ns) : [];
}

/** True if an element with this namespace and name appears anywhere below `element` (no recursion). */
export function contains(element: XmlElement, ns: string, name: string): boolean {
  const todo = [...element.children];
  for (let c = todo.pop(); c !== undefined; c = todo.pop()) {
    if (c.ns === ns && c.name === name) return true;
    todo.push(...c.children);
  }
  return false;
}

/** Escapes text for inclusion in an XML body we send. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
