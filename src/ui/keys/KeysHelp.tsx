import { useDetailsPopover } from '../hooks/usePopover';
import { KEYMAP, type KeySection } from './keymap';

/**
 * The help's order: what a reader reaches for first. The key map's own order is for matching
 * (Shift+arrows for the subtraction mask come before plain arrows), and put Subtraction first.
 */
const HELP_ORDER: readonly KeySection[] = [
  'Frames',
  'Playback',
  'Review',
  'Annotation tools',
  'Timeline',
  'History',
  'Screen',
  'Subtraction',
  'Mouse',
  'Touch and pen',
];
const used = new Set(KEYMAP.map((binding) => binding.section));
// Every section in use is shown: one missing from HELP_ORDER goes last rather than out.
const SECTIONS: KeySection[] = [...HELP_ORDER.filter((section) => used.has(section)), ...[...used].filter((s) => !HELP_ORDER.includes(s))];

/** The header's Keys help: every key of the key map, by section. */
export function KeysHelp() {
  const popover = useDetailsPopover();
  return (
    <details className="keys-help" ref={popover}>
      <summary>Keys</summary>
      {/* It scrolls on a short window: focusable, so the keyboard can scroll it too. */}
      <div className="keys-help-panel" role="region" aria-label="All keys" tabIndex={0}>
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
