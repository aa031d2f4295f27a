/**
 * The chosen preset's story: where it comes from, what to expect, and its steps. "Play" runs the
 * steps through the same actions as the toolbar, one after another, highlighting the current one.
 */
import { h, replace } from '../../devtools/views.ts';
import type { Actions } from '../session/actions.ts';
import type { Preset, Step } from '../types.ts';

const STEP_PAUSE_MS = 350;

export function scenarioView(actions: Actions, onBusy: (busy: boolean) => void, onPlay: () => void): { element: HTMLElement; show: (preset: Preset | undefined) => void } {
  const element = h('section', { class: 'scenario', 'data-testid': 'scenario', 'data-state': 'idle', 'aria-live': 'polite' });
  let playing = false;

  const show = (preset: Preset | undefined) => {
    element.dataset.state = 'idle';
    if (!preset) {
      replace(element, h('h2', {}, 'Your own headers'), h('p', { class: 'muted' }, 'Edit the headers on the left, then Send. Or pick a preset to replay an example from Vercel’s docs.'));
      return;
    }
    const items = preset.steps.map((step) => h('li', { class: 'step' }, h('span', { class: 'step-what' }, describe(step)), step.note ? h('span', { class: 'step-note' }, step.note) : null));
    const play = h('button', { type: 'button', class: 'primary', 'data-testid': 'play', title: 'Replay this preset from a clean cache (P)' }, '▶ Play scenario');
    play.addEventListener('click', () => {
      if (playing) return;
      playing = true;
      onBusy(true);
      element.dataset.state = 'playing';
      play.disabled = true;
      onPlay();
      run(preset, items)
        .then(() => (element.dataset.state = 'done'))
        .catch((error: unknown) => {
          element.dataset.state = 'error';
          element.append(h('p', { class: 'bad' }, error instanceof Error ? error.message : String(error)));
        })
        .finally(() => {
          playing = false;
          play.disabled = false;
          onBusy(false);
        });
    });
    replace(element,
      h('div', { class: 'scenario-head' }, h('div', {}, h('h2', { 'data-testid': 'scenario-title' }, preset.title), h('p', { class: 'source' }, preset.source)), play),
      h('p', { class: 'expect' }, h('strong', {}, 'Expect: '), preset.expect),
      h('ol', { class: 'steps' }, items));
  };

  /**
   * Plays the steps on a scenario clock: before each step the worker's clock is set back to the
   * scenario's time, so only "Clock +N s" steps move it (plus what the worker really did: the latest
   * request or stored copy), never the pauses between steps or a slow machine. A 1 s lifetime then
   * behaves the same everywhere.
   *
   * A purge is the exception. The worker stamps it with its clock, and it only concerns responses
   * received before that stamp (R78, R79); a deletion's deadline counts from it. So a purge runs on
   * the latest worker time any step has reached (after every response so far, whatever the clock was
   * set back to), and the next step runs after the purge: otherwise, on a slow machine, a refreshed
   * copy could look newer than the purge, or a deletion with deadline 0 could still be "within the
   * deadline".
   */
  const run = async (preset: Preset, items: HTMLElement[]) => {
    await actions.reset();
    let scenarioNow = actions.session.workerNow();
    let reached = scenarioNow;
    for (const [i, step] of preset.steps.entries()) {
      items.forEach((item, j) => item.classList.toggle('current', j === i));
      const purge = step.do === 'invalidateTag' || step.do === 'deleteTag' || step.do === 'purgeAll';
      if (step.do === 'advance') scenarioNow += step.seconds * 1000;
      if (purge) scenarioNow = Math.max(scenarioNow, reached);
      await actions.pinClock(scenarioNow);
      if (step.do !== 'advance') await actions.perform(step);
      reached = Math.max(reached, actions.session.workerNow());
      scenarioNow = Math.max(scenarioNow, purge ? reached : actions.lastWorkerEvent() + 1);
      items[i]?.classList.add('done');
      await new Promise((resolve) => setTimeout(resolve, STEP_PAUSE_MS));
    }
    items.forEach((item) => item.classList.remove('current'));
  };

  return { element, show };
}

function describe(step: Step): string {
  switch (step.do) {
    case 'send':
      return 'Send';
    case 'burst':
      return `Burst ×${step.count}`;
    case 'advance':
      return `Clock +${step.seconds >= 86_400 ? `${Math.round(step.seconds / 86_400)} d` : step.seconds >= 3600 ? `${step.seconds / 3600} h` : `${step.seconds} s`}`;
    case 'country':
      return `Visitor from ${step.country}`;
    case 'requestHeader':
      return `${step.name}: ${step.value}`;
    case 'invalidateTag':
      return `invalidateByTag('${step.tag}')`;
    case 'deleteTag':
      return `dangerouslyDeleteByTag('${step.tag}')`;
    case 'purgeAll':
      return 'Purge all';
    case 'fail':
      return step.failure === 'none' ? 'Origin healthy' : `Origin fails (${step.failure})`;
    case 'deployment':
      return `Deploy ${step.deployment}`;
  }
}
