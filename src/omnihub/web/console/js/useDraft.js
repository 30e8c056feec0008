// The reply being written, kept as the agent's draft on the hub (PUT .../draft, debounced), so that a
// reload, another tab or another computer finds it again. Sending discards it.
import { api, SignedOut } from './api.js';
import { useEffect, useRef, useState } from './html.js';
import { afterNewestPage } from './timelinePages.js';

const SAVE_AFTER_MS = 700;

function ignore(error) {
  if (!(error instanceof SignedOut)) console.warn('omnihub console: draft:', error.message);
}

export function useDraft(conversationId) {
  const [text, setText] = useState('');
  const [isPrivate, setPrivate] = useState(false);
  const queue = useRef(Promise.resolve()); // one request at a time, in order: a late PUT never revives a DELETE
  const timer = useRef(null);
  const due = useRef(null); // the save to make when the timer fires
  const touched = useRef(false); // typed before the stored draft arrived: the typing wins

  const enqueue = (operation) => (queue.current = queue.current.then(operation).catch(ignore));
  const flush = () => {
    clearTimeout(timer.current);
    const save = due.current;
    due.current = null;
    if (save) enqueue(save);
  };

  useEffect(() => {
    let current = true;
    afterNewestPage(conversationId).then(() => api.getDraft(conversationId)).then((draft) => {
      if (!current || !draft || touched.current) return;
      setText(draft.content);
      setPrivate(draft.private);
    }, ignore);
    return () => {
      current = false;
      flush(); // leaving the conversation saves at once what was still waiting
    };
  }, [conversationId]);

  function change(nextText, nextPrivate) {
    touched.current = true;
    setText(nextText);
    setPrivate(nextPrivate);
    due.current = () =>
      nextText.trim() ? api.saveDraft(conversationId, nextText, nextPrivate) : api.deleteDraft(conversationId);
    clearTimeout(timer.current);
    timer.current = setTimeout(flush, SAVE_AFTER_MS);
  }

  function sent() {
    clearTimeout(timer.current);
    due.current = null;
    setText('');
    enqueue(() => api.deleteDraft(conversationId));
  }

  return {
    text,
    isPrivate,
    setText: (value) => change(value, isPrivate),
    setPrivate: (value) => change(text, value),
    sent,
  };
}
