// Files dropped on, or pasted into, the reply area. Only files are taken: dragged or pasted text keeps
// the browser's own behaviour.
const carriesFiles = (transfer) => Boolean(transfer) && Array.from(transfer.types || []).includes('Files');

/** Event handlers for the drop target; onFiles gets the files, onDragging(true|false) follows the drag. */
export function fileDropHandlers(onFiles, onDragging) {
  return {
    onDragOver(event) {
      if (!carriesFiles(event.dataTransfer)) return;
      event.preventDefault(); // without this the browser would open the file instead of dropping it here
      event.dataTransfer.dropEffect = 'copy';
      onDragging(true);
    },
    onDragLeave(event) {
      if (!event.currentTarget.contains(event.relatedTarget)) onDragging(false);
    },
    onDrop(event) {
      if (!carriesFiles(event.dataTransfer)) return;
      event.preventDefault();
      onDragging(false);
      onFiles(Array.from(event.dataTransfer.files));
    },
    onPaste(event) {
      const clipboard = event.clipboardData;
      const files = Array.from(clipboard?.files || []);
      // Text copied from an office program comes with a picture of itself: then the text is what was
      // meant. A screenshot, or an image copied from a page, has no plain text: the file is taken.
      if (!files.length || Array.from(clipboard.types).includes('text/plain')) return;
      event.preventDefault();
      onFiles(files);
    },
  };
}
