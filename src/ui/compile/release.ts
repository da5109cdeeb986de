/**
 * What File → New lets go of: the compiled model and the trained one (with
 * their optimizers), registered by the modules that hold them once they load.
 * No imports, so the files bar can call it without bringing TF.js.
 */
const releasers = new Set<() => void>();

/** Registers a function that disposes models a module holds. */
export function onRelease(fn: () => void): void {
  releasers.add(fn);
}

/** Disposes every compiled and trained model (their weights and optimizer state leave tf.memory()). */
export function releaseModels(): void {
  for (const fn of releasers) {
    try {
      fn();
    } catch {
      // A model already disposed elsewhere: nothing left to free.
    }
  }
}
