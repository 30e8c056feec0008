// The command palette's commands for the desk as it is now, filtered by what the agent typed.
import { t } from './i18n.js';
import { conversationNumber } from './searchText.js';

const VIEWS = ['mine', 'unassigned', 'all'];

function conversationCommands(desk) {
  const { open } = desk;
  if (!open) return [];
  return [
    desk.canAssign && { id: 'assign', label: t('palette.assignToMe'), keys: 'a', run: desk.assignToMe },
    open.status !== 'resolved' && { id: 'resolve', label: t('palette.resolve'), keys: 'e', run: desk.resolve },
    open.status !== 'open' && { id: 'reopen', label: t('palette.reopen'), run: desk.reopen },
    { id: 'reply', label: t('palette.reply'), keys: 'r', run: desk.reply },
    { id: 'note', label: t('palette.note'), keys: 'n', run: desk.note },
  ].filter(Boolean);
}

function allCommands(desk) {
  return [
    ...conversationCommands(desk),
    { id: 'search', label: t('palette.search'), keys: '/', run: desk.search },
    ...VIEWS.filter((view) => view !== desk.view).map((view) => ({
      id: `view-${view}`,
      label: t('palette.view', { view: t(`views.${view}`) }),
      run: () => desk.chooseView(view),
    })),
    { id: 'help', label: t('palette.help'), keys: '?', run: desk.help },
    { id: 'sign-out', label: t('palette.signOut'), run: desk.signOut },
  ];
}

/** Every word typed appears in the label, ignoring case ("res" finds Resolve, "view mine" the view Mine). */
function matches(label, words) {
  const text = label.toLowerCase();
  return words.every((word) => text.includes(word));
}

export function paletteCommands(desk, typed) {
  const number = conversationNumber(typed);
  const goTo = number && { id: 'go-to', label: t('palette.goTo', { id: number }), run: () => desk.goTo(number) };
  const words = typed.toLowerCase().split(/\s+/).filter(Boolean);
  const listed = allCommands(desk).filter((command) => matches(command.label, words));
  return goTo ? [goTo, ...listed] : listed;
}
