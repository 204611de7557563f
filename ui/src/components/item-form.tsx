// The form of a record or a dataset: Name, Description, (for datasets) Data type, and Metadata as
// JSON checked while typed. Used to create and to edit; the API's error is shown by the field it
// names, or in the alert region when it names none.

import { useLayoutEffect, useState } from 'preact/hooks';
import { fieldOf } from '../api/api-client.js';
import { showError } from '../alerts.js';
import { Field, formatMetadata, parseMetadata } from './field.js';

export interface ItemValues {
  readonly name: string;
  readonly description: string | null;
  readonly metadata: Record<string, unknown>;
  readonly data_type?: string;
}

interface ItemFormProps {
  /** Prefix of the controls' ids, unique on the page. */
  readonly id: string;
  readonly initial?: ItemValues;
  readonly hasDataType?: boolean;
  readonly submitLabel: string;
  readonly onSubmit: (values: ItemValues) => Promise<void>;
  readonly onCancel?: () => void;
}

export function ItemForm(props: ItemFormProps) {
  const [name, setName] = useState(props.initial?.name ?? '');
  const [description, setDescription] = useState(props.initial?.description ?? '');
  const [dataType, setDataType] = useState(props.initial?.data_type ?? '');
  const [metadataText, setMetadataText] = useState(
    props.initial === undefined ? '{}' : formatMetadata(props.initial.metadata),
  );
  const [apiError, setApiError] = useState<{ field: string; message: string } | undefined>();
  const [isBusy, setBusy] = useState(false);
  const parsed = parseMetadata(metadataText);
  // Opening the form moves the focus into it, so that keyboard users land where they type.
  useLayoutEffect(() => document.getElementById(`${props.id}-name`)?.focus(), [props.id]);
  const errorFor = (field: string) => (apiError?.field === field ? apiError.message : undefined);

  const submit = async (event: Event) => {
    event.preventDefault();
    if ('error' in parsed) {
      document.getElementById(`${props.id}-metadata`)?.focus();
      return;
    }
    setBusy(true);
    setApiError(undefined);
    try {
      await props.onSubmit({
        name,
        description: description === '' ? null : description,
        metadata: parsed.metadata,
        ...(props.hasDataType === true ? { data_type: dataType } : {}),
      });
    } catch (error) {
      const field = fieldOf(error);
      if (field === undefined) showError(error);
      else setApiError({ field, message: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="item-form" onSubmit={(event) => void submit(event)} noValidate>
      <Field
        id={`${props.id}-name`}
        label="Name"
        value={name}
        onInput={setName}
        error={errorFor('name')}
        required
      />
      <Field
        id={`${props.id}-description`}
        label="Description"
        value={description}
        onInput={setDescription}
        error={errorFor('description')}
        multiline
      />
      {props.hasDataType === true && (
        <Field
          id={`${props.id}-data-type`}
          label="Data type"
          value={dataType}
          onInput={setDataType}
          error={errorFor('data_type')}
          required
        />
      )}
      <Field
        id={`${props.id}-metadata`}
        label="Metadata"
        value={metadataText}
        onInput={setMetadataText}
        error={'error' in parsed ? parsed.error : errorFor('metadata')}
        multiline
        rows={8}
        class="code"
      />
      <div class="actions">
        <button type="submit" disabled={isBusy}>
          {props.submitLabel}
        </button>
        {props.onCancel !== undefined && (
          <button type="button" class="secondary" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
