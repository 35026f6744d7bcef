export interface FrameWork {
  /** One unit of work (a training step); returns false when there is no more. */
  step: () => boolean;
  /** Runs once per frame, after that frame's steps. */
  render: () => void;
  /** Runs once, after the last step's frame. */
  done?: () => void;
}

/**
 * Runs `step` repeatedly inside animation frames, about `budgetMs` of work per frame, so training
 * never freezes the page. The returned function stops the loop (without calling `done`).
 */
export function runInFrames(work: FrameWork, budgetMs = 12): () => void {
  let stopped = false;
  const frame = () => {
    if (stopped) return;
    const start = performance.now();
    let more = true;
    while (more && performance.now() - start < budgetMs) more = work.step();
    work.render();
    if (more) {
      requestAnimationFrame(frame);
    } else {
      stopped = true;
      work.done?.();
    }
  };
  requestAnimationFrame(frame);
  return () => {
    stopped = true;
  };
}
