// A small client-side router over the History API: the paths the server answers with index.html
// (src/http/plugins/static-ui.ts lists the same prefixes), links that navigate without reloading.

import type { ComponentChildren, TargetedMouseEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { readonly page: 'records' }
  | { readonly page: 'record'; readonly id: string }
  | { readonly page: 'dataset'; readonly id: string }
  | { readonly page: 'not-found' };

export function parseRoute(path: string): Route {
  if (path === '/' || path === '') return { page: 'records' };
  const record = /^\/records\/([1-9][0-9]{0,18})\/?$/.exec(path);
  if (record?.[1] !== undefined) return { page: 'record', id: record[1] };
  const dataset = /^\/datasets\/([1-9][0-9]{0,18})\/?$/.exec(path);
  if (dataset?.[1] !== undefined) return { page: 'dataset', id: dataset[1] };
  return { page: 'not-found' };
}

const listeners = new Set<() => void>();

export function navigate(path: string): void {
  history.pushState(null, '', path);
  listeners.forEach((listener) => listener());
}

export function useRoute(): Route {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const listener = () => setPath(location.pathname);
    listeners.add(listener);
    addEventListener('popstate', listener);
    return () => {
      listeners.delete(listener);
      removeEventListener('popstate', listener);
    };
  }, []);
  return parseRoute(path);
}

/** An `<a>` that navigates inside the interface (a modified click still opens a new tab). */
export function Link(props: { href: string; children: ComponentChildren; class?: string }) {
  const onClick = (event: TargetedMouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    navigate(props.href);
  };
  return (
    <a href={props.href} class={props.class} onClick={onClick}>
      {props.children}
    </a>
  );
}
