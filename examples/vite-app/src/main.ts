import { mountDevtools } from 'tiercache/devtools';
import { worker } from 'virtual:tiercache';

const $ = (id: string) => document.getElementById(id) as HTMLElement;
let clockOffsetMs = 0;

async function show(path: string): Promise<void> {
  const response = await fetch(path);
  const item = document.createElement('li');
  item.textContent = `${path} ${response.status} x-vercel-cache: ${response.headers.get('x-vercel-cache') ?? '-'}`;
  $('log').append(item);
}

void worker.then(async (controller) => {
  if (!controller) {
    $('worker').textContent = 'No cache worker here (Service Workers unavailable); the app works without it.';
    return;
  }
  const { config } = await controller.inspect();
  $('worker').textContent = `Cache worker ready: layers ${config.layers.join(', ')}, deployment ${config.deployment}`;
  $('worker').dataset.deployment = config.deployment;
  for (const id of ['products', 'news']) {
    $(id).addEventListener('click', () => void show(`/api/${id}`));
  }
  // The simulated clock: the edge sees time move on, so entries go stale without waiting.
  $('later').addEventListener('click', () => {
    clockOffsetMs += 120_000;
    void controller.setClockOffset(clockOffsetMs).then(() => {
      const item = document.createElement('li');
      item.textContent = `clock +${clockOffsetMs / 1000} s`;
      $('log').append(item);
    });
  });
  for (const button of document.querySelectorAll('button')) button.disabled = false;
  // The devtools (collapsed to a button at the bottom right): every layer's decision for these requests.
  await mountDevtools(controller);
});
