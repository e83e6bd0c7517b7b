import { useEffect, useId, useRef, useState } from 'react';
import { useDraft } from './useDraft';
import type { Parsed } from '../../format/caseRecord';

/** A select over a vocabulary, with an empty "not recorded" choice. */
export function ChoiceSelect<K extends string>({
  label,
  value,
  names,
  onChange,
}: {
  label: string;
  value: K | null;
  names: Readonly<Record<K, string>>;
  onChange: (value: K | null) => void;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value ?? ''} onChange={(e) => onChange((e.currentTarget.value || null) as K | null)}>
        <option value="">— not recorded —</option>
        {(Object.keys(names) as K[]).map((key) => (
          <option key={key} value={key}>
            {names[key]}
          </option>
        ))}
      </select>
    </label>
  );
}

interface ParsedFieldProps<T> {
  label: string;
  committed: string;
  parse: (text: string) => Parsed<T>;
  format: (value: T) => string;
  onCommit: (value: T) => void;
  placeholder?: string;
  inputMode?: 'numeric' | 'text';
  children?: React.ReactNode;
}

/** A text field committed on blur or Enter once it parses; otherwise it shows why, inline. */
export function ParsedField<T>({ label, committed, parse, format, onCommit, placeholder, inputMode, children }: ParsedFieldProps<T>) {
  const [draft, setDraft] = useDraft(committed);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const commit = () => {
    const parsed = parse(draft);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(null);
    const text = format(parsed.value);
    setDraft(text);
    if (text !== committed) onCommit(parsed.value);
  };
  return (
    <div className="field">
      <label>
        <span>{label}</span>
        <input
          type="text"
          inputMode={inputMode}
          value={draft}
          placeholder={placeholder}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              commit();
            }
          }}
        />
      </label>
      {children}
      {error && (
        <span id={errorId} className="field-error" aria-live="polite">
          {error}
        </span>
      )}
    </div>
  );
}

const NOTES_IDLE_MS = 1000;

/** Free notes: committed after a pause in typing or on blur, so typing is not one undo step per key. */
export function NotesField({ committed, onCommit }: { committed: string; onCommit: (notes: string) => void }) {
  const [draft, setDraft] = useDraft(committed);
  const pending = useRef<{ timer: ReturnType<typeof setTimeout>; text: string } | null>(null);
  const commitRef = useRef(onCommit);
  useEffect(() => {
    commitRef.current = onCommit;
  });
  const flush = () => {
    if (!pending.current) return;
    clearTimeout(pending.current.timer);
    const { text } = pending.current;
    pending.current = null;
    commitRef.current(text);
  };
  // Leaving (another run, unmount) keeps what was typed.
  useEffect(() => () => flush(), []);
  return (
    <label className="field">
      <span>Notes</span>
      <textarea
        rows={3}
        value={draft}
        onChange={(e) => {
          const text = e.currentTarget.value;
          setDraft(text);
          if (pending.current) clearTimeout(pending.current.timer);
          pending.current = { text, timer: setTimeout(flush, NOTES_IDLE_MS) };
        }}
        onBlur={flush}
      />
    </label>
  );
}
