// The one place that binds htm to Preact: components import from here, never from vendor paths.
import { h, render } from '../vendor/preact/preact.js';
import htm from '../vendor/htm/htm.js';

export { render };
export { useCallback, useEffect, useReducer, useRef, useState } from '../vendor/preact/hooks.js';
export const html = htm.bind(h);
export { useLayoutEffect } from '../vendor/preact/hooks.js';
export { useMemo } from '../vendor/preact/hooks.js';
