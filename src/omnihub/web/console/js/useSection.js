// Which part of the console an admin is in: the address's fragment (#/settings), so that reloading or
// going back keeps it. Agents have one part only.
import { useEffect, useState } from './html.js';

const SETTINGS = '#/settings';

function sectionOf(hash) {
  return hash === SETTINGS ? 'settings' : 'conversations';
}

export const sectionLinks = { conversations: '#/conversations', settings: SETTINGS };

export function useSection() {
  const [section, setSection] = useState(() => sectionOf(location.hash));
  useEffect(() => {
    const follow = () => setSection(sectionOf(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  return section;
}
