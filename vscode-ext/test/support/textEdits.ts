// Applies LSP edits the way an editor does, so that tests check that code actions "apply cleanly":
// positions are UTF-16 code units (as JavaScript strings are), edits of one document apply from
// the last to the first so earlier ones do not shift later ones.
import type { CreateFile, Position, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';

export function offsetAt(text: string, position: Position): number {
  let line = 0;
  let offset = 0;
  while (line < position.line) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
    line += 1;
  }
  const lineEnd = text.indexOf('\n', offset);
  const end = lineEnd < 0 ? text.length : lineEnd;
  return Math.min(offset + position.character, end);
}

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const located = edits.map((edit, index) => ({
    start: offsetAt(text, edit.range.start), end: offsetAt(text, edit.range.end), newText: edit.newText, index,
  }));
  // Last first; edits at the same offset keep their order (the later one ends up after).
  located.sort((a, b) => b.start - a.start || b.index - a.index);
  let result = text;
  for (const edit of located) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

export interface EditedDocument {
  uri: string;
  text: string;
  created: boolean;  // the edit created this file
}

// Applies a workspace edit to documents whose text `read` returns (undefined: the file does not
// exist). Returns each touched document's new text, in order.
export function applyWorkspaceEdit(edit: WorkspaceEdit, read: (uri: string) => string | undefined): EditedDocument[] {
  const documents = new Map<string, EditedDocument>();
  const current = (uri: string): EditedDocument => {
    let document = documents.get(uri);
    if (!document) {
      const text = read(uri);
      if (text === undefined) throw new Error(`the edit changes ${uri}, which does not exist and was not created`);
      document = { uri, text, created: false };
      documents.set(uri, document);
    }
    return document;
  };
  if (edit.documentChanges) {
    for (const change of edit.documentChanges) {
      if ('kind' in change) {
        if (change.kind !== 'create') throw new Error(`unexpected resource operation ${change.kind}`);
        const create = change as CreateFile;
        const existing = documents.get(create.uri)?.text ?? read(create.uri);
        if (existing !== undefined) {
          if (!create.options?.ignoreIfExists && !create.options?.overwrite)
            throw new Error(`the edit creates ${create.uri}, which exists`);
          if (create.options?.overwrite) documents.set(create.uri, { uri: create.uri, text: '', created: true });
          else current(create.uri);
        } else {
          documents.set(create.uri, { uri: create.uri, text: '', created: true });
        }
        continue;
      }
      const textEdit = change as TextDocumentEdit;
      const document = current(textEdit.textDocument.uri);
      document.text = applyTextEdits(document.text, textEdit.edits as TextEdit[]);
    }
  } else if (edit.changes) {
    for (const [uri, edits] of Object.entries(edit.changes)) {
      const document = current(uri);
      document.text = applyTextEdits(document.text, edits);
    }
  }
  return [...documents.values()];
}
