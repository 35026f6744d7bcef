/**
 * Runs `step` repeatedly inside animation frames, about `budgetMs` of work per frame, so training
 * never freezes the page; `render` runs once per frame. `step` returns false when there is no more
 * work. The returned function stops the loop.
 */
export function runInFrames(step: () => boolean, render: () => void, budgetMs = 12): () => void {
  let stopped = false;
  const frame = () => {
    if (stopped) return;
    const start = performance.now();
    let more = true;
    while (more && performance.now() - start < budgetMs) more = step();
    render();
    if (more) requestAnimationFrame(frame);
    else stopped = true;
  };
  requestAnimationFrame(frame);
  return () => {
    stopped = true;
  };
}
