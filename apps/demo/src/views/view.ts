// The contract of a page: render into a container, optionally return a cleanup function.
import type { StringKey } from '../i18n.js';

/** One page of the app. */
export interface View {
  /** Route id: `#/id`. Its nav label is the i18n key `nav.<id>`. */
  id: string;
  /** Renders the page; `setParams` records view state in the URL so the view can be shared. */
  render(container: HTMLElement, params: URLSearchParams, setParams: (p: Record<string, string | number>) => void): Promise<(() => void) | void> | (() => void) | void;
}

export type { StringKey };
