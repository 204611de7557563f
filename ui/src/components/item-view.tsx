// The head of a record's or a dataset's page: its name as the heading, description, metadata as
// key/value pairs, times; "Edit" (the item form, Save/Cancel) and "Delete" behind a confirmation,
// offered only to a key that may write.

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { showError } from '../alerts.js';
import { formatTime } from '../format.js';
import { useSession } from '../session.js';
import { ItemForm, type ItemValues } from './item-form.js';

interface ItemViewProps {
  /** `record` or `dataset`: in labels and control ids. */
  readonly kind: string;
  readonly item: ItemValues & {
    readonly created_at: string;
    readonly updated_at: string;
  };
  readonly hasDataType?: boolean;
  /** Facts shown after the times (storage id, the record a dataset belongs to). */
  readonly facts?: ComponentChildren;
  readonly onSave: (values: ItemValues) => Promise<void>;
  readonly onDelete: () => Promise<void>;
}

export function ItemView(props: ItemViewProps) {
  const session = useSession();
  const [isEditing, setEditing] = useState(false);
  const [isConfirming, setConfirming] = useState(false);
  const { item } = props;
  const save = async (values: ItemValues) => {
    await props.onSave(values);
    setEditing(false);
  };
  const remove = async () => {
    try {
      await props.onDelete();
    } catch (error) {
      showError(error);
    }
  };
  return (
    <section class="item" aria-labelledby="item-heading">
      <div class="page-head">
        <h1 id="item-heading" tabIndex={-1}>
          {item.name}
        </h1>
        {session.canWrite && !isEditing && (
          <div class="actions">
            <button type="button" onClick={() => setEditing(true)}>
              Edit
            </button>
            <button type="button" class="danger" onClick={() => setConfirming(true)}>
              Delete
            </button>
          </div>
        )}
      </div>
      {isConfirming && (
        <div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
          <p id="confirm-text">
            Delete the {props.kind} “{item.name}”?
            {props.kind === 'record'
              ? ' Its datasets are hidden with it; it can be restored from the list.'
              : ''}
          </p>
          <button type="button" class="danger" onClick={() => void remove()} autoFocus>
            Delete {props.kind}
          </button>
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      {isEditing ? (
        <ItemForm
          id={`edit-${props.kind}`}
          initial={item}
          hasDataType={props.hasDataType}
          submitLabel="Save"
          onSubmit={save}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          <p class="description">{item.description ?? <em>No description.</em>}</p>
          <h2>Metadata</h2>
          <MetadataList metadata={item.metadata} />
          <dl class="facts">
            {props.hasDataType === true && (
              <>
                <dt>Data type</dt>
                <dd>{item.data_type}</dd>
              </>
            )}
            <dt>Created</dt>
            <dd>
              <time dateTime={item.created_at}>{formatTime(item.created_at)}</time>
            </dd>
            <dt>Updated</dt>
            <dd>
              <time dateTime={item.updated_at}>{formatTime(item.updated_at)}</time>
            </dd>
            {props.facts}
          </dl>
        </>
      )}
    </section>
  );
}

function MetadataList(props: { metadata: Record<string, unknown> }) {
  const entries = Object.entries(props.metadata);
  if (entries.length === 0) return <p class="empty">No metadata.</p>;
  return (
    <dl class="metadata">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd class={typeof value === 'string' ? '' : 'code'}>
            {typeof value === 'string' ? value : JSON.stringify(value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}
