import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ApiInput } from '../../../../electron/contract/api-contract.js';
import { settingsPatchSchema, type Settings } from '../../../../electron/contract/settings-schema.js';
import { callApi } from '../../api/api-client.js';
import { fieldErrorsFromApi, fieldErrorsOf, keepStillFailing, type FieldErrors } from '../../ui/field-errors.js';
import { focusFirstInvalid } from '../../ui/focus-first-invalid.js';
import { numberReasons } from '../../ui/form-numbers.js';

export type SettingsPatch = ApiInput<'settings.update'>;

export interface SectionOptions<Draft> {
  /** The section's fields as the form holds them, read from saved settings. */
  fromSettings: (settings: Settings) => Draft;
  /** A patch naming only this section (settings.update changes only what a patch names). */
  toPatch: (draft: Draft) => SettingsPatch;
  /** Rules beyond the schema that the engine applies later (on merge, or when it uses the setting). */
  check?: (draft: Draft) => FieldErrors;
  /** Reasons worded for the form's units (the size limit is bytes in the schema, MB on screen). */
  reword?: (errors: FieldErrors) => FieldErrors;
  /** Methods whose answers change with this section, e.g. stats.summary after a listener restart. */
  alsoRefresh?: string[];
}

/**
 * One settings section's form: draft, the contract's checks (settingsPatchSchema, the same the engine
 * runs) on submit and on blur after that, the engine's own reasons, and focus on the first invalid field.
 */
export function useSettingsSection<Draft>(settings: Settings, options: SectionOptions<Draft>) {
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [draft, setDraftState] = useState<Draft>(() => options.fromSettings(settings));
  const [attempted, setAttempted] = useState(false);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [apiErrors, setApiErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  const [focusRequest, setFocusRequest] = useState(0);

  const validate = (value: Draft): { patch: SettingsPatch; errors: FieldErrors } => {
    const patch = options.toPatch(value);
    const parsed = settingsPatchSchema.safeParse(patch, { error: numberReasons });
    const errors = { ...(options.check?.(value) ?? {}), ...(parsed.success ? {} : fieldErrorsOf(parsed.error)) };
    return { patch, errors: options.reword ? options.reword(errors) : errors };
  };

  const save = useMutation({
    mutationFn: (patch: SettingsPatch) => callApi('settings.update', patch),
    onSuccess: async (result) => {
      queryClient.setQueryData(['settings.get', {}], result); // the answer is the saved settings: no refetch needed
      await Promise.all((options.alsoRefresh ?? []).map((method) => queryClient.invalidateQueries({ queryKey: [method] })));
      setDraftState(options.fromSettings(result));
      setSaved(true);
    },
    onError: (error) => {
      setApiErrors(options.reword ? options.reword(fieldErrorsFromApi(error)) : fieldErrorsFromApi(error));
      setFocusRequest((count) => count + 1);
    },
  });

  useEffect(() => {
    if (focusRequest > 0) focusFirstInvalid(formRef.current);
  }, [focusRequest]);

  const setDraft = (next: Draft) => {
    setDraftState(next);
    setSaved(false);
    if (attempted) setClientErrors((shown) => keepStillFailing(shown, validate(next).errors));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    setAttempted(true);
    setApiErrors({});
    setSaved(false);
    const { patch, errors } = validate(draft);
    setClientErrors(errors);
    if (Object.keys(errors).length > 0) setFocusRequest((count) => count + 1);
    else save.mutate(patch);
  };

  return {
    formRef,
    draft,
    setDraft,
    errors: { ...apiErrors, ...clientErrors },
    submit,
    onBlur: () => attempted && setClientErrors(validate(draft).errors),
    saving: save.isPending,
    saved,
    /** A failure no field explains (storage, connection): shown above the section's button. */
    failure: save.isError && Object.keys(fieldErrorsFromApi(save.error)).length === 0 ? save.error : null,
  };
}

export type SettingsSectionState<Draft> = ReturnType<typeof useSettingsSection<Draft>>;
