// Which slice of a long timeline is in the DOM: at most WINDOW messages, so a conversation of thousands
// of messages renders (and re-renders on every live event) as fast as a short one. Pure functions.

export const WINDOW = 300;
export const STEP = 100; // how far the window moves when the agent reaches one of its ends

/** Index of the first rendered message: the newest WINDOW when following, else where firstId is. */
export function windowStart(messages, firstId) {
  const newest = Math.max(0, messages.length - WINDOW);
  if (firstId == null) return newest;
  const index = messages.findIndex((m) => m.id === firstId);
  return index < 0 ? newest : Math.min(index, newest);
}

/** The first id after moving the window up by STEP, or null when it is already at the oldest loaded. */
export function movedUp(messages, start) {
  return start > 0 ? messages[Math.max(0, start - STEP)].id : null;
}

/** The first id after moving the window down by STEP; null means "follow the newest" again. */
export function movedDown(messages, start) {
  const next = start + STEP;
  return next >= messages.length - WINDOW ? null : messages[next].id;
}
