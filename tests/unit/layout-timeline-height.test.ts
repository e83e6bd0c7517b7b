/** The timelines' height (state/layout.ts): kept between a lane's worth and 600 px, whatever is asked. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMELINE_HEIGHT, MAX_TIMELINE_HEIGHT, MIN_TIMELINE_HEIGHT, layout, setTimelineHeight } from '../../src/state/layout';

describe('timeline height', () => {
  it('starts at the default and stays within its bounds, in whole pixels', () => {
    expect(layout.getState().timelineHeight).toBe(DEFAULT_TIMELINE_HEIGHT);
    setTimelineHeight(10);
    expect(layout.getState().timelineHeight).toBe(MIN_TIMELINE_HEIGHT);
    setTimelineHeight(5000);
    expect(layout.getState().timelineHeight).toBe(MAX_TIMELINE_HEIGHT);
    setTimelineHeight(233.6);
    expect(layout.getState().timelineHeight).toBe(234);
  });
});
