// The one place that binds htm to Preact: components import from here, never from vendor paths.
import { h, render } from '../vendor/preact/preact.js';
import htm from '../vendor/htm/htm.js';

export { render };
export { useCallback, useEffect, useReducer, useRef, useState } from '../vendor/preact/hooks.js';
export const html = htm.bind(h);
export { useLayoutEffect } from '../vendor/preact/hooks.js';
export { useMemo } from '../vendor/preact/hooks.js';

function sameProps(a, b) {
  for (const key in a) if (a[key] !== b[key]) return false;
  for (const key in b) if (!(key in a)) return false;
  return true;
}

/** The component, rendered again only when a prop changes (by identity): Preact's own memo lives in
 * preact/compat, which the console does not ship. Pass the page's language as a prop where the output
 * has strings, so a language switch still renders it again. */
export function memo(component) {
  function shouldComponentUpdate(next) {
    return !sameProps(this.props, next);
  }
  function Memoized(props) {
    this.shouldComponentUpdate = shouldComponentUpdate;
    return h(component, props);
  }
  Memoized.displayName = `memo(${component.name})`;
  return Memoized;
}
