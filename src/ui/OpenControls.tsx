import { useRef } from 'react';
import { inputFilesFromList } from '../io/gatherFiles';
import { openInputs } from '../state/session';

/**
 * "Open DICOM files" and "Open folder": the two ways in besides dropping on the page. Each is a
 * file input inside a label that looks like a button; the input is out of sight but in the Tab
 * order (app.css .file-input), so the keyboard opens files too.
 */
export function OpenControls() {
  const folderInput = useRef<HTMLInputElement>(null);
  const onChange = (event: React.ChangeEvent<HTMLInputElement>) => {
    const files = event.currentTarget.files;
    if (files) void openInputs(inputFilesFromList(files));
    event.currentTarget.value = '';
  };
  return (
    <div className="open-controls">
      <label className="button">
        Open DICOM files
        <input type="file" className="file-input" multiple aria-label="Open DICOM files" onChange={onChange} />
      </label>
      <label className="button">
        Open folder
        <input
          type="file"
          aria-label="Open folder"
          ref={(el) => {
            folderInput.current = el;
            // webkitdirectory is not in React's attribute list; set it on the element.
            el?.setAttribute('webkitdirectory', '');
          }}
          className="file-input"
          onChange={onChange}
        />
      </label>
    </div>
  );
}
