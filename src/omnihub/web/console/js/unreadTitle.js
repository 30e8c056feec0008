// The tab's title counts the unread conversations of the list, "(3) omnihub", so an agent sees new work
// from another tab. It counts the conversations the list has loaded (its first pages), as the list shows.
import { useEffect } from './html.js';
import { t } from './i18n.js';

export function useUnreadTitle(conversations) {
  const count = conversations.filter((c) => c.unread).length;
  useEffect(() => {
    document.title = count ? `(${count}) ${t('app.title')}` : t('app.title');
  }, [count]);
  useEffect(() => () => {
    document.title = t('app.title');
  }, []);
}
