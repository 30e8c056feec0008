// The files chosen for the message being written (picker, drop or paste), kept within the hub's limits.
// They belong to one conversation: opening another starts with none.
import { addWithinLimits, attachmentLimits, encodeFiles } from './attachments.js';
import { useEffect, useRef, useState } from './html.js';

export function useAttachments(conversationId) {
  const [files, setFiles] = useState([]);
  const [problems, setProblems] = useState([]);
  const latest = useRef([]); // two quick additions (a drop, then a paste) both see the files before them

  const replace = (next) => {
    latest.current = next;
    setFiles(next);
  };
  const clear = () => {
    replace([]);
    setProblems([]);
  };
  const conversation = useRef(conversationId);
  useEffect(() => {
    conversation.current = conversationId;
    clear();
  }, [conversationId]);

  async function add(added) {
    const list = Array.from(added || []);
    if (!list.length) return;
    const addedTo = conversation.current;
    const policy = await attachmentLimits();
    if (conversation.current !== addedTo) return; // the agent moved on while the limits were asked
    const result = addWithinLimits(latest.current, list, policy);
    replace(result.files);
    setProblems(result.problems);
  }

  function remove(file) {
    replace(latest.current.filter((chosen) => chosen !== file));
    setProblems([]);
  }

  return { files, problems, add, remove, clear, encoded: () => encodeFiles(latest.current) };
}
