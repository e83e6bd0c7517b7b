import { KEYMAP, type KeySection } from './keymap';

const SECTIONS: KeySection[] = [...new Set(KEYMAP.map((binding) => binding.section))];

/** The header's Keys help: every key of the key map, by section. */
export function KeysHelp() {
  return (
    <details className="keys-help">
      <summary>Keys</summary>
      <div className="keys-help-panel">
        {SECTIONS.map((section) => (
          <section key={section} aria-label={`${section} keys`}>
            <h3>{section}</h3>
            <dl>
              {KEYMAP.filter((binding) => binding.section === section).map((binding) => (
                <div key={binding.label}>
                  <dt>
                    <kbd>{binding.label}</kbd>
                  </dt>
                  <dd>{binding.help}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </details>
  );
}
