// One admin action at a time, with its failure shown in words: run(work) returns whether it succeeded.
import { SignedOut } from './api.js';
import { useState } from './html.js';
import { t } from './i18n.js';

// `reasons` names what a status means for this action (a 409 is not always "exists already").
function reasonFor(error, reasons) {
  if (reasons[error.status]) return reasons[error.status];
  if (error.status === 409) return t('settings.conflict');
  if (error.status === 422) return t('settings.invalid', { detail: error.message });
  return t('settings.failed');
}

export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function run(work, reasons = {}) {
    setBusy(true);
    setError('');
    try {
      await work();
      return true;
    } catch (failure) {
      if (!(failure instanceof SignedOut)) setError(reasonFor(failure, reasons));
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, run };
}
