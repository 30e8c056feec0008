// Ctrl+K / Cmd+K: every desk command by name. A modal <dialog> with a combobox over the filtered list:
// Up/Down choose, Enter runs, Escape closes; the focus goes back where it was, then the command runs (so a
// command that moves the focus, like Reply, keeps it where it put it).
import { html, useEffect, useRef, useState } from '../html.js';
import { t } from '../i18n.js';
import { paletteCommands } from '../paletteCommands.js';

const LIST_ID = 'palette-commands';
const optionId = (command) => `palette-${command.id}`;

export function CommandPalette({ desk, onClose }) {
  const dialog = useRef(null);
  const input = useRef(null);
  const returnTo = useRef(document.activeElement);
  const chosen = useRef(null);
  const [typed, setTyped] = useState('');
  const [active, setActive] = useState(0);
  const commands = paletteCommands(desk, typed);
  const current = commands[Math.min(active, commands.length - 1)];

  useEffect(() => {
    dialog.current.showModal();
    input.current.focus();
  }, []);

  const run = (command) => {
    chosen.current = command;
    dialog.current.close(); // its close event ends the palette (below), Escape's too
  };

  function closed() {
    const target = returnTo.current;
    if (target instanceof HTMLElement && target.isConnected) target.focus();
    onClose();
    chosen.current?.run();
  }

  function onKeyDown(event) {
    const move = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (move && commands.length) {
      event.preventDefault();
      const from = commands.indexOf(current);
      setActive((from + move + commands.length) % commands.length);
    } else if (event.key === 'Enter' && current) {
      event.preventDefault();
      run(current);
    }
  }

  return html`
    <dialog class="palette" ref=${dialog} aria-label=${t('palette.title')} onClose=${closed}>
      <input ref=${input} type="text" role="combobox" aria-label=${t('palette.input')} dir="auto"
        placeholder=${t('palette.placeholder')} autocomplete="off" spellcheck="false"
        aria-autocomplete="list" aria-expanded="true" aria-controls=${LIST_ID}
        aria-activedescendant=${current ? optionId(current) : undefined}
        value=${typed} onKeyDown=${onKeyDown}
        onInput=${(e) => {
          setTyped(e.currentTarget.value);
          setActive(0);
        }} />
      <ul role="listbox" id=${LIST_ID} aria-label=${t('palette.commands')}>
        ${commands.map(
          (command) => html`
            <li role="option" key=${command.id} id=${optionId(command)}
              aria-selected=${command === current ? 'true' : 'false'} onMouseDown=${(e) => e.preventDefault()}
              onMouseMove=${() => setActive(commands.indexOf(command))} onClick=${() => run(command)}>
              <span>${command.label}</span>
              ${command.keys && html`<kbd aria-hidden="true">${command.keys}</kbd>`}
            </li>`,
        )}
      </ul>
      ${!commands.length && html`<p class="palette-empty">${t('palette.none')}</p>`}
    </dialog>`;
}
