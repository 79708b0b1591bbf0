import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type RefObject } from 'react';
import type { ApiOutput } from '../../../../electron/contract/api-contract.js';
import type { DomainInput } from '../../../../electron/contract/settings-schema.js';
import { callApi } from '../../api/api-client.js';
import { fieldErrorsFromApi, type FieldErrors } from '../../ui/field-errors.js';
import { focusFirstInvalid } from '../../ui/focus-first-invalid.js';

/**
 * domains.save for a form (the domain form, the setup's mail server step): refreshes what a save changes,
 * keeps the engine's reasons by field and moves focus to the first field to fix when it refuses.
 */
export function useSaveDomain(formRef: RefObject<HTMLFormElement | null>, onSaved: (result: ApiOutput<'domains.save'>) => void) {
  const queryClient = useQueryClient();
  const [apiErrors, setApiErrors] = useState<FieldErrors>({});
  const [focusRequest, setFocusRequest] = useState(0);
  const save = useMutation({
    mutationFn: (input: DomainInput) => callApi('domains.save', input),
    onSuccess: async (result) => {
      // The list, the settings (which hold the domains), the queued counts and the listener (the first
      // domain starts receiving) all change with a save.
      await Promise.all(['domains.list', 'settings.get', 'stats.summary'].map((method) => queryClient.invalidateQueries({ queryKey: [method] })));
      onSaved(result);
    },
    onError: (error) => {
      setApiErrors(fieldErrorsFromApi(error));
      setFocusRequest((count) => count + 1);
    },
  });
  useEffect(() => {
    if (focusRequest > 0) focusFirstInvalid(formRef.current);
  }, [focusRequest, formRef]);
  /** Asks to focus the first invalid field (after a failed check before saving). */
  const requestFocus = () => setFocusRequest((count) => count + 1);
  return { save, apiErrors, setApiErrors, requestFocus };
}
