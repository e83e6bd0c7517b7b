/**
 * Undo/redo over immutable documents. Each entry keeps the document before and after one user
 * action; undo and redo swap between them. A transaction (begin … apply … commit) folds many
 * commands into one entry, so a whole drag is one undo step; cancel() puts the document back as
 * it was at begin().
 */
import { applyCommand, type Command, type HistoryEntry } from './commands';
import type { AnnotationDocument } from './types';

export interface HistoryOptions {
  /** Oldest entries are dropped past this many undo steps. */
  readonly limit?: number;
}

interface OpenTransaction {
  readonly label: string;
  readonly before: AnnotationDocument;
}

export class History {
  #doc: AnnotationDocument;
  #past: HistoryEntry[] = [];
  #future: HistoryEntry[] = [];
  #transaction: OpenTransaction | null = null;
  #revision = 0;
  readonly #limit: number;

  constructor(doc: AnnotationDocument, options: HistoryOptions = {}) {
    this.#doc = doc;
    this.#limit = options.limit ?? 500;
  }

  get doc(): AnnotationDocument {
    return this.#doc;
  }

  /** Changes whenever doc, the stacks or the transaction state change (for useSyncExternalStore-style caches). */
  get revision(): number {
    return this.#revision;
  }

  get canUndo(): boolean {
    return this.#transaction === null && this.#past.length > 0;
  }

  get canRedo(): boolean {
    return this.#transaction === null && this.#future.length > 0;
  }

  /** "Undo Move needle tip", or null when there is nothing to undo. */
  get undoLabel(): string | null {
    return this.canUndo ? `Undo ${this.#past[this.#past.length - 1].label}` : null;
  }

  get redoLabel(): string | null {
    return this.canRedo ? `Redo ${this.#future[this.#future.length - 1].label}` : null;
  }

  get inTransaction(): boolean {
    return this.#transaction !== null;
  }

  /**
   * Applies a command and returns the new document. Inside a transaction it only changes the
   * document; outside, it records one undo step (none when nothing changed). Commands that do not
   * enter history (replaceDocument) drop any open transaction and clear both stacks, since the
   * old entries belong to a different document.
   */
  apply(cmd: Command): AnnotationDocument {
    const { doc, entry } = applyCommand(this.#doc, cmd);
    if (entry === null) {
      this.#past = [];
      this.#future = [];
      this.#transaction = null;
    } else if (this.#transaction === null && doc !== this.#doc) {
      this.#push(entry);
    }
    this.#set(doc);
    return doc;
  }

  /** Returns false when there is nothing to undo, or a transaction is open (finish the drag first). */
  undo(): boolean {
    if (!this.canUndo) return false;
    const entry = this.#past.pop() as HistoryEntry;
    this.#future.push(entry);
    this.#set(entry.before);
    return true;
  }

  redo(): boolean {
    if (!this.canRedo) return false;
    const entry = this.#future.pop() as HistoryEntry;
    this.#past.push(entry);
    this.#set(entry.after);
    return true;
  }

  begin(label: string): void {
    if (this.#transaction) throw new Error(`cannot begin "${label}": "${this.#transaction.label}" is still open`);
    this.#transaction = { label, before: this.#doc };
    this.#touch();
  }

  /** Closes the transaction as one undo step (none if the document ended up unchanged). */
  commit(): void {
    const transaction = this.#requireTransaction('commit');
    this.#transaction = null;
    if (this.#doc !== transaction.before) this.#push({ label: transaction.label, before: transaction.before, after: this.#doc });
    this.#touch();
  }

  /** Closes the transaction and restores the document as it was at begin(). */
  cancel(): void {
    const transaction = this.#requireTransaction('cancel');
    this.#transaction = null;
    this.#set(transaction.before);
  }

  #requireTransaction(action: string): OpenTransaction {
    if (!this.#transaction) throw new Error(`cannot ${action}: no transaction is open`);
    return this.#transaction;
  }

  #push(entry: HistoryEntry): void {
    this.#past.push(entry);
    if (this.#past.length > this.#limit) this.#past.shift();
    this.#future = [];
  }

  #set(doc: AnnotationDocument): void {
    this.#doc = doc;
    this.#touch();
  }

  #touch(): void {
    this.#revision += 1;
  }
}
