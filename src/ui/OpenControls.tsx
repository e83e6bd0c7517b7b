import { inputFilesFromList } from '../io/gatherFiles';
import { openInputs } from '../state/session';
import { FileButton } from './FileButton';

/**
 * "Open DICOM files" and "Open folder": the two ways in besides dropping on the page. Each is a
 * hidden file input behind a label that looks and acts as a button (FileButton), so the keyboard
 * opens files too.
 */
export function OpenControls() {
  const onChange = (event: React.ChangeEvent<HTMLInputElement>) => {
    const files = event.currentTarget.files;
    if (files) void openInputs(inputFilesFromList(files));
    event.currentTarget.value = '';
  };
  return (
    <div className="open-controls">
      <FileButton name="Open DICOM files" multiple onChange={onChange}>
        Open DICOM files
      </FileButton>
      <FileButton name="Open folder" directory onChange={onChange}>
        Open folder
      </FileButton>
    </div>
  );
}
