// A conversation's messages, notes and activities, oldest first, opened at the newest. Only a window of
// them is in the DOM (timelineWindow.js); reaching the top shows older ones, loading a page when needed,
// and the message the agent was looking at stays where it was on screen.
import { html, useEffect, useLayoutEffect, useRef, useState } from '../html.js';
import { t } from '../i18n.js';
import { movedDown, movedUp, WINDOW, windowStart } from '../timelineWindow.js';
import { MessageItem } from './MessageItem.js';

const EDGE_PX = 150; // this close to an end of the list counts as having reached it

/** Keeps one message at the same place on screen across the next change of the window's first message. */
function useAnchor(list, messages, start, shown) {
  const anchor = useRef(null);
  const previousFirst = useRef(null);
  const stickToEnd = useRef(false);
  const itemOf = (id) => list.current && list.current.children[messages.findIndex((m) => m.id === id) - start];
  useLayoutEffect(() => {
    const element = list.current;
    const first = shown.length ? shown[0].id : null;
    if (element && stickToEnd.current) {
      element.scrollTop = element.scrollHeight;
      stickToEnd.current = false;
      anchor.current = null;
    } else if (element && anchor.current && first !== previousFirst.current) {
      const item = itemOf(anchor.current.id);
      if (item) element.scrollTop = item.offsetTop - anchor.current.offset;
      anchor.current = null;
    }
    previousFirst.current = first;
  });
  return {
    keep(id) {
      const item = itemOf(id);
      if (item) anchor.current = { id, offset: item.offsetTop - list.current.scrollTop };
    },
    toEnd() {
      stickToEnd.current = true;
    },
  };
}

export function Timeline({ messages, loaded, contactName, user, hasOlder = false, onLoadOlder }) {
  const list = useRef(null);
  const [firstId, setFirstId] = useState(null); // the window's first message; null: follow the newest
  const loadingOlder = useRef(false);
  const start = windowStart(messages, firstId);
  const shown = messages.slice(start, start + WINDOW);
  const anchor = useAnchor(list, messages, start, shown);

  function showOlder() {
    if (!shown.length) return;
    const up = movedUp(messages, start);
    anchor.keep(shown[0].id);
    if (up != null) {
      setFirstId(up);
    } else if (hasOlder && onLoadOlder && !loadingOlder.current) {
      loadingOlder.current = true;
      setFirstId(shown[0].id); // pinned, so the page arriving above changes nothing until the window moves
      onLoadOlder().finally(() => {
        loadingOlder.current = false;
      });
    }
  }

  function showNewer() {
    if (start + WINDOW >= messages.length) return;
    const down = movedDown(messages, start);
    anchor.keep(down == null ? messages[messages.length - WINDOW].id : down);
    setFirstId(down);
  }

  function reachedAnEnd() {
    const element = list.current;
    if (!element) return;
    if (element.scrollTop < EDGE_PX) showOlder();
    else if (element.scrollHeight - element.scrollTop - element.clientHeight < EDGE_PX) showNewer();
  }

  const last = messages.length ? messages[messages.length - 1].id : null;
  useLayoutEffect(() => {
    // A new message (or the first page): show the newest, as a chat does.
    if (firstId != null) {
      anchor.toEnd(); // once the window is back at the newest
      setFirstId(null);
    } else if (list.current) {
      list.current.scrollTop = list.current.scrollHeight;
    }
  }, [last]);
  // A page arrived or the window moved: still at the top (a short page), keep going.
  useEffect(reachedAnEnd, [messages.length, start]);

  return html`
    <ol class="timeline" ref=${list} onScroll=${reachedAnEnd} aria-label=${t('timeline.label')} aria-busy=${!loaded}>
      ${shown.map((m) => html`<${MessageItem} key=${m.id} message=${m} contactName=${contactName} user=${user}
        language=${document.documentElement.lang} />`)}
    </ol>`;
}
