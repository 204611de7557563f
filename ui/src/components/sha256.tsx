// A SHA-256 shown shortened, the whole of it on hover and copied by its button.

import { useState } from 'preact/hooks';
import { showError } from '../alerts.js';
import { shortHash } from '../format.js';

export function Sha256(props: { value: string }) {
  const [isCopied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.value);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch (error) {
      showError(error);
    }
  };
  return (
    <span class="sha256">
      <code title={props.value} data-sha256={props.value}>
        {shortHash(props.value)}
      </code>
      <button
        type="button"
        class="quiet"
        aria-label={`Copy SHA-256 ${props.value}`}
        onClick={() => void copy()}
      >
        {isCopied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}
